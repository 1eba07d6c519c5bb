"""Loyalty test data through the real services, at a fixed clock (2026-07-15), reported over 2026-01-01 … 06-30:

- east_customer (sales_east): bought in 2025 at list price (1000 at list 1000); in the period three invoices at a
  10 % discount on month ends (Jan 31, Feb 28, Jun 30: 2250 paid, 2500 at list); two orders in March around a
  complaint received on March 10; potential 9125 a year.
- east2_customer (sales_east2): new by history: its first invoice ever is on May 31 (one invoice of 300).
- north_customer (sales_north): first bought in 2024, so not new, though it bought in the period only in June
  (two invoices of 100 and 200).
"""

import datetime
import itertools
from decimal import Decimal as D

import pytest

from credo.analysis.queries import AnalysisFilter
from credo.complaints import services as complaints
from credo.sales import orders as sales_orders
from credo.sales import services as ledger
from credo.sales.models import Product
from credo.segments.models import CustomerPotential

TODAY = datetime.date(2026, 7, 15)
PERIOD = (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
SH = datetime.timezone(datetime.timedelta(hours=8))
_numbers = itertools.count(1)


def period(**extra) -> AnalysisFilter:
    return AnalysisFilter(*PERIOD, **extra)


def invoice(world, customer, day, quantity, price, product):
    number = f"INV-L{next(_numbers):05d}"
    return ledger.post_invoice(world.finance, customer, number=number, invoice_date=day, due_date=day,
                               lines=[{"product": product, "description": product.name, "quantity": D(quantity),
                                       "unit_price": D(price), "cost": D("0")}])


@pytest.fixture
def loyalty_world(world, clock):
    clock.set(TODAY)
    product = Product.objects.create(code="P-LOY", name="阀门", list_price=D("10.00"), cost=D("5.00"))
    d = datetime.date
    invoice(world, world.east_customer, d(2025, 9, 10), "100", "10.00", product)
    for day, qty in [(d(2026, 1, 31), "100"), (d(2026, 2, 28), "100"), (d(2026, 6, 30), "50")]:
        invoice(world, world.east_customer, day, qty, "9.00", product)
    for day in (d(2026, 3, 1), d(2026, 3, 20)):
        sales_orders.create_order(world.sales_east, world.east_customer, number=f"SO-L{next(_numbers):05d}",
                                  order_date=day, lines=[(product, D("1"), None)])
    complaints.intake(world.service, customer=world.east_customer, channel="phone", category="quality",
                      contact_name="王经理", contact_phone="13800000000", description="阀门漏水",
                      at=datetime.datetime(2026, 3, 10, 10, 0, tzinfo=SH))
    CustomerPotential.objects.create(customer=world.east_customer, annual_purchases=D("9125.00"))
    invoice(world, world.east2_customer, d(2026, 5, 31), "30", "10.00", product)
    invoice(world, world.north_customer, d(2024, 12, 1), "10", "10.00", product)
    invoice(world, world.north_customer, d(2026, 6, 1), "10", "10.00", product)
    invoice(world, world.north_customer, d(2026, 6, 2), "20", "10.00", product)
    return world
