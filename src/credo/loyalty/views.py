"""Pages of loyalty: the customer card's tab, the management page (filters, trend, groups, customers, RFM,
Excel) and the stage rules editor (administrators)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from credo.analysis.queries import AnalysisFilter
from credo.analysis.sections import filter_context, page_table, workbook_response
from credo.core.clock import business_today
from credo.core.roles import has_perm

from . import definitions, queries, rules, services


def _require(user, action):
    if not has_perm(user, action):
        raise PermissionDenied(_("Your role may not do this."))


def trailing_year(today: datetime.date) -> AnalysisFilter:
    """The card's period: the twelve months up to today."""
    start = today.replace(year=today.year - 1) if not (today.month == 2 and today.day == 29) else (
        today.replace(year=today.year - 1, day=28))
    return AnalysisFilter(start + datetime.timedelta(days=1), today)


def loyalty_tab_context(request, customer) -> dict:
    flt = trailing_year(business_today())
    return {"loyalty": queries.customer_loyalty(request.user, customer.pk, flt), "loyalty_filter": flt,
            "loyalty_definitions": definitions.all_definitions()}


@login_required
def index(request):
    _require(request.user, "loyalty.view")
    try:
        flt = AnalysisFilter.from_mapping(request.GET)
    except ValueError as exc:
        return HttpResponseBadRequest(_("Bad value for %(field)s.") % {"field": exc})
    if request.GET.get("export") == "xlsx":
        return workbook_response(queries.sections(request.user, flt, limit=None), flt, "loyalty")
    return render(request, "loyalty/index.html", {
        "filter": flt, "tables": [page_table(s) for s in queries.sections(request.user, flt)],
        "definitions": definitions.all_definitions(), "can_edit": has_perm(request.user, "loyalty.edit"),
        **filter_context(request)})


def _rule_grid(thresholds: dict, errors: dict | None = None) -> list[dict]:
    errors = errors or {}
    return [{"stage": s, "label": definitions.stage_label(s), "fields": [
        {"name": f"{s}.{m}", "label": definitions.METRIC_LABELS[m], "value": thresholds.get(s, {}).get(m, ""),
         "error": " ".join(errors.get(f"{s}.{m}", []))} for m in rules.STAGE_METRICS]} for s in rules.STAGES]


@login_required
def stage_rules(request):
    _require(request.user, "loyalty.view")
    thresholds, row = services.current_rules()
    errors, note = {}, ""
    if request.method == "POST":
        _require(request.user, "loyalty.edit")
        posted = {s: {m: request.POST.get(f"{s}.{m}", "") for m in rules.STAGE_METRICS} for s in rules.STAGES}
        note = request.POST.get("note", "")
        try:
            services.save_stage_rules(request.user, posted, note=note)
        except ValidationError as exc:
            errors, thresholds = exc.message_dict, posted
        else:
            messages.success(request, _("The loyalty stage rules were saved."))
            return redirect("loyalty:rules")
    from .models import StageRules

    return render(request, "loyalty/rules.html", {
        "grid": _rule_grid(thresholds, errors), "row": row, "note": note, "errors": errors,
        "can_edit": has_perm(request.user, "loyalty.edit"), "history": StageRules.objects.all()[:20],
        "definition": definitions.definition("stage")}, status=400 if errors else 200)
