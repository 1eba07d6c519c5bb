"""Pages of service improvement: improvement actions (list, new, one action with its transitions and
complaints), service promises with their measured performance (and the administrators' editor), service
recovery (list and form), and the two cards of the complaint page. Thin: forms parse, services write, queries
read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from credo.complaints.services import visible_complaints
from credo.core.clock import business_today
from credo.core.roles import has_perm
from credo.core.view_helpers import add_form_errors, run_posted_action

from . import queries, rules, services
from .forms import ActionForm, CancelForm, CompleteForm, LinkForm, PromiseForm, RecoveryForm, VerifyForm
from .models import ActionKind, ActionStatus, RecoveryKind, ServicePromise


def _require(user, permission):
    if not has_perm(user, permission):
        raise PermissionDenied(_("Your role may not do this."))


def _complaint_ids(user, text) -> list:
    """Reference numbers (or ids) typed by a person → complaint ids; an unknown one raises a field error."""
    ids, unknown = [], []
    for token in [t.strip() for t in (text or "").replace("，", ",").split(",") if t.strip()]:
        found = visible_complaints(user).filter(number__iexact=token).values_list("pk", flat=True).first()
        if found is None and token.isdigit():
            found = visible_complaints(user).filter(pk=int(token)).values_list("pk", flat=True).first()
        (ids.append(found) if found else unknown.append(token))
    if unknown:
        raise ValidationError({"complaints": [_("No complaint in your scope has the reference %(refs)s.")
                                              % {"refs": ", ".join(unknown)}]})
    return ids


def _errors_as(exc, rename: dict):
    """A service's ValidationError with its field names renamed to the form's."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({rename.get(k, k): v for k, v in exc.error_dict.items()})


def _back(request, fallback):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(*fallback)


# --- improvement actions --------------------------------------------------------------------------------

@login_required
def action_list(request):
    _require(request.user, "improvement.view")
    get = request.GET
    filters = {"status": get.get("status", ""), "kind": get.get("kind", ""), "owner": get.get("owner", ""),
               "overdue": get.get("overdue") == "1", "q": get.get("q", "")}
    rows = queries.actions(request.user, **filters)
    page = Paginator(rows, 50).get_page(get.get("page"))
    owners = (services.visible_actions(request.user).values_list("owner_id", "owner__username").distinct()
              .order_by("owner__username"))
    return render(request, "improvement/list.html", {
        "page": page, "rows": page.object_list, "f": filters, "today": business_today(),
        "filtered": any(get.get(k) for k in queries.ACTION_FILTERS),
        "status_choices": [("", _("All")), ("active", _("Not done yet")), *ActionStatus.choices],
        "kind_choices": ActionKind.choices, "owner_choices": list(owners),
        "can_manage": has_perm(request.user, "improvement.manage"),
    })


@login_required
def action_new(request):
    _require(request.user, "improvement.manage")
    initial = {}
    complaint = None
    if request.GET.get("complaint", "").isdigit():
        complaint = visible_complaints(request.user).filter(pk=int(request.GET["complaint"])).first()
        if complaint:
            initial["complaints"] = complaint.number
    form = ActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ids = _complaint_ids(request.user, data["complaints"])
            action = services.create_action(request.user, kind=data["kind"], title=data["title"],
                                            cause=data["cause"], owner=data["owner"], due_date=data["due_date"],
                                            complaint_ids=ids)
        except ValidationError as exc:
            add_form_errors(form, _errors_as(exc, {"complaint_ids": "complaints"}))
        else:
            messages.success(request, _("Improvement action %(ref)s created.") % {"ref": action.reference})
            return redirect("improvement:detail", action.pk)
    return render(request, "improvement/action_form.html", {"form": form, "complaint": complaint})


ACTION_FORMS = {"edit": ActionForm, "complete": CompleteForm, "verify": VerifyForm, "cancel": CancelForm,
                "link": LinkForm, "start": None, "unlink": None}


def _run(request, action, name, form):
    user, data = request.user, (form.cleaned_data if form is not None else {})
    if name == "edit":
        services.update_action(user, action, kind=data["kind"], title=data["title"], cause=data["cause"],
                               owner=data["owner"], due_date=data["due_date"])
        return _("Saved.")
    if name == "start":
        services.start(user, action)
        return _("Started.")
    if name == "complete":
        services.complete(user, action, data["outcome"])
        return _("Marked done; waiting for someone to verify its effect.")
    if name == "verify":
        services.verify(user, action, data["effect"])
        return _("Verified.")
    if name == "cancel":
        services.cancel(user, action, data["reason"])
        return _("Cancelled.")
    if name == "link":
        try:
            count = services.link_complaints(user, action, _complaint_ids(user, data["complaints"]))
        except ValidationError as exc:
            raise _errors_as(exc, {"complaint_ids": "complaints"}) from None
        return _("%(n)s complaint(s) linked.") % {"n": count}
    if name == "unlink":
        services.unlink_complaint(user, action, request.POST.get("complaint", ""))
        return _("Complaint unlinked.")
    raise Http404


