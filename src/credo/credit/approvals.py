"""Credit applications and their decision (SPEC §5.7): a limit, the release of an order on credit hold, lifting a
credit stop, stopping or resuming trade, the first credit sale. The authority tier for the amount and term decides
who reviews and who approves; every step is recorded; nobody reviews or approves their own application and the
reviewer does not also approve. Approval applies the decision in the same transaction.

Routing amount: a limit application routes by the limit asked for and its credit period; the others by the
customer's larger of limit and exposure (with the held order for a release) and its credit period.
"""

import datetime
import uuid
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credo.core import audit, timeline
from credo.core.clock import business_today
from credo.core.errors import PermissionDenied, ValidationError, require
from credo.core.models import AuditEntry
from credo.core.money import money
from credo.core.roles import has_perm, role_of
from credo.core.scopes import customer_q
from credo.customers.models import Customer
from credo.sales import orders
from credo.sales.models import SalesOrder
from credo.sales.services import lock_balance

from . import events, queries, services
from .authority import may_apply, step_for, tier_for
from .models import (
    ApplicationKind,
    ApplicationStatus,
    ApplicationStep,
    CreditApplication,
    CreditProfile,
    CreditStatus,
)

MAX_CREDIT_DAYS = 365
MAX_LIMIT = Decimal("9999999999999.99")


def _raise(errors: dict):
    if errors:
        raise ValidationError(errors)


def _in_scope(user, customer_id: int) -> bool:
    return Customer.objects.filter(customer_q(user), pk=customer_id).exists()


def _exposure(profile: CreditProfile | None, balance) -> Decimal:
    return money(balance.receivable - balance.unapplied_credit + balance.open_orders)


def _check_computation(computation_id, customer_id: int, errors: dict):
    """A limit computation of the limits app, if that app is installed: it must exist and not belong to another
    customer."""
    if computation_id in (None, ""):
        return None
    try:
        computation_id = int(computation_id)
    except (TypeError, ValueError):
        errors.setdefault("computation_id", []).append(_("Not a limit computation."))
        return None
    try:
        from credo.limits.models import LimitComputation
    except ImportError:
        return computation_id
    try:
        found = LimitComputation.objects.filter(pk=computation_id).values("customer_id").first()
    except Exception:  # noqa: BLE001 - the limits app may not have its table yet
        return computation_id
    if found is None:
        errors.setdefault("computation_id", []).append(_("There is no limit computation %(id)s.")
                                                        % {"id": computation_id})
    elif found["customer_id"] not in (None, customer_id):
        errors.setdefault("computation_id", []).append(_("That computation is for another customer."))
    return computation_id


