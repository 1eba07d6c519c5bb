"""The company business calendar: pure calculations of working time (no Django import).

A `Calendar` holds
- the working hours of each weekday, one or more intervals a day (default Monday–Friday 09:00–12:00 and
  13:30–18:00), possibly in several versions, each in force from a date (`versions`); the earliest version
  also applies before its date;
- holidays: dates without working time whatever the weekday (春节, 国庆节 …);
- make-up working days (调休上班): rest days that are worked. A make-up day works its own intervals when it has
  them, else the company's standard day: the hours of Monday in the version in force that day (of the first
  weekday that has hours when Monday has none). A date that is both a holiday and a make-up day is a holiday
  (the services refuse to make such a date).

Time is the wall-clock time of the company's zone (Asia/Shanghai, which has no daylight saving time: a
working hour is always 3,600 seconds). Inputs are aware datetimes in any zone; results are aware datetimes in
the company's zone. Intervals are half-open: 09:00–12:00 contains 09:00 and 11:59:59.999999, not 12:00.
Arithmetic is exact to the microsecond.

- `add_business_time(start, duration, pauses)`: the due moment, i.e. the end of the last business second of the
  budget. A budget that runs out at 18:00 is due at 18:00 that day, not at 09:00 the next. A start outside
  working hours counts from the next working moment. A zero budget is due at the next working moment (the
  start itself when it is in working time) — the limit of ever smaller budgets. Paused time (pauses, e.g.
  waiting on the customer) does not count, so a pause during the budget moves the due later by the business
  time it covered; an open pause (end None) stops the clock and there is no due (None).
- `business_time_between(a, b, pauses)`: the business time elapsed from a to b, without the paused time.
- `next_working_moment(t)`, `is_working(t)`.
- `explain(start, duration, pauses)`: the due with its working — the intervals counted and the days skipped.

Long spans are cheap: a Calendar builds, once per year it is asked about, a table of each day's intervals and the
running total of working time to the end of each day. Elapsed time is then two look-ups and a subtraction, and a
due is a binary search for the day whose running total reaches the budget, then that day's intervals — a few
microseconds whether the budget is 2 hours or 2,000, with a 10-day holiday in between or not. A calendar with no
working time at all (or none for HORIZON_DAYS) raises NoWorkingTime instead of looping.
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import accumulate
from zoneinfo import ZoneInfo

US = 1_000_000                      # microseconds in a second
HOUR_US = 3600 * US
DAY_US = 86_400 * US
DEFAULT_ZONE = "Asia/Shanghai"
HORIZON_DAYS = 366 * 200            # the longest stretch searched for working time (MAX_HOURS fits)
MAX_HOURS = Decimal(100_000)        # the largest budget a user may ask for (about 50 working years)

MONDAY, SUNDAY = 0, 6
WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Day kinds, as the year view shows them.
WORK, REST, HOLIDAY, MAKE_UP = "work", "rest", "holiday", "makeup"

Clock = int                          # microseconds since midnight, 0 … DAY_US
Span = tuple[Clock, Clock]           # one working interval of a day, start < end
DEFAULT_DAY: tuple[tuple[str, str], ...] = (("09:00", "12:00"), ("13:30", "18:00"))
DEFAULT_WEEK: dict[int, tuple[tuple[str, str], ...]] = {day: DEFAULT_DAY for day in range(5)}


class CalendarError(ValueError):
    """Bad calendar data: `code` says what is wrong (the services turn it into the user's language)."""

    def __init__(self, code: str, detail: str = "", *, index: int | None = None):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail, self.index = code, detail, index


class NoWorkingTime(CalendarError):
    """The calendar has no working time within HORIZON_DAYS of the moment asked about."""

    def __init__(self):
        super().__init__("no_working_time", f"no working time within {HORIZON_DAYS} days")


# --- clock times and intervals -----------------------------------------------------------------

_CLOCK = re.compile(r"^\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?\s*$")


def parse_clock(value: str | datetime.time | int) -> Clock:
    """'09:00', '9:00', '13:30:15', '24:00' (the end of the day), a time, or microseconds since midnight
    → microseconds since midnight."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value <= DAY_US:
            raise CalendarError("clock_format", str(value))
        return value
    if isinstance(value, datetime.time):
        return ((value.hour * 60 + value.minute) * 60 + value.second) * US + value.microsecond
    match = _CLOCK.match(str(value))
    if not match:
        raise CalendarError("clock_format", str(value))
    hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
    if minutes > 59 or seconds > 59 or hours > 24 or (hours == 24 and (minutes or seconds)):
        raise CalendarError("clock_format", str(value))
    return ((hours * 60 + minutes) * 60 + seconds) * US


def clock_text(clock: Clock) -> str:
    """Microseconds since midnight → 'HH:MM' ('HH:MM:SS' when there are seconds)."""
    seconds, micro = divmod(clock, US)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours:02d}:{minutes:02d}"
    if secs or micro:
        text += f":{secs:02d}"
    if micro:
        text += f".{micro:06d}"
    return text


def clock_time(clock: Clock) -> datetime.time:
    """A clock below 24:00 as a time (24:00 has no time value)."""
    seconds, micro = divmod(clock, US)
    return datetime.time(seconds // 3600, seconds // 60 % 60, seconds % 60, micro)


def normalise_day(intervals: Iterable) -> tuple[Span, ...]:
    """One day's intervals — pairs of clock times ('09:00', '12:00') — sorted; refuses an end not after its
    start (code 'end_before_start') and overlapping intervals ('overlap'); `index` is the interval's position
    as given. Touching intervals (12:00–13:00, 13:00–14:00) do not overlap."""
    spans: list[tuple[Clock, Clock, int]] = []
    for index, pair in enumerate(intervals):
        try:
            start, end = pair
        except (TypeError, ValueError):
            raise CalendarError("interval_format", repr(pair), index=index) from None
        try:
            s, e = parse_clock(start), parse_clock(end)
        except CalendarError as exc:
            raise CalendarError(exc.code, exc.detail, index=index) from None
        if e <= s:
            raise CalendarError("end_before_start", f"{clock_text(s)}–{clock_text(e)}", index=index)
        spans.append((s, e, index))
    spans.sort()
    for (s0, e0, _i0), (s1, e1, i1) in zip(spans, spans[1:], strict=False):
        if s1 < e0:
            raise CalendarError("overlap", f"{clock_text(s0)}–{clock_text(e0)} / {clock_text(s1)}–{clock_text(e1)}",
                                index=i1)
    return tuple((s, e) for s, e, _i in spans)


_DASH = re.compile(r"\s*(?:-|–|—|~|～|至|到)\s*")
_RANGE_SPLIT = re.compile(r"[\s,，;；、]+")


def parse_day_text(text: str) -> tuple[Span, ...]:
    """'09:00-12:00, 13:30-18:00' (dashes or '至'; commas, semicolons or spaces between) → the day's intervals;
    '' or '-' → no hours."""
    text = (text or "").strip()
    if not text or text in ("-", "—", "–"):
        return ()
    pairs = []
    for index, part in enumerate(p for p in _RANGE_SPLIT.split(_DASH.sub("-", text)) if p):
        bounds = part.split("-")
        if len(bounds) != 2 or not all(bounds):
            raise CalendarError("interval_format", part, index=index)
        pairs.append((bounds[0], bounds[1]))
    return normalise_day(pairs)


def day_text(spans: Sequence[Span]) -> str:
    """The day's intervals as '09:00–12:00, 13:30–18:00' ('' for none)."""
    return ", ".join(f"{clock_text(s)}–{clock_text(e)}" for s, e in spans)


def day_pairs(spans: Sequence[Span]) -> list[list[str]]:
    """The day's intervals as [['09:00', '12:00'], …] (for JSON)."""
    return [[clock_text(s), clock_text(e)] for s, e in spans]


# --- durations ---------------------------------------------------------------------------------

def parse_hours(value) -> datetime.timedelta:
    """Business hours as a number (1.5 is 90 minutes) → a duration, exact to the microsecond. Refuses text that
    is not a number ('hours_format'), negative hours ('hours_negative') and more than MAX_HOURS
    ('hours_too_large')."""
    if isinstance(value, float):
        value = repr(value)
    try:
        hours = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise CalendarError("hours_format", str(value)) from None
    if not hours.is_finite():
        raise CalendarError("hours_format", str(value))
    if hours < 0:
        raise CalendarError("hours_negative", str(value))
    if hours > MAX_HOURS:
        raise CalendarError("hours_too_large", str(value))
    micro = int((hours * HOUR_US).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return datetime.timedelta(microseconds=micro)


def hours_of(duration: datetime.timedelta) -> Decimal:
    """A duration in hours (Decimal, exact for whole seconds up to 1e-6 h)."""
    return Decimal(_micro(duration)) / HOUR_US


def _micro(duration: datetime.timedelta) -> int:
    return (duration.days * 86_400 + duration.seconds) * US + duration.microseconds


def _delta(micro: int) -> datetime.timedelta:
    return datetime.timedelta(microseconds=micro)


# --- moments as people write them -------------------------------------------------------------

_MOMENT = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?\s*$")


def parse_local_moment(text: str, zone: str | ZoneInfo = DEFAULT_ZONE) -> datetime.datetime:
    """'YYYY-MM-DD HH:MM' (seconds optional, 'T' allowed; a date alone is 00:00) in the company's zone → an
    aware datetime; CalendarError('moment_format') otherwise."""
    match = _MOMENT.match(str(text or ""))
    if not match:
        raise CalendarError("moment_format", str(text))
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    hour, minute, second = int(match[4] or 0), int(match[5] or 0), int(match[6] or 0)
    try:
        return datetime.datetime(year, month, day, hour, minute, second,
                                 tzinfo=zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone))
    except ValueError:
        raise CalendarError("moment_format", str(text)) from None


def moment_text(t: datetime.datetime, zone: str | ZoneInfo | None = None) -> str:
    """'YYYY-MM-DD HH:MM' in the zone (t's own when None); ':SS' follows when the moment has seconds (a budget
    that is not a whole number of minutes), so nothing is rounded away."""
    if zone is not None:
        t = t.astimezone(zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone))
    text = t.strftime("%Y-%m-%d %H:%M")
    if t.second or t.microsecond:
        text += f":{t.second:02d}" + (f".{t.microsecond:06d}" if t.microsecond else "")
    return text


