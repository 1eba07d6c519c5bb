"""The business calendar page: the weekday hours (with their versions), a year of month grids (working days,
holidays, make-up days), the holidays and make-up days of the year with forms to add and remove them
(administrators; read-only for everyone else), and the what-if: from a moment plus H business hours → the due,
with the intervals counted."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from credo.core.clock import business_now, business_today
from credo.core.errors import require
from credo.core.roles import has_perm
from credo.core.view_helpers import add_form_errors, int_or_none

from . import queries, rules, services
from .forms import DueForm, HolidayForm, MakeUpDayForm, WeekForm
from .models import Weekday


def _year(request) -> int:
    year = int_or_none(request.GET.get("year") or request.POST.get("year"))
    return year if year and services.FIRST_YEAR <= year <= services.LAST_YEAR else business_today().year


def _url(year: int, anchor: str = "") -> str:
    return reverse("worktime:calendar") + f"?year={year}" + (f"#{anchor}" if anchor else "")


def holiday_runs(holidays) -> list[dict]:
    """Holidays as runs of consecutive dates of one name (国庆节 1–7 October is one row)."""
    runs: list[dict] = []
    for h in holidays:
        last = runs[-1] if runs else None
        if last and last["name"] == h.name and (h.date - last["last"]).days == 1:
            last["last"], last["days"] = h.date, last["days"] + 1
        else:
            runs.append({"first": h.date, "last": h.date, "name": h.name, "days": 1})
    return runs


def _week_initial(version) -> dict:
    texts = services.week_texts(version)
    return {key: text.replace("–", "-") for key, text in texts.items()}


def _due_context(request, form: DueForm | None = None) -> dict:
    """The what-if's form and, when asked, its result (the working)."""
    if form is None:
        if "hours" in request.GET:
            form = DueForm(data=request.GET)
        else:
            form = DueForm(initial={"start": business_now().strftime("%Y-%m-%dT%H:%M"), "hours": "8"})
    context = {"due_form": form, "due": None}
    if form.is_bound and form.is_valid():
        try:
            working = queries.what_if(form.cleaned_data["start"].replace("T", " "), form.cleaned_data["hours"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error("start" if field == "from" else field if field in form.fields else None, errors)
        else:
            context["due"] = working
            context["due_rows"] = [{"start": s.start, "end": s.end, "kind": s.kind,
                                    "counted": rules.duration_text(s.counted), "total": rules.duration_text(s.total)}
                                   for s in working.segments]
            context["due_holidays"] = [d for d in working.skipped if d.kind == rules.HOLIDAY]
            context["due_complete"] = not working.segments or working.segments[-1].end == working.due
    return context


def _page(request, *, year=None, forms=None, status=200):
    user = request.user
    year = year or _year(request)
    calendar = queries.company_calendar()
    weeks = queries.versions()
    today = business_today()
    in_force = queries.version_in_force(today, weeks)
    week_days = calendar.week_on(today)
    forms = forms or {}
    context = {
        "year": year, "previous_year": year - 1, "next_year": year + 1, "today": today,
        "zone": settings.TIME_ZONE,
        "can_manage": has_perm(user, "worktime.manage"),
        "week_rows": [{"weekday": Weekday(i).label, "text": rules.day_text(spans),
                       "hours": rules.duration_text(datetime.timedelta(microseconds=sum(e - s for s, e in spans)))}
                      for i, spans in enumerate(week_days)],
        "week_total": rules.duration_text(datetime.timedelta(microseconds=sum(e - s for d in week_days for s, e in d))),
        "in_force": in_force,
        "versions": [{"week": w, "texts": services.week_texts(w), "future": w.valid_from > today,
                      "current": in_force is not None and w.pk == in_force.pk} for w in reversed(weeks)],
        "standard_day": rules.day_text(calendar.standard_day(today)),
        "months": queries.year_months(calendar, year),
        "counts": calendar.year_counts(year),
        "holiday_runs": holiday_runs(queries.holidays(year)),
        "make_up_days": [{"row": m, "hours": rules.day_text(calendar.hours_on(m.date)),
                          "weekday": Weekday(m.date.weekday()).label} for m in queries.make_up_days(year)],
        "weekday_initials": [_("Mo"), _("Tu"), _("We"), _("Th"), _("Fr"), _("Sa"), _("Su")],
        "week_form": forms.get("week") or WeekForm(initial={**_week_initial(in_force), "valid_from": today}),
        "holiday_form": forms.get("holiday") or HolidayForm(),
        "make_up_form": forms.get("make_up") or MakeUpDayForm(),
        **_due_context(request, forms.get("due")),
    }
    context["counts_hours"] = f"{rules.hours_of(context['counts']['hours']).normalize():,f}"
    return render(request, "worktime/calendar.html", context, status=status)


@login_required
def calendar_page(request):
    require(has_perm(request.user, "worktime.view"), _("You may not do this."))
    return _page(request)


def _manage(request):
    require(has_perm(request.user, "worktime.manage"), _("Your role may not change the business calendar."))


@login_required
@require_POST
def set_week(request):
    _manage(request)
    form = WeekForm(data=request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            version = services.set_week(request.user, {k: data.get(k, "") for k in rules.WEEKDAY_KEYS},
                                        valid_from=data.get("valid_from"), note=data.get("note", ""))
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Working hours saved, valid from %(date)s.")
                             % {"date": version.valid_from.isoformat()})
            return redirect(_url(_year(request), "week"))
    return _page(request, forms={"week": form}, status=400)


@login_required
@require_POST
def remove_week(request, valid_from: str):
    _manage(request)
    try:
        if services.remove_week(request.user, valid_from):
            messages.success(request, _("The working hours valid from %(date)s are removed.") % {"date": valid_from})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_url(_year(request), "week"))


@login_required
@require_POST
def add_holiday(request):
    _manage(request)
    form = HolidayForm(data=request.POST)
    if form.is_valid():
        try:
            changed = services.add_holidays(request.user, form.dates(), name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, ngettext("%(n)s holiday added.", "%(n)s holidays added.", len(changed.added))
                             % {"n": len(changed.added)})
            return redirect(_url(form.cleaned_data["date"].year, "holidays"))
    return _page(request, forms={"holiday": form}, status=400)


@login_required
@require_POST
def remove_holiday(request, day: str):
    """Remove the holiday of a date, or of every date from it to `until` (a run such as 国庆节)."""
    _manage(request)
    try:
        first = services.parse_date(day)
        last = services.parse_date(request.POST["until"], "until") if request.POST.get("until") else first
        removed = services.remove_holidays(request.user, [first + datetime.timedelta(days=n)
                                                          for n in range(max(0, min((last - first).days, 366)) + 1)])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_url(_year(request), "holidays"))
    if removed:
        messages.success(request, ngettext("%(n)s holiday removed.", "%(n)s holidays removed.", removed)
                         % {"n": removed})
    return redirect(_url(first.year, "holidays"))


