"""Clocks started, stopped, paused and resumed; targets edited with history; the scan warns and breaches once."""

import datetime
import json
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from credo.core.errors import PermissionDenied, ValidationError
from credo.core.models import AuditEntry, Notification
from credo.sla import registry, services
from credo.sla.models import Kind, SlaClock, SlaEscalation, SlaPolicy
from tests.factories import make_user

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture
def described(monkeypatch):
    monkeypatch.setattr(registry, "_kinds", dict(registry._kinds))   # the real kinds come back after the test
    registry.register("complaint", describe=lambda ids: {i: f"CP{i:06d}" for i in ids},
                      url=lambda i: f"/complaints/{i}/")


def start(world, subject=1, metric="resolution", severity="major", cls="", owner=None, when="2026-06-15 09:00",
          customer=None):
    return services.start(Kind.COMPLAINT, subject, metric, customer_id=(customer or world.east_customer).pk,
                          severity=severity, customer_class=cls, owner=owner or world.service, started_at=at(when))


def test_a_clock_takes_the_default_target_of_its_class(world):
    plain = start(world, subject=1)
    class_a = start(world, subject=2, cls="A")
    assert plain.target_hours == 45 and class_a.target_hours == 32
    assert plain.policy is None and plain.warn_percent == 75
    assert start(world, subject=1) == plain                    # already running: the same clock
    assert services.start(Kind.TICKET, 9, "step_3", customer_id=world.east_customer.pk, severity="major",
                          started_at=at("2026-06-15 09:00")) is None   # tickets have no step targets


def test_stopping_late_records_the_time_over_and_a_breach_without_a_scan(world):
    clock = start(world, metric="step_4", severity="critical")         # 2 business hours: due 11:00
    assert clock.due_at == at("2026-06-15 11:00")
    [stopped] = services.stop(Kind.COMPLAINT, 1, ["step_4"], at=at("2026-06-15 14:00"))
    assert stopped.over == datetime.timedelta(hours=1, minutes=30)        # 11–12 and 13:30–14:00
    assert SlaEscalation.objects.get(clock=clock).level == "breached"
    on_time = start(world, subject=2, metric="step_4", severity="critical")
    [kept] = services.stop(Kind.COMPLAINT, 2, at=at("2026-06-15 11:00"))
    assert kept.over == datetime.timedelta(0) and kept.breached_at is None
    assert start(world, subject=2, metric="step_4", severity="critical") != on_time   # a new run after a stop


def test_a_pause_stops_every_clock_of_the_subject_and_resuming_moves_the_dues(world):
    first = start(world, metric="first_response", severity="minor")     # 8 h: due 2026-06-16 09:30
    whole = start(world, metric="resolution", severity="minor")
    assert first.due_at == at("2026-06-16 09:30")
    services.pause(world.service, Kind.COMPLAINT, 1, customer_id=world.east_customer.pk,
                   reason="等客户提供批次号", at=at("2026-06-15 10:00"))
    first.refresh_from_db()
    assert first.paused and first.due_at is None and first.warn_at is None
    with pytest.raises(ValidationError) as caught:
        services.pause(world.service, Kind.COMPLAINT, 1, customer_id=world.east_customer.pk, reason="again")
    assert "reason" in caught.value.message_dict
    services.resume(world.service, Kind.COMPLAINT, 1, at=at("2026-06-15 14:00"))   # 2.5 business hours paused
    first.refresh_from_db()
    whole.refresh_from_db()
    assert not first.paused and first.due_at == at("2026-06-16 12:00")
    assert whole.due_at > whole.started_at
    assert AuditEntry.objects.filter(action__in=["sla.pause", "sla.resume"]).count() == 2
    with pytest.raises(ValidationError):
        services.resume(world.service, Kind.COMPLAINT, 1)


def test_a_pause_needs_a_reason(world):
    with pytest.raises(ValidationError) as caught:
        services.pause(world.service, Kind.COMPLAINT, 1, customer_id=world.east_customer.pk, reason="  ")
    assert list(caught.value.message_dict) == ["reason"]


