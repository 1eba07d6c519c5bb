"""Writes on credit profiles and stops: the policy terms, manual and automatic credit stops (bounced cheque, returned
drafts, repeated late payment), and the effects of approved applications (limit, lifting a stop, stopping,
resuming and starting trade). One transaction each; ValidationError names the field, PermissionDenied when the role
or scope does not allow it; nothing changes when either is raised. Every change is audited and put on the timeline.

Locking: the customer's balance row first (as every ledger posting and the order check do), then the profile, so a
stop and an order confirmation of the same customer are serialised.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils.translation import gettext as _

from credo.core import audit, timeline
from credo.core.clock import business_today
from credo.core.errors import PermissionDenied, ValidationError, require
from credo.core.models import AuditEntry
from credo.core.money import money
from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers.models import Customer
from credo.sales.models import Allocation, Invoice, ReceiptReversal
from credo.sales.services import lock_balance

from . import events, queries, rules
from .models import (
    CollectionPlan,
    CreditProfile,
    CreditSettings,
    CreditStatus,
    CreditStop,
    SettlementMode,
    StopKind,
)

POLICY_FIELDS = ("discount_percent", "discount_days", "settlement_mode", "credit_standard", "collection_plan",
                 "collection_note", "target_annual_sales")


def require_customer(user, customer_id: int, perm: str):
    require(has_perm(user, perm), _("Your role may not do this."))
    if not Customer.objects.filter(customer_q(user), pk=customer_id).exists():
        raise PermissionDenied(_("This customer is not in your scope."))


def _raise(errors: dict):
    if errors:
        raise ValidationError(errors)


def new_profile(customer_id: int) -> CreditProfile:
    """An unsaved profile with the policy of the customer's grade and no credit."""
    policy = queries.policy_for_level(queries.risk_level(customer_id))
    return CreditProfile(customer_id=customer_id, limit=Decimal("0.00"), credit_days=policy.credit_days,
                         discount_percent=policy.discount_percent, discount_days=policy.discount_days,
                         settlement_mode=policy.settlement_mode, credit_standard=policy.credit_standard,
                         collection_plan=policy.collection_plan)


def lock_profile(customer_id: int) -> CreditProfile:
    """The customer's profile locked for this transaction (created from the grade's policy on first use). Locks the
    balance row first."""
    lock_balance(customer_id)
    profile = CreditProfile.objects.select_for_update().filter(customer_id=customer_id).first()
    if profile is None:
        new_profile(customer_id).save(force_insert=True)  # the balance lock keeps a concurrent create out
        profile = CreditProfile.objects.select_for_update().get(customer_id=customer_id)
    return profile


def _actor_name(actor) -> str:
    return getattr(actor, "username", "") or (actor if isinstance(actor, str) else "") or "system"


# ----------------------------------------------------------------------------------------------- policy terms


@transaction.atomic
def update_policy(user, customer: Customer, data: dict, *, reason: str = "") -> CreditProfile:
    """The terms of a customer's credit policy other than limit and credit period (those go through approval):
    cash discount, settlement mode, credit standard, collection policy, target annual sales."""
    require_customer(user, customer.pk, "credit.policy")
    errors: dict = {}
    clean: dict = {}
    for field in POLICY_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field == "discount_percent":
            try:
                value = Decimal(str(value if value not in (None, "") else "0"))
                if not (0 <= value < 100):
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                errors.setdefault(field, []).append(_("Enter a percentage from 0 to under 100."))
                continue
        elif field == "discount_days":
            try:
                value = int(value or 0)
                if not (0 <= value <= 365):
                    raise ValueError
            except (TypeError, ValueError):
                errors.setdefault(field, []).append(_("Enter a number of days from 0 to 365."))
                continue
        elif field == "settlement_mode" and value not in SettlementMode.values:
            errors.setdefault(field, []).append(_("Choose a settlement mode from the list."))
            continue
        elif field == "collection_plan" and value not in CollectionPlan.values:
            errors.setdefault(field, []).append(_("Choose a collection policy from the list."))
            continue
        elif field == "target_annual_sales":
            if value in (None, ""):
                value = None
            else:
                try:
                    value = money(value)
                    if value < 0:
                        raise InvalidOperation
                except (InvalidOperation, TypeError, ValueError):
                    errors.setdefault(field, []).append(_("Enter an amount of 0 or more."))
                    continue
        elif field in ("credit_standard", "collection_note"):
            value = (value or "").strip()
        clean[field] = value
    _raise(errors)
    profile = lock_profile(customer.pk)
    before = audit.snapshot(profile)
    for field, value in clean.items():
        setattr(profile, field, value)
    profile.save()
    entry = audit.record_change(user, profile, before, customer_id=customer.pk, reason=reason)
    if entry is not None:
        timeline.add_event(customer.pk, events.POLICY_CHANGED.code, actor=user, obj=profile,
                           summary=", ".join(sorted(entry.after))[:300])
    return profile


