"""Campaign services: transitions, permissions, distribution by filters, links (single use, expiry, the token
never stored), anonymity, staff entry; bad input changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from credo.core.errors import ValidationError
from credo.core.models import AuditEntry
from credo.servqual import campaign_services as services
from credo.servqual.models import Campaign, Response, ResponseItem, SurveyLink

from .campaign_helpers import campaign, contacts, tokens

pytestmark = pytest.mark.django_db


def test_the_workflow_goes_forward_one_step_at_a_time_and_is_audited(world):
    made = campaign(world, status="draft")
    assert made.status == "draft" and made.version.builtin
    with pytest.raises(ValidationError) as exc:
        services.transition(world.service, made, "closed")
    assert "status" in exc.value.message_dict
    for to in ("open", "closed", "analysed"):
        made = services.transition(world.admin, made, to)
    assert made.status == "analysed" and made.opened_at and made.closed_at and made.analysed_at
    assert list(AuditEntry.objects.filter(action="sq.status").order_by("pk").values_list("after", flat=True)) == [
        {"status": "open"}, {"status": "closed"}, {"status": "analysed"}]
    with pytest.raises(ValidationError):
        services.transition(world.admin, made, "open")


@pytest.mark.parametrize("who", ["sales_east", "credit", "finance", "executive"])
def test_only_service_agents_sales_managers_and_administrators_run_campaigns(world, who):
    with pytest.raises(PermissionDenied):
        services.create_campaign(getattr(world, who), name="x", period_start="2026-01-01", period_end="2026-01-31")
    assert not Campaign.objects.exists()
    services.create_campaign(world.manager_east, name="x", period_start="2026-01-01", period_end="2026-01-31")


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": "  "}, "name"), ({"period_start": "2026-02-01", "period_end": "2026-01-01"}, "period_end"),
    ({"period_start": "tomorrow"}, "period_start"), ({"link_days": 0}, "link_days"), ({"link_days": "x"}, "link_days"),
])
def test_bad_campaign_input_names_the_field_and_changes_nothing(world, changes, field):
    values = {"name": "Q1", "period_start": "2026-01-01", "period_end": "2026-01-31", "link_days": 14, **changes}
    with pytest.raises(ValidationError) as exc:
        services.create_campaign(world.service, **values)
    assert field in exc.value.message_dict
    assert not Campaign.objects.exists() and not AuditEntry.objects.filter(action="sq.camp").exists()


def test_only_the_name_changes_once_open(world):
    made = campaign(world)
    services.update_campaign(world.service, made, name="改名")
    with pytest.raises(ValidationError):
        services.update_campaign(world.service, made, link_days=3)
    made.refresh_from_db()
    assert made.name == "改名" and made.link_days == 14


def test_distribution_by_territory_and_manager_in_scope(world):
    people = contacts(world)
    made = campaign(world)
    issued = services.distribute(world.service, made, {"territory": world.territory.pk})
    assert sorted(tokens(issued)) == sorted([people["east_a"].pk, people["east_b"].pk])
    issued = services.distribute(world.service, made, {"manager": world.sales_north.pk})
    assert list(tokens(issued)) == [people["north"].pk]
    # a sales manager reaches only the customers of the team
    issued = services.distribute(world.manager_east, made)
    assert list(tokens(issued)) == [people["east2"].pk]       # E001's contacts have links already
    assert SurveyLink.objects.filter(campaign=made).count() == 4
    with pytest.raises(ValidationError) as exc:
        services.distribute(world.service, made, {"territory": "abc"})
    assert "territory" in exc.value.message_dict


def test_the_token_is_not_stored_and_renewing_replaces_it(world):
    people = contacts(world)
    made = campaign(world)
    token = tokens(services.distribute(world.service, made, {"customer": world.east_customer.pk}))[people["east_a"].pk]
    link = SurveyLink.objects.get(contact=people["east_a"])
    assert token not in link.token_hash and link.token_hash == services.token_hash(token) and len(token) >= 32
    renewed = tokens(services.distribute(world.service, made, {"customer": world.east_customer.pk}, renew=True))
    assert services.find_link(token) is None and services.find_link(renewed[people["east_a"].pk]).pk == link.pk


def _scores(**pairs):
    return {key: pair for key, pair in pairs.items()}


def test_a_link_is_used_once_and_keeps_the_contact_when_not_anonymous(world):
    people = contacts(world)
    made = campaign(world)
    token = tokens(services.distribute(world.service, made, {"customer": world.east_customer.pk}))[people["east_a"].pk]
    response = services.answer_by_token(token, _scores(T1=(6, 4), R1=("7", "5"), A1=(None, 3)))
    assert response.contact == people["east_a"] and response.customer == world.east_customer
    assert sorted(ResponseItem.objects.values_list("item__key", "expectation", "perception")) == [
        ("A1", None, 3), ("R1", 7, 5), ("T1", 6, 4)]
    with pytest.raises(services.LinkUnusable) as exc:
        services.answer_by_token(token, _scores(T1=(1, 1)))
    assert exc.value.reason == "used" and Response.objects.count() == 1


def test_an_expired_link_or_a_closed_campaign_takes_no_answer(world, clock):
    clock.set("2026-03-02T10:00+08:00")
    people = contacts(world)
    made = campaign(world, days=3)
    token = tokens(services.distribute(world.service, made))[people["north"].pk]
    clock.set("2026-03-05T10:01+08:00")
    with pytest.raises(services.LinkUnusable) as exc:
        services.answer_by_token(token, _scores(T1=(5, 5)))
    assert exc.value.reason == "expired"
    other = tokens(services.distribute(world.service, made, renew=True))[people["north"].pk]
    services.transition(world.service, made, "closed")
    with pytest.raises(services.LinkUnusable) as exc:
        services.answer_by_token(other, _scores(T1=(5, 5)))
    assert exc.value.reason == "closed" and not Response.objects.exists()
    with pytest.raises(services.LinkUnusable):
        services.answer_by_token("not-a-token", _scores(T1=(5, 5)))


@pytest.mark.parametrize("scores", [{}, {"T1": (None, None)}, {"X9": (5, 5)}, {"T1": (8, 5)}, {"T1": (0, 5)},
                                    {"T1": ("a", 5)}, {"T1": 5}])
def test_a_bad_answer_changes_nothing(world, scores):
    people = contacts(world)
    made = campaign(world)
    token = tokens(services.distribute(world.service, made))[people["north"].pk]
    with pytest.raises(ValidationError) as exc:
        services.answer_by_token(token, scores)
    assert "scores" in exc.value.message_dict
    assert not Response.objects.exists() and SurveyLink.objects.get(contact=people["north"]).used_at is None


def test_an_anonymous_answer_keeps_the_customer_but_not_the_person(world, clock):
    clock.set("2026-03-02T10:17:23+08:00")
    people = contacts(world)
    made = campaign(world, anonymous=True)
    token = tokens(services.distribute(world.service, made))[people["east_a"].pk]
    response = services.answer_by_token(token, _scores(T1=(6, 4)))
    response.refresh_from_db()
    assert response.customer == world.east_customer and response.contact is None and response.link is None
    link = SurveyLink.objects.get(contact=people["east_a"])
    assert link.used_at.astimezone(clock.set("2026-03-02T10:17:23+08:00").tzinfo).time() == datetime.time(0, 0)
    entry = AuditEntry.objects.get(action="sq.answer")
    assert entry.after == {"channel": "link", "items": 1}


def test_staff_enter_paper_answers_for_customers_in_their_scope(world):
    made = campaign(world)
    response = services.enter_answer(world.manager_east, made, customer=world.east_customer, channel="phone",
                                     scores=_scores(E1=(5, 6)))
    assert response.channel == "phone" and response.link is None
    assert AuditEntry.objects.filter(action="sq.enter", customer_id=world.east_customer.pk).exists()
    with pytest.raises(ValidationError) as exc:
        services.enter_answer(world.manager_east, made, customer=world.north_customer, scores=_scores(E1=(5, 6)))
    assert "customer" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.enter_answer(world.service, made, customer=world.north_customer, channel="link",
                              scores=_scores(E1=(5, 6)))
    assert "channel" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.enter_answer(world.sales_east, made, customer=world.east_customer, scores=_scores(E1=(5, 6)))
    services.transition(world.service, made, "closed")
    with pytest.raises(ValidationError):
        services.enter_answer(world.service, made, customer=world.east_customer, scores=_scores(E1=(5, 6)))
    assert Response.objects.count() == 1
