"""A small hand-computed ledger for the analysis reports (period 2026-01-01 … 2026-03-31).

  E001 (sales_east, dealer, 上海)  2026-01-10  P1 10 × 100 = 1000 (cost 600), P2 5 × 40 = 200 (cost 150)
                                   2026-02-05  P1  5 × 100 =  500 (cost 300)
                                   2025-12-20  P1 10 × 100 = 1000 (outside the period)
  E002 (sales_east2)               2026-02-10  P3  2 × 150 =  300 (cost 300)
  N001 (sales_north)               2026-03-01  P2 10 × 50  =  500 (cost 250)
                                   2026-03-15  penalty interest 99 (kind "interest": not sales)

  sales 2500: E001 1700 (68 %), E002 300 (12 %), N001 500 (20 %); P1 1500, P2 700, P3 300
  dealer stock of E001: P1 2025-12 400, 2026-03 600 (average 500, turnover 1500/500 = 3);
                        P2 2026-03 200 only (average 200, turnover 200/200 = 1)
"""

import datetime
from decimal import Decimal

import pytest

from credo.analysis.models import DealerStock
from credo.sales.models import Invoice, InvoiceLine, Product

PERIOD = {"date_from": "2026-01-01", "date_to": "2026-03-31"}


def _invoice(customer, number, day, lines, kind="goods", amount=None):
    day = datetime.date.fromisoformat(day)
    total = amount if amount is not None else sum(Decimal(q) * Decimal(p) for _prod, q, p, _c in lines)
    inv = Invoice.objects.create(customer=customer, number=number, invoice_date=day, due_date=day, amount=total,
                                 open_amount=total, kind=kind)
    for product, quantity, price, cost in lines:
        InvoiceLine.objects.create(invoice=inv, customer=customer, product=product, quantity=quantity,
                                   unit_price=price, amount=Decimal(quantity) * Decimal(price), cost=cost)
    return inv


@pytest.fixture
def ledger(world):
    p1 = Product.objects.create(code="P1", name="液压泵", list_price=100, cost=60)
    p2 = Product.objects.create(code="P2", name="密封圈", list_price=50, cost=25)
    p3 = Product.objects.create(code="P3", name="阀门", list_price=150, cost=150)
    world.east_customer.kind = "dealer"
    world.east_customer.first_order_date = datetime.date(2025, 12, 20)
    world.east_customer.save()
    e1, e2, n1 = world.east_customer, world.east2_customer, world.north_customer
    _invoice(e1, "I-1", "2026-01-10", [(p1, 10, 100, 600), (p2, 5, 40, 150)])
    _invoice(e1, "I-2", "2026-02-05", [(p1, 5, 100, 300)])
    _invoice(e1, "I-0", "2025-12-20", [(p1, 10, 100, 600)])
    _invoice(e2, "I-3", "2026-02-10", [(p3, 2, 150, 300)])
    _invoice(n1, "I-4", "2026-03-01", [(p2, 10, 50, 250)])
    _invoice(n1, "INT-1", "2026-03-15", [], kind="interest", amount=Decimal("99"))
    DealerStock.objects.create(customer=e1, product=p1, month=datetime.date(2025, 12, 1), amount=400)
    DealerStock.objects.create(customer=e1, product=p1, month=datetime.date(2026, 3, 1), amount=600)
    DealerStock.objects.create(customer=e1, product=p2, month=datetime.date(2026, 3, 1), amount=200)
    world.products = (p1, p2, p3)
    return world