def test_the_scan_warns_then_breaches_each_clock_once_and_tells_the_chain(world, described):
    world.service.profile.team = world.east          # the east manager leads the service agent's team
    world.service.profile.save()
    clock = start(world, metric="step_4", severity="critical", cls="A")   # 2 h from 09:00: warn 10:30, due 11:00
    quiet = services.scan(at("2026-06-15 10:00"))
    assert (quiet.warned, quiet.breached) == (0, 0)
    warned = services.scan(at("2026-06-15 10:30"))
    assert (warned.warned, warned.breached) == (1, 0)
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {"service", "manager_east"}
    assert services.scan(at("2026-06-15 10:45")).notifications == 0     # nothing new
    breached = services.scan(at("2026-06-15 14:30"))
    assert (breached.warned, breached.breached) == (0, 1)
    escalation = SlaEscalation.objects.get(clock=clock, level="breached")
    assert escalation.over == datetime.timedelta(hours=2)                # 11–12 and 13:30–14:30
    # class A: the account manager's manager (east) too; the service managers: east leads the agent's team
    assert set(escalation.notified) == {world.service.pk, world.manager_east.pk}
    assert services.scan(at("2026-06-15 16:00")).breached == 0
    note = Notification.objects.filter(title__contains="CP000001").order_by("-id").first()
    assert note.url == "/complaints/1/" and note.customer_id == world.east_customer.pk


def test_many_clocks_for_one_person_in_a_scan_make_one_digest(world, described):
    for subject in range(1, 13):                        # twelve complaints of the agent, due 11:00
        start(world, subject=subject, metric="step_4", severity="critical")
    start(world, subject=20, metric="step_4", severity="critical", owner=world.sales_east)
    result = services.scan(at("2026-06-15 14:30"))
    assert result.breached == 13
    digest = Notification.objects.get(user=world.service)            # the owner of twelve
    assert digest.title.startswith("12 ") and digest.url == "/sla/?kind=complaint"
    assert digest.body.count("·") == 10 and "CP000001" in digest.body and digest.body.splitlines()[-1].count("2")
    everything = Notification.objects.get(user=world.admin)          # no service team: the administrators
    assert everything.title.startswith("13 ") and everything.body.splitlines()[-1].count("3")
    single = Notification.objects.get(user=world.sales_east)   # few of their own: one notification each
    assert "CP000020" in single.title and single.url == "/complaints/20/"
    assert SlaEscalation.objects.filter(level="breached").count() == 13
    assert all(world.admin.pk in e.notified for e in SlaEscalation.objects.all())   # who was told, each clock


def test_a_clock_first_seen_past_due_breaches_without_a_separate_warning(world):
    start(world, metric="step_4", severity="critical")
    result = services.scan(at("2026-06-16 09:00"))
    assert (result.warned, result.breached) == (0, 1)
    assert services.scan(at("2026-06-16 09:00")).warned == 0


def test_breach_notifies_the_administrators_when_no_team_has_a_service_agent(world):
    start(world, metric="step_4", severity="critical")
    services.scan(at("2026-06-16 09:00"))
    assert set(SlaEscalation.objects.get().notified) == {world.service.pk, world.admin.pk}


def test_paused_and_stopped_clocks_are_not_scanned(world):
    start(world, subject=1, metric="step_4", severity="critical")
    start(world, subject=2, metric="step_4", severity="critical")
    services.pause(None, Kind.COMPLAINT, 1, customer_id=world.east_customer.pk, reason="等回复",
                   at=at("2026-06-15 09:30"))
    services.stop(Kind.COMPLAINT, 2, at=at("2026-06-15 10:00"))
    assert services.scan(at("2026-06-17 09:00")).breached == 0