@transaction.atomic
def apply(user, customer: Customer, *, kind: str, reason: str, amount=None, credit_days=None, order=None,
          computation_id=None) -> CreditApplication:
    """Submit an application. It goes to the tier's reviewer, or straight to its approver when the tier has no
    review step."""
    require(has_perm(user, "credit.apply"), _("Your role may not apply for credit decisions."))
    if not _in_scope(user, customer.pk):
        raise PermissionDenied(_("This customer is not in your scope."))
    errors: dict = {}
    if kind not in ApplicationKind.values:
        errors["kind"] = [_("Choose what the application is for.")]
        _raise(errors)
    if not (reason or "").strip():
        errors["reason"] = [_("Say why.")]
    balance = lock_balance(customer.pk)
    profile = CreditProfile.objects.select_for_update().filter(customer_id=customer.pk).first()
    status = profile.status if profile else CreditStatus.NORMAL
    current_days = profile.credit_days if profile else services.new_profile(customer.pk).credit_days
    limit_before = profile.limit if profile else Decimal("0.00")
    exposure = _exposure(profile, balance)
    routing_amount, routing_days, order_amount = max(limit_before, exposure), current_days, None

    if kind == ApplicationKind.LIMIT:
        try:
            amount = money(amount)
            if amount < 0 or amount > MAX_LIMIT:
                raise InvalidOperation
        except (InvalidOperation, TypeError, ValueError):
            errors["amount"] = [_("Enter the limit applied for: an amount of 0 or more.")]
            amount = None
        if credit_days in (None, ""):
            credit_days = current_days
        try:
            credit_days = int(credit_days)
            if not 0 <= credit_days <= MAX_CREDIT_DAYS:
                raise ValueError
        except (TypeError, ValueError):
            errors["credit_days"] = [_("Enter a credit period from 0 to %(max)d days.") % {"max": MAX_CREDIT_DAYS}]
            credit_days = None
        computation_id = _check_computation(computation_id, customer.pk, errors)
        if amount is not None and credit_days is not None:
            routing_amount, routing_days = amount, credit_days
    else:
        amount = credit_days = computation_id = None
    if kind == ApplicationKind.HOLD_RELEASE:
        if order is None or order.customer_id != customer.pk:
            errors["order"] = [_("Choose an order of this customer.")]
        else:
            order = SalesOrder.objects.select_for_update().get(pk=order.pk)
            if order.status != SalesOrder.Status.HELD:
                errors["order"] = [_("Only an order on credit hold can be released.")]
            elif status == CreditStatus.TRADE_STOPPED:
                errors["order"] = [_("Trade with this customer is stopped: apply to resume trade first.")]
            order_amount = order.amount
            routing_amount = max(limit_before, exposure + order.amount)
    else:
        order = None
    if kind == ApplicationKind.LIFT_STOP and status != CreditStatus.CASH_ONLY:
        errors["kind"] = [_("Credit is not stopped for this customer.")]
    if kind == ApplicationKind.STOP_TRADE and status == CreditStatus.TRADE_STOPPED:
        errors["kind"] = [_("Trade with this customer is already stopped.")]
    if kind == ApplicationKind.RESUME_TRADE and status != CreditStatus.TRADE_STOPPED:
        errors["kind"] = [_("Trade with this customer is not stopped.")]
    if kind == ApplicationKind.START_TRADE and profile is not None and profile.trade_started_on:
        errors["kind"] = [_("Credit sales to this customer started on %(date)s.")
                          % {"date": profile.trade_started_on.isoformat()}]
    _raise(errors)

    tier = tier_for(routing_amount, routing_days)
    if not may_apply(user, tier):
        raise PermissionDenied(_("Your role may not apply at authority tier %(tier)s.") % {"tier": tier.name})
    first = ApplicationStatus.REVIEW if tier.reviewer_roles.strip() else ApplicationStatus.APPROVAL
    application = CreditApplication(
        number=f"new-{uuid.uuid4().hex[:14]}", customer=customer, kind=kind, status=first, amount=amount,
        credit_days=credit_days, order=order, order_amount=order_amount, computation_id=computation_id,
        reason=reason.strip(), limit_before=limit_before, exposure=exposure, routing_amount=routing_amount,
        routing_days=routing_days, tier=tier, tier_level=tier.level, tier_name=tier.name,
        reviewer_roles=tier.reviewer_roles, approver_roles=tier.approver_roles, applicant=user)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        field = "order" if kind == ApplicationKind.HOLD_RELEASE else "kind"
        raise ValidationError({field: [_("An application of this kind is already waiting for a decision.")]}) from None
    application.number = f"CA{application.pk:06d}"
    application.save(update_fields=["number"])
    _step(application, user, ApplicationStep.Action.SUBMIT, reason.strip())
    audit.record(user, AuditEntry.Action.CREATE, application, after=audit.snapshot(application),
                 customer_id=customer.pk, reason=reason)
    timeline.add_event(customer.pk, events.APPLIED.code, actor=user, obj=application,
                       summary=_summary(application))
    return application


def _summary(application: CreditApplication) -> str:
    text = f"{application.number} {application.get_kind_display()}"
    if application.amount is not None:
        text += f" ¥{application.amount:,.2f}"
    if application.order_id:
        text += f" {application.order.number} ¥{application.order_amount:,.2f}"
    return text[:300]


def _step(application, user, action, comment=""):
    return ApplicationStep.objects.create(application=application, action=action, user=user,
                                          username=user.username, role=role_of(user) or "", comment=comment)


def _locked(application: CreditApplication) -> CreditApplication:
    application = CreditApplication.objects.select_for_update(of=("self",)).select_related("customer", "order").get(
        pk=application.pk)
    if not application.is_pending:
        raise ValidationError({"status": [_("This application has already been decided.")]})
    return application