@login_required
def action_detail(request, pk):
    _require(request.user, "improvement.view")
    action = queries.action_detail(request.user, pk)
    if action is None:
        raise Http404
    forms = {"edit": ActionForm(with_complaints=False, initial={
        "kind": action.kind, "title": action.title, "cause": action.cause, "owner": action.owner_id,
        "due_date": action.due_date}), "complete": CompleteForm(), "verify": VerifyForm(), "cancel": CancelForm(),
        "link": LinkForm()}
    failed = ""
    if request.method == "POST":
        message, form, name = run_posted_action(
            request, ACTION_FORMS,
            lambda cls: cls(request.POST, with_complaints=False) if cls is ActionForm else cls(request.POST),
            lambda name, form: _run(request, action, name, form))
        if message is not None:
            return redirect("improvement:detail", action.pk)
        forms[name], failed = form, name
    can_manage = services.can_manage(request.user, action)
    return render(request, "improvement/detail.html", {
        "action": action, "forms": forms, "failed": failed, "today": business_today(),
        "overdue": action.is_overdue(business_today()),
        "complaints": queries.linked_complaints(request.user, action),
        "can_manage": can_manage, "can_work": action.owner_id == request.user.pk or can_manage,
        "transitions": rules.allowed_transitions(action.status),
    })


@login_required
def link_from_complaint(request, complaint_pk):
    """The complaint page's card: link the complaint to an existing action."""
    _require(request.user, "improvement.manage")
    complaint = visible_complaints(request.user).filter(pk=complaint_pk).first()
    if complaint is None:
        raise Http404
    if request.method != "POST":
        return redirect("complaints:detail", complaint.pk)
    action_id = request.POST.get("action_id", "")
    action = services.visible_actions(request.user).filter(pk=action_id).first() if action_id.isdigit() else None
    if action is None:
        messages.error(request, _("Choose an improvement action."))
    else:
        try:
            services.link_complaints(request.user, action, [complaint.pk])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Linked to %(ref)s.") % {"ref": action.reference})
    return redirect("complaints:detail", complaint.pk)


# --- promises ------------------------------------------------------------------------------------------

@login_required
def promise_list(request):
    _require(request.user, "improvement.view")
    rows = []
    for promise in queries.promises():
        periods = queries.promise_performance(request.user, promise)
        worst = queries.describe_misses(promise, periods[-1].performance.worst) if periods else []
        rows.append({"promise": promise, "periods": periods, "worst": worst})
    return render(request, "improvement/promises.html", {
        "rows": rows, "periods": queries.PERIODS, "can_edit": has_perm(request.user, "promises.edit")})


@login_required
def promise_edit(request, pk=None):
    _require(request.user, "promises.edit")
    promise = None
    if pk is not None:
        promise = ServicePromise.objects.filter(pk=pk).first()
        if promise is None:
            raise Http404
    initial = {"valid_from": business_today()} if promise is None else {
        f: getattr(promise, f) for f in services.PROMISE_FIELDS}
    form = PromiseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            promise = services.save_promise(request.user, promise, **data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Service promise saved."))
            return redirect("improvement:promises")
    return render(request, "improvement/promise_form.html", {"form": form, "promise": promise})


# --- recovery -------------------------------------------------------------------------------------------

@login_required
def recovery_list(request):
    _require(request.user, "improvement.view")
    get = request.GET
    filters = {"kind": get.get("kind", ""), "customer": get.get("customer", ""),
               "complaint": get.get("complaint", "")}
    rows = queries.recoveries(request.user, **filters)
    page = Paginator(rows, 50).get_page(get.get("page"))
    return render(request, "improvement/recoveries.html", {
        "page": page, "rows": page.object_list, "f": filters, "total": queries.recovery_total(rows),
        "filtered": any(filters.values()), "kind_choices": RecoveryKind.choices,
        "can_record": has_perm(request.user, "recovery.record")})


def _ticket_id(user, number):
    from credo.servicedesk.queries import visible_tickets

    number = (number or "").strip()
    if not number:
        return None
    found = visible_tickets(user).filter(number__iexact=number).values_list("pk", flat=True).first()
    if found is None:
        raise ValidationError({"ticket": [_("No service request in your scope has this reference.")]})
    return found


@login_required
def recovery_new(request):
    _require(request.user, "recovery.record")
    initial = {}
    if request.GET.get("complaint", "").isdigit():
        complaint = visible_complaints(request.user).filter(pk=int(request.GET["complaint"])).first()
        if complaint:
            initial["complaint"] = complaint.number
    form = RecoveryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint_ids = _complaint_ids(request.user, data["complaint"])
            row = services.record_recovery(
                request.user, complaint_id=complaint_ids[0] if complaint_ids else None,
                ticket_id=_ticket_id(request.user, data["ticket"]), failure=data["failure"],
                promise_id=data["promise"].pk if data["promise"] else None, kind=data["kind"],
                description=data["description"], done_by=data["done_by"], cost=data["cost"])
        except ValidationError as exc:
            add_form_errors(form, _errors_as(exc, {"complaint_id": "complaint", "complaints": "complaint",
                                                   "ticket_id": "ticket", "promise_id": "promise"}))
        else:
            messages.success(request, _("Service recovery recorded."))
            if row.complaint_id:
                return redirect("complaints:detail", row.complaint_id)
            return redirect("improvement:recoveries")
    return render(request, "improvement/recovery_form.html", {"form": form})


# --- the complaint page -----------------------------------------------------------------------------------

def complaint_cards(request, complaint):
    user = request.user
    if not has_perm(user, "improvement.view"):
        return None
    recoveries = queries.recoveries_for_complaint(user, complaint)
    return {"template": "improvement/cards/complaint.html", "actions": queries.for_complaint(user, complaint),
            "linkable": queries.linkable_actions(user, complaint) if has_perm(user, "improvement.manage") else [],
            "recoveries": recoveries, "recovery_total": sum((r.cost for r in recoveries), start=0),
            "can_manage": has_perm(user, "improvement.manage"), "can_record": has_perm(user, "recovery.record"),
            "complaint": complaint, "today": business_today()}
