"""Senior-rank rows of the visit policy (水平追踪): business manager, marketing director, GM/VP — who gets them,
in which months, skipped after a recent contact of the rank, no duplicates on regenerating."""

import datetime
import io

import pytest
from django.core.management import call_command

from credo.core.roles import Role
from credo.visits import rules
from credo.visits.models import RankHolder, Status, Visit
from credo.visits.planning import generate_plan
from tests.factories import CustomerFactory, make_user

YEAR = [datetime.date(2027, m, 1) for m in range(1, 13)]


def slot_months(customer, interval):
    return [m for m in YEAR if rules.interval_due(interval, m, customer.pk)]


@pytest.fixture
def key_world(world):
    """E001 (sales_east, team east) and N001 (sales_north, team north) are class A (key)."""
    for c in (world.east_customer, world.north_customer):
        c.importance = "key"
        c.save(update_fields=["importance"])
    return world


def senior_rows(**filters):
    return Visit.objects.filter(rank__in=rules.LEVEL_RANKS, **filters)


def test_executive_gets_the_annual_gm_visit_in_the_customers_slot_month_only(key_world):
    w = key_world
    for month in YEAR:
        generate_plan(month)
    gm = senior_rows(customer=w.east_customer, person=w.executive)
    assert list(gm.values_list("plan_month", "rank", "kind", "sequence")) == [
        (slot_months(w.east_customer, 12)[0], "executive", "visit", 61)]
    assert gm.get().is_level_follow_up
    # class C customers get no GM visit; the business manager visits class A monthly
    assert not senior_rows(customer=w.east2_customer).exists()
    assert senior_rows(customer=w.east_customer, person=w.manager_east, rank="sales_manager").count() == 12


def test_marketing_director_is_marked_by_a_rank_row_and_plans_all_customers_of_the_class(key_world):
    w = key_world
    RankHolder.objects.create(user=w.credit, rank=RankHolder.Rank.MARKETING_DIRECTOR)
    for month in YEAR:
        generate_plan(month)
    for customer in (w.east_customer, w.north_customer):
        md = senior_rows(customer=customer, rank="marketing_director")
        assert set(md.values_list("person", flat=True)) == {w.credit.pk}
        assert sorted(md.values_list("plan_month", flat=True)) == slot_months(customer, 6)  # twice a year
        assert len(slot_months(customer, 6)) == 2


def test_a_holder_plans_only_customers_they_may_see(key_world):
    w = key_world
    RankHolder.objects.create(user=w.manager_north, rank=RankHolder.Rank.MARKETING_DIRECTOR)
    for month in YEAR[:6]:
        generate_plan(month)
    md = senior_rows(rank="marketing_director")
    assert set(md.values_list("customer", flat=True)) == {w.north_customer.pk}


def test_several_executives_share_the_customers_one_visit_each(key_world):
    w = key_world
    second = make_user("vp", Role.EXECUTIVE)
    extra = [CustomerFactory(account_manager=w.sales_east, importance="key") for _ in range(4)]
    for month in YEAR:
        generate_plan(month)
    customers = [w.east_customer, w.north_customer, *extra]
    for c in customers:
        assert senior_rows(customer=c, rank="executive").count() == 1
    persons = set(senior_rows(rank="executive").values_list("person", flat=True))
    assert persons == {w.executive.pk, second.pk}


def test_rank_rows_name_the_gm_when_listed_instead_of_every_executive(key_world):
    gm = make_user("gm", Role.CREDIT_CONTROLLER)  # a GM holding another role that sees every customer
    RankHolder.objects.create(user=gm, rank=RankHolder.Rank.EXECUTIVE)
    for month in YEAR:
        generate_plan(month)
    assert set(senior_rows(rank="executive").values_list("person", flat=True)) == {gm.pk}


@pytest.mark.parametrize("months_before, planned", [(None, 1), (0, 0), (5, 0), (11, 0), (12, 1)])
def test_annual_visit_skipped_when_a_gm_visit_was_done_within_the_year(key_world, months_before, planned):
    w = key_world
    slot = slot_months(w.east_customer, 12)[0]
    if months_before is not None:
        done_on = rules.add_months(slot, -months_before).replace(day=2)
        Visit.objects.create(customer=w.east_customer, person=w.executive, kind="visit", rank="executive",
                             status=Status.DONE, done_date=done_on)
    generate_plan(slot)
    assert senior_rows(customer=w.east_customer, rank="executive", status=Status.PLANNED).count() == planned


def test_a_visit_of_another_rank_does_not_replace_the_gm_visit(key_world):
    w = key_world
    slot = slot_months(w.east_customer, 12)[0]
    Visit.objects.create(customer=w.east_customer, person=w.manager_east, kind="visit", rank="sales_manager",
                         status=Status.DONE, done_date=slot.replace(day=2))
    generate_plan(slot)
    assert senior_rows(customer=w.east_customer, rank="executive").count() == 1


def test_class_b_business_manager_every_other_month(world, monkeypatch):
    from credo.visits import planning

    monkeypatch.setattr(planning, "classes_for", lambda ids, importance=None: {pk: "B" for pk in ids})
    for month in YEAR:
        generate_plan(month)
    rows = senior_rows(customer=world.east_customer, person=world.manager_east)
    assert sorted(rows.values_list("plan_month", flat=True)) == slot_months(world.east_customer, 2)
    assert rows.count() == 6
    assert not senior_rows(rank="executive").exists()  # B: GM/VP "when necessary", nothing scheduled


def test_regenerating_senior_rows_does_not_duplicate(key_world):
    w = key_world
    RankHolder.objects.create(user=w.credit, rank=RankHolder.Rank.MARKETING_DIRECTOR)
    slot = slot_months(w.east_customer, 12)[0]
    first = generate_plan(slot)
    count = Visit.objects.count()
    again = generate_plan(slot)
    assert again.created == 0 and again.removed == 0 and Visit.objects.count() == count
    assert first.level_follow_ups == again.level_follow_ups >= 2  # business manager + GM at least


def test_done_planned_gm_visit_is_kept_and_not_planned_again(key_world):
    w = key_world
    slot = slot_months(w.east_customer, 12)[0]
    generate_plan(slot)
    gm = senior_rows(customer=w.east_customer, rank="executive").get()
    Visit.objects.filter(pk=gm.pk).update(status=Status.DONE, done_date=slot.replace(day=3))
    generate_plan(slot)
    assert senior_rows(customer=w.east_customer, rank="executive").count() == 1
    generate_plan(rules.add_months(slot, 12))  # a year later: due again
    assert senior_rows(customer=w.east_customer, rank="executive").count() == 2


def test_command_reports_level_follow_ups(key_world):
    out = io.StringIO()
    call_command("visits", "plan", "--month", "2027-01", stdout=out, stderr=io.StringIO())
    assert "level follow-ups" in out.getvalue()
