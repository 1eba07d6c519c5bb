"""Invariants of the business calendar for any week, holidays and make-up days (hypothesis), and agreement with
a plain minute-by-minute count."""

import datetime
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from credo.worktime import rules
from credo.worktime.rules import Calendar

SH = ZoneInfo("Asia/Shanghai")
BASE = datetime.datetime(2026, 6, 15, tzinfo=SH)          # a Monday
MINUTE = datetime.timedelta(minutes=1)
WINDOW_DAYS = 21


@st.composite
def day_intervals(draw, minimum=0):
    """Sorted, non-overlapping intervals of one day in whole minutes (touching allowed)."""
    points = sorted(draw(st.sets(st.integers(0, 24 * 60), min_size=2 * minimum, max_size=6)))
    if len(points) % 2:
        points = points[:-1]
    return [(points[i], points[i + 1]) for i in range(0, len(points), 2)]


def _clock(minutes: int) -> str:
    return "24:00" if minutes == 1440 else f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def calendars(draw):
    begin = draw(st.integers(0, 23 * 60))
    week = {0: [(begin, draw(st.integers(begin + 60, 24 * 60)))]}     # at least an hour a week
    for weekday in range(1, 7):
        week[weekday] = draw(day_intervals())
    days = [BASE.date() + datetime.timedelta(days=n) for n in range(WINDOW_DAYS)]
    holidays = draw(st.sets(st.sampled_from(days), max_size=6))
    make_up = draw(st.dictionaries(st.sampled_from([d for d in days if d not in holidays] or days),
                                   st.one_of(st.none(), day_intervals(minimum=1)), max_size=3))
    spec = {d: [(_clock(s), _clock(e)) for s, e in spans] for d, spans in week.items()}
    workdays = {d: [(_clock(s), _clock(e)) for s, e in spans] if spans else None for d, spans in make_up.items()}
    raw = {"week": week, "holidays": holidays, "make_up": make_up}
    return Calendar(spec, holidays=holidays, workdays=workdays), raw


def reference_working(raw, t: datetime.datetime) -> bool:
    """Is the minute starting at t working time? Straight from the table, nothing shared with the rules."""
    day = t.date()
    if day in raw["holidays"]:
        return False
    if day in raw["make_up"]:
        spans = raw["make_up"][day] or next((raw["week"][w] for w in range(7) if raw["week"][w]), [])
    else:
        spans = raw["week"][day.weekday()]
    minute = t.hour * 60 + t.minute
    return any(s <= minute < e for s, e in spans)


def reference_add(raw, start, minutes):
    t, counted = start, 0
    for _ in range(60 * 24 * 120):
        if reference_working(raw, t):
            if counted == minutes:
                return t
            counted += 1
            if counted == minutes:
                return t + MINUTE
        t += MINUTE
    return None


def reference_between(raw, a, b):
    t, counted = a, 0
    while t < b:
        counted += reference_working(raw, t)
        t += MINUTE
    return counted


moments = st.integers(0, WINDOW_DAYS * 24 * 60 - 1).map(lambda m: BASE + m * MINUTE)


@settings(max_examples=60, deadline=None)
@given(calendars(), moments, st.integers(0, 600))
def test_agrees_with_a_minute_by_minute_count(calendar_raw, start, minutes):
    calendar, raw = calendar_raw
    expected = reference_add(raw, start, minutes)
    assume(expected is not None)
    assert calendar.add_business_time(start, minutes * MINUTE) == expected
    end = start + datetime.timedelta(days=2, minutes=minutes)
    assert calendar.business_time_between(start, end) == reference_between(raw, start, end) * MINUTE
    assert calendar.is_working(start) == reference_working(raw, start)


durations = st.integers(0, 2000 * 60 * 60).map(lambda s: datetime.timedelta(seconds=s))
any_moment = st.integers(0, 400 * 24 * 3600).map(lambda s: BASE + datetime.timedelta(seconds=s))


