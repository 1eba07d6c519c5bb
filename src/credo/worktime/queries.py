"""Read side of the business calendar: the company's Calendar (cached per process while unchanged) and what the
calendar page lists.

company_calendar() reads one small row (the CalendarStamp token) and rebuilds the Calendar from the tables only
when the token changed since it was built — by a service, the admin or the demo, in this process or another.
A long job (an SLA scan over 100,000 open items) reads it once and uses it for every item.
"""

import datetime
import threading

from django.conf import settings

from . import rules
from .models import CalendarStamp, Holiday, MakeUpDay, WorkWeek

_cache: dict = {}
_lock = threading.Lock()


def _token() -> str:
    return CalendarStamp.objects.filter(pk=1).values_list("token", flat=True).first() or ""


def versions() -> list[WorkWeek]:
    """Every version of the weekday hours, oldest first, with their intervals."""
    return list(WorkWeek.objects.order_by("valid_from").prefetch_related("intervals"))


def version_in_force(on: datetime.date, weeks: list[WorkWeek] | None = None) -> WorkWeek | None:
    """The version valid on a date; the earliest when the date precedes them all; None when there is none
    (the calendar then uses the default hours, rules.DEFAULT_WEEK)."""
    weeks = versions() if weeks is None else weeks
    found = [w for w in weeks if w.valid_from <= on]
    return found[-1] if found else (weeks[0] if weeks else None)


def build_calendar(on: datetime.date | None = None) -> rules.Calendar:
    """The Calendar from the tables, uncached. With `on`, the weekday hours in force on that date apply to every
    day (a what-if of one version); without, each day has the hours of its own version."""
    weeks = versions()
    if on is not None:
        chosen = version_in_force(on, weeks)
        weeks = [chosen] if chosen else []
    holidays = dict(Holiday.objects.values_list("date", "name"))
    workdays, names = {}, {}
    for day in MakeUpDay.objects.all():
        workdays[day.date] = day.hours or None
        names[day.date] = day.name
    kwargs = {"holidays": holidays, "workdays": workdays, "workday_names": names, "zone": settings.TIME_ZONE}
    if not weeks:
        return rules.Calendar(None, **kwargs)
    return rules.Calendar(versions=[(w.valid_from, w.spec()) for w in weeks], **kwargs)


def company_calendar(on: datetime.date | None = None) -> rules.Calendar:
    """The company's business calendar (see build_calendar), rebuilt only when the calendar changed."""
    token = _token()
    key = on.isoformat() if on else ""
    cached = _cache.get(key)
    if cached is not None and cached[0] == token and token:
        return cached[1]
    calendar = build_calendar(on)
    with _lock:
        _cache[key] = (token, calendar)
    return calendar


def holidays(year: int | None = None):
    rows = Holiday.objects.order_by("date")
    return rows.filter(date__year=year) if year else rows


def make_up_days(year: int | None = None):
    rows = MakeUpDay.objects.order_by("date")
    return rows.filter(date__year=year) if year else rows


def year_months(calendar: rules.Calendar, year: int) -> list[dict]:
    """The twelve months of a year as week rows of (date, kind, name) cells for the month grids."""
    months = []
    for month in range(1, 13):
        weeks = [[None if cell is None else {"date": cell[0], "kind": cell[1], "name": calendar.day_name(cell[0])}
                  for cell in week] for week in calendar.month_weeks(year, month)]
        months.append({"month": datetime.date(year, month, 1), "weeks": weeks})
    return months


def hours_message(exc: rules.CalendarError) -> str:
    from django.utils.translation import gettext as _

    if exc.code == "hours_negative":
        return _("The hours may not be negative.")
    if exc.code == "hours_too_large":
        return _("At most %(n)s hours.") % {"n": f"{rules.MAX_HOURS:,}"}
    return _("Enter the hours as a number, e.g. 1.5 for 90 minutes.")


def parse_what_if(start, hours) -> tuple[datetime.datetime, datetime.timedelta]:
    """The what-if's start ('YYYY-MM-DD HH:MM' company time, or an aware datetime) and budget (hours, 1.5 is
    90 minutes); a ValidationError names 'from' and 'hours'."""
    from django.utils.translation import gettext as _

    from credo.core.errors import ValidationError

    errors, moment, duration = {}, None, None
    if isinstance(start, datetime.datetime) and start.tzinfo is not None:
        moment = start
    else:
        try:
            moment = rules.parse_local_moment(start, settings.TIME_ZONE)
        except rules.CalendarError:
            errors["from"] = [_("Write the start as YYYY-MM-DD HH:MM.")]
    try:
        duration = rules.parse_hours(hours)
    except rules.CalendarError as exc:
        errors["hours"] = [hours_message(exc)]
    if errors:
        raise ValidationError(errors)
    return moment, duration


def what_if(start, hours, *, calendar: rules.Calendar | None = None) -> rules.DueWorking:
    """When `hours` business hours from `start` run out, with the working (see rules.Calendar.explain)."""
    from django.utils.translation import gettext as _

    from credo.core.errors import ValidationError

    moment, duration = parse_what_if(start, hours)
    calendar = calendar or company_calendar()
    try:
        return calendar.explain(moment, duration)
    except rules.NoWorkingTime:
        raise ValidationError({"hours": [_("The calendar has no working time to count these hours in: give "
                                           "the weekdays working hours.")]}) from None
