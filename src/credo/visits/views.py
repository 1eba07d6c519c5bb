"""Visit pages: my plan (phone-friendly quick entry), a visit's result, recording an unplanned visit, call or
mail, caring reminders with one-click recording, the team's plan, compliance, the policy table and the card's
tab. Thin: forms parse, services write, queries read."""

import datetime
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from credo.core.clock import business_today
from credo.core.roles import has_perm
from credo.customers.queries import get_customer_for_user
from credo.customers.views import _add_errors

from . import queries, rules, services
from .forms import PolicyForm, RecordForm, ResultForm
from .models import Kind, Status, VisitPolicy


def _require(user, action: str):
    if not has_perm(user, action):
        raise PermissionDenied(_("Your role may not do this."))


def _month_param(request, name="month", default=None) -> datetime.date:
    month = rules.parse_month(request.GET.get(name, ""))
    return month or default or business_today().replace(day=1)


@login_required
def my_plan(request):
    """Today and the rest of this week, my own contacts, each a big tap target leading to the short form."""
    _require(request.user, "visits.view")
    today = business_today()
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    rows = list(queries.plan_between(request.user, today, week_end, person_ids=[request.user.pk]))
    late = list(queries.visible_visits(request.user).filter(person=request.user, status=Status.PLANNED,
                                                            planned_date__lt=today)
                .select_related("customer").order_by("planned_date", "id")[:20])
    days: dict = {}
    for row in rows:
        days.setdefault(row.planned_date, []).append(row)
    return render(request, "visits/my_plan.html", {
        "today": today, "week_end": week_end, "days": sorted(days.items()), "late": late,
        "can_record": has_perm(request.user, "visits.record"),
    })


