"""CustomerMonthSales, the goods sales per customer and month: kept exact by posting, import, merge and the demo
loader; rebuilt from the invoices; checked by `credo ledger reconcile`; and the period reads built on it are exact
for any dates (full months from the summary, the edge days from the invoices)."""

import datetime
import io
import threading
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credo.classification import queries as class_queries
from credo.sales import queries, services
from credo.sales.models import CustomerMonthSales, Invoice, InvoiceLine
from tests.factories import World
from tests.sales.test_import_ledger import invoice_rows
from tests.sales.test_import_ledger import run as run_import

day = datetime.date


def post(world, number, amount, on, customer=None, kind=Invoice.Kind.GOODS, lines=None):
    return services.post_invoice(world.finance, customer or world.east_customer, number=number, invoice_date=on,
                                 amount=None if lines else amount, lines=lines, kind=kind)


def rows() -> dict:
    """{(customer id, "YYYY-MM"): (sales, cost, invoices)} as kept."""
    return {(r.customer_id, f"{r.month:%Y-%m}"): (r.sales, r.cost, r.invoices)
            for r in CustomerMonthSales.objects.all()}


def raw_sales(period_from, period_to) -> dict:
    """The reference: Σ goods invoice amounts per customer straight from the invoices."""
    return {cid: s for cid, s in Invoice.objects.filter(kind=Invoice.Kind.GOODS,
                                                        invoice_date__range=(period_from, period_to))
            .values("customer_id").annotate(s=Sum("amount")).values_list("customer_id", "s")}


def raw_cost(period_from, period_to) -> dict:
    return {cid: c for cid, c in InvoiceLine.objects.filter(invoice__kind=Invoice.Kind.GOODS,
                                                            invoice__invoice_date__range=(period_from, period_to))
            .values("invoice__customer_id").annotate(c=Sum("cost")).values_list("invoice__customer_id", "c")}


# --- write paths ------------------------------------------------------------------------------------------------

def test_posting_adds_goods_invoices_to_their_month_and_leaves_interest_out(world):
    east, north = world.east_customer.pk, world.north_customer.pk
    post(world, "I1", "100.00", day(2026, 3, 1))
    post(world, "I2", None, day(2026, 3, 31), lines=[
        {"description": "泵", "quantity": "2", "unit_price": "50.00", "cost": "60.00"},
        {"description": "阀", "quantity": "1", "unit_price": "30.50", "cost": "12.25"}])
    post(world, "I3", "7.00", day(2026, 4, 1))
    post(world, "I4", "999.00", day(2026, 3, 15), kind=Invoice.Kind.INTEREST)
    post(world, "I5", "40.00", day(2026, 3, 2), customer=world.north_customer)
    assert rows() == {(east, "2026-03"): (D("230.50"), D("72.25"), 2), (east, "2026-04"): (D("7.00"), D("0.00"), 1),
                      (north, "2026-03"): (D("40.00"), D("0.00"), 1)}
    assert queries.month_sales_drift() == []


def test_a_refused_invoice_leaves_the_summary_alone(world):
    post(world, "I1", "100.00", day(2026, 3, 1))
    with pytest.raises(Exception):  # noqa: B017 - the number is taken: ValidationError, nothing posted
        post(world, "I1", "50.00", day(2026, 3, 2))
    assert rows() == {(world.east_customer.pk, "2026-03"): (D("100.00"), D("0.00"), 1)}


@pytest.mark.django_db
def test_import_posts_through_the_services_and_keeps_the_summary(world):
    from credo.customers.models import Customer

    Customer.objects.create(code="X001", name="杭州西湖贸易有限公司")
    report = run_import(world.finance, invoice_rows(), "invoices")
    assert report.imported == 3
    assert rows() == {(world.east_customer.pk, "2026-01"): (D("1630.00"), D("0.00"), 2),
                      (world.north_customer.pk, "2026-01"): (D("2000.50"), D("0.00"), 1)}
    assert queries.month_sales_drift() == []


def test_merge_moves_the_sources_months_to_the_target(world):
    from credo.customers.services import merge_customers

    target, source = world.east_customer, world.east2_customer
    post(world, "A1", "100.00", day(2026, 3, 5))
    post(world, "B1", None, day(2026, 3, 20), customer=source,
         lines=[{"description": "x", "quantity": "1", "unit_price": "300.00", "cost": "120.00"}])
    post(world, "B2", "50.00", day(2026, 5, 1), customer=source)
    merge_customers(world.manager_east, target, source, reason="同一家")
    assert rows() == {(target.pk, "2026-03"): (D("400.00"), D("120.00"), 2),
                      (target.pk, "2026-05"): (D("50.00"), D("0.00"), 1)}
    assert queries.month_sales_drift() == []
    post(world, "A2", "1.00", day(2026, 5, 31))  # posting after the merge adds to the merged row
    assert rows()[(target.pk, "2026-05")] == (D("51.00"), D("0.00"), 2)