# ------------------------------------------------------------------------------------------------ credit stops


def _refresh_status(profile: CreditProfile, today: datetime.date):
    """Status from the live stops: a trade stop wins over credit stops; none left → normal."""
    live = list(CreditStop.objects.filter(customer_id=profile.customer_id, lifted_on__isnull=True)
                .order_by("-started_on", "-id"))
    trade = next((s for s in live if s.kind == StopKind.TRADE_STOPPED), None)
    credit = next((s for s in live if s.kind != StopKind.TRADE_STOPPED), None)
    if trade is not None:
        status, reason, since = CreditStatus.TRADE_STOPPED, trade.reason, trade.started_on
    elif credit is not None:
        status, reason, since = CreditStatus.CASH_ONLY, credit.reason, credit.started_on
    else:
        status, reason, since = CreditStatus.NORMAL, "", today
    if (profile.status, profile.status_reason) != (status, reason):
        profile.status, profile.status_reason, profile.status_since = status, reason[:300], since


def start_stop(actor, customer_id: int, *, kind: str, reason: str, on: datetime.date, reversal_id=None,
               application=None) -> CreditStop:
    """Record a stop and turn the customer cash-only (or trade-stopped). Call inside a transaction."""
    profile = lock_profile(customer_id)
    before = audit.snapshot(profile)
    stop = CreditStop.objects.create(customer_id=customer_id, kind=kind, reason=reason[:300], started_on=on,
                                     started_by=_actor_name(actor), reversal_id=reversal_id, application=application)
    _refresh_status(profile, on)
    profile.save()
    user = actor if getattr(actor, "pk", None) else None
    audit.record(user, AuditEntry.Action.CREATE, stop, after=audit.snapshot(stop), customer_id=customer_id,
                 reason=reason)
    audit.record_change(user, profile, before, customer_id=customer_id, reason=reason)
    code = events.TRADE_STOPPED.code if kind == StopKind.TRADE_STOPPED else events.STOPPED.code
    timeline.add_event(customer_id, code, actor=actor, obj=stop, summary=f"{stop.get_kind_display()}: {reason}"[:300])
    return stop


def lift_stops(actor, customer_id: int, *, kinds, on: datetime.date, application=None, reason: str = "") -> int:
    """Lift the live stops of these kinds; the status follows. Call inside a transaction."""
    profile = lock_profile(customer_id)
    before = audit.snapshot(profile)
    live = list(CreditStop.objects.select_for_update().filter(customer_id=customer_id, lifted_on__isnull=True,
                                                              kind__in=list(kinds)))
    for stop in live:
        stop.lifted_on, stop.lifted_by, stop.lift_application = on, _actor_name(actor), application
        stop.save(update_fields=["lifted_on", "lifted_by", "lift_application"])
    _refresh_status(profile, on)
    profile.save()
    user = actor if getattr(actor, "pk", None) else None
    audit.record_change(user, profile, before, customer_id=customer_id, reason=reason)
    return len(live)


CREDIT_STOP_KINDS = [k for k in StopKind.values if k != StopKind.TRADE_STOPPED]


@transaction.atomic
def stop_credit(user, customer: Customer, *, reason: str, on: datetime.date | None = None) -> CreditStop:
    """A credit stop decided by the credit controller (protective: takes effect at once; lifting needs approval)."""
    require_customer(user, customer.pk, "credit.stop")
    on = on or business_today()
    errors: dict = {}
    if not reason.strip():
        errors["reason"] = [_("Say why credit is stopped.")]
    if on > business_today():
        errors["on"] = [_("The date cannot be in the future.")]
    _raise(errors)
    return start_stop(user, customer.pk, kind=StopKind.MANUAL, reason=reason.strip(), on=on)


def _already_stopped(customer_id: int) -> bool:
    return CreditProfile.objects.filter(customer_id=customer_id).exclude(status=CreditStatus.NORMAL).exists()


