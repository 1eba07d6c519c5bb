"""Complaint pages: the queue, intake, one complaint with its six steps (the open step's owner closes it on a
phone), the public no-login form with its reference number, attachments and the card's Service tab. Thin: forms
parse, services write, queries read."""


from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from credo.core.clock import business_now
from credo.core.lockout import client_address
from credo.core.roles import has_perm
from credo.core.view_helpers import run_posted_action
from credo.customers.queries import visible_customers
from credo.customers.views import _add_errors
from credo.sla.models import Severity

from . import queries, report, rules, services
from .cards import cards_for, service_parts
from .forms import (
    AssignForm,
    AttachForm,
    CloseStepForm,
    IntakeForm,
    LinkForm,
    MeasureForm,
    PauseForm,
    PublicForm,
    ReopenForm,
    WindowForm,
)
from .models import STEP_NAMES, Category, Channel, ComplaintAttachment, ComplaintPolicy, Priority, Status

PUBLIC_LIMIT = getattr(settings, "COMPLAINT_PUBLIC_LIMIT", 5)            # submissions per address …
PUBLIC_WINDOW_SECONDS = getattr(settings, "COMPLAINT_PUBLIC_WINDOW", 3600)  # … in this many seconds
PUBLIC_DONE_KEY = "complaints.public_number"


def _require(user, action):
    if not has_perm(user, action):
        raise PermissionDenied(_("Your role may not do this."))


def _find_customer(user, text):
    text = (text or "").strip()
    if not text:
        return None
    rows = visible_customers(user).filter(Q(code__iexact=text) | Q(name=text))
    found = list(rows[:2])
    return found[0] if len(found) == 1 else None


@login_required
def queue(request):
    _require(request.user, "complaints.view")
    get = request.GET
    filters = {"status": get.get("status", Status.OPEN), "step": get.get("step", ""),
               "category": get.get("category", ""), "severity": get.get("severity", ""),
               "priority": get.get("priority", ""), "channel": get.get("channel", ""), "q": get.get("q", ""),
               "mine": get.get("mine") == "1", "repeat": get.get("repeat") == "1",
               "waiting": get.get("waiting") == "1"}
    rows = queries.queue(request.user, **filters)
    page = Paginator(rows, 50).get_page(get.get("page"))
    return render(request, "complaints/queue.html", {
        "page": page, "rows": page.object_list, "f": filters, "now": business_now(),
        "filtered": any(k in get for k in queries.QUEUE_FILTERS if k != "status") or filters["status"] != "open",
        "status_choices": [("", _("All")), *Status.choices], "step_choices": list(STEP_NAMES.items()),
        "category_choices": Category.choices, "severity_choices": Severity.choices,
        "priority_choices": Priority.choices, "channel_choices": Channel.choices,
        "can_intake": has_perm(request.user, "complaints.intake"),
    })


def _document_id(model, number):
    number = (number or "").strip()
    if not number:
        return None
    return model.objects.filter(number=number).values_list("pk", flat=True).first() or -1


def _ticket_to_convert(request):
    """The service request named by ?from_ticket=, which this intake turns into a complaint (None: a plain
    intake)."""
    number = request.GET.get("from_ticket", "")
    if not number:
        return None
    from credo.servicedesk.queries import get_ticket_for_user

    if not number.isdigit() or not has_perm(request.user, "servicedesk.view"):
        raise Http404
    return get_ticket_for_user(request.user, int(number))


@login_required
def intake(request):
    _require(request.user, "complaints.intake")
    ticket = _ticket_to_convert(request)
    if ticket is not None and ticket.complaint_id is not None:
        return redirect("complaints:detail", ticket.complaint_id)
    initial = services.ticket_initial(ticket) if ticket else {}
    if ticket is None and request.GET.get("customer"):
        customer = visible_customers(request.user).filter(pk=request.GET["customer"]).first() \
            if request.GET["customer"].isdigit() else None
        if customer:
            initial["customer"] = customer.code
    form = IntakeForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        from credo.sales.models import Invoice, SalesOrder

        data = form.cleaned_data
        customer = _find_customer(request.user, data["customer"])
        if customer is None:
            form.add_error("customer", _("No customer in your scope has this code or name."))
            form._style()
        else:
            fields = dict(
                customer=customer, channel=data["channel"], category=data["category"], severity=data["severity"],
                contact_name=data["contact_name"], contact_phone=data["contact_phone"],
                contact_email=data["contact_email"], product=data["product"], product_text=data["product_text"],
                order=_document_id(SalesOrder, data["order_number"]),
                invoice=_document_id(Invoice, data["invoice_number"]),
                description=data["description"], attachments=data["attachments"])
            try:
                if ticket is None:
                    complaint = services.intake(request.user, **fields)
                else:
                    complaint = services.intake_from_ticket(request.user, ticket, **fields)
            except ValidationError as exc:
                for name, field in (("order", "order_number"), ("invoice", "invoice_number")):
                    if hasattr(exc, "error_dict") and name in exc.error_dict:
                        exc.error_dict[field] = exc.error_dict.pop(name)
                _add_errors(form, exc)
            else:
                if ticket is None:
                    messages.success(request, _("Complaint %(number)s taken in.") % {"number": complaint.number})
                else:
                    messages.success(request, _("Complaint %(number)s taken in; service request %(ticket)s is "
                                                "closed as converted.") % {"number": complaint.number,
                                                                           "ticket": ticket.number})
                return redirect("complaints:detail", complaint.pk)
    from credo.servicedesk.queries import suggest

    text = form["description"].value() or ""
    return render(request, "complaints/intake.html", {"form": form, "ticket": ticket,
                                                      "suggestions": suggest(text, user=request.user)})