def duration_text(duration: datetime.timedelta) -> str:
    """A duration as hours and minutes: '2:30' (seconds when any: '0:00:36')."""
    micro = _micro(duration)
    seconds, rest = divmod(micro, US)
    hours, minutes, secs = seconds // 3600, seconds // 60 % 60, seconds % 60
    text = f"{hours}:{minutes:02d}"
    if secs or rest:
        text += f":{secs:02d}"
    return text


# --- the calendar ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Week:
    valid_from: int                       # date ordinal; 0 for the base week
    days: tuple[tuple[Span, ...], ...]    # Monday … Sunday
    day_us: tuple[int, ...]
    week_us: int
    standard: tuple[Span, ...]            # the hours of a make-up day without its own


def _week(valid_from: int, spec: Mapping) -> _Week:
    days = []
    for weekday in range(7):
        raw = list(spec.get(weekday, spec.get(WEEKDAY_KEYS[weekday], ())) if spec else ())
        try:
            days.append(normalise_day(raw))
        except CalendarError as exc:
            raise CalendarError(exc.code, f"{WEEKDAY_KEYS[weekday]}: {exc.detail}", index=exc.index) from None
    day_us = tuple(sum(e - s for s, e in spans) for spans in days)
    standard = next((spans for spans in days if spans), ())
    return _Week(valid_from, tuple(days), day_us, sum(day_us), standard)


