"""REST endpoints of loyalty: the indicators by month, class, territory or customer and the RFM view (analysis
filters, scoped: each returns {report, title, filter, columns, rows, totals, definitions}), one customer's loyalty
(404 outside the user's scope), and the stage rules (GET; PUT for administrators, 422 naming the field as
"stage.metric"). Amounts are strings with 2 decimals, ratios fractions with 4, null where nothing is computable."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router

from credo.analysis.exporting import report_json
from credo.analysis.queries import AnalysisFilter
from credo.core.api_inputs import InputSchema
from credo.core.clock import business_today
from credo.core.roles import has_perm

from . import definitions, queries, services

router = Router()
INDICATOR_GROUPS = ("month", "class", "territory", "customer")


class FilterParams(InputSchema):
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    territory: int | None = None
    manager: int | None = None
    kind: str = ""
    klass: str = ""
    customer: int | None = None


class StageRulesIn(InputSchema):
    thresholds: dict
    note: str = ""


def _view(request):
    if not has_perm(request.user, "loyalty.view"):
        raise PermissionDenied(_("You may not view loyalty."))


def _filter(params: FilterParams) -> AnalysisFilter:
    data = {k: ("" if v is None else str(v)) for k, v in params.dict().items()}
    try:
        return AnalysisFilter.from_mapping(data)
    except ValueError as exc:
        raise ValidationError({str(exc): [_("Bad value.")]}) from exc


def _text(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@router.get("/indicators", response=dict, summary="Loyalty indicators by month, class, territory or customer")
def indicators(request, params: Query[FilterParams], group: str = "month"):
    _view(request)
    if group not in INDICATOR_GROUPS:
        raise ValidationError({"group": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(INDICATOR_GROUPS)}]})
    flt = _filter(params)
    if group == "month":
        report = queries.by_month(request.user, flt)
    elif group == "customer":
        report = queries.customers(request.user, flt, limit=None)
    else:
        report = queries.by_group(request.user, flt, group)
    return {**report_json(report, flt), "definitions": definitions.all_definitions()}


@router.get("/rfm", response=dict, summary="RFM scores (1–5 by quintile) of the customers who bought in the period")
def rfm(request, params: Query[FilterParams]):
    _view(request)
    flt = _filter(params)
    return {**report_json(queries.rfm(request.user, flt, limit=None), flt),
            "definitions": definitions.all_definitions()}


@router.get("/customers/{int:customer_id}", response=dict, summary="One customer's loyalty figures, stage and RFM")
def customer(request, customer_id: int, params: Query[FilterParams]):
    _view(request)
    flt = _filter(params)
    row = queries.customer_loyalty(request.user, customer_id, flt)
    return {"customer": customer_id, "filter": flt.query(),
            "figures": None if row is None else {k: _text(v) for k, v in row.items()},
            "definitions": definitions.all_definitions()}


def _rules_out() -> dict:
    thresholds, row = services.current_rules()
    return {"valid_from": row.valid_from.isoformat() if row else None, "thresholds": thresholds,
            "note": row.note if row else "", "created_by": row.created_by if row else "",
            "today": business_today().isoformat()}


@router.get("/stage-rules", response=dict, summary="The loyalty stage rules in force")
def get_stage_rules(request):
    _view(request)
    return _rules_out()


@router.put("/stage-rules", response=dict, summary="Save a new version of the stage rules, from today")
def put_stage_rules(request, payload: StageRulesIn):
    services.save_stage_rules(request.user, payload.thresholds, note=payload.note)
    return _rules_out()
