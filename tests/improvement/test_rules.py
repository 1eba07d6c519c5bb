"""Pure rules: transitions, overdue, and promise measurement on the business calendar (weekends, holidays,
pauses), table-driven and worked by hand."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from credo.improvement import rules
from credo.worktime.rules import Calendar

SH = ZoneInfo("Asia/Shanghai")
# Default week: Monday–Friday 09:00–12:00 and 13:30–18:00 (7.5 h a day); 2026-06-19 is a holiday here.
CAL = Calendar(None, holidays={datetime.date(2026, 6, 19): "端午节"})


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SH)


NOW = at("2026-06-24 10:00")

CASES = [
    # (started, stopped, pauses, unit, budget, expected result, used)
    ("2026-06-15 09:00", "2026-06-15 12:00", (), "business_hours", "4", "kept", "3:00:00"),
    ("2026-06-15 09:00", "2026-06-15 15:00", (), "business_hours", "4", "broken", "4:30:00"),   # lunch left out
    ("2026-06-15 09:00", "2026-06-15 14:30", (), "business_hours", "4", "kept", "4:00:00"),    # exactly on budget
    # Friday 17:00 → Monday 10:00: one hour on Friday, one on Monday; the weekend does not count.
    ("2026-06-12 17:00", "2026-06-15 10:00", (), "business_hours", "2", "kept", "2:00:00"),
    # Thursday 17:00 → Monday 10:00 across a Friday holiday: still two business hours.
    ("2026-06-18 17:00", "2026-06-22 10:00", (), "business_hours", "1.5", "broken", "2:00:00"),
    # A pause waiting on the customer 09:30–11:30 leaves 1 h of the 3 h morning.
    ("2026-06-15 09:00", "2026-06-15 12:00", (("2026-06-15 09:30", "2026-06-15 11:30"),), "business_hours", "1",
     "kept", "1:00:00"),
    # Still running at NOW (Wednesday 10:00 of the next week): 1 h since 09:00, within 4 h.
    ("2026-06-24 09:00", None, (), "business_hours", "4", "running", "1:00:00"),
    # Running and already over: broken without waiting for the stop.
    ("2026-06-22 09:00", None, (), "business_hours", "4", "broken", "16:00:00"),
    # Calendar days count every day; the paused day is left out.
    ("2026-06-12 10:00", "2026-06-15 10:00", (), "calendar_days", "3", "kept", "3 days, 0:00:00"),
    ("2026-06-12 10:00", "2026-06-16 10:00", (), "calendar_days", "3", "broken", "4 days, 0:00:00"),
    ("2026-06-12 10:00", "2026-06-16 10:00", (("2026-06-13 10:00", "2026-06-14 10:00"),), "calendar_days", "3",
     "kept", "3 days, 0:00:00"),
]


@pytest.mark.parametrize("started,stopped,pauses,unit,budget,result,used", CASES)
def test_judge(started, stopped, pauses, unit, budget, result, used):
    case = rules.Case(1, at(started), at(stopped) if stopped else None,
                      tuple((at(b), at(e)) for b, e in pauses))
    outcome = rules.judge(CAL, unit, rules.budget_delta(unit, Decimal(budget)), case, NOW)
    assert outcome.result == result
    assert str(outcome.used) == used
    assert (outcome.over > rules.ZERO) == (result == "broken")


def test_measure_counts_shares_and_orders_the_worst_misses():
    cases = [rules.Case(1, at("2026-06-15 09:00"), at("2026-06-15 10:00")),      # kept
             rules.Case(2, at("2026-06-15 09:00"), at("2026-06-15 16:30")),      # 6 h: 2 over
             rules.Case(3, at("2026-06-15 09:00"), at("2026-06-16 09:00")),      # 7.5 h: 3.5 over
             rules.Case(4, at("2026-06-24 09:30"), None)]                        # running
    perf = rules.measure(CAL, "business_hours", Decimal(4), cases, NOW)
    assert (perf.kept, perf.broken, perf.running, perf.total) == (1, 2, 1, 4)
    assert perf.share_kept == Decimal("33.3")
    assert [o.case.subject_id for o in perf.worst] == [3, 2]
    assert rules.in_unit(perf.worst[0].over, "business_hours") == Decimal("3.50")
    assert rules.measure(CAL, "business_hours", Decimal(4), [], NOW).share_kept is None


@pytest.mark.parametrize("current,transition,expected", [
    ("open", "start", "in_progress"), ("in_progress", "complete", "done"), ("done", "verify", "verified"),
    ("open", "cancel", "cancelled"), ("done", "cancel", "cancelled")])
def test_transitions(current, transition, expected):
    assert rules.next_status(current, transition) == expected


@pytest.mark.parametrize("current,transition", [("open", "complete"), ("open", "verify"), ("in_progress", "verify"),
                                                ("verified", "cancel"), ("cancelled", "start"), ("open", "fly")])
def test_refused_transitions(current, transition):
    with pytest.raises(rules.TransitionError):
        rules.next_status(current, transition)


def test_overdue_and_due_reminder():
    today = datetime.date(2026, 6, 15)
    assert rules.is_overdue("open", datetime.date(2026, 6, 14), today)
    assert not rules.is_overdue("open", today, today)
    assert not rules.is_overdue("done", datetime.date(2026, 6, 1), today)
    assert rules.needs_due_reminder("in_progress", today, None, today)
    assert not rules.needs_due_reminder("in_progress", today, today, today)
    assert rules.needs_due_reminder("open", today, datetime.date(2026, 6, 1), today)   # the due date moved
    assert not rules.needs_due_reminder("open", datetime.date(2026, 6, 16), None, today)