@login_required
@require_POST
def add_workday(request):
    _manage(request)
    form = MakeUpDayForm(data=request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_make_up_days(request.user, [data["date"]], name=data["name"], hours=data["hours"] or None)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Make-up working day %(date)s saved.") % {"date": data["date"].isoformat()})
            return redirect(_url(data["date"].year, "make-up-days"))
    return _page(request, forms={"make_up": form}, status=400)


@login_required
@require_POST
def remove_workday(request, day: str):
    _manage(request)
    try:
        removed = services.remove_make_up_day(request.user, day)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_url(_year(request), "make-up-days"))
    if removed:
        messages.success(request, _("Make-up working day %(date)s removed.") % {"date": day})
    return redirect(_url(int(day[:4]) if day[:4].isdigit() else _year(request), "make-up-days"))


@login_required
def due(request):
    """The what-if: the whole page, or only its result panel when htmx asks."""
    require(has_perm(request.user, "worktime.view"), _("You may not do this."))
    if request.headers.get("HX-Request"):
        context = _due_context(request)
        status = 400 if context["due_form"].errors else 200
        return render(request, "worktime/_due.html", {**context, "zone": settings.TIME_ZONE}, status=status)
    form = DueForm(data=request.GET)
    page = _page(request, forms={"due": form})
    if form.errors:
        page.status_code = 400
    return page
