"""REST endpoints of service improvement, scoped like the pages: improvement actions (list, one, create, edit,
start, complete, verify, cancel, link and unlink complaints), service promises with their measured performance
(and their editing), service recovery (list, record). Bad input is a 422 naming the field."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Router, Schema, Status

from credo.core.api_inputs import InputSchema, Limit, Money, MultilineText, Offset, decimal_input
from credo.core.roles import has_perm

from . import queries, rules, services
from .models import ServicePromise

router = Router()
Budget = decimal_input(8, 2)


class ImprovementActionOut(Schema):
    id: int
    reference: str
    kind: str
    title: str
    cause: str
    owner_id: int
    owner: str
    due_date: datetime.date
    status: str
    overdue: bool
    outcome: str
    started_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    verified_by: str | None
    verified_at: datetime.datetime | None
    effect: str
    cancelled_at: datetime.datetime | None
    cancel_reason: str
    complaint_ids: list[int]


class ImprovementActionIn(InputSchema):
    kind: str = rules.CORRECTIVE
    title: str
    cause: MultilineText
    owner_id: int
    due_date: datetime.date
    complaint_ids: list[int] = []


class ImprovementActionPatch(InputSchema):
    kind: str | None = None
    title: str | None = None
    cause: MultilineText | None = None
    owner_id: int | None = None
    due_date: datetime.date | None = None


class ImprovementCompleteIn(InputSchema):
    outcome: MultilineText


class ImprovementVerifyIn(InputSchema):
    effect: MultilineText


class ImprovementCancelIn(InputSchema):
    reason: str


class ImprovementLinkIn(InputSchema):
    complaint_ids: list[int]


class PromisePeriodOut(Schema):
    days: int
    period_from: datetime.date
    period_to: datetime.date
    kept: int
    broken: int
    running: int
    share_kept: Decimal | None


class PromiseMissOut(Schema):
    subject_id: int
    label: str
    over: Decimal


class ServicePromiseOut(Schema):
    id: int
    name: str
    customer_text: str
    measure: str
    unit: str
    budget: Decimal
    valid_from: datetime.date
    valid_to: datetime.date | None
    active: bool
    performance: list[PromisePeriodOut]
    worst: list[PromiseMissOut]


class ServicePromiseIn(InputSchema):
    name: str
    customer_text: str
    measure: str
    unit: str = rules.BUSINESS_HOURS
    budget: Budget
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    active: bool = True


class ServicePromisePatch(InputSchema):
    name: str | None = None
    customer_text: str | None = None
    measure: str | None = None
    unit: str | None = None
    budget: Budget | None = None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    active: bool | None = None


class ServiceRecoveryOut(Schema):
    id: int
    customer_id: int
    complaint_id: int | None
    ticket_id: int | None
    failure: str
    promise_id: int | None
    kind: str
    description: str
    done_by: str | None
    done_at: datetime.datetime
    cost: Decimal


class ServiceRecoveryIn(InputSchema):
    complaint_id: int | None = None
    ticket_id: int | None = None
    failure: str = "complaint"
    promise_id: int | None = None
    kind: str
    description: MultilineText = ""
    done_by_id: int | None = None
    done_at: datetime.datetime | None = None
    cost: Money = Decimal("0.00")


def _require(request, permission):
    if not has_perm(request.user, permission):
        raise PermissionDenied("permission denied")


def _renamed(exc: ValidationError, names: dict) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(k, k): v for k, v in exc.error_dict.items()})


ACTION_NAMES = {"owner": "owner_id", "verified_by": "verified_by"}


def _action_out(a, today) -> dict:
    return {"id": a.pk, "reference": a.reference, "kind": a.kind, "title": a.title, "cause": a.cause,
            "owner_id": a.owner_id, "owner": a.owner.username, "due_date": a.due_date, "status": a.status,
            "overdue": a.is_overdue(today), "outcome": a.outcome, "started_at": a.started_at,
            "completed_at": a.completed_at, "verified_by": a.verified_by.username if a.verified_by_id else None,
            "verified_at": a.verified_at, "effect": a.effect, "cancelled_at": a.cancelled_at,
            "cancel_reason": a.cancel_reason,
            "complaint_ids": sorted(a.links.values_list("complaint_id", flat=True))}


def _get(request, pk):
    _require(request, "improvement.view")
    action = queries.action_detail(request.user, pk)
    if action is None:
        raise Http404
    return action


def _out(request, pk):
    from credo.core.clock import business_today

    return _action_out(queries.action_detail(request.user, pk), business_today())


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except ValidationError as exc:
        raise _renamed(exc, ACTION_NAMES) from None


@router.get("/actions", response=list[ImprovementActionOut], summary="Improvement actions, due soonest first")
def action_list(request, status: str = "", kind: str = "", owner: str = "", overdue: bool = False, q: str = "",
                offset: Offset = 0, limit: Limit(500) = 100):
    from credo.core.clock import business_today

    _require(request, "improvement.view")
    rows = queries.actions(request.user, status=status, kind=kind, owner=owner, overdue=overdue, q=q)
    today = business_today()
    return [_action_out(a, today) for a in rows[offset:offset + limit]]


@router.get("/actions/{int:action_id}", response=ImprovementActionOut, summary="One improvement action")
def action_detail(request, action_id: int):
    return _out(request, _get(request, action_id).pk)


@router.post("/actions", response={201: ImprovementActionOut}, summary="Create an improvement action (its owner is told)")
def action_create(request, payload: ImprovementActionIn):
    _require(request, "improvement.view")
    action = _call(services.create_action, request.user, kind=payload.kind, title=payload.title,
                   cause=payload.cause, owner=payload.owner_id, due_date=payload.due_date,
                   complaint_ids=payload.complaint_ids)
    return Status(201, _out(request, action.pk))


@router.patch("/actions/{int:action_id}", response=ImprovementActionOut, summary="Change kind, title, cause, owner or due date")
def action_update(request, action_id: int, payload: ImprovementActionPatch):
    action = _get(request, action_id)
    given = payload.dict(exclude_unset=True)
    if "owner_id" in given:
        given["owner"] = given.pop("owner_id")
    _call(services.update_action, request.user, action, **given)
    return _out(request, action.pk)


@router.post("/actions/{int:action_id}/start", response=ImprovementActionOut, summary="Start (open → in progress)")
def action_start(request, action_id: int):
    action = _get(request, action_id)
    _call(services.start, request.user, action)
    return _out(request, action.pk)


@router.post("/actions/{int:action_id}/complete", response=ImprovementActionOut, summary="Done (what was done required)")
def action_complete(request, action_id: int, payload: ImprovementCompleteIn):
    action = _get(request, action_id)
    _call(services.complete, request.user, action, payload.outcome)
    return _out(request, action.pk)


@router.post("/actions/{int:action_id}/verify", response=ImprovementActionOut,
             summary="Verify the effect (the verifier is not the owner)")
def action_verify(request, action_id: int, payload: ImprovementVerifyIn):
    action = _get(request, action_id)
    _call(services.verify, request.user, action, payload.effect)
    return _out(request, action.pk)


@router.post("/actions/{int:action_id}/cancel", response=ImprovementActionOut, summary="Cancel (reason required)")
def action_cancel(request, action_id: int, payload: ImprovementCancelIn):
    action = _get(request, action_id)
    _call(services.cancel, request.user, action, payload.reason)
    return _out(request, action.pk)


@router.post("/actions/{int:action_id}/complaints", response=ImprovementActionOut, summary="Link complaints")
def action_link(request, action_id: int, payload: ImprovementLinkIn):
    action = _get(request, action_id)
    _call(services.link_complaints, request.user, action, payload.complaint_ids)
    return _out(request, action.pk)


@router.delete("/actions/{int:action_id}/complaints/{int:complaint_id}", response=ImprovementActionOut,
               summary="Unlink a complaint")
def action_unlink(request, action_id: int, complaint_id: int):
    action = _get(request, action_id)
    _call(services.unlink_complaint, request.user, action, complaint_id)
    return _out(request, action.pk)


def _promise_out(request, promise) -> dict:
    periods = queries.promise_performance(request.user, promise)
    worst = queries.describe_misses(promise, periods[-1].performance.worst)
    return {"id": promise.pk, "name": promise.name, "customer_text": promise.customer_text,
            "measure": promise.measure, "unit": promise.unit, "budget": promise.budget,
            "valid_from": promise.valid_from, "valid_to": promise.valid_to, "active": promise.active,
            "performance": [{"days": p.days, "period_from": p.period_from, "period_to": p.period_to,
                             "kept": p.performance.kept, "broken": p.performance.broken,
                             "running": p.performance.running, "share_kept": p.performance.share_kept}
                            for p in periods],
            "worst": [{"subject_id": m["subject_id"], "label": m["label"], "over": m["over_amount"]} for m in worst]}


@router.get("/promises", response=list[ServicePromiseOut],
            summary="Service promises with how they did over the last 30, 90 and 365 days")
def promise_list(request, active: bool = False):
    _require(request, "improvement.view")
    return [_promise_out(request, p) for p in queries.promises(active_only=active)]


@router.post("/promises", response={201: ServicePromiseOut}, summary="Create a service promise (administrators)")
def promise_create(request, payload: ServicePromiseIn):
    _require(request, "improvement.view")
    values = payload.dict()
    if values["valid_from"] is None:
        values.pop("valid_from")
    promise = services.save_promise(request.user, None, **values)
    return Status(201, _promise_out(request, promise))


@router.patch("/promises/{int:promise_id}", response=ServicePromiseOut, summary="Change a service promise")
def promise_update(request, promise_id: int, payload: ServicePromisePatch):
    _require(request, "improvement.view")
    promise = ServicePromise.objects.filter(pk=promise_id).first()
    if promise is None:
        raise Http404
    promise = services.save_promise(request.user, promise, **payload.dict(exclude_unset=True))
    return _promise_out(request, promise)


def _recovery_out(r) -> dict:
    return {"id": r.pk, "customer_id": r.customer_id, "complaint_id": r.complaint_id, "ticket_id": r.ticket_id,
            "failure": r.failure, "promise_id": r.promise_id, "kind": r.kind, "description": r.description,
            "done_by": r.done_by.username if r.done_by_id else None, "done_at": r.done_at, "cost": r.cost}


@router.get("/recoveries", response=list[ServiceRecoveryOut], summary="Service recoveries, newest first")
def recovery_list(request, kind: str = "", customer: str = "", complaint: str = "", offset: Offset = 0,
                  limit: Limit(500) = 100):
    _require(request, "improvement.view")
    rows = queries.recoveries(request.user, kind=kind, customer=customer, complaint=complaint)
    return [_recovery_out(r) for r in rows[offset:offset + limit]]


@router.post("/recoveries", response={201: ServiceRecoveryOut}, summary="Record a service recovery with its cost")
def recovery_create(request, payload: ServiceRecoveryIn):
    try:
        row = services.record_recovery(
            request.user, complaint_id=payload.complaint_id, ticket_id=payload.ticket_id, failure=payload.failure,
            promise_id=payload.promise_id, kind=payload.kind, description=payload.description,
            done_by=payload.done_by_id, done_at=payload.done_at, cost=payload.cost)
    except ValidationError as exc:
        raise _renamed(exc, {"done_by": "done_by_id"}) from None
    return Status(201, _recovery_out(row))
