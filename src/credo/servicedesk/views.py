"""Service-desk pages: the ticket queue, intake with knowledge-base suggestions, a ticket with its steps,
contracts (list, page, form), the knowledge base (search, article, editor) and the customer card's tab.
Thin: forms parse, services write, queries read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from credo.core.clock import business_now, business_today
from credo.core.roles import has_perm
from credo.core.view_helpers import add_form_errors as _add_form_errors
from credo.customers.queries import get_customer_for_user, visible_customers
from credo.sales.models import Product
from credo.sla.models import Severity

from . import queries, rules, services
from .forms import ArticleForm, AssignForm, ContractForm, IntakeForm, ReasonForm, ResolveForm, TextForm
from .models import ArticleCategory, ContractStatus, TicketEntry, TicketStatus, TicketType

PAGE_SIZE = 50
EXPIRING_DAYS = 30


def _require(user, action: str):
    if not has_perm(user, action):
        raise PermissionDenied(_("Your role may not do this."))


def add_form_errors(form, exc):
    """The service's field errors on the form, styled like the form's own."""
    _add_form_errors(form, exc)
    form._style()


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


# --- tickets -----------------------------------------------------------------------------------------------

@login_required
def queue(request):
    _require(request.user, "servicedesk.view")
    f = {k: request.GET.get(k, "") for k in ("owner", "type", "severity", "covered", "q")}
    f["status"] = request.GET.get("status", queries.OPEN)
    rows = queries.ticket_queue(request.user, **f)
    page = _page(request, rows)
    now = business_now()
    for t in page:
        t.late = any(d is not None and d <= now for d in (t.first_response_due, t.resolution_due))
    return render(request, "servicedesk/queue.html", {
        "page": page, "rows": list(page), "f": f, "now": now,
        "filtered": any(v for k, v in f.items() if k != "status") or f["status"] != queries.OPEN,
        "status_choices": [(queries.OPEN, pgettext("ticket status", "Open")), ("", _("All"))] + list(TicketStatus.choices),
        "type_choices": TicketType.choices, "severity_choices": Severity.choices,
        "can_intake": has_perm(request.user, "servicedesk.intake"),
    })


def _intake_choices(customer):
    products = list(Product.objects.filter(is_active=True).order_by("code")[:500])
    contacts = list(customer.contacts.filter(is_active=True).order_by("-is_primary", "name")) if customer else []
    return products, contacts, list(services.agents())


@login_required
def intake(request):
    """Pick the customer (search), then the request; the description's suggestions show as one types."""
    _require(request.user, "servicedesk.intake")
    raw = request.POST.get("customer") or request.GET.get("customer", "")
    customer = get_customer_for_user(request.user, raw) if str(raw).isdigit() else None
    if customer is None:
        q = rules.normalise(request.GET.get("q", ""))
        found = []
        if q:
            found = list(visible_customers(request.user).filter(is_active=True).filter(
                Q(name__icontains=q) | Q(code__icontains=q) | Q(short_name__icontains=q)).order_by("code")[:20])
        return render(request, "servicedesk/intake_customer.html", {"q": q, "found": found})
    products, contacts, owners = _intake_choices(customer)
    initial = {"customer": customer.pk, "severity": Severity.NORMAL, "type": TicketType.QUESTION,
               "owner": str(request.user.pk) if has_perm(request.user, "servicedesk.manage") else ""}
    form = IntakeForm(request.POST or None, initial=initial, products=products, contacts=contacts, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.intake(request.user, customer, subject=data["subject"], description=data["description"],
                                     type=data["type"], severity=data["severity"], product=data["product"] or None,
                                     contact_id=data["contact"] or None, owner=data["owner"] or None)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Service request %(number)s logged.") % {"number": ticket.number})
            return redirect("servicedesk:ticket", ticket.pk)
    description = request.POST.get("description", "")
    return render(request, "servicedesk/intake.html", {
        "customer": customer, "form": form, "suggestions": queries.suggest(description, user=request.user),
        "contracts": [c for c in queries.customer_contracts(request.user, customer)
                      if c.state(business_today()) == rules.ACTIVE],
    })


@login_required
def suggestions(request):
    """The htmx fragment of the intake: articles for the description typed so far."""
    _require(request.user, "kb.view")
    text = request.GET.get("description", "") or request.GET.get("text", "")
    return render(request, "servicedesk/_suggestions.html", {"suggestions": queries.suggest(text, user=request.user)})


def _ticket_context(request, ticket, **forms):
    user = request.user
    can_work = services.can_work(user, ticket)
    owners = list(services.agents())
    context = {
        "ticket": ticket, "entries": list(ticket.entries.select_related("author").order_by("at", "id")),
        "clocks": queries.ticket_clocks(ticket), "pauses": queries.ticket_pauses(ticket), "now": business_now(),
        "can_work": can_work, "can_write_article": has_perm(user, "kb.edit") and ticket.status in (
            rules.RESOLVED, rules.CLOSED),
        "allowed": {a: rules.can(a, ticket.status) for a in rules.TRANSITIONS},
        "can_convert": can_work and ticket.complaint_id is None and rules.can("convert", ticket.status)
        and has_perm(user, "complaints.intake"),
        "reply_form": forms.get("reply_form") or TextForm(),
        "pause_form": forms.get("pause_form") or ReasonForm(),
        "reopen_form": forms.get("reopen_form") or ReasonForm(),
        "resolve_form": forms.get("resolve_form") or ResolveForm(),
        "assign_form": forms.get("assign_form") or AssignForm(owners=owners, initial={
            "owner": str(ticket.owner_id or user.pk)}),
        "suggestions": queries.suggest(f"{ticket.subject} {ticket.description}", user=user),
        "active_form": forms.get("active_form", ""),
    }
    return context


@login_required
def ticket_detail(request, pk):
    _require(request.user, "servicedesk.view")
    ticket = queries.get_ticket_for_user(request.user, pk)
    return render(request, "servicedesk/ticket.html", _ticket_context(request, ticket))


def _act(request, pk, form_class, name, call, done_message, **form_kwargs):
    _require(request.user, "servicedesk.view")
    ticket = queries.get_ticket_for_user(request.user, pk)
    form = form_class(request.POST, **form_kwargs) if form_class else None
    if form is None or form.is_valid():
        try:
            call(ticket, form.cleaned_data if form else {})
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
                return redirect("servicedesk:ticket", ticket.pk)
            add_form_errors(form, exc)
        else:
            messages.success(request, done_message)
            return redirect("servicedesk:ticket", ticket.pk)
    ticket = queries.get_ticket_for_user(request.user, pk)
    return render(request, "servicedesk/ticket.html",
                  _ticket_context(request, ticket, **{name: form, "active_form": name}), status=200)


@login_required
@require_POST
def ticket_reply(request, pk):
    kind = TicketEntry.Kind.NOTE if request.POST.get("kind") == "note" else TicketEntry.Kind.REPLY
    return _act(request, pk, TextForm, "reply_form",
                lambda t, d: services.reply(request.user, t, d["body"], kind=kind),
                _("Note recorded.") if kind == TicketEntry.Kind.NOTE else _("Reply recorded."))


@login_required
@require_POST
def ticket_pause(request, pk):
    return _act(request, pk, ReasonForm, "pause_form", lambda t, d: services.pause(request.user, t, d["reason"]),
                _("Waiting for the customer: the clock is paused."))


@login_required
@require_POST
def ticket_resume(request, pk):
    return _act(request, pk, None, "", lambda t, d: services.resume(request.user, t), _("The clock runs again."))


@login_required
@require_POST
def ticket_resolve(request, pk):
    return _act(request, pk, ResolveForm, "resolve_form",
                lambda t, d: services.resolve(request.user, t, d["resolution"]), _("Service request resolved."))


@login_required
@require_POST
def ticket_reopen(request, pk):
    return _act(request, pk, ReasonForm, "reopen_form", lambda t, d: services.reopen(request.user, t, d["reason"]),
                _("Service request reopened."))


@login_required
@require_POST
def ticket_close(request, pk):
    return _act(request, pk, None, "", lambda t, d: services.close(request.user, t), _("Service request closed."))


@login_required
@require_POST
def ticket_assign(request, pk):
    return _act(request, pk, AssignForm, "assign_form", lambda t, d: services.assign(request.user, t, d["owner"]),
                _("Owner changed."), owners=list(services.agents()))


# --- contracts ---------------------------------------------------------------------------------------------

@login_required
def contracts(request):
    _require(request.user, "servicedesk.view")
    today = business_today()
    state, q = request.GET.get("state", ""), request.GET.get("q", "")
    page = _page(request, queries.contract_list(request.user, today, state=state, q=q,
                                                expiring_days=EXPIRING_DAYS))
    for c in page:
        c.current_state = c.state(today)
        c.days_left = (c.expires_on - today).days
    return render(request, "servicedesk/contracts.html", {
        "page": page, "rows": list(page), "state": state, "q": q, "filtered": bool(state or q),
        "days": EXPIRING_DAYS, "today": today,
        "expiring_count": queries.expiring_contracts(request.user, today, EXPIRING_DAYS).count(),
        "state_choices": [("", _("All")), (rules.ACTIVE, _("In force")),
                          ("expiring", _("Expiring within %(n)s days") % {"n": EXPIRING_DAYS}),
                          (rules.EXPIRED, _("Expired")), (rules.PENDING, _("Not started yet")),
                          (rules.DRAFT, _("Draft")), (rules.TERMINATED, _("Terminated"))],
        "can_edit": has_perm(request.user, "servicedesk.contract"),
    })


@login_required
def contract_detail(request, pk):
    _require(request.user, "servicedesk.view")
    contract = queries.get_contract_for_user(request.user, pk)
    today = business_today()
    return render(request, "servicedesk/contract.html", {
        "contract": contract, "state": contract.state(today), "days_left": (contract.expires_on - today).days,
        "products": list(contract.products.order_by("code")),
        "tickets": list(queries.visible_tickets(request.user).filter(contract=contract)
                        .select_related("owner", "product").order_by("-created_at")[:50]),
        "can_edit": services.can_keep_contracts(request.user, contract.customer),
    })


@login_required
def contract_form(request, pk=None):
    _require(request.user, "servicedesk.contract")
    contract = queries.get_contract_for_user(request.user, pk) if pk else None
    if contract is not None:
        customer = contract.customer
    else:
        raw = request.POST.get("customer") or request.GET.get("customer", "")
        if not str(raw).isdigit():
            raise Http404
        customer = get_customer_for_user(request.user, raw)
    products = list(Product.objects.filter(is_active=True).order_by("code")[:500])
    initial = {"status": ContractStatus.ACTIVE}
    if contract is not None:
        initial = {"number": contract.number, "status": contract.status, "starts_on": contract.starts_on,
                   "expires_on": contract.expires_on, "all_products": contract.all_products, "terms": contract.terms,
                   "products": [str(p.pk) for p in contract.products.all()]}
    form = ContractForm(request.POST or None, initial=initial, products=products)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            saved = services.save_contract(request.user, customer, number=d["number"], terms=d["terms"],
                                           starts_on=d["starts_on"], expires_on=d["expires_on"], status=d["status"],
                                           all_products=d["all_products"], product_ids=d["products"],
                                           contract=contract)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Service contract %(number)s saved.") % {"number": saved.number})
            return redirect("servicedesk:contract", saved.pk)
    return render(request, "servicedesk/contract_form.html", {"form": form, "customer": customer,
                                                              "contract": contract})


# --- knowledge base ----------------------------------------------------------------------------------------

@login_required
def articles(request):
    _require(request.user, "kb.view")
    q, category = request.GET.get("q", ""), request.GET.get("category", "")
    if category not in ArticleCategory.values:
        category = ""
    page = _page(request, queries.search_articles(request.user, q, category=category))
    return render(request, "servicedesk/articles.html", {
        "page": page, "rows": list(page), "q": q, "category": category, "filtered": bool(q or category),
        "category_choices": ArticleCategory.choices, "can_edit": has_perm(request.user, "kb.edit"),
        "terms": rules.query_terms(q),
    })


@login_required
def article_detail(request, pk):
    _require(request.user, "kb.view")
    article = queries.get_article_for_user(request.user, pk)
    number = None
    if article.source_complaint_id:
        from credo.complaints.models import Complaint

        number = Complaint.objects.filter(pk=article.source_complaint_id).values_list("number", flat=True).first()
    return render(request, "servicedesk/article.html", {"article": article, "source_complaint_number": number,
                                                        "can_edit": has_perm(request.user, "kb.edit")})


@login_required
def article_form(request, pk=None):
    _require(request.user, "kb.edit")
    article = queries.get_article_for_user(request.user, pk) if pk else None
    source = complaint = None
    raw = request.POST.get("from_ticket") or request.GET.get("from_ticket", "")
    if article is None and str(raw).isdigit():
        source = queries.get_ticket_for_user(request.user, raw)
    if article is None and source is None:
        complaint = _closed_complaint(request.user, request.POST.get("from_complaint")
                                      or request.GET.get("from_complaint", ""))
    if article is not None:
        initial = {"title": article.title, "category": article.category, "tags": article.tags, "body": article.body,
                   "published": article.published}
    elif source is not None:
        category = source.type if source.type in ArticleCategory.values else ArticleCategory.OTHER
        initial = {"title": source.subject, "category": category,
                   "body": _("Problem:\n%(problem)s\n\nSolution:\n%(solution)s") % {
                       "problem": source.description, "solution": source.resolution}}
    elif complaint is not None:
        from credo.complaints.services import article_draft

        initial = article_draft(complaint)
    else:
        initial = {"category": ArticleCategory.OTHER}
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            saved = services.save_article(request.user, title=d["title"], body=d["body"], category=d["category"],
                                          tags=d["tags"], published=d["published"], source_ticket=source,
                                          source_complaint_id=complaint.pk if complaint else None,
                                          article=article)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Article saved."))
            return redirect("servicedesk:article", saved.pk)
    return render(request, "servicedesk/article_form.html", {"form": form, "article": article, "source": source,
                                                              "complaint": complaint})


def _closed_complaint(user, raw):
    """The closed complaint named by ?from_complaint= that the article is written from (404 when the user
    may not see it or it is still open: its cause and solution are not settled yet)."""
    if not raw:
        return None
    from credo.complaints.queries import detail

    complaint = detail(user, raw) if str(raw).isdigit() else None
    if complaint is None or complaint.is_open:
        raise Http404
    return complaint


# --- the customer card's tab -------------------------------------------------------------------------------

def servicedesk_tab_context(request, customer) -> dict:
    today = business_today()
    contracts_ = queries.customer_contracts(request.user, customer)
    for c in contracts_:
        c.current_state = c.state(today)
        c.days_left = (c.expires_on - today).days
    return {"sd_tickets": queries.customer_tickets(request.user, customer), "sd_contracts": contracts_,
            "sd_can_intake": services.can_intake(request.user, customer),
            "sd_can_contract": services.can_keep_contracts(request.user, customer), "sd_now": business_now()}