def week_spans(spec: Mapping) -> tuple[tuple[Span, ...], ...]:
    """A week spec ({weekday or 'monday' …: [(start, end), …]}) as the intervals of Monday … Sunday."""
    return _week(0, spec).days


@dataclass(frozen=True)
class Segment:
    """One stretch of counted working time in an explanation (local times in the company's zone)."""

    start: datetime.datetime
    end: datetime.datetime
    counted: datetime.timedelta
    total: datetime.timedelta          # counted so far, this segment included
    kind: str                          # WORK or MAKE_UP


@dataclass(frozen=True)
class SkippedDay:
    date: datetime.date
    kind: str                          # REST or HOLIDAY
    name: str = ""


@dataclass(frozen=True)
class DueWorking:
    """The due of a budget and its working: each counted stretch, the days without working time in between,
    the paused stretches left out."""

    start: datetime.datetime
    duration: datetime.timedelta
    due: datetime.datetime | None
    counted_from: datetime.datetime | None
    segments: list[Segment] = field(default_factory=list)
    skipped: list[SkippedDay] = field(default_factory=list)
    paused: list[tuple[datetime.datetime, datetime.datetime | None]] = field(default_factory=list)
    paused_business: datetime.timedelta = datetime.timedelta(0)


def _ordinal(day: datetime.date | int) -> int:
    return day if isinstance(day, int) else day.toordinal()


