"""The pure service-level rules: which target applies, when a clock warns and falls due, how far over."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.sla import defaults, rules
from credo.sla.models import Kind
from credo.worktime.rules import Calendar

SH = ZoneInfo("Asia/Shanghai")
H = datetime.timedelta(hours=1)
T = rules.Target


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SH)


CAL = Calendar(None, holidays={datetime.date(2026, 10, 1): "国庆节"}, zone="Asia/Shanghai")

TABLE = [T("major", "", "resolution", Decimal(40)), T("major", "A", "resolution", Decimal(24)),
         T("minor", "", "resolution", Decimal(80))]


@pytest.mark.parametrize("severity, cls, metric, hours", [
    ("major", "A", "resolution", 24),       # the class's own row wins
    ("major", "B", "resolution", 40),       # no row for B: the row for any class
    ("major", "", "resolution", 40),
    ("minor", "A", "resolution", 80),
    ("critical", "A", "resolution", None),  # no row at all
    ("major", "A", "step_1", None),
])
def test_the_most_specific_target_applies(severity, cls, metric, hours):
    found = rules.pick_target(TABLE, severity, cls, metric)
    assert (found.hours if found else None) == (Decimal(hours) if hours is not None else None)


@pytest.mark.parametrize("row, code", [
    (T("urgent", "", "resolution", Decimal(1)), "unknown_severity"),
    (T("major", "", "step_9", Decimal(1)), "unknown_metric"),
    (T("major", "E", "resolution", Decimal(1)), "unknown_class"),
    (T("major", "", "resolution", Decimal(0)), "hours_not_positive"),
    (T("major", "", "resolution", Decimal(-2)), "hours_not_positive"),
    (T("major", "A", "resolution", Decimal(3)), "duplicate"),
])
def test_a_bad_table_is_refused_naming_the_row(row, code):
    with pytest.raises(rules.TargetError) as caught:
        rules.check_targets([*TABLE, row], ["critical", "major", "minor"], ["resolution", "step_1"], "ABCD")
    assert caught.value.code == code
    assert row.metric in caught.value.detail


def test_the_default_tables_are_valid_and_the_steps_fit_in_the_resolution():
    complaint = defaults.targets(Kind.COMPLAINT)
    rules.check_targets(complaint, defaults.COMPLAINT_HOURS, defaults.COMPLAINT_METRICS, "ABCD")
    rules.check_targets(defaults.targets(Kind.TICKET), defaults.TICKET_HOURS, ["first_response", "resolution"])
    for severity, hours in defaults.COMPLAINT_HOURS.items():
        assert sum(hours[1:7]) <= hours[7] + 4, severity   # six step budgets roughly make the whole
        first_a, resolution_a = defaults.COMPLAINT_CLASS_A[severity]
        assert Decimal(first_a) < hours[0] and resolution_a < hours[7]   # class A: stricter


def test_hours_are_exact():
    assert rules.hours_delta(Decimal("1.5")) == datetime.timedelta(minutes=90)
    assert rules.hours_delta(Decimal("0.01")) == datetime.timedelta(seconds=36)


def test_schedule_warns_at_the_share_and_is_due_at_the_end_of_the_last_business_minute():
    # Monday 16:00 + 8 h: 2 h Monday, 3 h morning, 3 h afternoon Tuesday → Tuesday 16:30; 75 % = 6 h → 13:30+30
    planned = rules.schedule(CAL, at("2026-06-15 16:00"), 8 * H, Decimal(75))
    assert planned.due_at == at("2026-06-16 16:30")
    assert planned.warn_at == at("2026-06-16 14:30")


def test_a_pause_moves_the_due_by_the_business_time_it_covered_and_an_open_pause_stops_it():
    start = at("2026-06-15 09:00")
    assert rules.schedule(CAL, start, 4 * H, Decimal(75)).due_at == at("2026-06-15 14:30")
    closed = [(at("2026-06-15 10:00"), at("2026-06-15 14:30"))]   # covers 2 h of morning and 1 h of afternoon
    assert rules.schedule(CAL, start, 4 * H, Decimal(75), closed).due_at == at("2026-06-15 17:30")
    open_pause = [(at("2026-06-15 10:00"), None)]
    assert rules.schedule(CAL, start, 4 * H, Decimal(75), open_pause) == rules.Schedule(None, None)


def test_a_clock_counts_over_a_holiday_and_a_weekend():
    # Wednesday 2026-09-30 17:00, 2 h: 1 h Wednesday, Thursday is 国庆节, Friday 09:00-10:00
    assert rules.schedule(CAL, at("2026-09-30 17:00"), 2 * H, Decimal(50)).due_at == at("2026-10-02 10:00")


@pytest.mark.parametrize("now, level, used_h, over_h", [
    ("2026-06-15 10:00", rules.OK, 1, 0),
    ("2026-06-15 12:00", rules.WARNING, 3, 0),       # 3 of 4 h: exactly 75 %
    ("2026-06-15 14:30", rules.BREACHED, 4, 0),      # 4 of 4 h: due now, not over yet
    ("2026-06-15 15:30", rules.BREACHED, 5, 1),
    ("2026-06-16 09:30", rules.BREACHED, 8, 4),      # Monday's 7.5 h and half an hour: the night does not count
])
def test_reading_a_clock(now, level, used_h, over_h):
    reading = rules.read(CAL, at("2026-06-15 09:00"), 4 * H, at(now), Decimal(75))
    if used_h == 4:  # the budget is spent at the moment it is due: not breached yet
        assert reading.level == rules.WARNING and reading.over == datetime.timedelta(0)
        return
    assert reading.level == level
    assert reading.used == datetime.timedelta(hours=used_h)
    assert reading.over == datetime.timedelta(hours=over_h)
    assert reading.left == max(4 * H - reading.used, datetime.timedelta(0))


def test_compliance():
    assert rules.compliance(3, 1) == Decimal("0.7500")
    assert rules.compliance(0, 0) is None


# hypothesis takes naive bounds and attaches the zone itself
moments = st.datetimes(min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2027, 12, 31),  # noqa: DTZ001
                       timezones=st.just(SH))


@given(start=moments, minutes=st.integers(1, 5000), percent=st.integers(1, 99))
def test_warning_never_after_due_and_the_reading_at_due_is_the_whole_target(start, minutes, percent):
    target = datetime.timedelta(minutes=minutes)
    planned = rules.schedule(CAL, start, target, Decimal(percent))
    assert planned.warn_at <= planned.due_at
    reading = rules.read(CAL, start, target, planned.due_at, Decimal(percent))
    assert reading.used == target and reading.over == datetime.timedelta(0) and reading.level == rules.WARNING
    later = rules.read(CAL, start, target, planned.due_at + datetime.timedelta(days=7), Decimal(percent))
    assert later.level == rules.BREACHED or later.used == target
