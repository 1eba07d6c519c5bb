"""Pages of loyalty: the customer card's tab, the management page (filters, trend, groups, customers, RFM,
Excel) and the stage rules editor (administrators)."""

import datetime
import json
import tempfile
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from credo.analysis.exporting import XLSX_TYPE, as_display, write_reports_xlsx
from credo.analysis.queries import AnalysisFilter, class_provider
from credo.core.clock import business_today
from credo.core.models import Territory
from credo.core.roles import has_perm
from credo.core.scopes import OWN, assignable_managers, scope_of
from credo.customers.models import CustomerKind

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


def _table(section):
    columns = [c for c in section.columns if c.page]
    rows = [[(as_display(row.get(c.key), c.type), c.type != "text") for c in columns] for row in section.rows]
    totals = [(as_display(section.totals.get(c.key), c.type), c.type != "text") for c in columns] \
        if section.totals else None
    return {"report": section, "columns": columns, "rows": rows, "totals": totals,
            "chart_json": json.dumps(section.chart, ensure_ascii=False)}


@login_required
def index(request):
    _require(request.user, "loyalty.view")
    try:
        flt = AnalysisFilter.from_mapping(request.GET)
    except ValueError as exc:
        return HttpResponseBadRequest(_("Bad value for %(field)s.") % {"field": exc})
    if request.GET.get("export") == "xlsx":
        tmp = tempfile.TemporaryFile()
        write_reports_xlsx(tmp, queries.sections(request.user, flt, limit=None), flt).close()
        tmp.seek(0)
        return FileResponse(tmp, as_attachment=True, content_type=XLSX_TYPE,
                            filename=f"loyalty-{flt.date_from:%Y%m%d}-{flt.date_to:%Y%m%d}.xlsx")
    managers = []
    if scope_of(request.user) != OWN:
        managers = assignable_managers(request.user).select_related("profile").order_by("username")
    query = {k: v for k, v in request.GET.items() if k != "export"}
    return render(request, "loyalty/index.html", {
        "filter": flt, "tables": [_table(s) for s in queries.sections(request.user, flt)],
        "definitions": definitions.all_definitions(), "can_edit": has_perm(request.user, "loyalty.edit"),
        "territories": Territory.objects.order_by("code"), "managers": managers, "kinds": CustomerKind.choices,
        "with_classes": class_provider() is not None, "export_query": urlencode({**query, "export": "xlsx"})})


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