ACTIONS = {
    "close": CloseStepForm, "assign": AssignForm, "measure": MeasureForm, "pause": PauseForm,
    "resume": None, "reopen": ReopenForm, "link": LinkForm, "attach": AttachForm,
}


def _run(request, complaint, action, form):
    user, data = request.user, form.cleaned_data if form is not None else {}
    if action == "close":
        number = request.POST.get("step", "")
        services.close_step(user, complaint, number, data["record"], cause=data["cause"],
                            department=data["department"])
        complaint.refresh_from_db()
        return (_("Complaint %(number)s closed.") % {"number": complaint.number} if complaint.status == Status.CLOSED
                else _("Step %(step)s closed; step %(next)s is open.") % {"step": number,
                                                                          "next": complaint.current_step})
    if action == "assign":
        services.assign(user, complaint, data["owner"])
        return _("Owner saved.")
    if action == "measure":
        services.log_measure(user, complaint, data["text"])
        return _("Emergency measure recorded.")
    if action == "pause":
        services.pause(user, complaint, data["reason"])
        return _("The clock is paused while the complaint waits on the customer.")
    if action == "resume":
        services.resume(user, complaint)
        return _("The clock runs again.")
    if action == "reopen":
        row = services.reopen(user, complaint, data["to_step"], data["reason"])
        return _("Reopened at step %(step)s.") % {"step": row.to_step}
    if action == "link":
        customer = _find_customer(user, data["customer"])
        if customer is None:
            raise ValidationError({"customer": [_("No customer in your scope has this code or name.")]})
        services.link_customer(user, complaint, customer)
        return _("Linked to %(customer)s.") % {"customer": customer.name}
    if action == "attach":
        count = services.add_attachments(user, complaint, data["attachments"])
        return _("%(n)s file(s) added.") % {"n": count}
    raise Http404


@login_required
def detail(request, pk):
    _require(request.user, "complaints.view")
    complaint = queries.detail(request.user, pk)
    if complaint is None:
        raise Http404
    forms = {name: (cls() if cls else None) for name, cls in ACTIONS.items()}
    step = services.open_step(complaint)
    forms["assign"] = AssignForm(initial={"owner": step.owner_id if step else None})
    failed = ""
    if request.method == "POST":
        message, form, action = run_posted_action(
            request, ACTIONS, lambda cls: cls(request.POST, request.FILES),
            lambda name, form: _run(request, complaint, name, form))
        if message is not None:
            return redirect("complaints:detail", complaint.pk)
        forms[action], failed = form, action
    from credo.sla.models import Kind, SlaClock, SlaPause

    clocks = list(SlaClock.objects.filter(kind=Kind.COMPLAINT, subject_id=complaint.pk).order_by("started_at", "id"))
    return render(request, "complaints/detail.html", {
        "complaint": complaint, "rounds": queries.steps_by_round(complaint), "open_step": step,
        "forms": forms, "failed": failed, "now": business_now(),
        "measures": complaint.measures.select_related("by"), "reopens": complaint.reopens.select_related("by"),
        "attachments": complaint.attachments.all(), "clocks": clocks,
        "pauses": SlaPause.objects.filter(kind=Kind.COMPLAINT, subject_id=complaint.pk),
        "repeats": complaint.repeats.all(), "source_ticket": services.source_ticket(complaint),
        "suggestions": _suggestions(request.user, complaint),
        "can_write_article": not complaint.is_open and has_perm(request.user, "kb.edit"),
        "can_manage": services.can_manage(request.user, complaint),
        "can_work": complaint.is_open and services.can_work(request.user, complaint, step),
        "steps": rules.STEPS, "step_names": STEP_NAMES, "extra_cards": cards_for(request, complaint),
    })


