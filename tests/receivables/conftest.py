import datetime
from decimal import Decimal

import pytest

from credo.sales.models import Allocation, Invoice, Receipt

AS_OF = datetime.date(2026, 6, 30)


def d(text):
    return datetime.date.fromisoformat(text)


def invoice(customer, number, invoice_date, due_date, amount, paid=()):
    """An invoice with allocations [(date, amount), …] from one receipt each; open_amount kept consistent."""
    amount = Decimal(amount)
    inv = Invoice.objects.create(customer=customer, number=number, invoice_date=d(invoice_date),
                                 due_date=d(due_date), amount=amount, open_amount=amount)
    for n, (day, value) in enumerate(paid):
        value = Decimal(value)
        receipt = Receipt.objects.create(customer=customer, number=f"R-{number}-{n}", receipt_date=d(day),
                                         amount=value, unapplied_amount=0, method="transfer")
        Allocation.objects.create(customer=customer, invoice=inv, receipt=receipt, amount=value,
                                  allocation_date=d(day))
        inv.open_amount -= value
    inv.save(update_fields=["open_amount"])
    return inv


@pytest.fixture
def ledger(world):
    """A small ledger, aged by hand as of 2026-06-30 (see test_queries)."""
    e, e2, n = world.east_customer, world.east2_customer, world.north_customer
    invoice(e, "I1", "2026-06-01", "2026-06-30", "100.00")          # due on the as-of date: current
    invoice(e, "I2", "2026-05-01", "2026-05-31", "200.00")          # 30 days: 1-30
    invoice(e, "I3", "2026-04-01", "2026-05-30", "300.00", paid=[("2026-06-15", "50.00")])  # 31: 31-60, 250 open
    invoice(e, "I4", "2025-01-01", "2025-12-31", "400.00")          # 181: 180+
    invoice(e2, "I5", "2026-03-01", "2026-04-01", "500.00")         # 90: 61-90
    invoice(e2, "I6", "2026-01-01", "2026-01-01", "600.00", paid=[("2026-07-05", "600.00")])  # paid after: 180 → 91-180
    invoice(n, "I7", "2026-06-20", "2026-07-20", "700.00")          # current
    invoice(n, "I8", "2026-07-01", "2026-07-31", "800.00")          # dated after the as-of date: not in it
    return world
