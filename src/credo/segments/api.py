"""REST endpoints of customer value: snapshots and their results (scoped), computing one
(classification.run), a customer's latest working, recorded costs and potential (404 outside the user's scope),
the review list and decisions, the cost rates. Bad input is 422 naming the field."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Router, Status

from credo.core.api_inputs import InputSchema, Limit, Offset
from credo.core.roles import has_perm
from credo.customers.queries import get_customer_for_user

from . import queries, services
from .models import SegmentRun

router = Router()


class ComputeIn(InputSchema):
    period_from: datetime.date
    period_to: datetime.date
    params: dict[str, str] = {}


class CostIn(InputSchema):
    kind: str
    cost_date: datetime.date
    amount: str
    description: str


class CancelIn(InputSchema):
    reason: str


class PotentialIn(InputSchema):
    annual_purchases: str | None = Field(None, description="yuan; empty or null removes the estimate")
    basis: str = ""


class ReviewDecisionIn(InputSchema):
    decision: str
    note: str


class RatesIn(InputSchema):
    """Only the rates sent are changed; amounts in yuan, capital_rate in per cent a year."""

    visit: str | None = None
    call: str | None = None
    mail: str | None = None
    notice_letter: str | None = None
    warning_letter: str | None = None
    lawyer_letter: str | None = None
    capital_rate: str | None = None


def _view(request):
    if not has_perm(request.user, "classification.view"):
        raise PermissionDenied


def _money(value):
    return None if value is None else f"{value:.2f}"


def _share(value):
    return None if value is None else str(value)


def _run_out(run: SegmentRun) -> dict:
    return {"id": run.pk, "period": {"from": run.period_from.isoformat(), "to": run.period_to.isoformat()},
            "rule_version": run.rule_version, "params": run.params, "rates": run.rates,
            "created_by": run.created_by_name, "created_at": run.created_at.isoformat(),
            "customer_count": run.customer_count, "totals": run.totals, "total_sales": _money(run.total_sales),
            "total_profit": _money(run.total_profit), "top20_sales_share": _share(run.top20_sales_share),
            "top20_profit_share": _share(run.top20_profit_share)}


def _result_out(row) -> dict:
    return {"customer_id": row.customer_id, "customer_code": row.customer.code, "segment": row.segment,
            "profit_rank": row.profit_rank, "sales": _money(row.sales), "gross_profit": _money(row.gross_profit),
            "costs": {"service": _money(row.service_cost), "complaint": _money(row.complaint_cost),
                      "collection": _money(row.collection_cost), "bad_debt": _money(row.bad_debt_cost)},
            "profit": _money(row.profit), "potential": _money(row.potential), "growth_gap": _money(row.growth_gap),
            "working": row.working}


def _run(run_id: int) -> SegmentRun:
    run = SegmentRun.objects.filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


@router.get("/snapshots", response=list[dict], summary="Value segment snapshots, newest first")
def snapshots(request, limit: Limit(500) = 50):
    _view(request)
    return [_run_out(r) for r in queries.runs()[:limit]]


@router.post("/snapshots", response={201: dict}, summary="Compute and store a value segment snapshot")
def compute(request, payload: ComputeIn):
    run = services.compute_segments(request.user, payload.period_from, payload.period_to, params=payload.params)
    return Status(201, _run_out(run))


@router.get("/snapshots/{int:run_id}", response=dict, summary="A snapshot and the customers the user may see")
def snapshot(request, run_id: int, segment: str = "", offset: Offset = 0, limit: Limit(5000) = 500):
    _view(request)
    run = _run(run_id)
    rows = queries.results(request.user, run, segment=segment.upper())
    page = rows[offset:offset + limit]
    return {**_run_out(run), "count": rows.count(), "results": [_result_out(r) for r in page]}


@router.get("/snapshots/{int:run_id}/review", response=list[dict], summary="The review list of a snapshot")
def review(request, run_id: int):
    _view(request)
    return [{**_result_out(item["result"]), "reasons": item["reasons"],
             "decision": {"decision": item["decision"].decision, "note": item["decision"].note,
                          "by": item["decision"].decided_by.username} if item["decision"] else None}
            for item in queries.review_list(request.user, _run(run_id))]


@router.post("/snapshots/{int:run_id}/review/{int:customer_id}", response=dict, summary="Decide on a customer")
def decide(request, run_id: int, customer_id: int, payload: ReviewDecisionIn):
    get_customer_for_user(request.user, customer_id)
    row = services.decide_review(request.user, _run(run_id).pk, customer_id, decision=payload.decision,
                                 note=payload.note)
    return {"customer_id": row.customer_id, "decision": row.decision, "note": row.note}


@router.get("/customers/{int:customer_id}", response=dict, summary="A customer's latest value working, "
                                                                  "recorded costs and potential")
def customer(request, customer_id: int):
    _view(request)
    get_customer_for_user(request.user, customer_id)
    result = queries.customer_result(request.user, customer_id)
    potential = queries.potential(customer_id)
    return {"customer_id": customer_id,
            "latest": {**_result_out(result), "snapshot_id": result.run_id} if result else None,
            "potential": {"annual_purchases": _money(potential.annual_purchases), "basis": potential.basis}
            if potential else None,
            "recorded_costs": [_cost_out(c) for c in queries.recorded_costs(request.user, customer_id)[:500]]}


def _cost_out(cost) -> dict:
    return {"id": cost.pk, "kind": cost.kind, "date": cost.cost_date.isoformat(), "amount": _money(cost.amount),
            "description": cost.description, "cancelled": cost.cancelled_at is not None,
            "cancel_reason": cost.cancel_reason}


@router.post("/customers/{int:customer_id}/costs", response={201: dict}, summary="Record a cost")
def add_cost(request, customer_id: int, payload: CostIn):
    get_customer_for_user(request.user, customer_id)
    cost = services.record_cost(request.user, customer_id, **payload.dict())
    return Status(201, _cost_out(cost))


@router.post("/customers/{int:customer_id}/costs/{int:cost_id}/cancel", response=dict, summary="Cancel a cost")
def cancel_cost(request, customer_id: int, cost_id: int, payload: CancelIn):
    get_customer_for_user(request.user, customer_id)
    if not queries.recorded_costs(request.user, customer_id).filter(pk=cost_id).exists():
        raise Http404
    return _cost_out(services.cancel_cost(request.user, cost_id, payload.reason))


@router.put("/customers/{int:customer_id}/potential", response=dict, summary="Set or clear the potential")
def set_potential(request, customer_id: int, payload: PotentialIn):
    get_customer_for_user(request.user, customer_id)
    row = services.set_potential(request.user, customer_id, annual_purchases=payload.annual_purchases,
                                 basis=payload.basis)
    return {"customer_id": customer_id, "annual_purchases": _money(row.annual_purchases) if row else None,
            "basis": row.basis if row else ""}


@router.get("/rates", response=dict, summary="The cost rates in force")
def rates(request):
    _view(request)
    return {k: str(v) for k, v in queries.current_rates().items()}


@router.put("/rates", response=dict, summary="Change the cost rates")
def save_rates(request, payload: RatesIn):
    row = services.save_rates(request.user, payload.dict(exclude_unset=True))
    return {k: str(v) for k, v in row.as_dict().items()}
