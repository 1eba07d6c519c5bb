"""16 threads confirm orders for one customer at once (PostgreSQL: real row locks): exposure never passes the limit
plus tolerance, and the ledger still reconciles afterwards."""

import io
import threading
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import translation

from credo.credit.models import PolicyDefault
from credo.sales import orders, queries
from credo.sales.models import CustomerBalance, Product, SalesOrder
from tests.factories import World

from .conftest import approved_profile, days_ago, invoice

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")]

THREADS, ORDERS_EACH = 16, 3


def test_sixteen_threads_never_push_exposure_past_the_limit(transactional_db):
    world = World()
    customer = world.east_customer
    product = Product.objects.create(code="P1", name="螺丝", list_price=D("1000.00"), cost=D("600.00"))
    PolicyDefault.objects.filter(risk_level="NR").update(tolerance_percent=D("5"))
    approved_profile(customer, "20000")  # ceiling 21,000
    invoice(world, customer, "INV1", "3500", on=days_ago(3))
    drafts = [[orders.create_order(world.sales_east, customer, number=f"SO{n}-{i}", order_date=days_ago(0),
                                   lines=[(product, 1 + (n + i) % 3, None)]) for i in range(ORDERS_EACH)]
              for n in range(THREADS)]
    errors, barrier = [], threading.Barrier(THREADS)

    def work(n):
        try:
            barrier.wait()
            with translation.override("en"):  # the language is per thread: the reasons are read in English below
                for draft in drafts[n]:
                    orders.confirm_order(world.sales_east, draft)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    balance = CustomerBalance.objects.get(customer=customer)
    confirmed = SalesOrder.objects.filter(status="confirmed")
    held = SalesOrder.objects.filter(status="held")
    assert confirmed.count() + held.count() == THREADS * ORDERS_EACH and held.exists()
    assert balance.open_orders == sum(o.amount for o in confirmed)
    assert balance.receivable + balance.open_orders <= D("21000.00")
    # the orders that were held would each have taken exposure past the ceiling when they were checked
    assert all("over by" in o.hold_reason for o in held)
    assert queries.document_drift() == [] and queries.balance_drift() == []
    out = io.StringIO()
    call_command("ledger", "reconcile", stdout=out)
    assert "no differences" in out.getvalue()
