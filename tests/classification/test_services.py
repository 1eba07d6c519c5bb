"""Snapshots from the ledger, overrides, movement, history, the risk provider."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credo.classification import queries, services
from credo.classification.models import ClassResult
from credo.core.errors import PermissionDenied, ValidationError
from credo.core.models import AuditEntry
from credo.risk.sources import SALES_CLASS_PROVIDERS
from credo.sales.models import Invoice

from .conftest import DAY, add_invoices

FROM, TO = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)


def classes(run):
    return dict(ClassResult.objects.filter(run=run).values_list("customer__code", "klass"))


def test_spec_11_pyramid_from_the_ledger(world, two_hundred):
    run = services.compute_snapshot(world.manager_east, "pyramid", FROM, TO)
    assert run.totals == {"A": 2, "B": 8, "C": 30, "D": 160}
    assert run.customer_count == 200 and run.total_sales == sum(Decimal(1000 + i) for i in range(200))
    top = ClassResult.objects.get(run=run, rank=1)
    assert top.klass == "A" and top.sales == Decimal(1199)
    assert sum(r.share for r in ClassResult.objects.filter(run=run)) == pytest.approx(Decimal(1), abs=Decimal("1e-5"))
    assert AuditEntry.objects.filter(object_type="classification.classificationrun").count() == 1


def test_only_goods_in_the_period_count_and_never_bought_is_potential(world):
    add_invoices([(world.east_customer, 100, DAY), (world.east2_customer, 500, datetime.date(2025, 1, 1))])
    add_invoices([(world.north_customer, 9000, DAY)], kind=Invoice.Kind.INTEREST, prefix="INT")
    add_invoices([(world.east2_customer, 9000, datetime.date(2026, 7, 1))], prefix="LATE")
    run = services.compute_snapshot(None, "pyramid", FROM, TO)
    rows = {r.customer.code: r for r in ClassResult.objects.filter(run=run).select_related("customer")}
    assert rows["E001"].klass == "A" and rows["E001"].sales == 100
    assert rows["E002"].klass == "D" and not rows["E002"].never_bought and rows["E002"].sales == 0
    assert rows["N001"].klass == "D" and rows["N001"].never_bought


@pytest.mark.parametrize("period, summary_reads, day_reads", [
    # whole months: one grouped query over the month summary (+ who bought before), no invoice read
    ((FROM, TO), 2, 0),
    # mid-month ends: January 15–31 as January's rows less the invoices of its first 14 days, June 1–20 as June's
    # rows less its last 10 days, "bought before January 15" from the invoices of January 1–14
    ((datetime.date(2026, 1, 15), datetime.date(2026, 6, 20)), 4, 3),
])
def test_sales_are_read_from_the_month_summary_and_a_few_days_of_invoices(world, two_hundred, period, summary_reads,
                                                                           day_reads):
    with CaptureQueriesContext(connection) as ctx:
        queries.period_sales(*period)
    summary = [q["sql"] for q in ctx.captured_queries if "sales_customermonthsales" in q["sql"]]
    invoices = [q["sql"] for q in ctx.captured_queries if "sales_invoice" in q["sql"]]
    assert len(summary) == summary_reads and sum("GROUP BY" in sql for sql in summary) == 1
    # never a scan of all the invoices: each read is a grouped range of days
    assert len(invoices) == day_reads and all("GROUP BY" in sql and "BETWEEN" in sql for sql in invoices)


def test_abc_snapshot(world):
    add_invoices([(world.east_customer, 80, DAY), (world.east2_customer, 15, DAY), (world.north_customer, 5, DAY)])
    run = services.compute_snapshot(world.admin, "abc", FROM, TO)
    assert classes(run) == {"E001": "A", "E002": "B", "N001": "C"}
    assert run.totals == {"A": 1, "B": 1, "C": 1}


@pytest.mark.parametrize("kwargs, field", [
    ({"method": "xyz"}, "method"),
    ({"period_to": datetime.date(2025, 1, 1)}, "period_to"),
    ({"params": {"a_cutoff": "0"}}, "a_cutoff"),
])
def test_bad_input_names_the_field(world, kwargs, field):
    args = {"method": "abc", "period_from": FROM, "period_to": TO} | kwargs
    with pytest.raises(ValidationError) as exc:
        services.compute_snapshot(world.admin, args.pop("method"), args.pop("period_from"), args.pop("period_to"),
                                  **args)
    assert field in exc.value.message_dict


def test_salesperson_may_not_run(world):
    with pytest.raises(PermissionDenied):
        services.compute_snapshot(world.sales_east, "pyramid", FROM, TO)


def test_override_is_audited_and_honoured_in_movement_and_provider(world):
    add_invoices([(world.east_customer, 80, DAY), (world.east2_customer, 15, DAY), (world.north_customer, 5, DAY)])
    first = services.compute_snapshot(world.admin, "pyramid", FROM, TO)
    row = ClassResult.objects.get(run=first, customer=world.east2_customer)
    with pytest.raises(ValidationError) as exc:
        services.override_class(world.manager_east, row.pk, "B", "")
    assert "reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.override_class(world.manager_north, row.pk, "B", "out of scope")
    with pytest.raises(PermissionDenied):
        services.override_class(world.sales_east2, row.pk, "B", "no permission")
    row = services.override_class(world.manager_east, row.pk, "B", "strategic account")
    assert row.effective_class == "B" and row.klass == "D"
    assert AuditEntry.objects.filter(object_type="classification.classresult", reason="strategic account").exists()
    provider = SALES_CLASS_PROVIDERS[-1]
    from credo.risk.sources import sales_classes

    assert sales_classes([world.east2_customer.pk]) == {world.east2_customer.pk: "B"}
    assert provider([world.east_customer.pk, world.east2_customer.pk]) == {
        world.east_customer.pk: "A", world.east2_customer.pk: "B"}

    add_invoices([(world.north_customer, 500, DAY)], prefix="MORE")
    second = services.compute_snapshot(world.admin, "pyramid", FROM, TO)
    moved = {m["customer"].code: (m["before"], m["after"]) for m in queries.movement(world.admin, second)}
    assert moved == {"N001": ("D", "A"), "E001": ("A", "D"), "E002": ("B", "D")}
    assert [m["customer"].code for m in queries.movement(world.sales_east, second)] == ["E001"]
    history = list(queries.customer_history(world.sales_east, world.east_customer.pk))
    assert [h.run_id for h in history] == [second.pk, first.pk]
    assert list(queries.customer_history(world.sales_east, world.north_customer.pk)) == []


def test_policies_default_and_edit(world):
    from credo.classification.policies import policies

    assert set(policies()) == {"A", "B", "C", "D"}
    services.save_policy(world.manager_east, "D", "Phone only.")
    assert policies()["D"] == "Phone only."
    with pytest.raises(PermissionDenied):
        services.save_policy(world.sales_east, "D", "x")