def on_reversal(reversal: ReceiptReversal):
    """REVERSAL_HOOKS entry: a bounced cheque stops credit; so does the n-th returned draft of the customer."""
    settings = CreditSettings.current()
    customer_id, on = reversal.customer_id, reversal.reversal_date
    reason = None
    if reversal.kind == ReceiptReversal.Kind.BOUNCED_CHEQUE and settings.stop_on_bounced_cheque:
        reason = _("Cheque %(number)s of %(amount)s bounced: %(why)s") % {
            "number": reversal.receipt.number, "amount": f"¥{reversal.receipt.amount:,.2f}", "why": reversal.reason}
        kind = StopKind.BOUNCED_CHEQUE
    elif reversal.kind == ReceiptReversal.Kind.RETURNED_DRAFT and settings.returned_drafts_to_stop:
        returned = ReceiptReversal.objects.filter(customer_id=customer_id,
                                                  kind=ReceiptReversal.Kind.RETURNED_DRAFT).count()
        if returned >= settings.returned_drafts_to_stop:
            reason = _("%(count)d drafts returned, the latest %(number)s of %(amount)s: %(why)s") % {
                "count": returned, "number": reversal.receipt.number, "amount": f"¥{reversal.receipt.amount:,.2f}",
                "why": reversal.reason}
            kind = StopKind.RETURNED_DRAFTS
    if reason is None or _has_live_stop(customer_id, kind):
        return
    start_stop(_user_named(reversal.posted_by) or "system", customer_id, kind=kind, reason=reason, on=on,
               reversal_id=reversal.pk)


def _has_live_stop(customer_id: int, kind: str) -> bool:
    return CreditStop.objects.filter(customer_id=customer_id, kind=kind, lifted_on__isnull=True).exists()


def _user_named(username: str):
    return get_user_model().objects.filter(username=username).first() if username else None


def late_paid_invoices(customer_id: int, since: datetime.date, through: datetime.date):
    """Goods invoices settled after their due date, by payments made from `since` through `through`."""
    paid = Max("allocations__allocation_date", filter=Q(allocations__receipt__isnull=False, allocations__amount__gt=0))
    return (Invoice.objects.filter(customer_id=customer_id, kind=Invoice.Kind.GOODS, open_amount=0)
            .annotate(paid_on=paid).filter(paid_on__gt=F("due_date"), paid_on__gte=since, paid_on__lte=through)
            .order_by("paid_on", "id"))


def on_receipt(receipt):
    """RECEIPT_HOOKS entry: repeated late payment (default 3 invoices paid late within 6 months) stops credit."""
    if not Allocation.objects.filter(receipt=receipt, amount__gt=0, invoice__open_amount=0,
                                     invoice__due_date__lt=receipt.receipt_date).exists():
        return  # this payment settled nothing late
    check_late_payments(receipt.customer_id, receipt.receipt_date, _user_named(receipt.posted_by) or "system")


def check_late_payments(customer_id: int, on: datetime.date, actor) -> CreditStop | None:
    """Stop credit when enough invoices were paid late in the window up to `on`. Counts from the last lift of such
    a stop, so a lifted customer is not stopped again for the same invoices. Call inside a transaction."""
    settings = CreditSettings.current()
    if not settings.late_invoices_to_stop or _already_stopped(customer_id):
        return None
    since = rules.add_months(on, -settings.late_window_months)
    last_lift = (CreditStop.objects.filter(customer_id=customer_id, kind=StopKind.LATE_PAYMENTS,
                                           lifted_on__isnull=False).aggregate(d=Max("lifted_on"))["d"])
    if last_lift and last_lift >= since:
        since = last_lift + datetime.timedelta(days=1)
    late = list(late_paid_invoices(customer_id, since, on)[:50])
    if len(late) < settings.late_invoices_to_stop:
        return None
    reason = _("%(count)d invoices paid late within %(months)d months: %(numbers)s") % {
        "count": len(late), "months": settings.late_window_months,
        "numbers": ", ".join(f"{i.number} ({(i.paid_on - i.due_date).days}d)" for i in late[:8])}
    return start_stop(actor, customer_id, kind=StopKind.LATE_PAYMENTS, reason=reason, on=on)


