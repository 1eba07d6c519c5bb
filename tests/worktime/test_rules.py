"""The business calendar's rules, table-driven: lunch break, weekends, holidays, make-up days, starts outside
working hours, pauses, a budget ending exactly at an interval's end, Asia/Shanghai (no daylight saving time)."""

import datetime
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from credo.worktime import rules
from credo.worktime.rules import Calendar

SH = ZoneInfo("Asia/Shanghai")
# 2026: Monday 15 June; 国庆节 1–7 October with make-up days Sunday 20 September and Saturday 10 October.
NATIONAL_DAY = {datetime.date(2026, 10, d): "国庆节" for d in range(1, 8)}
MAKE_UP = [datetime.date(2026, 9, 20), datetime.date(2026, 10, 10)]


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SH)


def hours(value) -> datetime.timedelta:
    return rules.parse_hours(value)


@pytest.fixture
def cal():
    return Calendar(holidays=NATIONAL_DAY, workdays=MAKE_UP)


@pytest.mark.parametrize("start, budget, due", [
    ("2026-06-15 09:00", "1", "2026-06-15 10:00"),
    ("2026-06-15 10:00", "1.5", "2026-06-15 11:30"),            # a fraction: 90 minutes
    ("2026-06-15 11:00", "1", "2026-06-15 12:00"),              # ends exactly at the lunch break: 12:00
    ("2026-06-15 11:00", "2", "2026-06-15 14:30"),              # the lunch break does not count
    ("2026-06-15 12:30", "1", "2026-06-15 14:30"),              # a start in the lunch break counts from 13:30
    ("2026-06-15 17:00", "1", "2026-06-15 18:00"),              # runs out at 18:00: due 18:00, not 09:00 the next day
    ("2026-06-15 17:00", "1.5", "2026-06-16 09:30"),
    ("2026-06-15 20:00", "1", "2026-06-16 10:00"),              # a start after hours: the next working minute
    ("2026-06-15 06:00", "3", "2026-06-15 12:00"),              # a start before hours
    ("2026-06-15 09:00", "7.5", "2026-06-15 18:00"),            # one whole day
    ("2026-06-15 09:00", "8", "2026-06-16 09:30"),
    ("2026-06-19 17:00", "2", "2026-06-22 10:00"),              # Friday → Monday over the weekend
    ("2026-06-20 10:00", "1", "2026-06-22 10:00"),              # a start on a Saturday
    ("2026-06-15 10:00", "0", "2026-06-15 10:00"),              # zero hours within working time: the start
    ("2026-06-15 12:00", "0", "2026-06-15 13:30"),              # zero hours at an interval's end: the next start
    ("2026-06-19 18:00", "0", "2026-06-22 09:00"),              # zero hours after Friday's close: Monday 09:00
    ("2026-09-30 17:00", "2", "2026-10-08 10:00"),              # over the 国庆节 holidays
    ("2026-09-30 18:00", "7.5", "2026-10-08 18:00"),            # the whole first day after the holidays
    ("2026-10-09 17:00", "2", "2026-10-10 10:00"),              # Saturday 10 October is a make-up day
    ("2026-09-18 17:00", "8.5", "2026-09-20 18:00"),            # Sunday 20 September is worked: 1 + 7.5
    ("2026-09-18 17:00", "9", "2026-09-21 09:30"),
    ("2026-06-15 10:00:30", "0.5", "2026-06-15 10:30:30"),      # exact to the second
    ("2026-06-15 10:00", "0.01", "2026-06-15 10:00:36"),
])
def test_due(cal, start, budget, due):
    assert cal.add_business_time(at(start), hours(budget)) == at(due)


@pytest.mark.parametrize("a, b, elapsed", [
    ("2026-06-15 09:00", "2026-06-15 18:00", "7.5"),
    ("2026-06-15 11:00", "2026-06-15 14:00", "1.5"),            # 11–12 and 13:30–14
    ("2026-06-15 12:10", "2026-06-15 13:20", "0"),              # inside the lunch break
    ("2026-06-19 17:00", "2026-06-22 10:00", "2"),              # over a weekend
    ("2026-06-15 09:00", "2026-06-22 09:00", "37.5"),           # a week
    ("2026-09-30 09:00", "2026-10-09 09:00", "15"),             # holidays never count
    ("2026-10-09 09:00", "2026-10-12 09:00", "15"),             # the make-up Saturday counts
    ("2026-06-15 18:00", "2026-06-15 09:00", "0"),              # b before a
])
def test_between(cal, a, b, elapsed):
    assert cal.business_time_between(at(a), at(b)) == hours(elapsed)


