"""Collection pages: the case list, the case page with its action forms, letters as PDF, the card's tab.
Thin: forms parse, services write, queries read; a service's ValidationError lands on the form's fields."""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credo.core.clock import business_today
from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers.queries import get_customer_for_user
from credo.customers.views import _add_errors
from credo.sales.models import CustomerBalance

from . import dunning, penalty, queries, services
from .forms import (
    CaseForm,
    ChargeInterestForm,
    CloseForm,
    EndPlanForm,
    EntryForm,
    EscalateForm,
    LegalForm,
    MeasureForm,
    PlanForm,
    PromiseForm,
)
from .models import (
    CaseEntry,
    CollectionCase,
    CollectionPolicy,
    DebtorGuidance,
    DunningLetter,
    InstalmentPlan,
    PromiseToPay,
)

PAGE_SIZE = 50
STATUS_CHOICES = [("live", gettext_lazy("Open and with legal")), ("open", gettext_lazy("Open")),
                  ("legal", gettext_lazy("Handed over to legal")), ("closed", gettext_lazy("Closed")),
                  ("all", gettext_lazy("All cases"))]


def _require(user, action: str):
    if not has_perm(user, action):
        raise PermissionDenied(_("Your role may not do this."))


def _case_or_404(user, pk) -> CollectionCase:
    """The case if the user may see its customer; 404 otherwise (as for customers out of scope)."""
    _require(user, "collection.view")
    case = (queries.visible_cases(user)
            .select_related("customer", "customer__account_manager__profile", "owner__profile",
                            "escalated_to__profile")
            .filter(pk=pk).first())
    if case is None:
        raise Http404
    return case


