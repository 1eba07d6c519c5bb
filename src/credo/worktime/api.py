"""REST endpoints of the business calendar: read it (every role), change holidays, make-up working days and the
weekday hours (worktime.manage, the administrator), and the what-if: when H business hours from a moment run out.

Errors: 401 not signed in, 403 not allowed, 404 no such holiday / make-up day / version, 422 naming the field
(`date`, `name`, `hours`, `from`, `monday` … `sunday`, `valid_from`)."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from credo.core.api_inputs import InputSchema
from credo.core.clock import business_today
from credo.core.roles import has_perm

from . import queries, rules, services
from .models import Holiday, MakeUpDay, WorkWeek

router = Router()


class WorktimeVersionOut(Schema):
    valid_from: datetime.date
    note: str
    monday: list[list[str]]
    tuesday: list[list[str]]
    wednesday: list[list[str]]
    thursday: list[list[str]]
    friday: list[list[str]]
    saturday: list[list[str]]
    sunday: list[list[str]]


class WorktimeHolidayOut(Schema):
    date: datetime.date
    name: str


class WorktimeMakeUpDayOut(Schema):
    date: datetime.date
    name: str
    hours: list[list[str]] = Field(description="the day's own intervals; empty: the standard day (Monday's hours)")
    worked_hours: list[list[str]] = Field(description="the intervals worked that day")


class WorktimeYearOut(Schema):
    year: int
    working_days: int
    working_hours: str = Field(description="hours of working time in the year, e.g. \"1,875.5\"")
    holidays: int
    make_up_days: int


class WorktimeCalendarOut(Schema):
    zone: str
    today: datetime.date
    week: WorktimeVersionOut = Field(description="the weekday hours in force today")
    versions: list[WorktimeVersionOut] = Field(description="every version of the weekday hours, oldest first")
    holidays: list[WorktimeHolidayOut]
    make_up_days: list[WorktimeMakeUpDayOut]
    year: WorktimeYearOut | None = None


class WorktimeHolidayIn(InputSchema):
    date: datetime.date
    name: str = ""


class WorktimeMakeUpDayIn(InputSchema):
    date: datetime.date
    name: str = ""
    hours: list[list[str]] | str | None = Field(
        None, description='own intervals, [["09:00", "12:00"]] or "09:00-12:00"; empty: the standard day')


Day = list[list[str]] | str | None


class WorktimeWeekIn(InputSchema):
    valid_from: datetime.date | None = Field(None, description="default today; a version of that date is replaced")
    note: str = ""
    monday: Day = None
    tuesday: Day = None
    wednesday: Day = None
    thursday: Day = None
    friday: Day = None
    saturday: Day = None
    sunday: Day = None


class WorktimeDueIn(InputSchema):
    start: str = Field(..., alias="from", description="YYYY-MM-DD HH:MM, company time")
    hours: str | float | int = Field(..., description="business hours; 1.5 is 90 minutes")


class WorktimeSegmentOut(Schema):
    start: str
    end: str
    counted: str
    total: str
    kind: str


class WorktimeDueOut(Schema):
    due: str = Field(description="YYYY-MM-DD HH:MM, company time: the end of the last business minute")
    start: str
    counted_from: str | None
    hours: str
    segments: list[WorktimeSegmentOut]
    segments_complete: bool
    days_off: list[WorktimeHolidayOut] = Field(description="holidays passed on the way")


def _view(request):
    if not has_perm(request.user, "worktime.view"):
        raise PermissionDenied("permission denied")


def _version_out(week: WorkWeek | None) -> dict:
    spans = rules.week_spans(week.spec() if week is not None else rules.DEFAULT_WEEK)
    return {"valid_from": week.valid_from if week else datetime.date(2000, 1, 1), "note": week.note if week else "",
            **{key: rules.day_pairs(spans[i]) for i, key in enumerate(rules.WEEKDAY_KEYS)}}


def _make_up_out(row: MakeUpDay, calendar: rules.Calendar) -> dict:
    return {"date": row.date, "name": row.name, "hours": row.hours or [],
            "worked_hours": rules.day_pairs(calendar.hours_on(row.date))}


@router.get("/", response=WorktimeCalendarOut, summary="The business calendar: weekday hours, holidays, make-up days")
def calendar(request, year: int | None = None):
    _view(request)
    if year is not None and not services.FIRST_YEAR <= year <= services.LAST_YEAR:
        from credo.core.errors import ValidationError

        raise ValidationError({"year": [_("Give a year from %(first)s to %(last)s.")
                                        % {"first": services.FIRST_YEAR, "last": services.LAST_YEAR}]})
    cal = queries.company_calendar()
    weeks = queries.versions()
    out = {"zone": settings.TIME_ZONE, "today": business_today(),
           "week": _version_out(queries.version_in_force(business_today(), weeks)),
           "versions": [_version_out(w) for w in weeks] or [_version_out(None)],
           "holidays": [{"date": h.date, "name": h.name} for h in queries.holidays(year)],
           "make_up_days": [_make_up_out(m, cal) for m in queries.make_up_days(year)], "year": None}
    if year is not None:
        counts = cal.year_counts(year)
        out["year"] = {"year": year, "working_days": counts["working_days"],
                       "working_hours": f"{rules.hours_of(counts['hours']).normalize():,f}",
                       "holidays": counts[rules.HOLIDAY], "make_up_days": counts[rules.MAKE_UP]}
    return out


@router.post("/holidays", response={200: WorktimeHolidayOut, 201: WorktimeHolidayOut},
             summary="Add a holiday (200 when it was one already; a name given renames it)")
def add_holiday(request, payload: WorktimeHolidayIn):
    changed = services.add_holidays(request.user, [payload.date], name=payload.name)
    row = Holiday.objects.get(date=payload.date)
    return Status(201 if changed.added else 200, {"date": row.date, "name": row.name})


@router.delete("/holidays/{date}", response={204: None}, summary="Remove a holiday")
def remove_holiday(request, date: datetime.date):
    if not services.remove_holiday(request.user, date):
        raise Http404
    return Status(204, None)


@router.post("/workdays", response={200: WorktimeMakeUpDayOut, 201: WorktimeMakeUpDayOut},
             summary="Add a make-up working day (调休上班; 200 when it was one already)")
def add_workday(request, payload: WorktimeMakeUpDayIn):
    changed = services.add_make_up_days(request.user, [payload.date], name=payload.name, hours=payload.hours)
    return Status(201 if changed.added else 200,
                  _make_up_out(MakeUpDay.objects.get(date=payload.date), queries.company_calendar()))


@router.delete("/workdays/{date}", response={204: None}, summary="Remove a make-up working day")
def remove_workday(request, date: datetime.date):
    if not services.remove_make_up_day(request.user, date):
        raise Http404
    return Status(204, None)


@router.put("/week", response=WorktimeVersionOut,
            summary="Set the weekday hours from a date on (a new version, or the version of that date replaced)")
def set_week(request, payload: WorktimeWeekIn):
    days = {key: getattr(payload, key) for key in rules.WEEKDAY_KEYS}
    return _version_out(services.set_week(request.user, days, valid_from=payload.valid_from, note=payload.note))


@router.delete("/week/{valid_from}", response={204: None}, summary="Remove a version of the weekday hours")
def remove_week(request, valid_from: datetime.date):
    if not services.remove_week(request.user, valid_from):
        raise Http404
    return Status(204, None)


@router.post("/due", response=WorktimeDueOut,
             summary="What-if: when H business hours from a moment run out, with the intervals counted")
def due(request, payload: WorktimeDueIn):
    _view(request)
    working = queries.what_if(payload.start, payload.hours)
    zone = settings.TIME_ZONE
    return {"due": rules.moment_text(working.due, zone), "start": rules.moment_text(working.start, zone),
            "counted_from": rules.moment_text(working.counted_from, zone) if working.counted_from else None,
            "hours": f"{rules.hours_of(working.duration).normalize():f}",
            "segments": [{"start": rules.moment_text(s.start, zone), "end": rules.moment_text(s.end, zone),
                          "counted": rules.duration_text(s.counted), "total": rules.duration_text(s.total),
                          "kind": s.kind} for s in working.segments],
            "segments_complete": not working.segments or working.segments[-1].end == working.due,
            "days_off": [{"date": d.date, "name": d.name} for d in working.skipped if d.kind == rules.HOLIDAY]}
