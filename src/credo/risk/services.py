"""Writes of the risk app that people make: record a signal they observed, clear one, check a customer now.
One transaction each; permission and scope first; ValidationError names the field; nothing changes on error.
The scan (scan.py) writes the computed signals and the classes."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from credo.core import audit, timeline
from credo.core.clock import business_today
from credo.core.errors import PermissionDenied, ValidationError, require
from credo.core.models import AuditEntry
from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers.models import Customer

from . import events
from .alerts import alert_new_signals
from .models import RECORDED_KINDS, RiskClassAssignment, RiskSettings, RiskSignal
from .scan import ScanResult, scan_customer

MAX_EVIDENCE = 4000


def require_risk_action(user, customer_id: int, action: str = "risk.record"):
    require(has_perm(user, action), _("Your role may not record or clear risk signals."))
    if not Customer.objects.filter(customer_q(user), pk=customer_id).exists():
        raise PermissionDenied(_("This customer is not in your scope."))


@transaction.atomic
def record_signal(user, customer: Customer, *, kind: str, evidence: str, detected_on: datetime.date | None = None,
                  file=None) -> RiskSignal:
    """A warning sign staff observed (office moved, lawsuits, boss unreachable …), with evidence and date."""
    require_risk_action(user, customer.pk)
    today = business_today()
    detected_on = detected_on or today
    evidence = (evidence or "").strip()
    errors: dict = {}
    if kind not in RECORDED_KINDS:
        errors["kind"] = [_("Choose one of the signals staff record; the others are computed from the data.")]
    if not evidence:
        errors["evidence"] = [_("Describe what was seen or heard, where and from whom.")]
    elif len(evidence) > MAX_EVIDENCE:
        errors["evidence"] = [_("At most %(n)d characters.") % {"n": MAX_EVIDENCE}]
    if detected_on > today:
        errors["detected_on"] = [_("The date cannot be in the future.")]
    if not customer.is_active:
        errors["customer"] = [_("This customer was merged into another; record the signal there.")]
    if errors:
        raise ValidationError(errors)
    signal = RiskSignal(customer=customer, kind=kind, source=RiskSignal.Source.RECORDED, evidence=evidence,
                        detected_on=detected_on, recorded_by=user.username)
    if file is not None:
        signal.file, signal.file_name = file, getattr(file, "name", "")[:200]
    signal.save()
    audit.record(user, AuditEntry.Action.CREATE, signal, after=audit.snapshot(signal), customer_id=customer.pk)
    timeline.add_event(customer.pk, events.SIGNAL_DETECTED.code, actor=user, obj=signal,
                       summary=f"{signal.get_kind_display()}: {evidence}")
    facts = {customer.pk: {"code": customer.code, "name": customer.name, "importance": customer.importance,
                           "account_manager_id": customer.account_manager_id}}
    alert_new_signals({customer.pk: [signal]}, facts, RiskSettings.current().high_exposure_amount,
                      exclude_user_id=user.pk)
    return signal


@transaction.atomic
def clear_signal(user, signal: RiskSignal, *, note: str) -> RiskSignal:
    """Clear a recorded signal that no longer applies, saying why. Computed signals clear themselves when the
    figures no longer show them (the next scan)."""
    require_risk_action(user, signal.customer_id)
    signal = RiskSignal.objects.select_for_update().get(pk=signal.pk)
    note = (note or "").strip()
    errors: dict = {}
    if not signal.is_active:
        errors["status"] = [_("This signal is already cleared.")]
    elif signal.source == RiskSignal.Source.COMPUTED:
        errors["status"] = [_("A computed signal clears itself when the figures no longer show it.")]
    if not note:
        errors["note"] = [_("Say why the signal no longer applies.")]
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(signal)
    signal.status, signal.cleared_on = RiskSignal.Status.CLEARED, business_today()
    signal.cleared_by, signal.clear_note = user.username, note[:300]
    signal.save(update_fields=["status", "cleared_on", "cleared_by", "clear_note"])
    audit.record_change(user, signal, before, reason=note, customer_id=signal.customer_id)
    timeline.add_event(signal.customer_id, events.SIGNAL_CLEARED.code, actor=user, obj=signal,
                       summary=f"{signal.get_kind_display()}: {note}")
    return signal


def check_customer(user, customer: Customer, as_of: datetime.date | None = None) -> ScanResult:
    """Run the scan for this one customer now (signals and class), as the nightly scan would."""
    require_risk_action(user, customer.pk)
    return scan_customer(customer.pk, as_of, actor=user)


def merge_signals(source: Customer, target: Customer):
    """Customer merge: the signals move to the target; a computed signal the target already has is cleared
    on the source first (one active computed signal per kind)."""
    kinds = RiskSignal.objects.filter(customer=target, source=RiskSignal.Source.COMPUTED,
                                      status=RiskSignal.Status.ACTIVE).values("kind")
    RiskSignal.objects.filter(customer=source, source=RiskSignal.Source.COMPUTED, status=RiskSignal.Status.ACTIVE,
                              kind__in=kinds).update(status=RiskSignal.Status.CLEARED,
                                                     cleared_on=business_today(), cleared_by="merge",
                                                     clear_note=f"merged into {target.code}")
    RiskSignal.objects.filter(customer=source).update(customer=target)


def merge_classes(source: Customer, target: Customer):
    """Customer merge: the source's class history moves as history; the target keeps its current class."""
    RiskClassAssignment.objects.filter(customer=source, is_current=True).update(is_current=False)
    RiskClassAssignment.objects.filter(customer=source).update(customer=target)
