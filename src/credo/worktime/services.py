"""Writes of the business calendar, one transaction each: holidays, make-up working days and the weekday hours.

Each checks the worktime.manage permission (the administrator; user None is the system, e.g. a command run
without --user), checks its input — a ValidationError names the field in the user's language and nothing is
changed —, writes the audit record with before and after, and marks the calendar changed (CalendarStamp) so
that every process reloads it. Adding what is already there changes nothing (the commands are idempotent).
"""

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from credo.core import audit
from credo.core.clock import business_today
from credo.core.errors import ValidationError, require
from credo.core.models import AuditEntry
from credo.core.roles import has_perm

from . import rules
from .models import Holiday, MakeUpDay, Weekday, WorkingInterval, WorkWeek, touch_calendar

FIRST_YEAR, LAST_YEAR = 2000, 2099
NAME_LENGTH = {"holiday": 50, "make_up": 100, "note": 200}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class Changed:
    """What an add did, date by date."""

    added: list[datetime.date] = field(default_factory=list)
    renamed: list[datetime.date] = field(default_factory=list)
    unchanged: list[datetime.date] = field(default_factory=list)


def _name(user) -> str:
    return user.get_username() if user is not None else "system"


def _may_manage(user) -> None:
    if user is not None:
        require(has_perm(user, "worktime.manage"), _("Your role may not change the business calendar."))


def parse_date(value, field: str = "date") -> datetime.date:
    """A date or 'YYYY-MM-DD' within FIRST_YEAR…LAST_YEAR, else a ValidationError naming the field."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value or "").strip())
        except ValueError:
            raise ValidationError({field: [_("Enter a date as YYYY-MM-DD.")]}) from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError({field: [_("Give a date from %(first)s to %(last)s.")
                                       % {"first": FIRST_YEAR, "last": LAST_YEAR}]})
    return value


def _text(value, field: str, limit: int) -> str:
    text = (value or "").strip()
    if _CONTROL.search(text):
        raise ValidationError({field: [_("Remove the control characters.")]})
    if len(text) > limit:
        raise ValidationError({field: [_("At most %(n)s characters.") % {"n": limit}]})
    return text


def interval_message(exc: rules.CalendarError) -> str:
    """A CalendarError about working hours in the user's language."""
    detail = exc.detail.split(": ", 1)[-1] if exc.detail.split(": ", 1)[0] in rules.WEEKDAY_KEYS else exc.detail
    if exc.code == "clock_format":
        return _("%(value)s is not a time of day; write it as HH:MM (00:00 to 23:59).") % {"value": detail}
    if exc.code == "end_before_start":
        return _("%(interval)s: the end must be after the start.") % {"interval": detail}
    if exc.code == "overlap":
        return _("The intervals %(intervals)s overlap.") % {"intervals": detail}
    return _("Write the hours as 09:00-12:00, 13:30-18:00 (empty for a rest day).")


def parse_day(value, field: str) -> tuple[rules.Span, ...]:
    """One day's hours, as text ('09:00-12:00, 13:30-18:00') or pairs ([['09:00', '12:00'], …]); the field is
    named in the error. Times run from 00:00 to 23:59 (the tables keep times of day)."""
    try:
        if value is None:
            return ()
        spans = rules.parse_day_text(value) if isinstance(value, str) else rules.normalise_day(value)
    except rules.CalendarError as exc:
        raise ValidationError({field: [interval_message(exc)]}) from None
    if any(e >= rules.DAY_US for _s, e in spans):
        raise ValidationError({field: [_("%(value)s is not a time of day; write it as HH:MM (00:00 to 23:59).")
                                       % {"value": "24:00"}]})
    return spans


def _refuse(field: str, message: str):
    raise ValidationError({field: [message]})


# --- holidays ----------------------------------------------------------------------------------

