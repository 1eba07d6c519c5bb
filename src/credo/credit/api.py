"""REST endpoints of credit control, scoped like the pages: a customer's profile with exposure and headroom, the
applications (create, list, decide, withdraw), order confirmation with the check's result, and the check itself
as a what-if. Errors: 403 not allowed, 404 outside the user's scope, 422 naming the field."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from credo.core.api_inputs import InputSchema, Limit, Money, MultilineText
from credo.core.errors import ValidationError
from credo.core.roles import has_perm
from credo.customers.queries import get_customer_for_user
from credo.sales import orders as order_service
from credo.sales.models import SalesOrder

from . import approvals, queries
from .authority import step_for
from .models import ApplicationKind, CreditApplication
from .views import balance_of, standing

router = Router()


def _require(user, perm: str):
    if not has_perm(user, perm):
        raise PermissionDenied(_("Your role may not do this."))


class ExposureOut(Schema):
    receivable: Decimal
    unapplied_credit: Decimal
    open_orders: Decimal
    open_orders_counted: bool
    unbilled_deliveries_counted: bool
    exposure: Decimal
    limit: Decimal
    tolerance_percent: Decimal
    ceiling: Decimal
    headroom: Decimal
    oldest_open_due_date: datetime.date | None
    days_overdue: int
    grace_days: int


class CreditCheckOut(Schema):
    passed: bool
    code: str
    reason: str | None
    amount: Decimal
    exposure_after: Decimal
    excess: Decimal
    checked: bool  # False: no approved limit and such customers are checked only for stops


class ProfileOut(Schema):
    customer_id: int
    has_profile: bool
    limit: Decimal
    limit_approved_on: datetime.date | None
    limit_valid_until: datetime.date | None
    credit_days: int
    discount_percent: Decimal
    discount_days: int
    settlement_mode: str
    credit_standard: str
    collection_plan: str
    status: str
    status_reason: str
    status_since: datetime.date | None
    trade_started_on: datetime.date | None
    target_annual_sales: Decimal | None
    risk_level: str
    exposure: ExposureOut


class StepOut(Schema):
    action: str
    username: str
    role: str
    at: datetime.datetime
    comment: str


class ApplicationOut(Schema):
    id: int
    number: str
    customer_id: int
    kind: str
    status: str
    amount: Decimal | None
    credit_days: int | None
    order_id: int | None
    order_amount: Decimal | None
    computation_id: int | None
    reason: str
    limit_before: Decimal
    exposure: Decimal
    tier_level: int
    tier_name: str
    applicant: str
    reviewer: str | None
    decided_by: str | None
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    next_step: str | None = None
    steps: list[StepOut] = []


class ApplicationIn(InputSchema):
    kind: ApplicationKind
    reason: MultilineText
    amount: Money | None = None
    credit_days: int | None = None
    order_id: int | None = None
    computation_id: int | None = None


class CreditDecisionIn(InputSchema):
    decision: str  # recommend | approve | reject
    comment: MultilineText = ""


class OrderOut(Schema):
    id: int
    number: str
    customer_id: int
    status: str
    amount: Decimal
    hold_reason: str
    check: CreditCheckOut


def _check_out(result, amount) -> dict:
    a = result.assessment
    return {"passed": result.passed, "code": a.code, "reason": result.reason, "amount": Decimal(amount),
            "exposure_after": a.exposure_after, "excess": a.excess, "checked": result.controlled}


def _profile_out(customer) -> dict:
    result = standing(customer.pk)
    profile, a, policy = result.profile, result.assessment, result.policy
    return {
        "customer_id": customer.pk, "has_profile": not profile._state.adding, "limit": profile.limit,
        "limit_approved_on": profile.limit_approved_on, "limit_valid_until": profile.limit_valid_until,
        "credit_days": profile.credit_days, "discount_percent": profile.discount_percent,
        "discount_days": profile.discount_days, "settlement_mode": profile.settlement_mode,
        "credit_standard": profile.credit_standard, "collection_plan": profile.collection_plan,
        "status": profile.status, "status_reason": profile.status_reason, "status_since": profile.status_since,
        "trade_started_on": profile.trade_started_on, "target_annual_sales": profile.target_annual_sales,
        "risk_level": result.risk_level,
        "exposure": {
            "receivable": a.receivable, "unapplied_credit": a.unapplied_credit,
            "open_orders": balance_of(customer.pk).open_orders, "open_orders_counted": policy.count_open_orders,
            "unbilled_deliveries_counted": policy.count_unbilled_deliveries, "exposure": a.exposure_before,
            "limit": a.limit, "tolerance_percent": a.tolerance_percent, "ceiling": a.ceiling,
            "headroom": a.headroom, "oldest_open_due_date": a.oldest_open_due_date, "days_overdue": a.days_overdue,
            "grace_days": a.grace_days},
    }


def _application_out(application: CreditApplication, user, with_steps: bool = False) -> dict:
    data = {field: getattr(application, field) for field in (
        "id", "number", "customer_id", "kind", "status", "amount", "credit_days", "order_id", "order_amount",
        "computation_id", "reason", "limit_before", "exposure", "tier_level", "tier_name", "created_at",
        "decided_at")}
    data.update(applicant=application.applicant.username,
                reviewer=application.reviewer.username if application.reviewer_id else None,
                decided_by=application.decided_by.username if application.decided_by_id else None,
                next_step=step_for(user, application))
    if with_steps:
        data["steps"] = [{"action": s.action, "username": s.username, "role": s.role, "at": s.at,
                          "comment": s.comment} for s in application.steps.all()]
    return data


def _application_or_404(user, application_id: int) -> CreditApplication:
    _require(user, "credit.view")
    application = queries.visible_applications(user).filter(pk=application_id).first()
    if application is None:
        raise Http404
    return application


@router.get("/customers/{int:customer_id}/profile", response=ProfileOut,
            summary="A customer's credit profile and policy, exposure with its components, and headroom")
def profile(request, customer_id: int):
    _require(request.user, "credit.view")
    return _profile_out(get_customer_for_user(request.user, customer_id))


@router.get("/customers/{int:customer_id}/check", response=CreditCheckOut,
            summary="What-if: would an order of `amount` pass the credit check now (nothing is locked or changed)")
def check(request, customer_id: int, amount: Money = Decimal("0")):
    _require(request.user, "credit.view")
    customer = get_customer_for_user(request.user, customer_id)
    if amount < 0:
        raise ValidationError({"amount": [_("The amount cannot be negative.")]})
    return _check_out(standing(customer.pk, amount), amount)


@router.get("/applications", response=list[ApplicationOut], summary="Applications in your scope")
def applications(request, status: str = "", customer_id: int | None = None, waiting_for_me: bool = False,
                 limit: Limit(500) = 100):
    _require(request.user, "credit.view")
    if waiting_for_me:
        rows = queries.pending_for(request.user)
    else:
        rows = queries.visible_applications(request.user)
        if status == "pending":
            rows = rows.filter(status__in=["review", "approval"])
        elif status:
            rows = rows.filter(status=status)
        if customer_id is not None:
            rows = rows.filter(customer_id=customer_id)
        rows = rows.order_by("-created_at", "-id")[:limit]
    return [_application_out(a, request.user) for a in rows]


@router.post("/customers/{int:customer_id}/applications", response={201: ApplicationOut},
             summary="Apply: a limit (amount, credit_days, computation_id), a hold release (order_id), lifting a "
                     "credit stop, stopping or resuming trade, the first credit sale")
def create_application(request, customer_id: int, payload: ApplicationIn):
    customer = get_customer_for_user(request.user, customer_id)
    order = None
    if payload.order_id is not None:
        order = SalesOrder.objects.filter(pk=payload.order_id, customer=customer).first()
        if order is None:
            raise ValidationError({"order_id": [_("This customer has no such order.")]})
    try:
        application = approvals.apply(request.user, customer, kind=payload.kind, reason=payload.reason,
                                      amount=payload.amount, credit_days=payload.credit_days, order=order,
                                      computation_id=payload.computation_id)
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "order" in exc.error_dict:
            exc = ValidationError({("order_id" if k == "order" else k): v for k, v in exc.error_dict.items()})
        raise exc from None
    return Status(201, _application_out(application, request.user, with_steps=True))


@router.get("/applications/{int:application_id}", response=ApplicationOut, summary="An application and its steps")
def application(request, application_id: int):
    return _application_out(_application_or_404(request.user, application_id), request.user, with_steps=True)


@router.post("/applications/{int:application_id}/decisions", response=ApplicationOut,
             summary="Take the next step: recommend or reject (reviewer), approve or reject (approver)")
def decide(request, application_id: int, payload: CreditDecisionIn):
    found = _application_or_404(request.user, application_id)
    decided = approvals.decide(request.user, found, decision=payload.decision, comment=payload.comment)
    return _application_out(decided, request.user, with_steps=True)


@router.post("/applications/{int:application_id}/withdraw", response=ApplicationOut,
             summary="The applicant takes a pending application back")
def withdraw(request, application_id: int):
    found = _application_or_404(request.user, application_id)
    return _application_out(approvals.withdraw(request.user, found), request.user, with_steps=True)


@router.post("/orders/{int:order_id}/confirm", response=OrderOut,
             summary="Confirm an order; the credit check confirms it or puts it on hold with the reason in figures")
def confirm_order(request, order_id: int):
    order = queries.visible_orders(request.user).filter(pk=order_id).select_related("customer").first()
    if order is None:
        raise Http404
    order = order_service.confirm_order(request.user, order)
    if order.status == SalesOrder.Status.CONFIRMED:
        exposure = standing(order.customer_id).assessment.exposure_before
        outcome = {"passed": True, "code": "ok", "reason": None, "amount": order.amount, "exposure_after": exposure,
                   "excess": Decimal("0.00"), "checked": True}
    else:
        outcome = {**_check_out(standing(order.customer_id, order.amount), order.amount), "passed": False,
                   "reason": order.hold_reason}
    return {"id": order.pk, "number": order.number, "customer_id": order.customer_id, "status": order.status,
            "amount": order.amount, "hold_reason": order.hold_reason, "check": outcome}