class Calendar:
    """Working hours per weekday (versions by date), holidays and make-up working days; see the module."""

    def __init__(self, week: Mapping | None = None, *, versions: Iterable[tuple[datetime.date, Mapping]] = (),
                 holidays: Mapping[datetime.date, str] | Iterable[datetime.date] = (),
                 workdays: Mapping[datetime.date, Iterable | None] | Iterable[datetime.date] = (),
                 workday_names: Mapping[datetime.date, str] | None = None, zone: str | ZoneInfo = DEFAULT_ZONE):
        """`week`: {weekday (0 = Monday … 6, or 'monday' …): [(start, end), …]}; None is DEFAULT_WEEK.
        `versions`: (valid_from, week) pairs; with versions, `week` is ignored unless given too (then it applies
        before the earliest version). `holidays`: dates, or {date: name}. `workdays`: dates, or {date: own
        intervals or None for the standard day}."""
        self.zone = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
        weeks = sorted(((_ordinal(d), spec) for d, spec in versions), key=lambda item: item[0])
        built = [_week(o, spec) for o, spec in weeks]
        if week is not None or not built:
            built.insert(0, _week(0, DEFAULT_WEEK if week is None else week))
        else:
            built[0] = _week(0, weeks[0][1])    # the earliest version applies before its date as well
        self._weeks = built
        self._week_starts = [w.valid_from for w in built]
        self.holiday_names: dict[int, str] = {}
        if isinstance(holidays, Mapping):
            self.holiday_names = {_ordinal(d): name or "" for d, name in holidays.items()}
        else:
            self.holiday_names = {_ordinal(d): "" for d in holidays}
        own: dict[int, tuple[Span, ...] | None] = {}
        if isinstance(workdays, Mapping):
            for d, spans in workdays.items():
                own[_ordinal(d)] = normalise_day(spans) if spans else None
        else:
            own = {_ordinal(d): None for d in workdays}
        self.workday_names = {_ordinal(d): name or "" for d, name in (workday_names or {}).items()}
        self._workday_own = own
        exceptions: dict[int, tuple[Span, ...]] = {}
        for o, spans in own.items():
            exceptions[o] = spans if spans is not None else self._week_for(o).standard
        for o in self.holiday_names:
            exceptions[o] = ()                 # a holiday wins over a make-up day on the same date
        self._exceptions = exceptions
        self._breaks = sorted(set(exceptions) | {w.valid_from for w in built[1:]})
        self._years: dict[int, tuple[int, list[tuple[Span, ...]], list[int]]] = {}

    # -- what a day is ------------------------------------------------------------------------

    def _week_for(self, o: int) -> _Week:
        if len(self._weeks) == 1:
            return self._weeks[0]
        return self._weeks[bisect.bisect_right(self._week_starts, o) - 1]

    def _spans(self, o: int) -> tuple[Span, ...]:
        spans = self._exceptions.get(o)
        if spans is not None:
            return spans
        return self._week_for(o).days[(o - 1) % 7]

    def _next_break(self, o: int) -> int:
        i = bisect.bisect_left(self._breaks, o)
        return self._breaks[i] if i < len(self._breaks) else 1 << 40

    def hours_on(self, day: datetime.date) -> tuple[Span, ...]:
        """The working intervals of a date."""
        return self._spans(day.toordinal())

    def week_on(self, day: datetime.date) -> tuple[tuple[Span, ...], ...]:
        """The weekday hours (Monday … Sunday) in force on a date."""
        return self._week_for(day.toordinal()).days

    def standard_day(self, day: datetime.date) -> tuple[Span, ...]:
        """The hours a make-up day without its own works on that date."""
        return self._week_for(day.toordinal()).standard

    def day_kind(self, day: datetime.date) -> str:
        """WORK, REST, HOLIDAY or MAKE_UP."""
        o = day.toordinal()
        if o in self.holiday_names:
            return HOLIDAY
        if o in self._workday_own:
            return MAKE_UP
        return WORK if self._week_for(o).days[day.weekday()] else REST

    def day_name(self, day: datetime.date) -> str:
        o = day.toordinal()
        return self.holiday_names.get(o) or self.workday_names.get(o, "")

    def is_working_day(self, day: datetime.date) -> bool:
        return bool(self._spans(day.toordinal()))

    # -- moments ------------------------------------------------------------------------------

    def _local(self, t: datetime.datetime) -> tuple[int, Clock]:
        if t.tzinfo is None or t.utcoffset() is None:
            raise CalendarError("naive_datetime", t.isoformat())
        local = t.astimezone(self.zone)
        return (local.toordinal(),
                ((local.hour * 60 + local.minute) * 60 + local.second) * US + local.microsecond)

    def _local_year(self, t: datetime.datetime) -> tuple[int, int, Clock]:
        if t.tzinfo is None or t.utcoffset() is None:
            raise CalendarError("naive_datetime", t.isoformat())
        local = t.astimezone(self.zone)
        return (local.year, local.toordinal(),
                ((local.hour * 60 + local.minute) * 60 + local.second) * US + local.microsecond)

    def _moment(self, o: int, clock: Clock) -> datetime.datetime:
        if clock >= DAY_US:
            o, clock = o + clock // DAY_US, clock % DAY_US
        day = datetime.date.fromordinal(o)
        seconds, micro = divmod(clock, US)
        return datetime.datetime(day.year, day.month, day.day, seconds // 3600, seconds // 60 % 60, seconds % 60,
                                 micro, tzinfo=self.zone)

    def localise(self, t: datetime.datetime) -> datetime.datetime:
        """An aware datetime in the company's zone."""
        return self._moment(*self._local(t))

    def is_working(self, t: datetime.datetime) -> bool:
        """Is t inside a working interval (start included, end excluded)?"""
        o, clock = self._local(t)
        return any(s <= clock < e for s, e in self._spans(o))

    def _next_working(self, o: int, clock: Clock) -> tuple[int, Clock]:
        horizon = o + HORIZON_DAYS
        while o <= horizon:
            for s, e in self._spans(o):
                if e > clock:
                    return o, max(s, clock)
            o, clock = o + 1, 0
            if self._week_for(o).week_us == 0:     # nothing until the next break (a make-up day, a new version)
                o = max(o, min(self._next_break(o), horizon + 1))
        raise NoWorkingTime()

    def next_working_moment(self, t: datetime.datetime) -> datetime.datetime:
        """t itself when it is working time, else the start of the next working interval."""
        return self._moment(*self._next_working(*self._local(t)))

    # -- adding and counting ------------------------------------------------------------------

    def _year(self, year: int) -> tuple[int, list[tuple[Span, ...]], list[int]]:
        """The year's table, built once: its first day's ordinal, each day's intervals and the working
        microseconds from the year's start to the end of each day."""
        table = self._years.get(year)
        if table is None:
            if not datetime.MINYEAR < year < datetime.MAXYEAR:
                raise NoWorkingTime()
            first = datetime.date(year, 1, 1).toordinal()
            days = [self._spans(o) for o in range(first, datetime.date(year + 1, 1, 1).toordinal())]
            table = (first, days, list(accumulate(sum(e - s for s, e in spans) for spans in days)))
            self._years[year] = table
        return table

    def _offset(self, year: int, o: int, clock: Clock) -> int:
        """Working microseconds from the start of the year to (o, clock)."""
        first, days, ends = self._year(year)
        i = o - first
        total = ends[i - 1] if i else 0
        for s, e in days[i]:
            if e <= clock:
                total += e - s
            else:
                if s < clock:
                    total += clock - s
                break
        return total

    def _add(self, year: int, o: int, clock: Clock, remaining: int) -> tuple[int, Clock]:
        """The moment `remaining` (> 0) microseconds of working time from (o, clock) have run out: the first
        day whose running total reaches the target (a binary search in the year's table), then its
        intervals. Years without working time are passed in one step each, up to HORIZON_DAYS."""
        target = self._offset(year, o, clock) + remaining
        last_year = year + HORIZON_DAYS // 366
        first, days, ends = self._year(year)
        while target > ends[-1]:
            target -= ends[-1]
            year += 1
            if year > last_year:
                raise NoWorkingTime()
            first, days, ends = self._year(year)
        d = bisect.bisect_left(ends, target)
        need = target - (ends[d - 1] if d else 0)
        for s, e in days[d]:
            if need <= e - s:
                return first + d, s + need
            need -= e - s
        raise AssertionError("the running total and the day's intervals disagree")  # pragma: no cover

    def _elapsed(self, y1: int, o1: int, c1: Clock, y2: int, o2: int, c2: Clock) -> int:
        """Working microseconds in [(o1, c1), (o2, c2)), (o2, c2) not before (o1, c1)."""
        if y1 == y2:
            return self._offset(y2, o2, c2) - self._offset(y1, o1, c1)
        total = self._year(y1)[2][-1] - self._offset(y1, o1, c1)
        for year in range(y1 + 1, y2):
            total += self._year(year)[2][-1]
        return total + self._offset(y2, o2, c2)

    def _add_dt(self, start: datetime.datetime, micro: int) -> datetime.datetime:
        year, o, clock = self._local_year(start)
        if micro <= 0:
            return self._moment(*self._next_working(o, clock))
        return self._moment(*self._add(year, o, clock, micro))

    def _between_dt(self, a: datetime.datetime, b: datetime.datetime) -> int:
        if b <= a:
            return 0
        return self._elapsed(*self._local_year(a), *self._local_year(b))

    def _merged_pauses(self, pauses, lower: datetime.datetime, upper: datetime.datetime | None = None):
        """Pauses clipped to [lower, upper), sorted and merged; an open pause (end None) runs to the end."""
        if not pauses:
            return []
        clipped = []
        for begin, end in pauses or ():
            if begin is None:
                raise CalendarError("pause_without_start")
            if end is not None and end <= begin:
                continue
            begin = max(begin, lower)
            if upper is not None:
                if begin >= upper:
                    continue
                end = upper if end is None else min(end, upper)
            if end is not None and end <= begin:
                continue
            clipped.append((begin, end))
        clipped.sort(key=lambda p: p[0])
        merged: list[list] = []
        for begin, end in clipped:
            if merged and (merged[-1][1] is None or begin <= merged[-1][1]):
                if merged[-1][1] is not None and (end is None or end > merged[-1][1]):
                    merged[-1][1] = end
                continue
            merged.append([begin, end])
        return [(b, e) for b, e in merged]

    def add_business_time(self, start: datetime.datetime, duration: datetime.timedelta,
                          pauses: Iterable[tuple[datetime.datetime, datetime.datetime | None]] = ()
                          ) -> datetime.datetime | None:
        """The due moment of a budget of business time counted from `start` (see the module); None while an open
        pause stops the clock."""
        remaining = _micro(duration)
        if remaining < 0:
            raise CalendarError("hours_negative", str(duration))
        cursor = start
        for begin, end in self._merged_pauses(pauses, start):
            due = self._add_dt(cursor, remaining)
            if due < begin or (remaining > 0 and due <= begin):
                return due
            remaining -= self._between_dt(cursor, begin)
            if end is None:
                return None
            cursor = end
        return self._add_dt(cursor, remaining)

    def business_time_between(self, a: datetime.datetime, b: datetime.datetime,
                              pauses: Iterable[tuple[datetime.datetime, datetime.datetime | None]] = ()
                              ) -> datetime.timedelta:
        """Business time elapsed from a to b, less the business time of the pauses; zero when b is not after a."""
        if b <= a:
            return datetime.timedelta(0)
        total = self._between_dt(a, b)
        for begin, end in self._merged_pauses(pauses, a, b):
            total -= self._between_dt(begin, end)
        return _delta(total)

    def working_hours_on(self, day: datetime.date) -> datetime.timedelta:
        return _delta(sum(e - s for s, e in self._spans(day.toordinal())))

    # -- the working, for people --------------------------------------------------------------

    def explain(self, start: datetime.datetime, duration: datetime.timedelta,
                pauses: Iterable[tuple[datetime.datetime, datetime.datetime | None]] = (),
                max_segments: int = 400) -> DueWorking:
        """The due and how it was reached: each working stretch counted (at most max_segments of them; the due is
        exact however many there are), the days without working time on the way, and the pauses left out."""
        pauses = list(pauses or ())
        due = self.add_business_time(start, duration, pauses)
        merged = self._merged_pauses(pauses, start, due)
        closed = [(b, e) for b, e in merged if e is not None]
        paused = [(self.localise(b), self.localise(e) if e is not None else None) for b, e in merged]
        paused_business = _delta(sum(self._between_dt(b, e) for b, e in closed))
        start_local = self.localise(start)
        if not _micro(duration):
            return DueWorking(start_local, duration, due, counted_from=due, paused=paused,
                              paused_business=paused_business)
        end = due if due is not None else merged[-1][0]      # an open pause stops the clock at its start
        o, clock = self._local(start)
        o_end, c_end = self._local(end)
        pause_spans = [(self._local(b), self._local(e)) for b, e in closed]
        total, segments, skipped = 0, [], []
        while o <= o_end and len(segments) < max_segments:
            spans = self._spans(o)
            if not spans:
                kind = HOLIDAY if o in self.holiday_names else REST
                skipped.append(SkippedDay(datetime.date.fromordinal(o), kind, self.holiday_names.get(o, "")))
            kind = MAKE_UP if o in self._workday_own and o not in self.holiday_names else WORK
            limit = c_end if o == o_end else DAY_US
            for s, e in spans:
                for lo, hi in _minus(o, max(s, clock), min(e, limit), pause_spans):
                    total += hi - lo
                    segments.append(Segment(self._moment(o, lo), self._moment(o, hi), _delta(hi - lo),
                                            _delta(total), kind))
            o, clock = o + 1, 0
        return DueWorking(start_local, duration, due, counted_from=segments[0].start if segments else None,
                          segments=segments, skipped=skipped, paused=paused, paused_business=paused_business)

    # -- the year, for the page ---------------------------------------------------------------

    def month_weeks(self, year: int, month: int) -> list[list[tuple[datetime.date, str] | None]]:
        """The month as weeks Monday … Sunday of (date, kind), None outside the month."""
        first = datetime.date(year, month, 1)
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        cells: list[tuple[datetime.date, str] | None] = [None] * first.weekday()
        day = first
        while day < following:
            cells.append((day, self.day_kind(day)))
            day += datetime.timedelta(days=1)
        cells += [None] * (-len(cells) % 7)
        return [cells[i:i + 7] for i in range(0, len(cells), 7)]

    def year_counts(self, year: int) -> dict:
        """Days of each kind, days with working time and the working hours of a year."""
        day, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
        counts: dict = {WORK: 0, REST: 0, HOLIDAY: 0, MAKE_UP: 0, "working_days": 0}
        working = 0
        while day < end:
            counts[self.day_kind(day)] += 1
            spans = self._spans(day.toordinal())
            counts["working_days"] += bool(spans)
            working += sum(e - s for s, e in spans)
            day += datetime.timedelta(days=1)
        counts["hours"] = _delta(working)
        return counts


def _minus(o: int, lo: Clock, hi: Clock, pauses) -> list[Span]:
    """[lo, hi) of day o without the paused stretches ((o, clock), (o, clock)) pairs."""
    pieces = [(lo, hi)] if hi > lo else []
    for (po, pc), (qo, qc) in pauses:
        if (qo, qc) <= (o, 0) or (po, pc) >= (o, DAY_US):
            continue
        p_lo = pc if po == o else 0
        p_hi = qc if qo == o else DAY_US
        pieces = [part for a, b in pieces for part in ((a, min(b, p_lo)), (max(a, p_hi), b)) if part[1] > part[0]]
    return pieces


def week_from_texts(texts: Mapping[str, str]) -> dict[int, tuple[Span, ...]]:
    """{'monday': '09:00-12:00, 13:30-18:00', …} → {0: spans, …}; CalendarError.detail names the weekday key
    (as '<key>: <detail>')."""
    week: dict[int, tuple[Span, ...]] = {}
    for weekday, key in enumerate(WEEKDAY_KEYS):
        try:
            week[weekday] = parse_day_text(texts.get(key, ""))
        except CalendarError as exc:
            raise CalendarError(exc.code, f"{key}: {exc.detail}", index=exc.index) from None
    return week