def test_the_demo_loader_writes_the_summary_of_what_it_loads(db):
    from tests.sales.test_demo_ledger import _load

    result = _load(n=80, seed=5)
    assert result.invoices > 100
    kept = CustomerMonthSales.objects.aggregate(s=Sum("sales"), n=Sum("invoices"))
    assert kept["n"] == Invoice.objects.filter(kind=Invoice.Kind.GOODS).count() == result.invoices
    assert kept["s"] == Invoice.objects.aggregate(s=Sum("amount"))["s"]
    assert queries.month_sales_drift() == []


# --- rebuild and reconcile ----------------------------------------------------------------------------------

@pytest.fixture
def posted(world):
    post(world, "I1", "100.00", day(2026, 1, 31))
    post(world, "I2", None, day(2026, 2, 1),
         lines=[{"description": "x", "quantity": "3", "unit_price": "10.00", "cost": "4.10"}])
    post(world, "I3", "5.55", day(2026, 2, 28), customer=world.north_customer)
    return world


def test_rebuild_gives_the_same_rows_as_the_postings(posted):
    kept = rows()
    CustomerMonthSales.objects.all().delete()
    assert services.rebuild_month_sales() == 3
    assert rows() == kept
    # some customers only: the others' rows are not touched
    CustomerMonthSales.objects.filter(customer=posted.east_customer).update(sales=D("1"))
    CustomerMonthSales.objects.filter(customer=posted.north_customer).update(sales=D("2"))
    services.rebuild_month_sales([posted.east_customer.pk])
    assert {k: v for k, v in rows().items() if k[0] == posted.east_customer.pk} == {
        k: v for k, v in kept.items() if k[0] == posted.east_customer.pk}
    assert rows()[(posted.north_customer.pk, "2026-02")][0] == D("2.00")


@pytest.mark.parametrize("tamper, field", [
    (lambda w: CustomerMonthSales.objects.filter(month=day(2026, 1, 1)).update(sales=D("100.01")), "2026-01 sales"),
    (lambda w: CustomerMonthSales.objects.filter(customer=w.east_customer, month=day(2026, 2, 1)).update(
        cost=D("0")), "2026-02 cost"),
    (lambda w: CustomerMonthSales.objects.filter(month=day(2026, 1, 1)).update(invoices=2), "2026-01 invoices"),
    (lambda w: CustomerMonthSales.objects.filter(customer=w.north_customer).delete(), "2026-02 sales"),
    (lambda w: CustomerMonthSales.objects.create(customer=w.east2_customer, month=day(2026, 6, 1), sales=D("9"),
                                                 invoices=1), "2026-06 sales"),
])
def test_reconcile_flags_a_tampered_month_and_rebuild_repairs_it(posted, capsys, tamper, field):
    call_command("ledger", "reconcile")
    assert "no differences" in capsys.readouterr().out
    tamper(posted)
    drift = queries.month_sales_drift()
    assert drift and all(d.kind == "month_sales" for d in drift) and field in {d.field for d in drift}
    with pytest.raises(CommandError) as exc:
        call_command("ledger", "reconcile")
    assert exc.value.returncode == 1 and f"month_sales {drift[0].key} {drift[0].field}" in capsys.readouterr().out
    call_command("ledger", "rebuild-month-sales", stdout=io.StringIO())
    assert queries.month_sales_drift() == []


# --- exact reads for any period ------------------------------------------------------------------------------

EDGE_DAYS = [day(2025, 12, 31), day(2026, 1, 1), day(2026, 1, 15), day(2026, 1, 31), day(2026, 2, 1),
             day(2026, 2, 14), day(2026, 2, 28), day(2026, 3, 1), day(2026, 3, 17), day(2026, 3, 31), day(2026, 4, 1)]


