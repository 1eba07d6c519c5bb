import datetime
from decimal import Decimal

import pytest

from credo.core.clock import business_today
from credo.sales import services as ledger


def days_ago(n: int) -> datetime.date:
    return business_today() - datetime.timedelta(days=n)


@pytest.fixture
def overdue(world):
    """E001 owes two invoices: 1,000.00 due 40 days ago and 500.00 due 10 days ago; one not yet due."""
    customer = world.east_customer
    ledger.post_invoice(world.finance, customer, number="INV-A", invoice_date=days_ago(70), due_date=days_ago(40),
                        amount=Decimal("1000.00"))
    ledger.post_invoice(world.finance, customer, number="INV-B", invoice_date=days_ago(40), due_date=days_ago(10),
                        amount=Decimal("500.00"))
    ledger.post_invoice(world.finance, customer, number="INV-C", invoice_date=days_ago(5), due_date=days_ago(-25),
                        amount=Decimal("300.00"))
    return customer