@transaction.atomic
def add_holidays(user, dates: Iterable, *, name: str = "") -> Changed:
    """Make each date a holiday named `name`; a date that is one already keeps it (and takes the new name when
    one is given). A date that is a make-up working day is refused: remove it there first."""
    _may_manage(user)
    name = _text(name, "name", NAME_LENGTH["holiday"])
    days = sorted({parse_date(d) for d in dates})
    if not days:
        _refuse("date", _("Give at least one date."))
    clash = list(MakeUpDay.objects.filter(date__in=days).values_list("date", flat=True))
    if clash:
        _refuse("date", _("%(date)s is a make-up working day; remove it there first.")
                % {"date": clash[0].isoformat()})
    result = Changed()
    existing = {h.date: h for h in Holiday.objects.select_for_update().filter(date__in=days)}
    for day in days:
        holiday = existing.get(day)
        if holiday is None:
            holiday = Holiday.objects.create(date=day, name=name, created_by=_name(user))
            audit.record(user, AuditEntry.Action.CREATE, holiday, after=audit.snapshot(holiday, ("date", "name")))
            result.added.append(day)
        elif name and holiday.name != name:
            before = audit.snapshot(holiday)
            holiday.name = name
            holiday.save(update_fields=["name"])
            audit.record_change(user, holiday, before)
            result.renamed.append(day)
        else:
            result.unchanged.append(day)
    if result.added or result.renamed:
        touch_calendar()
    return result


def add_holiday(user, date, name: str = "") -> Holiday:
    day = parse_date(date)
    add_holidays(user, [day], name=name)
    return Holiday.objects.get(date=day)


@transaction.atomic
def remove_holidays(user, dates: Iterable) -> int:
    """Remove the holidays of these dates (those that are holidays); how many were removed."""
    _may_manage(user)
    days = {parse_date(d) for d in dates}
    rows = list(Holiday.objects.select_for_update().filter(date__in=days).order_by("date"))
    for holiday in rows:
        audit.record(user, AuditEntry.Action.DELETE, holiday, before=audit.snapshot(holiday, ("date", "name")))
        holiday.delete()
    if rows:
        touch_calendar()
    return len(rows)


def remove_holiday(user, date) -> bool:
    """Remove the holiday on a date; False when there is none."""
    return bool(remove_holidays(user, [date]))


# --- make-up working days ----------------------------------------------------------------------

@transaction.atomic
def add_make_up_days(user, dates: Iterable, *, name: str = "", hours=None) -> Changed:
    """Make each date a make-up working day (调休上班). `hours`: its own intervals (text or pairs); empty or None:
    the standard day. Refused: a holiday (remove it first) and a date whose weekday has working hours already
    (a make-up day is a rest day that is worked)."""
    _may_manage(user)
    from .queries import company_calendar

    name = _text(name, "name", NAME_LENGTH["make_up"])
    spans = parse_day(hours, "hours") if hours else ()
    pairs = rules.day_pairs(spans)
    days = sorted({parse_date(d) for d in dates})
    if not days:
        _refuse("date", _("Give at least one date."))
    clash = list(Holiday.objects.filter(date__in=days).values_list("date", flat=True))
    if clash:
        _refuse("date", _("%(date)s is a holiday; remove it there first.") % {"date": clash[0].isoformat()})
    calendar = company_calendar()
    existing = {m.date: m for m in MakeUpDay.objects.select_for_update().filter(date__in=days)}
    for day in days:
        if day not in existing and calendar.week_on(day)[day.weekday()]:
            _refuse("date", _("%(date)s is a %(weekday)s, a working day already: a make-up day is a rest day "
                              "that is worked.") % {"date": day.isoformat(), "weekday": Weekday(day.weekday()).label})
    result = Changed()
    for day in days:
        row = existing.get(day)
        if row is None:
            row = MakeUpDay.objects.create(date=day, name=name, hours=pairs, created_by=_name(user))
            audit.record(user, AuditEntry.Action.CREATE, row, after=audit.snapshot(row, ("date", "name", "hours")))
            result.added.append(day)
            continue
        before = audit.snapshot(row)
        if name:
            row.name = name
        if hours is not None and hours != "":
            row.hours = pairs
        if audit.snapshot(row) != before:
            row.save(update_fields=["name", "hours"])
            audit.record_change(user, row, before)
            result.renamed.append(day)
        else:
            result.unchanged.append(day)
    if result.added or result.renamed:
        touch_calendar()
    return result