@pytest.fixture
def spread(world):
    """Goods invoices of both customers on every day around the month ends (amounts distinct per day and
    customer), lines with cost on some, penalty interest that must be left out."""
    for i, on in enumerate(EDGE_DAYS):
        post(world, f"E{i}", None, on, lines=[
            {"description": "x", "quantity": "1", "unit_price": f"{2 ** i}.00", "cost": f"{i}.50"}])
        post(world, f"N{i}", f"{3 * (i + 1)}.01", on, customer=world.north_customer)
        post(world, f"P{i}", "1000.00", on, kind=Invoice.Kind.INTEREST)
    return world


@pytest.mark.parametrize("period_from, period_to", [
    (day(2026, 1, 1), day(2026, 3, 31)),  # whole months only
    (day(2026, 1, 15), day(2026, 3, 17)),  # mid-month at both ends
    (day(2026, 1, 2), day(2026, 3, 31)),  # mid-month start, month-end end
    (day(2026, 1, 1), day(2026, 3, 30)),  # month start, one day short of the end
    (day(2026, 1, 31), day(2026, 2, 1)),  # two days across a month boundary, no full month
    (day(2026, 2, 14), day(2026, 2, 14)),  # one day
    (day(2026, 2, 1), day(2026, 2, 28)),  # exactly one (short) month
    (day(2026, 2, 2), day(2026, 2, 27)),  # inside one month
    (day(2025, 12, 31), day(2026, 4, 1)),  # a day either side of three full months
    (day(2025, 6, 1), day(2025, 12, 30)),  # nothing in the period
    (day(2026, 3, 1), day(2026, 2, 1)),  # reversed: nothing
])
def test_period_reads_are_exact_at_the_edges(spread, period_from, period_to):
    want_sales, want_cost = raw_sales(period_from, period_to), raw_cost(period_from, period_to)
    assert queries.goods_sales_by_customer(period_from, period_to) == want_sales
    assert queries.goods_sales_and_cost_by_customer(period_from, period_to) == {
        cid: (s, want_cost.get(cid, D("0.00"))) for cid, s in want_sales.items()}
    bought = set(Invoice.objects.filter(kind=Invoice.Kind.GOODS, invoice_date__lte=period_to)
                 .values_list("customer_id", flat=True))
    assert queries.customers_with_goods_up_to(period_to) == bought
    cents, never = queries.active_goods_cents(period_from, period_to)
    assert {cid: c for cid, c in cents.items() if c} == {cid: int(s * 100) for cid, s in want_sales.items() if s}
    assert never == set(cents) - bought


@pytest.mark.parametrize("period_from, period_to, never", [
    # only bought on 10 January: never bought when the period ends before, bought when it starts after
    (day(2026, 1, 1), day(2026, 1, 9), {"E001", "E002", "N001"}),
    (day(2026, 1, 1), day(2026, 1, 10), {"E002"}),
    (day(2026, 1, 11), day(2026, 3, 31), {"E002"}),
    (day(2026, 2, 1), day(2026, 2, 27), {"E002"}),  # bought before the month (the summary)
    (day(2026, 1, 20), day(2026, 2, 27), {"E002"}),  # bought earlier in the start month (the invoices)
])
def test_period_sales_never_bought_is_exact_for_mid_month_periods(world, period_from, period_to, never):
    post(world, "A", "10.00", day(2026, 1, 10))
    post(world, "B", "20.00", day(2026, 1, 10), customer=world.north_customer)
    post(world, "C", "30.00", day(2026, 2, 28), customer=world.east2_customer, kind=Invoice.Kind.INTEREST)
    sales, never_bought = class_queries.period_sales(period_from, period_to)
    codes = {c.pk: c.code for c in (world.east_customer, world.east2_customer, world.north_customer)}
    assert {codes[cid] for cid in never_bought if cid in codes} == never
    cents, never_in_cents = class_queries.period_cents(period_from, period_to)
    assert never_in_cents == never_bought and cents == {cid: int(v * 100) for cid, v in sales.items()}
    assert sales[world.east_customer.pk] == (D("10.00") if period_from <= day(2026, 1, 10) <= period_to else 0)


START = day(2025, 11, 1)
# Day offsets from START, drawn near the month ends (the last day, the first, the second) half of the time.
MONTH_EDGES = sorted({(m - START).days + k for m in (day(2025, 11, 1), day(2025, 12, 1), day(2026, 1, 1),
                                                      day(2026, 2, 1), day(2026, 3, 1), day(2026, 4, 1),
                                                      day(2026, 5, 1)) for k in (-1, 0, 1)} - {-1})