@pytest.mark.parametrize("moment, working, following", [
    ("2026-06-15 08:59:59", False, "2026-06-15 09:00"),
    ("2026-06-15 09:00", True, "2026-06-15 09:00"),
    ("2026-06-15 11:59:59", True, "2026-06-15 11:59:59"),
    ("2026-06-15 12:00", False, "2026-06-15 13:30"),           # intervals are half-open: 12:00 is the break
    ("2026-06-15 18:00", False, "2026-06-16 09:00"),
    ("2026-06-20 12:00", False, "2026-06-22 09:00"),
    ("2026-10-01 10:00", False, "2026-10-08 09:00"),
    ("2026-10-10 10:00", True, "2026-10-10 10:00"),
])
def test_working_moments(cal, moment, working, following):
    assert cal.is_working(at(moment)) is working
    assert cal.next_working_moment(at(moment)) == at(following)


def test_other_zones_are_converted_and_results_are_company_time(cal):
    start = datetime.datetime(2026, 6, 15, 1, 0, tzinfo=datetime.UTC)             # 09:00 in Shanghai
    due = cal.add_business_time(start, hours(1))
    assert due == at("2026-06-15 10:00") and due.tzinfo == SH and due.utcoffset() == datetime.timedelta(hours=8)
    with pytest.raises(rules.CalendarError):
        cal.add_business_time(datetime.datetime(2026, 6, 15, 9), hours(1))  # noqa: DTZ001 (naive: refused)


def test_shanghai_has_no_daylight_saving_time():
    """Every working hour is 3,600 s all year: a budget over the dates other zones switch clocks is exact."""
    cal = Calendar()
    for start in ("2026-03-06 09:00", "2026-03-27 09:00", "2026-10-23 09:00", "2026-10-30 09:00"):
        due = cal.add_business_time(at(start), hours(75))
        assert cal.business_time_between(at(start), due) == hours(75)
        assert (due - at(start)) % datetime.timedelta(minutes=30) == datetime.timedelta(0)
    assert {at(f"2026-{m:02d}-01 12:00").utcoffset() for m in range(1, 13)} == {datetime.timedelta(hours=8)}


# --- pauses --------------------------------------------------------------------------------------

@pytest.mark.parametrize("pauses, due", [
    ([], "2026-06-15 14:30"),                                                    # 10–12 and 13:30–14:30
    ([("2026-06-15 10:00", "2026-06-15 11:00")], "2026-06-15 15:30"),           # an hour waiting on the customer
    ([("2026-06-15 11:30", "2026-06-15 14:00")], "2026-06-15 15:30"),           # over the lunch break: 1 h paused
    ([("2026-06-15 12:00", "2026-06-15 13:30")], "2026-06-15 14:30"),           # only in the break: nothing
    ([("2026-06-15 08:00", "2026-06-15 09:30")], "2026-06-15 14:30"),           # before the start
    ([("2026-06-15 10:00", "2026-06-15 11:00"), ("2026-06-15 10:30", "2026-06-15 11:30")], "2026-06-15 16:00"),
    ([("2026-06-15 14:30", "2026-06-15 16:00")], "2026-06-15 14:30"),           # begins at the due: no effect
    ([("2026-06-15 14:29", "2026-06-15 16:00")], "2026-06-15 16:01"),
    ([("2026-06-15 11:00", "2026-06-16 11:00")], "2026-06-16 14:30"),           # overnight: 7.5 h paused
    ([("2026-06-15 11:00", None)], None),                                        # still waiting: no due
])
def test_pauses_extend_the_due(cal, pauses, due):
    start, budget = at("2026-06-15 10:00"), hours(3)
    pauses = [(at(a), at(b) if b else None) for a, b in pauses]
    result = cal.add_business_time(start, budget, pauses)
    assert result == (at(due) if due else None)
    if result is not None:
        assert cal.business_time_between(start, result, pauses) == budget


def test_paused_time_is_left_out_of_the_elapsed_time(cal):
    a, b = at("2026-06-15 09:00"), at("2026-06-16 18:00")
    pause = [(at("2026-06-15 16:00"), at("2026-06-16 10:00"))]                   # 2 h + 1 h of working time
    assert cal.business_time_between(a, b, pause) == hours("12")
    assert cal.business_time_between(a, b, [(at("2026-06-15 16:00"), None)]) == hours("5.5")


def test_zero_budget_waits_for_the_pause_to_end(cal):
    pause = [(at("2026-06-15 10:00"), at("2026-06-15 11:00"))]
    assert cal.add_business_time(at("2026-06-15 10:00"), hours(0), pause) == at("2026-06-15 11:00")
    assert cal.add_business_time(at("2026-06-15 09:30"), hours(0), pause) == at("2026-06-15 09:30")


# --- the table ---------------------------------------------------------------------------------

