"""REST endpoints of the classification app: snapshots, a snapshot's classes (scoped to the user), a customer's
class history (404 outside the user's scope), computing a snapshot (classification.run) and overriding a class
(classification.override). Bad input is 422 naming the field."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Status

from credo.core.api_inputs import InputSchema, Limit, Offset
from credo.core.roles import has_perm
from credo.customers.queries import get_customer_for_user

from . import queries, services
from .models import ClassificationRun

router = Router()


class SnapshotIn(InputSchema):
    method: str = "pyramid"
    period_from: datetime.date
    period_to: datetime.date
    params: dict[str, str] = {}


class OverrideIn(InputSchema):
    klass: str
    reason: str


def _view(request):
    if not has_perm(request.user, "classification.view"):
        raise PermissionDenied


def _run_out(run: ClassificationRun) -> dict:
    return {"id": run.pk, "method": run.method, "period": {"from": run.period_from.isoformat(),
                                                           "to": run.period_to.isoformat()},
            "rule_version": run.rule_version, "params": run.params, "created_by": run.created_by_name,
            "created_at": run.created_at.isoformat(), "customer_count": run.customer_count,
            "total_sales": f"{run.total_sales:.2f}", "totals": run.totals, "sales_per_class": run.sales_per_class,
            "top20_share": str(run.top20_share)}


def _result_out(row) -> dict:
    return {"id": row.pk, "customer_id": row.customer_id, "customer_code": row.customer.code,
            "class": row.effective_class, "computed_class": row.klass, "override_reason": row.override_reason,
            "sales": f"{row.sales:.2f}", "rank": row.rank, "share": str(row.share),
            "cumulative_share": str(row.cumulative_share), "potential": row.never_bought}


@router.get("/snapshots", response=list[dict], summary="Classification snapshots, newest first")
def snapshots(request, method: str = "", limit: Limit(500) = 50):
    _view(request)
    return [_run_out(r) for r in queries.runs(method or None)[:limit]]


@router.post("/snapshots", response={201: dict}, summary="Compute and store a snapshot")
def compute(request, payload: SnapshotIn):
    run = services.compute_snapshot(request.user, payload.method, payload.period_from, payload.period_to,
                                    params=payload.params)
    return Status(201, _run_out(run))


@router.get("/snapshots/{int:run_id}", response=dict, summary="A snapshot and the classes of the customers "
                                                              "the user may see")
def snapshot(request, run_id: int, klass: str = "", offset: Offset = 0, limit: Limit(5000) = 500):
    _view(request)
    run = ClassificationRun.objects.filter(pk=run_id).first()
    if run is None:
        raise Http404
    rows = queries.results(request.user, run, klass=klass.upper())
    page = rows[offset:offset + limit]
    return {**_run_out(run), "count": rows.count(), "results": [_result_out(r) for r in page]}


@router.get("/customers/{int:customer_id}/history", response=dict, summary="A customer's class in each snapshot")
def history(request, customer_id: int):
    _view(request)
    customer = get_customer_for_user(request.user, customer_id)
    rows = queries.customer_history(request.user, customer.pk)[:200]
    return {"customer_id": customer.pk, "history": [
        {**_result_out(r), "snapshot": {"id": r.run_id, "method": r.run.method,
                                        "from": r.run.period_from.isoformat(), "to": r.run.period_to.isoformat()}}
        for r in rows.select_related("customer")]}


@router.post("/results/{int:result_id}/override", response=dict, summary="Set a customer's class by hand")
def override(request, result_id: int, payload: OverrideIn):
    row = services.override_class(request.user, result_id, payload.klass, payload.reason)
    return _result_out(row)