def _suggestions(user, complaint):
    """Knowledge articles for an open complaint's description (none once it is closed, nor for a role without the
    knowledge base)."""
    if not complaint.is_open or not has_perm(user, "kb.view"):
        return []
    from credo.servicedesk.queries import suggest

    return suggest(complaint.description, user=user)


@login_required
def attachment(request, pk):
    row = ComplaintAttachment.objects.filter(pk=pk, complaint__in=services.visible_complaints(request.user)).first()
    if row is None:
        raise Http404
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.name)


@login_required
def settings_page(request):
    _require(request.user, "complaints.view")
    today = business_now().date()
    form = WindowForm(request.POST or None, initial={"repeat_window_days": services.repeat_window(today)})
    if request.method == "POST":
        _require(request.user, "complaints.settings")
        if form.is_valid():
            try:
                services.set_repeat_window(request.user, form.cleaned_data["repeat_window_days"],
                                           note=form.cleaned_data["note"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("complaints:settings")
    return render(request, "complaints/settings.html", {
        "form": form, "history": ComplaintPolicy.objects.all()[:20],
        "can_edit": has_perm(request.user, "complaints.settings"),
        "window": services.repeat_window(today)})


# --- the public form ------------------------------------------------------------------------------

def _rate_key(request) -> str:
    return f"complaints:public:{client_address(request) or 'unknown'}"


def _over_limit(request) -> bool:
    return (cache.get(_rate_key(request)) or 0) >= PUBLIC_LIMIT


def _count_submission(request) -> None:
    key = _rate_key(request)
    if cache.add(key, 1, PUBLIC_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, PUBLIC_WINDOW_SECONDS)


def public_form(request):
    """A company link that needs no login: the complaint lands in step 1 and the submitter gets its reference
    number. Limited per client address (PUBLIC_LIMIT submissions per PUBLIC_WINDOW_SECONDS)."""
    form = PublicForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if _over_limit(request):
            form.add_error(None, _("Too many complaints were sent from your network in the last hour. Please try "
                                   "again later or call us."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            if data["website"]:        # a robot: answer as if accepted, keep nothing
                _count_submission(request)
                request.session[PUBLIC_DONE_KEY] = ""
                return redirect("complaints_public:done")
            try:
                complaint = services.intake(
                    None, channel=Channel.WEB_FORM, category=data["category"], description=data["description"],
                    contact_name=data["contact_name"], contact_phone=data["contact_phone"],
                    contact_email=data["contact_email"], company_name=data["company_name"],
                    product_text=data["product_text"], attachments=data["attachments"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                _count_submission(request)
                request.session[PUBLIC_DONE_KEY] = complaint.number
                return redirect("complaints_public:done")
    return render(request, "complaints/public_form.html", {"form": form}, status=status)


def public_done(request):
    number = request.session.get(PUBLIC_DONE_KEY)
    if number is None:
        return redirect("complaints_public:form")
    return render(request, "complaints/public_done.html", {"number": number})


# --- the customer card --------------------------------------------------------------------------

def service_tab_context(request, customer) -> dict:
    rows = queries.for_customer(request.user, customer.pk)
    return {"service_complaints": rows, "service_open": sum(1 for r in rows if r.status == Status.OPEN),
            "service_can_intake": has_perm(request.user, "complaints.intake"), "now": business_now(),
            "service_parts": service_parts(request, customer)}



# --- the management view -----------------------------------------------------------------------------------

@login_required
def management(request):
    """Complaints by category, product, customer, cause, channel and severity; time per step; SLA compliance;
    repeats; the complaint rate per 100 orders; in the user's scope, filtered like the customer analysis."""
    from credo.analysis.queries import AnalysisFilter
    from credo.analysis.sections import filter_context, page_table, workbook_response

    _require(request.user, "complaints.report")
    try:
        flt = AnalysisFilter.from_mapping(request.GET)
    except ValueError as exc:
        return HttpResponseBadRequest(_("Bad value for %(field)s.") % {"field": exc})
    dimension = request.GET.get("by", "category")
    group = request.GET.get("rate", "month")
    sections = report.sections(request.user, flt, dimension, group)
    if request.GET.get("export") == "xlsx":
        return workbook_response(sections, flt, "complaints")
    return render(request, "complaints/management.html", {
        "filter": flt, "summary": report.summary(request.user, flt), "tables": [page_table(s) for s in sections],
        "dimension": dimension if dimension in report.DIMENSIONS else "category",
        "group": group if group in report.RATE_GROUPS else "month",
        "dimensions": report.dimension_titles().items(), "groups": report.rate_titles().items(),
        **filter_context(request),
    })
