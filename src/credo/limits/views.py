"""Limit pages: the what-if calculator (a tab per method, the working shown step by step), a stored
computation, proposing a customer's limits, and the card's "Credit limits" tab. Thin: forms keep what was
typed, methods/services compute, queries read; a ValidationError lands on the form's fields."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credo.core.roles import has_perm
from credo.customers.queries import get_customer_for_user
from credo.customers.views import _add_errors, customer_detail

from . import methods, present, queries, rules, services, tables
from .forms import FORMS, ProposeForm
from .models import LimitComputation


def _require(user, action: str):
    if not has_perm(user, action):
        raise PermissionDenied(_("Your role may not do this."))


def _worked(doc: dict) -> dict:
    """What the templates show of a computation document: steps, notes and outcome in the user's language."""
    method = doc.get("method", "")
    rows = present.step_rows(method, doc.get("steps", []))
    notes = [present.note_text(n) for n in doc.get("notes", [])]
    reason = present.note_text(doc["problem"]) if doc.get("problem") else doc.get("reason", "")
    return {"rows": rows, "notes": notes, "reason": reason, "ok": doc.get("outcome") == "ok",
            "review_required": doc.get("review_required"), "credit_line": doc.get("credit_line"),
            "method_label": present.METHOD_LABELS.get(method, method), "method": method,
            "chart_json": json.dumps(present.chart(doc), ensure_ascii=False) if doc.get("outcome") == "ok" else ""}


def policy_tables(policy) -> dict:
    """The tables in force, read-only, for the calculator page."""
    evaluation = tables.parse_evaluation_table(policy.evaluation_table)
    record = tables.parse_record_factors(policy.record_factors)
    tiers = tables.parse_revenue_tiers(policy.revenue_tiers)
    return {
        "evaluation": [(evaluation.row_text(i), r.value) for i, r in enumerate(evaluation.rows)],
        "corrections": list(tables.parse_grade_corrections(policy.grade_corrections).values()),
        "fit": list(tables.parse_grade_fit(policy.grade_fit).values()),
        "grade_factors": list(tables.parse_grade_factors(policy.grade_factors).items()),
        "record": [(record.row_text(i, "x"), r.value) for i, r in enumerate(record.rows)],
        "weights": [rules.plain(w) for w in tables.parse_collection_weights(policy.collection_weights)],
        "tiers": [(tiers.row_text(i, "x"), r.value) for i, r in enumerate(tiers.rows)],
        "items": [(present.item_label(i.code, i.label), rules.plain(i.weight))
                  for i in tables.parse_assessment_items(policy.assessment_items)],
        "levels": sorted(tables.parse_level_percentages(policy.level_percentages).items()),
    }


@login_required
def calculator(request):
    _require(request.user, "credit.view")
    policy = queries.policy_in_force()
    method = request.GET.get("method", rules.WORKING_CAPITAL)
    if method not in rules.METHODS:
        method = rules.WORKING_CAPITAL
    bound = request.GET if request.GET.get("method") == method and "run" in request.GET else None
    form = FORMS[method](policy, data=bound, initial={"method": method})
    worked = None
    if bound is not None and form.is_valid():
        try:
            values, result = methods.what_if(method, form.raw(), policy)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            worked = _worked(present.as_json(result, policy=policy, values=values))
    try:
        shown_tables, table_error = policy_tables(policy), ""
    except ValidationError as exc:
        shown_tables, table_error = None, " ".join(exc.messages)
    return render(request, "limits/calculator.html", {
        "form": form, "method": method, "worked": worked, "policy": policy, "tables": shown_tables,
        "table_error": table_error,
        "method_tabs": [(m, present.METHOD_LABELS[m]) for m in rules.METHODS],
        "can_configure": request.user.is_staff and has_perm(request.user, "credit.compute_limit"),
    })


@login_required
def computation(request, pk):
    _require(request.user, "credit.view")
    found = queries.visible_computations(request.user).select_related("customer", "policy").filter(pk=pk).first()
    if found is None:
        raise Http404
    return render(request, "limits/computation.html", {
        "computation": found, "worked": _worked(found.result), "inputs": found.inputs,
        "apply_url": apply_url(request.user, found),
    })


@login_required
@require_POST
def propose(request, customer_pk):
    """Propose the customer's limits; on bad input the card is shown again with the form as typed and the
    errors under its fields."""
    customer = get_customer_for_user(request.user, customer_pk)
    _require(request.user, "credit.compute_limit")
    form = ProposeForm(queries.saved_policy_in_force(), data=request.POST)
    if form.is_valid():
        try:
            stored = services.propose_limits(request.user, customer, raw_options=form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            done = sum(1 for c in stored if c.ok)
            messages.success(request, _("Limits proposed: %(ok)d of %(all)d methods computed.") % {
                "ok": done, "all": len(stored)})
            return redirect(reverse("customers:detail", args=[customer.pk]) + "?tab=limits")
    request.limits_propose_form = form
    request.GET = request.GET.copy()
    request.GET["tab"] = "limits"
    return customer_detail(request, customer.pk)


def apply_url(user, computation: LimitComputation) -> str | None:
    """The credit app's "apply for this limit" page, pre-filled; None until that app provides it."""
    if (computation.customer_id is None or not computation.ok or not computation.credit_line
            or not has_perm(user, "credit.apply")):
        return None
    try:
        base = reverse("credit:limit_apply", args=[computation.customer_id])
    except NoReverseMatch:
        return None
    return f"{base}?amount={computation.credit_line}&computation={computation.pk}"


# ---------------------------------------------------------------------------------------------- card tab


def limits_tab_context(request, customer) -> dict:
    latest = queries.latest_by_method(customer.pk)
    proposals = []
    for method in rules.METHODS:
        found = latest.get(method)
        proposals.append({"method": method, "label": present.METHOD_LABELS[method], "computation": found,
                          "worked": _worked(found.result) if found else None,
                          "apply_url": apply_url(request.user, found) if found else None})
    can_compute = services.can_compute(request.user) and customer.is_active
    policy = queries.policy_in_force()
    return {
        "proposals": proposals,
        "history": list(queries.computations_for(request.user, customer.pk)[:30]),
        "can_compute_limits": can_compute,
        "propose_form": (getattr(request, "limits_propose_form", None) or ProposeForm(policy)) if can_compute
        else None,
        "limit_grade": queries.risk_level(customer.pk),
        "limit_statement": queries.latest_statement(customer.pk),
    }