@login_required
def record_result(request, pk):
    _require(request.user, "visits.view")
    visit = queries.visible_visits(request.user).select_related("customer", "person").filter(pk=pk).first()
    if visit is None:
        raise Http404
    contacts = list(visit.customer.contacts.filter(is_active=True))
    initial = {"status": Status.DONE, "done_date": business_today(), "purpose": visit.purpose}
    form = ResultForm(request.POST or None, contacts=contacts, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_result(request.user, visit, status=data["status"], done_date=data["done_date"],
                                   purpose=data["purpose"], outcome=data["outcome"], next_step=data["next_step"],
                                   next_step_date=data["next_step_date"], contact_ids=data.get("contacts", []),
                                   latitude=data["latitude"], longitude=data["longitude"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Recorded: %(customer)s.") % {"customer": visit.customer.name})
            return redirect(request.POST.get("next") or reverse("visits:my_plan"))
    return render(request, "visits/result.html", {"visit": visit, "form": form,
                                                   "can_record": services.can_record(request.user, visit.customer)
                                                   and visit.status == Status.PLANNED})


@login_required
def record_contact(request, customer_id):
    """Record a visit, call or mail that was not planned (e.g. a mail follow-up or a caring contact)."""
    _require(request.user, "visits.record")
    customer = get_customer_for_user(request.user, customer_id)
    contacts = list(customer.contacts.filter(is_active=True))
    initial = {"kind": request.GET.get("kind") or Kind.VISIT, "purpose": request.GET.get("purpose") or "sales",
               "done_date": business_today()}
    form = RecordForm(request.POST or None, contacts=contacts, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_visit(request.user, customer, kind=data["kind"], purpose=data["purpose"],
                                  done_date=data["done_date"], outcome=data["outcome"], next_step=data["next_step"],
                                  next_step_date=data["next_step_date"], contact_ids=data.get("contacts", []),
                                  latitude=data["latitude"], longitude=data["longitude"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Recorded: %(customer)s.") % {"customer": customer.name})
            return redirect(reverse("customers:detail", args=[customer.pk]) + "?tab=visits")
    return render(request, "visits/record.html", {"customer": customer, "form": form})


def _days_param(request) -> int:
    text = request.GET.get("days", "")
    return max(1, min(int(text), 366)) if text.isdigit() else rules.CARING_DAYS


@login_required
def caring(request):
    """温情追踪: the occasions for greetings to my customers in the next days, each recorded with one click."""
    _require(request.user, "visits.view")
    today = business_today()
    days = _days_param(request)
    reminders = queries.caring_reminders(request.user, today, days)
    return render(request, "visits/caring.html", {
        "reminders": reminders, "days": days, "today": today,
        "pending": sum(1 for r in reminders if not r["done"]),
        "can_record": has_perm(request.user, "visits.record"),
    })


@login_required
def caring_record(request):
    """One click on a reminder: a done caring contact (call by default, or mail) for its customer and contact."""
    if request.method != "POST":
        return redirect("visits:caring")
    _require(request.user, "visits.record")
    today = business_today()
    days = _days_param(request)
    key = request.POST.get("key", "")
    reminder = next((r for r in queries.caring_reminders(request.user, today, days) if r["key"] == key), None)
    if reminder is None:
        raise Http404
    customer = get_customer_for_user(request.user, reminder["customer_id"])
    try:
        services.record_caring(request.user, customer, occasion=reminder["text"],
                               kind=request.POST.get("kind") or Kind.CALL, contact_id=reminder["contact_id"], key=reminder["key"],
                               today=today)
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.success(request, _("Caring contact recorded: %(customer)s.") % {"customer": customer.name})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("visits:caring") + f"?days={days}"
    return redirect(target)


@login_required
def team_plan(request):
    _require(request.user, "visits.plan")
    month = _month_param(request)
    end = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    persons = queries.person_ids_for(request.user)
    rows = queries.plan_between(request.user, month, end, person_ids=persons)
    person = request.GET.get("person", "")
    if person.isdigit():
        rows = rows.filter(person_id=int(person))
    rows = list(rows[:2000])
    by_person: dict = {}
    for row in rows:
        by_person.setdefault(row.person, []).append(row)
    summary = [{"person": p, "visits": sum(1 for r in rs if r.kind == "visit"),
                "calls": sum(1 for r in rs if r.kind == "call"),
                "done": sum(1 for r in rs if r.status == Status.DONE),
                "late": sum(1 for r in rs if r.status == Status.PLANNED and r.planned_date < business_today())}
               for p, rs in sorted(by_person.items(), key=lambda kv: kv[0].username)]
    return render(request, "visits/team_plan.html", {
        "month": month, "summary": summary, "by_person": sorted(by_person.items(), key=lambda kv: kv[0].username),
        "truncated": len(rows) >= 2000, "person": person,
    })


@login_required
def compliance(request):
    _require(request.user, "visits.view")
    last = _month_param(request, "to")
    first = _month_param(request, "from", default=(last - datetime.timedelta(days=62)).replace(day=1))
    rows = queries.compliance(request.user, first, last, person_ids=queries.person_ids_for(request.user))
    people = queries.compliance_by_person(rows)
    chart = {"persons": [p["person"] for p in people], "planned": [p["planned"] for p in people],
             "done": [p["done"] for p in people], "actual": [p["actual"] for p in people]}
    return render(request, "visits/compliance.html", {
        "rows": rows, "people": people, "first": first, "last": last, "chart_json": json.dumps(chart),
    })


@login_required
def policy(request):
    _require(request.user, "visits.view")
    can_edit = has_perm(request.user, "visits.plan")
    policies = list(VisitPolicy.objects.all())
    error_form = None
    if request.method == "POST":
        _require(request.user, "visits.plan")
        row = next((p for p in policies if str(p.pk) == request.POST.get("policy")), None)
        if row is None:
            raise Http404
        form = PolicyForm(request.POST)
        if form.is_valid():
            try:
                services.update_policy(request.user, row, minimum=form.cleaned_data["minimum_per_month"],
                                       target=form.cleaned_data["target_per_month"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Visit policy saved."))
                return redirect("visits:policy")
        error_form = (row.pk, form)
    return render(request, "visits/policy.html", {"policies": policies, "can_edit": can_edit,
                                                   "error_form": error_form,
                                                   "max_days": rules.MAX_DAYS_WITHOUT_CONTACT})


def visits_tab_context(request, customer) -> dict:
    history, upcoming = queries.customer_visits(request.user, customer)
    return {"visit_history": history, "visit_upcoming": upcoming,
            "visit_can_record": services.can_record(request.user, customer)}
