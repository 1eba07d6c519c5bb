"""REST endpoints of limits: the four calculators as "what if" (same inputs and outputs as `credo
credit-limit`), the tables in force, and a customer's proposals (scoped: 404 outside the user's scope).

A what-if answers 200 with "outcome": "ok" or "cannot_compute" (and the reason naming the input); bad input
is 422 naming the field. ?save=true keeps the computation (credit.compute_limit) and returns its id.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Schema, Status

from credo.core.api_inputs import InputSchema, Limit
from credo.core.roles import has_perm
from credo.customers.queries import get_customer_for_user

from . import methods, present, queries, rules, services
from .models import LimitComputation

router = Router()


class WorkingCapitalIn(InputSchema):
    current_assets: Decimal
    inventory: Decimal
    current_liabilities: Decimal
    total_liabilities: Decimal
    net_assets: Decimal
    grade: str | None = None
    supplier_share: Decimal | str | None = None
    figure_high: bool = False


class SalesVolumeIn(InputSchema):
    quarter_orders: Decimal
    credit_days: int | None = None
    grade: str | None = None
    overdue_amount_days: Decimal | None = None


class CollectionsIn(InputSchema):
    monthly: list[Decimal]
    credit_days: int | None = None
    weights: list[Decimal] | None = None


class RevenueTierIn(InputSchema):
    revenue: Decimal | None = None
    levels: dict[str, int] = {}


class ProposeIn(InputSchema):
    supplier_share: Decimal | str | None = None
    figure_high: bool = False
    forecast_orders: Decimal | None = None
    tables: str = "both"
    levels: dict[str, int] = {}
    methods: list[str] | None = None


def _view(request):
    if not has_perm(request.user, "credit.view"):
        raise PermissionDenied("permission denied")


def _what_if(request, method: str, payload: Schema, save: bool) -> dict:
    _view(request)
    raw = payload.dict()
    if save:
        computation = services.save_what_if(request.user, method, raw)
        return {**computation.result, "computation_id": computation.pk}
    policy = queries.policy_in_force()
    values, result = methods.what_if(method, raw, policy)
    return present.as_json(result, policy=policy, values=values)


@router.post("/what-if/working-capital", response=dict, summary="Working-capital method (营运资产法), what if")
def what_if_working_capital(request, payload: WorkingCapitalIn, save: bool = False):
    return _what_if(request, rules.WORKING_CAPITAL, payload, save)


@router.post("/what-if/sales-volume", response=dict, summary="Sales-volume method (销售量法), what if")
def what_if_sales_volume(request, payload: SalesVolumeIn, save: bool = False):
    return _what_if(request, rules.SALES_VOLUME, payload, save)


@router.post("/what-if/collections", response=dict, summary="Collections method (回款额法), what if")
def what_if_collections(request, payload: CollectionsIn, save: bool = False):
    return _what_if(request, rules.COLLECTIONS, payload, save)


@router.post("/what-if/revenue-tier", response=dict, summary="Revenue-tier method (基础信用额度法), what if")
def what_if_revenue_tier(request, payload: RevenueTierIn, save: bool = False):
    return _what_if(request, rules.REVENUE_TIER, payload, save)


@router.get("/policy", response=dict, summary="The limit tables in force (their version and rows)")
def policy(request):
    _view(request)
    found = queries.policy_in_force()
    return {"id": found.pk, "valid_from": found.valid_from.isoformat(),
            "standard_credit_days": found.standard_credit_days,
            **{name: getattr(found, name) for name in ("evaluation_table", "grade_corrections", "grade_fit",
                                                        "grade_factors", "record_factors", "collection_weights",
                                                        "revenue_tiers", "assessment_items", "level_percentages")}}


def _computation_out(c: LimitComputation) -> dict:
    return {"id": c.pk, "customer_id": c.customer_id, "method": c.method, "outcome": c.outcome,
            "limit": None if c.limit is None else f"{c.limit:.2f}",
            "credit_line": None if c.credit_line is None else f"{c.credit_line:.2f}", "reason": c.reason,
            "review_required": c.review_required, "as_of": c.as_of.isoformat(),
            "policy": {"id": c.policy_id, "valid_from": c.policy_valid_from.isoformat() if c.policy_valid_from
                       else None},
            "created_by": c.created_by_name, "created_at": c.created_at.isoformat(), "inputs": c.inputs,
            "result": c.result}


@router.get("/customers/{int:customer_id}/proposals", response=dict,
            summary="A customer's latest computation per method, and its stored computations")
def proposals(request, customer_id: int, limit: Limit(500) = 50):
    _view(request)
    customer = get_customer_for_user(request.user, customer_id)
    latest = queries.latest_by_method(customer.pk)
    history = queries.computations_for(request.user, customer.pk)[:limit]
    return {"customer_id": customer.pk, "grade": queries.risk_level(customer.pk),
            "proposals": {m: _computation_out(c) for m, c in latest.items()},
            "computations": [_computation_out(c) for c in history]}


@router.post("/customers/{int:customer_id}/proposals", response={201: list[dict]},
             summary="Propose the customer's limits: every method that has data, stored")
def propose(request, customer_id: int, payload: ProposeIn):
    customer = get_customer_for_user(request.user, customer_id)
    raw = payload.dict()
    only = tuple(raw.pop("methods") or ()) or None
    stored = services.propose_limits(request.user, customer, raw_options=raw, only=only)
    return Status(201, [_computation_out(c) for c in stored])


@router.get("/computations/{int:computation_id}", response=dict, summary="One stored computation")
def computation(request, computation_id: int):
    _view(request)
    found = queries.visible_computations(request.user).filter(pk=computation_id).first()
    if found is None:
        raise Http404
    return _computation_out(found)