def test_make_up_day_works_the_standard_day_or_its_own_hours():
    saturday, sunday = datetime.date(2026, 10, 10), datetime.date(2026, 9, 20)
    week = {0: [("08:30", "12:00"), ("13:00", "17:30")], 1: [("09:00", "17:00")], 2: [("09:00", "17:00")]}
    cal = Calendar(week, workdays={saturday: None, sunday: [("09:00", "12:00")]})
    assert cal.hours_on(saturday) == cal.hours_on(datetime.date(2026, 10, 12))   # Monday's hours
    assert rules.day_text(cal.hours_on(sunday)) == "09:00–12:00"
    assert cal.day_kind(saturday) == rules.MAKE_UP and cal.day_kind(datetime.date(2026, 10, 11)) == rules.REST
    no_monday = Calendar({1: [("10:00", "16:00")]}, workdays=[saturday])
    assert rules.day_text(no_monday.hours_on(saturday)) == "10:00–16:00"          # the first weekday with hours


def test_a_holiday_wins_over_a_make_up_day_on_the_same_date():
    day = datetime.date(2026, 10, 10)
    cal = Calendar(holidays=[day], workdays=[day])
    assert not cal.is_working_day(day) and cal.day_kind(day) == rules.HOLIDAY


def test_versions_of_the_week_apply_from_their_date():
    summer = {d: [("08:00", "12:00"), ("13:00", "16:00")] for d in range(5)}
    cal = Calendar(versions=[(datetime.date(2000, 1, 1), rules.DEFAULT_WEEK), (datetime.date(2026, 7, 1), summer)])
    assert cal.add_business_time(at("2026-06-30 17:00"), hours(2)) == at("2026-07-01 09:00")
    assert cal.business_time_between(at("2026-06-29 09:00"), at("2026-07-03 18:00")) == hours(2 * 7.5 + 3 * 7)
    assert cal.week_on(datetime.date(2026, 6, 30))[0] == cal.week_on(datetime.date(1999, 1, 4))[0]  # earliest before
    only = Calendar(versions=[(datetime.date(2026, 7, 1), summer)])
    assert only.hours_on(datetime.date(2026, 6, 1)) == only.hours_on(datetime.date(2026, 7, 6))


def test_several_intervals_a_day_and_touching_intervals():
    cal = Calendar({0: [("13:00", "14:00"), ("08:00", "10:00"), ("10:00", "11:00")]})
    assert rules.day_text(cal.hours_on(datetime.date(2026, 6, 15))) == "08:00–10:00, 10:00–11:00, 13:00–14:00"
    assert cal.add_business_time(at("2026-06-15 09:00"), hours(1)) == at("2026-06-15 10:00")
    assert cal.add_business_time(at("2026-06-15 09:00"), hours(2)) == at("2026-06-15 11:00")
    assert cal.add_business_time(at("2026-06-15 09:00"), hours(3)) == at("2026-06-15 14:00")
    assert cal.add_business_time(at("2026-06-15 09:00"), hours(4)) == at("2026-06-22 09:00")


@pytest.mark.parametrize("intervals, code, index", [
    ([("12:00", "09:00")], "end_before_start", 0),
    ([("09:00", "09:00")], "end_before_start", 0),
    ([("09:00", "12:00"), ("11:00", "13:00")], "overlap", 1),
    ([("13:00", "18:00"), ("09:00", "13:30")], "overlap", 0),
    ([("9h", "12:00")], "clock_format", 0),
    ([("09:00", "24:30")], "clock_format", 0),
    ([("09:60", "10:00")], "clock_format", 0),
    (["09:00"], "interval_format", 0),
])
def test_bad_intervals_are_refused(intervals, code, index):
    with pytest.raises(rules.CalendarError) as error:
        rules.normalise_day(intervals)
    assert (error.value.code, error.value.index) == (code, index)


@pytest.mark.parametrize("text, expected", [
    ("09:00-12:00, 13:30-18:00", "09:00–12:00, 13:30–18:00"),
    ("9:00 - 12:00，13:30至18:00", "09:00–12:00, 13:30–18:00"),
    ("13:30–18:00 09:00~12:00", "09:00–12:00, 13:30–18:00"),
    ("", ""), ("-", ""),
    ("08:00-24:00", "08:00–24:00"),
])
def test_day_text(text, expected):
    assert rules.day_text(rules.parse_day_text(text)) == expected


@pytest.mark.parametrize("text", ["09:00", "09:00-12:00-13:00", "09:00-", "nine to five"])
def test_day_text_refused(text):
    with pytest.raises(rules.CalendarError):
        rules.parse_day_text(text)


@pytest.mark.parametrize("value, seconds", [
    ("1.5", 5400), ("0", 0), ("2000", 7_200_000), (Decimal("0.25"), 900), (3, 10_800), (0.1, 360),
    ("1e1", 36_000), (" 8 ", 28_800),
])
def test_hours(value, seconds):
    assert rules.parse_hours(value) == datetime.timedelta(seconds=seconds)