@settings(max_examples=100, deadline=None)
@given(calendars(), any_moment, durations)
def test_adding_then_counting_gives_the_duration_back(calendar_raw, start, duration):
    calendar, _raw = calendar_raw
    due = calendar.add_business_time(start, duration)
    assert calendar.business_time_between(start, due) == duration


@settings(max_examples=100, deadline=None)
@given(calendars(), any_moment, durations, durations)
def test_due_is_monotonic_in_the_duration(calendar_raw, start, d1, d2):
    calendar, _raw = calendar_raw
    d1, d2 = sorted((d1, d2))
    assert calendar.add_business_time(start, d1) <= calendar.add_business_time(start, d2)


@settings(max_examples=100, deadline=None)
@given(calendars(), any_moment, any_moment, durations)
def test_due_is_monotonic_in_the_start(calendar_raw, s1, s2, duration):
    calendar, _raw = calendar_raw
    s1, s2 = sorted((s1, s2))
    assert calendar.add_business_time(s1, duration) <= calendar.add_business_time(s2, duration)


@settings(max_examples=100, deadline=None)
@given(calendars(), any_moment, durations)
def test_due_is_working_time_or_an_intervals_end(calendar_raw, start, duration):
    """The last business microsecond ends at the due: the microsecond before it is working time (a zero budget
    is due at a working moment itself)."""
    calendar, _raw = calendar_raw
    due = calendar.add_business_time(start, duration)
    assert due >= start
    if duration:
        assert calendar.is_working(due - datetime.timedelta(microseconds=1))
        clock = rules.parse_clock(due.timetz().replace(tzinfo=None))
        assert calendar.is_working(due) or any(e == clock or (e == rules.DAY_US and clock == 0)
                                               for s, e in calendar.hours_on((due - MINUTE).date()))
    else:
        assert calendar.is_working(due) and calendar.business_time_between(start, due) == datetime.timedelta(0)


@settings(max_examples=80, deadline=None)
@given(calendars(), any_moment, durations, st.integers(0, 400))
def test_holidays_never_count(calendar_raw, start, duration, day_offset):
    calendar, raw = calendar_raw
    holiday = BASE.date() + datetime.timedelta(days=day_offset)
    with_holiday = Calendar({d: [(_clock(s), _clock(e)) for s, e in v] for d, v in raw["week"].items()},
                            holidays=set(raw["holidays"]) | {holiday},
                            workdays={d: [(_clock(s), _clock(e)) for s, e in v] if v else None
                                      for d, v in raw["make_up"].items()})
    day_start = datetime.datetime.combine(holiday, datetime.time(), tzinfo=SH)
    assert with_holiday.business_time_between(day_start, day_start + datetime.timedelta(days=1)) == datetime.timedelta(0)
    assume(with_holiday.week_on(holiday) and any(with_holiday.week_on(holiday)))
    assert with_holiday.add_business_time(start, duration) >= calendar.add_business_time(start, duration)


@settings(max_examples=80, deadline=None)
@given(calendars(), any_moment, durations, st.lists(st.tuples(st.integers(0, 30 * 24 * 3600),
                                                              st.integers(1, 5 * 24 * 3600)), max_size=4))
def test_pauses_extend_the_due_by_the_paused_business_time(calendar_raw, start, duration, raw_pauses):
    calendar, _raw = calendar_raw
    pauses = [(start + datetime.timedelta(seconds=a), start + datetime.timedelta(seconds=a + length))
              for a, length in raw_pauses]
    due = calendar.add_business_time(start, duration, pauses)
    plain = calendar.add_business_time(start, duration)
    assert due >= plain
    assert calendar.business_time_between(start, due, pauses) == duration
    paused = calendar.business_time_between(start, due) - duration
    assert paused == calendar.business_time_between(start, due) - calendar.business_time_between(start, due, pauses)