@transaction.atomic
def decide(user, application: CreditApplication, *, decision: str, comment: str = "",
           on: datetime.date | None = None) -> CreditApplication:
    """The next step: the reviewer recommends or rejects; the approver approves or rejects. Approving applies it."""
    if not _in_scope(user, application.customer_id):
        raise PermissionDenied(_("This customer is not in your scope."))
    lock_balance(application.customer_id)  # balance first, as every posting; the effects lock the profile next
    application = _locked(application)
    step = step_for(user, application)
    if application.applicant_id == user.pk:
        raise PermissionDenied(_("Nobody decides their own application."))
    if step is None:
        if application.reviewer_id == user.pk:
            raise PermissionDenied(_("The reviewer of an application does not also approve it."))
        raise PermissionDenied(_("Your role may not decide this application at this step."))
    allowed = {"review": ("recommend", "reject"), "approve": ("approve", "reject")}[step]
    if decision not in allowed:
        raise ValidationError({"decision": [_("Choose a decision.")]})
    if decision == "reject" and not comment.strip():
        raise ValidationError({"comment": [_("Say why the application is rejected.")]})
    before = audit.snapshot(application)
    on = on or business_today()
    if decision == "recommend":
        application.status, application.reviewer = ApplicationStatus.APPROVAL, user
        _step(application, user, ApplicationStep.Action.RECOMMEND, comment.strip())
        code = events.REVIEWED.code
    elif decision == "reject":
        application.status, application.decided_by, application.decided_at = (
            ApplicationStatus.REJECTED, user, timezone.now())
        if step == "review":
            application.reviewer = user
        _step(application, user, ApplicationStep.Action.REJECT, comment.strip())
        code = events.REJECTED.code
    else:
        _apply_decision(user, application, on)
        application.status, application.decided_by, application.decided_at = (
            ApplicationStatus.APPROVED, user, timezone.now())
        _step(application, user, ApplicationStep.Action.APPROVE, comment.strip())
        code = events.APPROVED.code
    application.save()
    audit.record_change(user, application, before, customer_id=application.customer_id, reason=comment)
    timeline.add_event(application.customer_id, code, actor=user, obj=application,
                       summary=(_summary(application) + (f": {comment.strip()}" if comment.strip() else ""))[:300])
    return application


def _apply_decision(user, application: CreditApplication, on: datetime.date):
    kind = application.kind
    profile = CreditProfile.objects.filter(customer_id=application.customer_id).first()
    if kind == ApplicationKind.LIMIT:
        services.set_limit(user, application, on)
    elif kind == ApplicationKind.HOLD_RELEASE:
        if profile is not None and profile.status == CreditStatus.TRADE_STOPPED:
            raise ValidationError({"order": [_("Trade with this customer is stopped: resume trade first.")]})
        orders.release_hold(user, application.order, max_amount=application.order_amount,
                            reason=f"{application.number}: {application.reason}"[:300])
    elif kind == ApplicationKind.LIFT_STOP:
        services.lift_credit_stop(user, application, on)
    elif kind == ApplicationKind.STOP_TRADE:
        if profile is not None and profile.status == CreditStatus.TRADE_STOPPED:
            raise ValidationError({"kind": [_("Trade with this customer is already stopped.")]})
        services.stop_trade(user, application, on)
    elif kind == ApplicationKind.RESUME_TRADE:
        if profile is None or profile.status != CreditStatus.TRADE_STOPPED:
            raise ValidationError({"kind": [_("Trade with this customer is not stopped.")]})
        services.resume_trade(user, application, on)
    elif kind == ApplicationKind.START_TRADE:
        errors = []
        if not queries.has_investigation(application.customer_id):
            errors.append(_("The first credit sale needs a completed credit investigation."))
        if profile is None or not profile.limit_is_approved:
            errors.append(_("The first credit sale needs an approved credit limit."))
        if errors:
            raise ValidationError({"decision": errors})
        services.start_trade(user, application, on)


@transaction.atomic
def withdraw(user, application: CreditApplication, *, comment: str = "") -> CreditApplication:
    """The applicant takes a pending application back."""
    application = _locked(application)
    if application.applicant_id != user.pk:
        raise PermissionDenied(_("Only the applicant may withdraw an application."))
    before = audit.snapshot(application)
    application.status, application.decided_at = ApplicationStatus.WITHDRAWN, timezone.now()
    application.save(update_fields=["status", "decided_at"])
    _step(application, user, ApplicationStep.Action.WITHDRAW, comment.strip())
    audit.record_change(user, application, before, customer_id=application.customer_id, reason=comment)
    return application