@pytest.mark.parametrize("value, code", [
    ("-1", "hours_negative"), ("abc", "hours_format"), ("NaN", "hours_format"), ("Infinity", "hours_format"),
    ("", "hours_format"), ("1,5", "hours_format"), ("100001", "hours_too_large"),
])
def test_bad_hours(value, code):
    with pytest.raises(rules.CalendarError) as error:
        rules.parse_hours(value)
    assert error.value.code == code


@pytest.mark.parametrize("text, expected", [
    ("2026-06-15 10:00", "2026-06-15 10:00"), ("2026-06-15T10:00", "2026-06-15 10:00"),
    ("2026-06-15 10:00:30", "2026-06-15 10:00:30"), ("2026-6-5 9:05", "2026-06-05 09:05"),
])
def test_moments(text, expected):
    assert rules.moment_text(rules.parse_local_moment(text)) == expected


@pytest.mark.parametrize("text", ["2026-02-30 10:00", "2026-06-15 24:00", "15.06.2026 10:00", "", "tomorrow"])
def test_bad_moments(text):
    with pytest.raises(rules.CalendarError):
        rules.parse_local_moment(text)


def test_no_working_time_is_an_error_not_a_hang():
    cal = Calendar({})
    started = time.perf_counter()
    with pytest.raises(rules.NoWorkingTime):
        cal.add_business_time(at("2026-06-15 09:00"), hours(1))
    with pytest.raises(rules.NoWorkingTime):
        cal.next_working_moment(at("2026-06-15 09:00"))
    assert time.perf_counter() - started < 1
    with pytest.raises(rules.NoWorkingTime):   # a make-up day without hours of its own has no standard day here
        Calendar({}, workdays=[datetime.date(2027, 3, 6)]).add_business_time(at("2026-06-15 09:00"), hours(1))
    only_make_up = Calendar({}, workdays={datetime.date(2027, 3, 6): [("09:00", "17:00")]})
    assert only_make_up.add_business_time(at("2026-06-15 09:00"), hours(1)) == at("2027-03-06 10:00")


# --- explanation and the year ---------------------------------------------------------------------

def test_explain_lists_the_intervals_counted(cal):
    working = cal.explain(at("2026-09-30 11:00"), hours(7), [(at("2026-10-08 09:30"), at("2026-10-08 10:00"))])
    assert working.due == at("2026-10-08 11:00")
    assert [(rules.moment_text(s.start), rules.moment_text(s.end), s.total) for s in working.segments] == [
        ("2026-09-30 11:00", "2026-09-30 12:00", hours(1)),
        ("2026-09-30 13:30", "2026-09-30 18:00", hours("5.5")),
        ("2026-10-08 09:00", "2026-10-08 09:30", hours(6)),
        ("2026-10-08 10:00", "2026-10-08 11:00", hours(7)),
    ]
    assert [d.date.day for d in working.skipped if d.kind == rules.HOLIDAY] == [1, 2, 3, 4, 5, 6, 7]
    assert working.paused_business == hours("0.5")
    assert cal.explain(at("2026-06-20 10:00"), hours(0)).counted_from == at("2026-06-22 09:00")


def test_explain_caps_the_list_not_the_due(cal):
    working = cal.explain(at("2026-06-15 09:00"), hours(2000), max_segments=10)
    assert len(working.segments) == 10 and working.due == cal.add_business_time(at("2026-06-15 09:00"), hours(2000))


def test_year_counts_and_month_grid(cal):
    counts = cal.year_counts(2026)
    assert counts["working_days"] == 261 - 5 + 2 and counts[rules.HOLIDAY] == 7 and counts[rules.MAKE_UP] == 2
    assert counts["hours"] == hours(258 * 7.5)
    october = cal.month_weeks(2026, 10)
    assert october[0][:3] == [None, None, None] and october[0][3] == (datetime.date(2026, 10, 1), rules.HOLIDAY)
    assert october[1][5] == (datetime.date(2026, 10, 10), rules.MAKE_UP)


# --- long spans ----------------------------------------------------------------------------------

def test_long_budgets_are_fast_and_exact(cal):
    start = at("2026-06-15 09:00")
    started = time.perf_counter()
    due = cal.add_business_time(start, hours(2000))
    assert time.perf_counter() - started < 0.05
    assert cal.business_time_between(start, due) == hours(2000)
    assert due == at("2027-06-25 15:30")


def test_a_start_before_a_long_holiday():
    long_holiday = Calendar(holidays=[datetime.date(2027, 1, 25) + datetime.timedelta(days=n) for n in range(10)])
    assert long_holiday.add_business_time(at("2027-01-22 17:00"), hours(2)) == at("2027-02-04 10:00")
