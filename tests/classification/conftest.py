import datetime
from decimal import Decimal

import pytest

from credo.customers.models import Customer
from credo.sales.models import Invoice
from credo.sales.services import rebuild_month_sales
from tests.factories import CustomerFactory

DAY = datetime.date(2026, 6, 30)


def add_invoices(rows, *, kind=Invoice.Kind.GOODS, prefix="INV"):
    """rows: [(customer, amount, date)] inserted directly (bulk test data)."""
    start = Invoice.objects.count()
    Invoice.objects.bulk_create([
        Invoice(customer=c, number=f"{prefix}{start + i:07d}", invoice_date=d, due_date=d, amount=Decimal(a),
                open_amount=Decimal(a), kind=kind)
        for i, (c, a, d) in enumerate(rows)])
    # Bulk inserts bypass post_invoice: bring the month summary the classification reads up to date, as the
    # demo loader does.
    rebuild_month_sales({c.pk for c, _a, _d in rows})


@pytest.fixture
def two_hundred(world):
    """200 active customers in all (the world's 3 included) with distinct purchase amounts in 2026-H1."""
    extra = [CustomerFactory(code=f"P{i:03d}", account_manager=world.sales_east) for i in range(197)]
    customers = list(Customer.objects.filter(is_active=True).order_by("code"))
    assert len(customers) == 200
    add_invoices([(c, 1000 + i, DAY) for i, c in enumerate(customers)])
    return customers, extra