def _case_url(case, anchor: str = "") -> str:
    return reverse("collection:detail", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def _days_overdue(balance, today: datetime.date) -> int:
    oldest = getattr(balance, "oldest_open_due_date", None)
    return (today - oldest).days if oldest and oldest < today else 0


def _form_errors(form, exc: ValidationError, renames: dict | None = None):
    """A service's errors onto the form; renames maps a service's field name to the form's."""
    if renames and hasattr(exc, "error_dict"):
        exc = ValidationError({renames.get(k, k): v for k, v in exc.error_dict.items()})
    _add_errors(form, exc)


# ---------------------------------------------------------------------------------------------- list


@login_required
def case_list(request):
    _require(request.user, "collection.view")
    today = business_today()
    status = request.GET.get("status", "live")
    if status not in dict(STATUS_CHOICES):
        status = "live"
    mine = request.GET.get("mine") == "1"
    search = request.GET.get("q", "").strip()[:100]
    cases = queries.cases_for(request.user, status=status, mine=mine, search=search)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    summary = queries.overdue_summary({c.customer_id for c in rows}, today)
    for case in rows:
        figures = summary.get(case.customer_id, {})
        case.overdue_now = figures.get("overdue", Decimal("0.00"))
        case.overdue_count = figures.get("count", 0)
        balance = getattr(case.customer, "balance", None)
        case.oldest_due = getattr(balance, "oldest_open_due_date", None)
        case.days_overdue = _days_overdue(balance, today)
    return render(request, "collection/list.html", {
        "page": page,
        "rows": rows,
        "page_total": sum((c.overdue_now for c in rows), Decimal("0.00")),
        "status": status,
        "mine": mine,
        "search": search,
        "status_choices": STATUS_CHOICES,
        "filtered": status != "live" or mine or bool(search),
        "can_run": has_perm(request.user, "collection.dunning"),
        "can_configure": request.user.is_staff and has_perm(request.user, "collection.dunning"),
        "today": today,
    })


@login_required
@require_POST
def run_dunning_now(request):
    _require(request.user, "collection.dunning")
    result = dunning.run_dunning(actor=request.user.username)
    letters = result.letters
    messages.success(request, _(
        "Dunning run of %(date)s: %(notice)d advance notices, %(warning)d warnings and %(lawyer)d lawyer's letters "
        "issued; %(opened)d cases opened, %(closed)d closed; %(held)d customers held back by a promise or a plan. "
        "Promises checked: %(kept)d kept, %(broken)d broken.") % {
        "date": result.as_of.isoformat(), "notice": letters.get("notice", 0), "warning": letters.get("warning", 0),
        "lawyer": letters.get("lawyer", 0), "opened": result.cases_opened, "closed": result.cases_closed,
        "held": result.held_back, "kept": result.promises.get("kept", 0), "broken": result.promises.get("broken", 0),
    })
    return redirect("collection:list")


# ---------------------------------------------------------------------------------------------- case page


@dataclass(frozen=True)
class Action:
    """One form on the case page: who may use it, when it is offered, and the service call it makes."""

    permission: str
    anchor: str
    live_only: bool = True


ACTIONS = {
    "edit": Action("collection.act", "case-facts"),
    "note": Action("collection.note", "log", live_only=False),
    "promise": Action("collection.act", "promises"),
    "escalate": Action("collection.act", "case-facts"),
    "legal": Action("collection.act", "case-facts"),
    "plan": Action("collection.act", "plans"),
    "measure": Action("collection.act", "measures"),
    "close": Action("collection.act", "case-facts"),
    "interest": Action("ledger.post", "interest"),
}


def _make_form(key: str, request, case, data=None, files=None, today=None, overdue=None):
    today = today or business_today()
    if key == "edit":
        return CaseForm(data, case=case, initial={"reason": case.reason, "debtor_type": case.debtor_type,
                                                  "owner": case.owner_id,
                                                  "penalty_daily_rate": case.penalty_daily_rate})
    if key == "note":
        return EntryForm(data, files)
    if key == "promise":
        return PromiseForm(data, initial={"made_on": today})
    if key == "escalate":
        targets = services.escalation_targets(case).exclude(pk=request.user.pk)
        return EscalateForm(data, targets=targets)
    if key == "legal":
        return LegalForm(data, initial={"on": today})
    if key == "plan":
        return PlanForm(data, initial={"total": overdue, "every_months": 1, "agreed_on": today})
    if key == "measure":
        return MeasureForm(data, can_post=has_perm(request.user, "ledger.post"), initial={"taken_on": today})
    if key == "close":
        return CloseForm(data)
    if key == "interest":
        return ChargeInterestForm(data)
    raise Http404


def _allowed(user, case, key: str) -> bool:
    action = ACTIONS[key]
    if action.live_only and not case.is_live:
        return False
    if key == "legal" and case.status != CollectionCase.Status.OPEN:
        return False
    return has_perm(user, action.permission)


def _render_case(request, case, bound: dict | None = None):
    """The case page; `bound` holds the form that failed, shown open with its errors and input."""
    user, today = request.user, business_today()
    customer = case.customer
    balance = CustomerBalance.objects.filter(customer=customer).first()
    summary = queries.overdue_summary([customer.pk], today).get(customer.pk)
    invoices = list(queries.overdue_invoices(customer.pk, today)[:200])
    for invoice in invoices:
        invoice.days_overdue = (today - invoice.due_date).days
    guidance = DebtorGuidance.objects.filter(debtor_type=case.debtor_type).first() if case.debtor_type else None
    policy = CollectionPolicy.current()
    rate = queries.daily_rate_for(case, policy)
    interest_lines = queries.uncharged_interest(customer.pk, today, rate, policy.penalty_grace_days) \
        if case.is_live else []
    plans = [queries.plan_progress(plan, today) for plan in case.plans.prefetch_related("instalments")]
    overdue = summary["overdue"] if summary else None
    bound = bound or {}
    forms = {key: bound[key] if key in bound else _make_form(key, request, case, today=today, overdue=overdue)
             for key in ACTIONS if _allowed(user, case, key)}
    end_plan_forms = {}
    if services.can_act(user):
        for progress in plans:
            if progress.plan.status == InstalmentPlan.Status.ACTIVE:
                end_plan_forms[progress.plan.pk] = EndPlanForm()
    for progress in plans:
        progress.end_form = end_plan_forms.get(progress.plan.pk)
        progress.form_key = f"end_plan_{progress.plan.pk}"
    next_step = queries.next_letter_step(case) if case.is_live else None
    return render(request, "collection/case.html", {
        "case": case,
        "customer": customer,
        "balance": balance,
        "summary": summary,
        "days_overdue": summary["max_days"] if summary else 0,
        "invoices": invoices,
        "guidance": guidance,
        "guidance_text": guidance.text(get_language() or "zh-hans") if guidance else "",
        "entries": case.entries.all()[:200],
        "promises": case.promises.all(),
        "plans": plans,
        "measures": case.measures.select_related("credit_note"),
        "letters": case.letters.all(),
        "charges": case.charges.select_related("source", "charge_invoice"),
        "interest_lines": interest_lines,
        "interest_total": sum((line.interest for line in interest_lines), Decimal("0.00")),
        "rate": rate,
        "rate_display": f"{rate.normalize():f}",
        "rate_percent": f"{(rate * 100).normalize():f}",
        "case_rate": case.penalty_daily_rate is not None,
        "grace_days": policy.penalty_grace_days,
        "forms": forms,
        "open_form": next(iter(bound), ""),
        "has_active_plan": any(p.plan.status == InstalmentPlan.Status.ACTIVE for p in plans),
        "can_act": case.is_live and services.can_act(user),
        "can_letter": case.is_live and has_perm(user, "collection.dunning"),
        "next_step": next_step,
        "today": today,
    })


@login_required
def case_detail(request, pk):
    case = _case_or_404(request.user, pk)
    return _render_case(request, case)


def _call(key: str, request, case, data: dict):
    """The service call of one action; returns the success message."""
    user = request.user
    if key == "edit":
        services.update_case(user, case, reason=data["reason"], debtor_type=data["debtor_type"], owner=data["owner"],
                             penalty_daily_rate=data["penalty_daily_rate"])
        return _("Case saved.")
    if key == "note":
        entry = services.add_entry(user, case, text=data["text"], file=data["file"], evidence=data["evidence"])
        return _("Evidence added.") if entry.kind == CaseEntry.Kind.EVIDENCE else _("Note added.")
    if key == "promise":
        promise = services.record_promise(user, case, promised_date=data["promised_date"], amount=data["amount"],
                                          made_on=data["made_on"], made_by=data["made_by"], note=data["note"])
        return _("Promise to pay %(amount)s by %(date)s recorded; it is checked against the payments received.") % {
            "amount": f"¥{promise.amount:,.2f}", "date": promise.promised_date.isoformat()}
    if key == "escalate":
        case = services.escalate(user, case, to_user=data["to_user"], note=data["note"])
        return _("Escalated to %(name)s (level %(level)d).") % {"name": data["to_user"].username,
                                                                 "level": case.escalation_level}
    if key == "legal":
        services.hand_over_to_legal(user, case, on=data["on"], note=data["note"])
        return _("Case handed over to legal.")
    if key == "plan":
        plan = services.create_instalment_plan(user, case, total=data["total"], count=data["count"],
                                               first_due=data["first_due"], every_months=data["every_months"],
                                               agreed_on=data["agreed_on"], note=data["note"])
        return _("Instalment plan of %(total)s in %(count)d instalments agreed.") % {
            "total": f"¥{plan.total:,.2f}", "count": data["count"]}
    if key == "measure":
        measure = services.record_measure(user, case, kind=data["kind"], description=data["description"],
                                          taken_on=data["taken_on"], amount=data["amount"], until=data["until"],
                                          credit_note_number=data.get("credit_note_number", ""))
        if measure.credit_note_id:
            return _("Measure recorded; credit note %(number)s posted.") % {"number": measure.credit_note.number}
        return _("Measure recorded.")
    if key == "close":
        services.close_case(user, case, note=data["note"])
        return _("Case closed.")
    if key == "interest":
        invoice, charges = penalty.charge_penalty_interest(user, case.customer, number=data["number"])
        return _("Penalty interest of %(amount)s charged on %(count)d invoices: interest invoice %(number)s.") % {
            "amount": f"¥{invoice.amount:,.2f}", "count": len(charges), "number": invoice.number}
    raise Http404


# Service field names that the forms call differently (the credit note posted with a measure).
RENAMES = {"measure": {"number": "credit_note_number", "note_date": "taken_on"}}


@login_required
@require_POST
def case_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    case = _case_or_404(request.user, pk)
    if not _allowed(request.user, case, action):
        raise PermissionDenied(_("Your role may not do this, or the case no longer allows it."))
    form = _make_form(action, request, case, request.POST, request.FILES)
    if form.is_valid():
        try:
            message = _call(action, request, case, form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc, RENAMES.get(action))
        else:
            messages.success(request, message)
            return redirect(_case_url(case, ACTIONS[action].anchor))
    case.refresh_from_db()
    return _render_case(request, case, bound={action: form})


@login_required
@require_POST
def end_plan(request, pk, plan_pk):
    case = _case_or_404(request.user, pk)
    plan = case.plans.filter(pk=plan_pk).first()
    if plan is None:
        raise Http404
    if not services.can_act(request.user):
        raise PermissionDenied(_("Your role may not act on collection cases."))
    form = EndPlanForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get("outcome", [_("Choose how the plan ended.")])[0])
        services.end_instalment_plan(request.user, plan, completed=form.cleaned_data["outcome"] == "completed",
                                     note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Instalment plan ended."))
    return redirect(_case_url(case, "plans"))


@login_required
@require_POST
def issue_letter(request, pk):
    case = _case_or_404(request.user, pk)
    _require(request.user, "collection.dunning")
    try:
        letter = dunning.issue_letter(request.user, case)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(title)s %(number)s issued: print it from the list of letters.") % {
            "title": letter.title, "number": letter.number})
    return redirect(_case_url(case, "letters"))


