"""Claim pages: the list (/claims/), the Claims card on the complaint page with its create form and the buttons
of each step, and the create page when the card's form has errors. Thin: forms parse, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credo.complaints import queries as complaint_queries
from credo.core.roles import has_perm
from credo.customers.views import _add_errors
from credo.sales.models import Invoice

from . import queries, rules, services
from .forms import ACTION_FORMS, ClaimForm
from .models import Claim, Status


def _require(user, action):
    if not has_perm(user, action):
        raise PermissionDenied(_("Your role may not do this."))


def _complaint_url(claim_or_complaint_id, claim_pk=None) -> str:
    url = reverse("complaints:detail", args=[claim_or_complaint_id])
    return f"{url}#claim-{claim_pk}" if claim_pk else f"{url}#claims"


@login_required
def claim_list(request):
    _require(request.user, "claims.view")
    get = request.GET
    filters = {"status": get.get("status", ""), "customer": get.get("customer", ""), "q": get.get("q", "")}
    rows = queries.listing(request.user, **filters)
    page = Paginator(rows, 50).get_page(get.get("page"))
    return render(request, "claims/list.html", {
        "page": page, "rows": page.object_list, "f": filters,
        "filtered": any(get.get(k) for k in queries.LIST_FILTERS),
        "status_choices": [("", _("All")), ("open", _("Not yet settled")), *Status.choices],
    })


def _open_invoices(complaint):
    if complaint.customer_id is None:
        return []
    return list(Invoice.objects.filter(customer_id=complaint.customer_id, open_amount__gt=0)
                .order_by("due_date", "id")[:100])


def service_tab_part(request, customer) -> dict | None:
    """The customer's claims on the Service tab of the card (registered in complaints.cards.SERVICE_PARTS)."""
    if not has_perm(request.user, "claims.view"):
        return None
    rows = list(queries.listing(request.user, customer=customer.pk)[:50])
    return {"template": "claims/_service_tab.html", "claims": rows}


def complaint_card(request, complaint) -> dict | None:
    """The Claims card of the complaint page (registered in complaints.views.DETAIL_CARDS)."""
    user = request.user
    if not has_perm(user, "claims.view"):
        return None
    rows = queries.for_complaint(user, complaint)
    for claim in rows:
        allowed = set(rules.allowed_actions(claim.status))
        manage = has_perm(user, "claims.manage")
        claim.can = {
            "submit": manage and "submit" in allowed,
            "decide": services.may_decide(user, claim),
            "settle": has_perm(user, "claims.settle") and has_perm(user, "ledger.post") and "settle" in allowed,
            "withdraw": manage and "withdraw" in allowed,
            "return": manage and claim.status in rules.RETURN_STATUSES,
        }
    can_create = has_perm(user, "claims.manage") and complaint.customer_id is not None
    return {"template": "claims/_card.html", "claims": rows, "can_create": can_create,
            "form": ClaimForm(invoices=_open_invoices(complaint)) if can_create else None,
            "forms": {name: cls() for name, cls in ACTION_FORMS.items() if cls}}


@login_required
def create(request, complaint_pk):
    _require(request.user, "claims.manage")
    complaint = complaint_queries.detail(request.user, complaint_pk)
    if complaint is None:
        raise Http404
    form = ClaimForm(request.POST or None, invoices=_open_invoices(complaint))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.create(request.user, complaint, amount_claimed=data["amount_claimed"],
                                    amount_agreed=data["amount_agreed"], reason=data["reason"], lines=form.lines())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Claim %(number)s recorded as a draft.") % {"number": claim.number})
            return redirect(_complaint_url(complaint.pk, claim.pk))
    return render(request, "claims/create.html", {"form": form, "complaint": complaint})


def _run(user, claim, action, data):
    if action == "submit":
        claim = services.submit(user, claim)
        return _("Claim %(number)s submitted for approval.") % {"number": claim.number}
    if action == "approve":
        claim = services.approve(user, claim, note=data["note"])
        return _("Claim %(number)s approved.") % {"number": claim.number}
    if action == "reject":
        claim = services.reject(user, claim, reason=data["reason"])
        return _("Claim %(number)s rejected.") % {"number": claim.number}
    if action == "settle":
        claim = services.settle(user, claim, settled_on=data["settled_on"])
        return _("Claim %(number)s settled by credit note %(note)s.") % {"number": claim.number,
                                                                       "note": claim.credit_note.number}
    if action == "withdraw":
        claim = services.withdraw(user, claim, reason=data["reason"])
        return _("Claim %(number)s withdrawn.") % {"number": claim.number}
    services.record_return(user, claim, returned_on=data["returned_on"], quantity=data["quantity"],
                           description=data["description"], note=data["note"])
    return _("Returned goods recorded on claim %(number)s.") % {"number": claim.number}


def _error_text(form_cls, exc) -> str:
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    labels = {"lines": _("Invoices to credit"), "status": _("Status"), "settled_on": _("Credit note date")}
    if form_cls is not None:
        labels.update({name: str(field.label) for name, field in form_cls().fields.items()})
    return " ".join(f"{labels.get(field, field)}: {' '.join(m for e in errors for m in e.messages)}"
                    for field, errors in exc.error_dict.items())


@login_required
@require_POST
def act(request, pk, action):
    if action not in ACTION_FORMS:
        raise Http404
    claim = queries.detail(request.user, pk)
    if claim is None:
        raise Http404
    form_cls = ACTION_FORMS[action]
    form = form_cls(request.POST) if form_cls else None
    if form is not None and not form.is_valid():
        messages.error(request, " ".join(f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errs)}"
                                         for name, errs in form.errors.items()))
        return redirect(_complaint_url(claim.complaint_id, claim.pk))
    try:
        text = _run(request.user, claim, action, form.cleaned_data if form is not None else {})
    except ValidationError as exc:
        messages.error(request, _error_text(form_cls, exc))
    else:
        messages.success(request, text)
    return redirect(_complaint_url(claim.complaint_id, claim.pk))


__all__ = ["Claim", "act", "claim_list", "complaint_card", "create"]
