"""16 threads post invoices and receipts for one customer at once (PostgreSQL: real row locks)."""

import datetime
import threading
from decimal import Decimal as D

import pytest
from django.db import connection, connections
from django.db.models import F, Sum

from credo.sales import queries, services
from credo.sales.models import Allocation, CustomerBalance, Invoice
from tests.factories import World

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")

DAY = datetime.date(2026, 3, 1)


def test_sixteen_threads_keep_the_balance_exact(transactional_db):
    world = World()
    customer, clerk = world.east_customer, world.finance
    errors, barrier = [], threading.Barrier(16)

    def work(n):
        try:
            barrier.wait()
            for i in range(5):
                if (n + i) % 2:
                    services.post_invoice(clerk, customer, number=f"I{n}-{i}", invoice_date=DAY, amount="100.00")
                else:
                    services.post_receipt(clerk, customer, number=f"R{n}-{i}", receipt_date=DAY, amount="70.00",
                                          method="transfer")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert queries.document_drift() == [] and queries.balance_drift() == []
    balance = CustomerBalance.objects.get(customer=customer)
    assert balance.invoiced_total == D("4000.00") and balance.paid_total == D("2800.00")
    assert balance.receivable - balance.unapplied_credit == D("1200.00")
    over = Invoice.objects.annotate(allocated=Sum("allocations__amount")).filter(allocated__gt=F("amount"))
    assert not over.exists()
    assert not Allocation.objects.filter(amount__lte=0).exists()