@login_required
def letter_pdf(request, pk):
    _require(request.user, "collection.view")
    letter = queries.visible_letter(request.user, pk)
    if letter is None:
        raise Http404
    return FileResponse(io.BytesIO(dunning.letter_pdf(letter)), filename=f"{letter.number}.pdf",
                        content_type="application/pdf")


@login_required
def entry_file(request, pk):
    """A file of the case log, only to users who may see the case's customer."""
    _require(request.user, "collection.view")
    entry = (CaseEntry.objects.filter(customer_q(request.user, "case__customer__"), pk=pk).exclude(file="")
             .first())
    if entry is None:
        raise Http404
    name = entry.file_name or entry.file.name.rsplit("/", 1)[-1]
    return FileResponse(entry.file.open("rb"), as_attachment=True, filename=name)


@login_required
@require_POST
def open_case(request, customer_pk):
    customer = get_customer_for_user(request.user, customer_pk)
    _require(request.user, "collection.act")
    try:
        case = services.open_case(request.user, customer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("customers:detail", args=[customer.pk]) + "?tab=collection")
    messages.success(request, _("Collection case %(number)s opened.") % {"number": case.number})
    return redirect(_case_url(case))


# ---------------------------------------------------------------------------------------------- card tab


def collection_tab_context(request, customer) -> dict:
    today = business_today()
    cases = list(customer.collection_cases.select_related("owner__profile", "escalated_to__profile"))
    cases.sort(key=lambda c: not c.is_live)
    live = next((c for c in cases if c.is_live), None)
    return {
        "cases": cases,
        "live_case": live,
        "collection_summary": queries.overdue_summary([customer.pk], today).get(customer.pk),
        "letters": DunningLetter.objects.filter(customer=customer).select_related("case")[:50],
        "promises": PromiseToPay.objects.filter(customer=customer).select_related("case")[:50],
        "broken_promises": queries.broken_promises(customer.pk),
        "can_open_case": live is None and customer.is_active and services.can_act(request.user),
        "today": today,
    }