def late_payment_candidates(on: datetime.date) -> list[int]:
    """Customers with at least the settings' number of invoices paid late in the window (a superset of those to
    stop: lifts are looked at per customer). For the batch scan of a ledger loaded without the hooks."""
    settings = CreditSettings.current()
    if not settings.late_invoices_to_stop:
        return []
    since = rules.add_months(on, -settings.late_window_months)
    paid = Max("allocations__allocation_date", filter=Q(allocations__receipt__isnull=False, allocations__amount__gt=0))
    rows = (Invoice.objects.filter(kind=Invoice.Kind.GOODS, open_amount=0, due_date__lt=on)
            .annotate(paid_on=paid).filter(paid_on__gt=F("due_date"), paid_on__gte=since, paid_on__lte=on)
            .values_list("customer_id", flat=True))
    counts: dict[int, int] = {}
    for customer_id in rows.iterator(chunk_size=10_000):
        counts[customer_id] = counts.get(customer_id, 0) + 1
    stopped = set(CreditProfile.objects.exclude(status=CreditStatus.NORMAL).values_list("customer_id", flat=True))
    return sorted(c for c, n in counts.items() if n >= settings.late_invoices_to_stop and c not in stopped)


# ------------------------------------------------------------------------------ effects of approved applications


def set_limit(actor, application, on: datetime.date):
    """An approved limit application: the profile takes the limit and credit period, valid for the review period."""
    profile = lock_profile(application.customer_id)
    before = audit.snapshot(profile)
    profile.limit = application.amount
    if application.credit_days is not None:
        profile.credit_days = application.credit_days
    profile.limit_approved_on = on
    profile.limit_valid_until = rules.add_months(on, CreditSettings.current().review_months)
    profile.limit_application = application
    profile.save()
    audit.record_change(actor, profile, before, customer_id=application.customer_id,
                        reason=f"{application.number}: {application.reason}"[:500])
    timeline.add_event(application.customer_id, events.LIMIT_SET.code, actor=actor, obj=profile,
                       summary=_("Limit %(before)s → %(after)s, %(days)d days (%(number)s)") % {
                           "before": f"¥{application.limit_before:,.2f}", "after": f"¥{profile.limit:,.2f}",
                           "days": profile.credit_days, "number": application.number})


def start_trade(actor, application, on: datetime.date):
    profile = lock_profile(application.customer_id)
    before = audit.snapshot(profile)
    profile.trade_started_on = on
    profile.save()
    audit.record_change(actor, profile, before, customer_id=application.customer_id, reason=application.number)
    timeline.add_event(application.customer_id, events.TRADE_STARTED.code, actor=actor, obj=profile,
                       summary=application.number)


def stop_trade(actor, application, on: datetime.date):
    """Trade stops; what is still owed goes to a collection case."""
    start_stop(actor, application.customer_id, kind=StopKind.TRADE_STOPPED, reason=application.reason, on=on,
               application=application)
    balance = lock_balance(application.customer_id)
    if balance.receivable > 0:
        from credo.collection.services import open_case_for

        open_case_for(application.customer, actor, reason=_("Trade stopped (%(number)s): %(reason)s") % {
            "number": application.number, "reason": application.reason})


def resume_trade(actor, application, on: datetime.date):
    lift_stops(actor, application.customer_id, kinds=[StopKind.TRADE_STOPPED], on=on, application=application,
               reason=application.number)
    timeline.add_event(application.customer_id, events.TRADE_RESUMED.code, actor=actor, obj=application,
                       summary=f"{application.number}: {application.reason}"[:300])


def lift_credit_stop(actor, application, on: datetime.date):
    lift_stops(actor, application.customer_id, kinds=CREDIT_STOP_KINDS, on=on, application=application,
               reason=application.number)
    timeline.add_event(application.customer_id, events.STOP_LIFTED.code, actor=actor, obj=application,
                       summary=f"{application.number}: {application.reason}"[:300])


def merge_profiles(source: Customer, target: Customer):
    """Customer merge: the target keeps its profile; the source's goes (its stops and applications moved with the
    other documents). Without a profile the target takes the source's."""
    source_profile = CreditProfile.objects.filter(customer=source).first()
    if source_profile is None:
        return
    if CreditProfile.objects.filter(customer=target).exists():
        source_profile.delete()
    else:
        CreditProfile.objects.filter(customer=source).update(customer=target)
    if CreditStop.objects.filter(customer=target, lifted_on__isnull=True).exists():
        profile = CreditProfile.objects.get(customer=target)
        _refresh_status(profile, business_today())
        profile.save()
