"""The opportunity cost read in the database equals the pure rule (rules.owed_amount_days) on random invoices
and settlements: dated before, in and after the period, partly or fully paid, with reversals."""

import datetime
from collections import defaultdict
from decimal import Decimal as D

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credo.sales.models import Allocation, Invoice, Receipt
from credo.segments import costs, rules

pytestmark = pytest.mark.django_db
START = datetime.date(2025, 10, 1)
FROM, TO = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)

settlement = st.tuples(st.integers(0, 250), st.integers(1, 100), st.booleans())  # day offset, % of amount, reversed
invoice = st.tuples(st.integers(0, 2), st.integers(0, 240), st.integers(100, 1_000_000),
                    st.lists(settlement, max_size=3))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(invoices=st.lists(invoice, max_size=12))
def test_sql_equals_the_rule(world, invoices):
    customers = [world.east_customer, world.east2_customer, world.north_customer]
    with transaction.atomic():
        receipt = Receipt.objects.create(customer=world.east_customer, number="R-H", receipt_date=START,
                                         amount=D("1"), unapplied_amount=D("0"), method="transfer")
        want = defaultdict(D)
        for n, (who, offset, cents, settles) in enumerate(invoices):
            day = START + datetime.timedelta(days=offset)
            amount = D(cents) / 100
            rows, left, last = [], amount, day  # in date order, as the ledger allows: never more than is open
            for s_offset, percent, reversed_ in sorted(settles):
                paid = min(left, (amount * percent / 100).quantize(D("0.01")))
                if paid <= 0:
                    continue
                on = max(last, START + datetime.timedelta(days=s_offset))
                rows.append((on, paid))
                left -= paid
                last = on
                if reversed_:
                    last = on + datetime.timedelta(days=5)
                    rows.append((last, -paid))
                    left += paid
            inv = Invoice.objects.create(customer=customers[who], number=f"H{n}", invoice_date=day, due_date=day,
                                         amount=amount, open_amount=left)
            Allocation.objects.bulk_create([Allocation(customer=customers[who], invoice=inv, receipt=receipt,
                                                       amount=paid, allocation_date=on) for on, paid in rows])
            if day <= TO:
                want[customers[who].pk] += rules.owed_amount_days(day, amount, rows, FROM, TO)
        got = costs._owed_amount_days(FROM, TO)
        assert {c: v for c, v in got.items() if v} == {c: v for c, v in want.items() if v}
        transaction.set_rollback(True)