def test_targets_are_versions_with_history_and_running_clocks_keep_theirs(world):
    old = start(world, subject=1)
    rows = [{"severity": "major", "customer_class": "", "metric": "resolution", "hours": "30"},
            {"severity": "major", "customer_class": "a", "metric": "resolution", "hours": "20.5"}]
    policy = services.set_policy(world.admin, Kind.COMPLAINT, rows, warn_percent="80",
                                 valid_from="2026-06-01", note="更严的目标")
    assert policy.targets.count() == 2 and policy.warn_percent == 80
    old.refresh_from_db()
    assert old.target_hours == 45
    new = start(world, subject=2, cls="A")
    assert new.target_hours == Decimal("20.5") and new.policy == policy and new.warn_percent == 80
    again = services.set_policy(world.admin, Kind.COMPLAINT, rows[:1], valid_from=datetime.date(2026, 6, 1))
    assert again.pk == policy.pk and again.targets.count() == 1
    entry = AuditEntry.objects.filter(action="sla.policy").order_by("-id").first()
    assert len(entry.before["targets"]) == 2 and len(entry.after["targets"]) == 1
    assert SlaPolicy.objects.count() == 1


@pytest.mark.parametrize("rows, field, words", [
    ([{"severity": "major", "metric": "resolution", "hours": "x"}], "targets", "必须是数字"),
    ([{"severity": "major", "metric": "resolution", "hours": "0"}], "targets", "必须大于 0"),
    ([{"severity": "major", "metric": "resolution", "hours": "1.234"}], "targets", "最多两位小数"),
    ([{"severity": "urgent", "metric": "resolution", "hours": "1"}], "targets", "未知的严重程度"),
    ([{"severity": "major", "customer_class": "E", "metric": "resolution", "hours": "1"}], "targets", "客户等级"),
    ([{"severity": "major", "metric": "resolution", "hours": "1"}] * 2, "targets", "重复"),
    ([], "targets", "至少"),
])
def test_bad_targets_are_refused_naming_the_field_and_nothing_changes(world, rows, field, words):
    with pytest.raises(ValidationError) as caught:
        services.set_policy(world.admin, Kind.COMPLAINT, rows)
    assert words in " ".join(caught.value.message_dict[field])
    assert not SlaPolicy.objects.exists()


def test_steps_are_refused_for_tickets_and_the_warning_share_is_checked(world):
    step = [{"severity": "major", "metric": "step_2", "hours": "1"}]
    with pytest.raises(ValidationError):
        services.set_policy(world.admin, Kind.TICKET, step)
    with pytest.raises(ValidationError) as caught:
        services.set_policy(world.admin, Kind.COMPLAINT, step, warn_percent="100")
    assert "warn_percent" in caught.value.message_dict


@pytest.mark.parametrize("who", ["service", "manager_east", "executive", "sales_east"])
def test_only_the_administrator_changes_targets(world, who):
    with pytest.raises(PermissionDenied):
        services.set_policy(getattr(world, who), Kind.COMPLAINT,
                            [{"severity": "major", "metric": "resolution", "hours": "1"}])


def test_the_scan_command_is_idempotent_and_speaks_json(world):
    start(world, metric="step_4", severity="critical")
    out = StringIO()
    call_command("sla", "scan", "--as-of", "2026-06-16 09:00", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == {"as_of": "2026-06-16 09:00", "warned": 0, "breached": 1,
                                          "notifications": 2}
    out = StringIO()
    call_command("sla", "scan", "--as-of", "2026-06-16 09:00", stdout=out)
    assert "0 warned, 0 breached" in out.getvalue()


def test_the_scan_command_refuses_a_bad_moment(world):
    with pytest.raises(CommandError) as caught:
        call_command("sla", "scan", "--as-of", "tomorrow")
    assert caught.value.returncode == 2
    assert "--as-of" in str(caught.value)


def test_a_manager_is_not_told_twice_when_they_own_the_clock(world):
    other = make_user("svc2", "service_agent", world.east)
    clock = start(world, metric="step_4", severity="critical", owner=world.manager_east)
    services.scan(at("2026-06-15 10:30"))
    assert SlaClock.objects.get(pk=clock.pk).warned_at is not None
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["manager_east"]
    assert other.pk not in SlaEscalation.objects.get().notified