offsets = st.one_of(st.integers(0, 200), st.sampled_from(MONTH_EDGES))
invoice_strategy = st.tuples(st.integers(0, 2), offsets, st.integers(1, 500_000),
                             st.booleans(), st.integers(0, 3), st.integers(0, 9_999))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(invoices=st.lists(invoice_strategy, max_size=25),
       periods=st.lists(st.tuples(offsets, offsets), min_size=1, max_size=6))
def test_summary_based_sums_equal_raw_sums(world, invoices, periods):
    """Random invoices (days, cents, kinds, 0–3 lines with cost) kept by add_month_sales (post_invoice's path),
    random periods: the summary-based reads equal the sums over the invoices, and the kept rows equal a rebuild."""
    customers = [world.east_customer, world.east2_customer, world.north_customer]
    with transaction.atomic():
        for n, (who, offset, cents, goods, line_count, cost_cents) in enumerate(invoices):
            on = START + datetime.timedelta(days=offset)
            amount = D(cents) / 100
            kind = Invoice.Kind.GOODS if goods else Invoice.Kind.INTEREST
            inv = Invoice.objects.create(customer=customers[who], number=f"H{n}", invoice_date=on, due_date=on,
                                         amount=amount, open_amount=amount, kind=kind)
            costs = [D(cost_cents + k) / 100 for k in range(line_count)]
            InvoiceLine.objects.bulk_create([InvoiceLine(invoice=inv, customer=customers[who], quantity=1,
                                                         unit_price=0, amount=0, cost=c) for c in costs])
            if goods:
                services.add_month_sales(customers[who].pk, on, amount, sum(costs, D(0)))
        for a, b in periods:
            period_from, period_to = START + datetime.timedelta(days=a), START + datetime.timedelta(days=b)
            want_sales, want_cost = raw_sales(period_from, period_to), raw_cost(period_from, period_to)
            assert queries.goods_sales_by_customer(period_from, period_to) == want_sales
            assert queries.goods_sales_and_cost_by_customer(period_from, period_to) == {
                cid: (s, want_cost.get(cid, D("0.00"))) for cid, s in want_sales.items()}
            bought = set(Invoice.objects.filter(kind=Invoice.Kind.GOODS, invoice_date__lte=period_to)
                         .values_list("customer_id", flat=True))
            assert queries.customers_with_goods_up_to(period_to) == bought
            cents, never = queries.active_goods_cents(period_from, period_to)
            assert {c: v for c, v in cents.items() if v} == {c: int(v * 100) for c, v in want_sales.items() if v}
            assert never == set(cents) - bought
        assert queries.month_sales_drift() == []
        transaction.set_rollback(True)


# --- concurrency (PostgreSQL) -----------------------------------------------------------------------------------

@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_concurrent_postings_and_a_rebuild_keep_the_summary_exact(transactional_db):
    world = World()
    customers = [world.east_customer, world.north_customer]
    errors, barrier = [], threading.Barrier(9)

    def work(n):
        try:
            barrier.wait()
            if n == 8:
                for _ in range(3):
                    services.rebuild_month_sales()
                return
            for i in range(6):  # every thread's first invoice of the month races for the row
                services.post_invoice(world.finance, customers[(n + i) % 2], number=f"T{n}-{i}",
                                      invoice_date=day(2026, 3, 1 + i), amount="10.00")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert queries.month_sales_drift() == []
    assert {k: v[0] for k, v in rows().items()} == {(c.pk, "2026-03"): D("240.00") for c in customers}


def test_large_sums_come_back_in_exact_cents(world):
    """SQLite sums decimals as floats: a sum of large amounts must still come back as exact cents."""
    amounts = [D("80849955.49"), D("99999999.99"), D("12345678.91"), D("0.07"), D("33333333.33")]
    for i, amount in enumerate(amounts):
        post(world, f"L{i}", amount, day(2026, 3, 1 + i))
        post(world, f"M{i}", amount, day(2026, 4, 10 + i))
    want = sum(amounts, D(0)) * 2
    got = queries.goods_sales_by_customer(day(2026, 3, 1), day(2026, 4, 30))[world.east_customer.pk]
    assert got == want and got.as_tuple().exponent == -2
    part = queries.goods_sales_by_customer(day(2026, 3, 2), day(2026, 4, 11))[world.east_customer.pk]
    assert part == want - amounts[0] - sum(amounts[2:], D(0)) and part.as_tuple().exponent == -2
    assert queries.active_goods_cents(day(2026, 3, 2), day(2026, 4, 11))[0][world.east_customer.pk] == part * 100