def add_make_up_day(user, date, name: str = "", hours=None) -> MakeUpDay:
    day = parse_date(date)
    add_make_up_days(user, [day], name=name, hours=hours)
    return MakeUpDay.objects.get(date=day)


@transaction.atomic
def remove_make_up_day(user, date) -> bool:
    _may_manage(user)
    row = MakeUpDay.objects.select_for_update().filter(date=parse_date(date)).first()
    if row is None:
        return False
    audit.record(user, AuditEntry.Action.DELETE, row, before=audit.snapshot(row, ("date", "name", "hours")))
    row.delete()
    touch_calendar()
    return True


# --- weekday hours -----------------------------------------------------------------------------

def week_texts(week: WorkWeek | None) -> dict[str, str]:
    """{'monday': '09:00–12:00, 13:30–18:00', …} of a version (the default hours for None)."""
    days = rules.week_spans(week.spec() if week is not None else rules.DEFAULT_WEEK)
    return {key: rules.day_text(days[i]) for i, key in enumerate(rules.WEEKDAY_KEYS)}


def _week_snapshot(week: WorkWeek | None) -> dict | None:
    if week is None:
        return None
    return {"valid_from": week.valid_from.isoformat(), "note": week.note, **week_texts(week)}


@transaction.atomic
def set_week(user, days: Mapping, *, valid_from=None, note: str = "") -> WorkWeek:
    """The weekday hours from `valid_from` (default today) on: `days` maps 'monday' … 'sunday' to that day's
    intervals (text or pairs; a missing or empty day has no hours). A version valid from that date is
    replaced, else a new version starts then; earlier days keep the hours they had."""
    _may_manage(user)
    from .queries import version_in_force

    valid_from = business_today() if valid_from in (None, "") else parse_date(valid_from, "valid_from")
    note = _text(note, "note", NAME_LENGTH["note"])
    unknown = sorted(set(days) - set(rules.WEEKDAY_KEYS))
    if unknown:
        _refuse(unknown[0], _("Not a weekday: use monday … sunday."))
    errors, week_spans = {}, {}
    for weekday, key in enumerate(rules.WEEKDAY_KEYS):
        try:
            week_spans[weekday] = parse_day(days.get(key), key)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if not any(week_spans.values()):
        _refuse("week", _("Give working hours for at least one day of the week."))
    version = WorkWeek.objects.select_for_update().filter(valid_from=valid_from).first()
    before = _week_snapshot(version or version_in_force(valid_from))
    if version is None:
        version = WorkWeek.objects.create(valid_from=valid_from, note=note, created_by=_name(user))
        action = AuditEntry.Action.CREATE
    else:
        version.note = note or version.note
        version.save(update_fields=["note"])
        version.intervals.all().delete()
        action = AuditEntry.Action.UPDATE
    WorkingInterval.objects.bulk_create([
        WorkingInterval(week=version, weekday=weekday, start=rules.clock_time(s), end=rules.clock_time(e))
        for weekday, spans in week_spans.items() for s, e in spans])
    after = _week_snapshot(version)
    if after != before or action == AuditEntry.Action.CREATE:
        audit.record(user, action, version, before=before, after=after, reason=note)
    touch_calendar()
    return version


@transaction.atomic
def remove_week(user, valid_from) -> bool:
    """Remove a version of the weekday hours (e.g. a change planned by mistake); the only one stays."""
    _may_manage(user)
    day = parse_date(valid_from, "valid_from")
    version = WorkWeek.objects.select_for_update().filter(valid_from=day).first()
    if version is None:
        return False
    if WorkWeek.objects.count() == 1:
        _refuse("valid_from", _("This is the only version of the working hours; change it instead."))
    audit.record(user, AuditEntry.Action.DELETE, version, before=_week_snapshot(version))
    version.delete()
    touch_calendar()
    return True
