import datetime
import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from credo.core.models import AuditEntry
from credo.visits.models import Purpose, Status, Visit, VisitPolicy
from credo.visits.planning import generate_plan

from .conftest import MONTH, gm_due


def run(*args):
    out = io.StringIO()
    call_command("visits", "plan", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_policy_defaults_are_seeded(db):
    row = VisitPolicy.objects.get(customer_class="A", role="salesperson", kind="visit")
    assert (row.minimum_per_month, row.target_per_month) == (D("3"), D("3"))
    assert VisitPolicy.objects.get(customer_class="B", role="sales_manager", kind="visit").target_per_month == D("0.5")
    assert not VisitPolicy.objects.filter(customer_class="D").exists()


def test_plan_counts_per_class_and_person(planned_world):
    w = planned_world
    result = generate_plan(MONTH)
    # A: 3 visits + 3 calls by sales_east, 1 visit by manager_east (+ the executive's annual visit when December
    # is E001's slot); C: 1 + 1 each for E002 and N001.
    gm = gm_due(w.east_customer)
    assert (result.visits, result.calls, result.collection_visits) == (6 + gm, 5, 2)
    assert result.by_class == {"A": 7 + gm, "C": 6} and result.level_follow_ups == 1 + gm
    e001 = Visit.objects.filter(customer=w.east_customer)
    assert e001.filter(person=w.sales_east, kind="visit").count() == 3
    assert e001.filter(person=w.sales_east, kind="call").count() == 3
    assert e001.filter(person=w.manager_east).count() == 1
    dates = sorted(e001.filter(person=w.sales_east, kind="visit").values_list("planned_date", flat=True))
    assert len(set(dates)) == 3 and all(d.month == 12 and d.weekday() < 5 for d in dates)
    assert Visit.objects.filter(plan_month=MONTH).exclude(route_order__isnull=True, kind="call").filter(
        kind="visit", route_order__isnull=True).count() == 0


def test_collection_visits_on_the_due_date_and_for_live_cases(planned_world):
    w = planned_world
    generate_plan(MONTH)
    north = Visit.objects.get(customer=w.north_customer, purpose=Purpose.COLLECTION)
    assert north.planned_date == datetime.date(2026, 12, 10) and north.person == w.sales_north
    east2 = Visit.objects.get(customer=w.east2_customer, purpose=Purpose.COLLECTION)
    assert east2.planned_date == datetime.date(2026, 12, 1) and east2.person == w.sales_east2
    assert not Visit.objects.filter(customer=w.east_customer, purpose=Purpose.COLLECTION).exists()


def test_regenerating_does_not_duplicate_and_keeps_recorded_rows(planned_world):
    w = planned_world
    generate_plan(MONTH)
    count = Visit.objects.count()
    first = Visit.objects.filter(customer=w.east_customer, person=w.sales_east, kind="visit").order_by("sequence")[0]
    Visit.objects.filter(pk=first.pk).update(status=Status.DONE, done_date=first.planned_date)
    again = generate_plan(MONTH)
    assert Visit.objects.count() == count and again.created == 0 and again.kept_recorded == 1
    # E001 drops to class C: the extra planned rows go, the done one stays.
    w.east_customer.importance = "general"
    w.east_customer.save(update_fields=["importance"])
    third = generate_plan(MONTH)
    assert third.removed == 5 + gm_due(w.east_customer)  # visits 2 and 3, calls 2 and 3, the manager's (and GM's)
    assert Visit.objects.filter(pk=first.pk, status=Status.DONE).exists()


def test_every_planned_visit_has_a_stop_on_its_day_route(world):
    w = world
    w.east_customer.importance = "key"
    w.east_customer.latitude, w.east_customer.longitude = D("31.2"), D("121.4")
    w.east_customer.save()
    generate_plan(MONTH)
    visits = Visit.objects.filter(person=w.sales_east, kind="visit")
    assert all(v.route_order == 1 for v in visits)


def test_command_json_text_and_audit(planned_world):
    gm = gm_due(planned_world.east_customer)
    data = json.loads(run("--month", "2026-12", "--format", "json"))
    assert data["month"] == "2026-12" and data["visits"] == 6 + gm and data["created"] == 13 + gm
    text = run("--month", "2026-12", "--user", "manager_east")
    assert "visit plan 2026-12" in text and "created 0" in text and f"unchanged {13 + gm}" in text
    assert AuditEntry.objects.filter(object_type="visits.plan", object_id="2026-12").count() == 2


def test_command_person_limits_the_plan(planned_world):
    data = json.loads(run("--month", "2026-12", "--format", "json", "--person", "sales_north"))
    assert data["customers"] == 1 and data["visits"] == 1 and data["collection_visits"] == 1


@pytest.mark.parametrize("args, option", [
    ([], "--month"),
    (["--month", "2026-13"], "--month"),
    (["--month", "2026-12", "--format", "xml"], "--format"),
    (["--month", "2026-12", "--user", "sales_east"], "--user"),
    (["--month", "2026-12", "--user", "nobody"], "--user"),
    (["--month", "2026-12", "--person", "nobody"], "--person"),
])
def test_bad_options_exit_2_naming_the_option(world, args, option):
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert exc.value.returncode == 2 and option in str(exc.value)
    assert not Visit.objects.exists()
