"""REST endpoints of the risk app, scoped like the pages: a salesperson sees their own customers only;
a customer outside the caller's scope is 404."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from ninja import Query, Router, Schema, Status

from credo.core.api_inputs import InputSchema, Limit, MultilineText, Offset
from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers.queries import get_customer_for_user

from . import classes, services
from .evidence import evidence_text
from .models import RiskClass, RiskSignal
from .watchlist import WatchFilter, customer_signals, watch_groups, watch_rows

router = Router()
MAX_LIMIT = 500


class SignalOut(Schema):
    id: int
    customer_id: int
    kind: str
    kind_label: str
    source: str
    status: str
    detected_on: datetime.date
    evidence: str
    figures: dict
    recorded_by: str
    file_url: str | None
    cleared_on: datetime.date | None
    cleared_by: str
    clear_note: str


class ClassOut(Schema):
    risk_class: str
    profile: str
    policy: str
    assigned_on: datetime.date
    checked_on: datetime.date
    rule: str
    inputs: dict


class CustomerRiskOut(Schema):
    customer_id: int
    customer_code: str
    customer_name: str
    risk_class: ClassOut | None
    active: list[SignalOut]
    cleared: list[SignalOut]


class WatchRowOut(Schema):
    customer_id: int
    customer_code: str
    customer_name: str
    importance: str
    account_manager: str | None
    territory: str | None
    risk_class: str
    signals: int
    kinds: list[str]
    latest: datetime.date
    receivable: Decimal
    open_orders: Decimal
    exposure: Decimal


class WatchQuery(InputSchema):
    kind: str = ""
    risk_class: str = ""
    territory: int | None = None
    manager: int | None = None
    q: str = ""
    limit: Limit(MAX_LIMIT) = 100
    offset: Offset = 0


class SignalIn(InputSchema):
    kind: str
    evidence: MultilineText
    detected_on: datetime.date | None = None


class ClearIn(InputSchema):
    note: str


class RiskCheckOut(Schema):
    customer_id: int
    new: dict
    cleared: dict
    risk_class: str | None


def _require(request, action: str):
    if not has_perm(request.user, action):
        raise PermissionDenied("permission denied")


def _signal_out(signal: RiskSignal) -> dict:
    return {"id": signal.pk, "customer_id": signal.customer_id, "kind": signal.kind,
            "kind_label": str(signal.get_kind_display()), "source": signal.source, "status": signal.status,
            "detected_on": signal.detected_on, "evidence": evidence_text(signal), "figures": signal.figures or {},
            "recorded_by": signal.recorded_by,
            "file_url": reverse("risk:signal_file", args=[signal.pk]) if signal.file else None,
            "cleared_on": signal.cleared_on, "cleared_by": signal.cleared_by, "clear_note": signal.clear_note}


def _class_out(customer_id: int) -> dict | None:
    assignment = classes.current_assignment(customer_id)
    if assignment is None:
        return None
    language = get_language() or "zh-hans"
    risk_class = RiskClass.objects.filter(code=assignment.risk_class).first()
    return {"risk_class": assignment.risk_class, "profile": risk_class.profile(language) if risk_class else "",
            "policy": risk_class.policy(language) if risk_class else "", "assigned_on": assignment.assigned_on,
            "checked_on": assignment.checked_on, "rule": assignment.rule_text, "inputs": assignment.inputs}


@router.get("/watchlist", response=list[WatchRowOut])
def watchlist(request, filters: Query[WatchQuery]):
    """Customers with active risk signals in the caller's scope, worst first (most signals, most recent)."""
    _require(request, "risk.view")
    flt = WatchFilter.from_mapping(filters.dict())
    rows = watch_rows(list(watch_groups(request.user, flt)[filters.offset:filters.offset + filters.limit]))
    return [{"customer_id": r.customer.pk, "customer_code": r.customer.code, "customer_name": r.customer.name,
             "importance": r.customer.importance,
             "account_manager": r.customer.account_manager.username if r.customer.account_manager else None,
             "territory": r.customer.territory.name if r.customer.territory else None, "risk_class": r.risk_class,
             "signals": r.count, "kinds": [s.kind for s in r.signals], "latest": r.latest,
             "receivable": r.receivable, "open_orders": r.open_orders, "exposure": r.exposure} for r in rows]


@router.get("/customers/{customer_id}", response=CustomerRiskOut)
def customer_risk(request, customer_id: int):
    """A customer's risk class with its policy and inputs, and its active and cleared signals."""
    _require(request, "risk.view")
    customer = get_customer_for_user(request.user, customer_id)
    active, cleared = customer_signals(customer.pk)
    return {"customer_id": customer.pk, "customer_code": customer.code, "customer_name": customer.name,
            "risk_class": _class_out(customer.pk), "active": [_signal_out(s) for s in active],
            "cleared": [_signal_out(s) for s in cleared]}


@router.post("/customers/{customer_id}/signals", response={201: SignalOut})
def record_signal(request, customer_id: int, payload: SignalIn):
    """Record a warning sign staff observed (kinds: office_moved, staff_turnover, lawsuits, creditors_at_door,
    not_answering, accident, owner_conflict, speculation, low_price_selling, dealer_credit, business_change,
    fast_expansion, other)."""
    customer = get_customer_for_user(request.user, customer_id)
    signal = services.record_signal(request.user, customer, kind=payload.kind, evidence=payload.evidence,
                                    detected_on=payload.detected_on)
    return Status(201, _signal_out(signal))


@router.post("/signals/{signal_id}/clear", response=SignalOut)
def clear_signal(request, signal_id: int, payload: ClearIn):
    """Clear a recorded signal that no longer applies (computed signals clear themselves)."""
    signal = get_object_or_404(RiskSignal.objects.filter(customer_q(request.user, "customer__")), pk=signal_id)
    return _signal_out(services.clear_signal(request.user, signal, note=payload.note))


@router.post("/customers/{customer_id}/check", response=RiskCheckOut)
def check_customer(request, customer_id: int):
    """Compute this customer's signals and risk class now, as the nightly scan does."""
    customer = get_customer_for_user(request.user, customer_id)
    result = services.check_customer(request.user, customer)
    assignment = classes.current_assignment(customer.pk)
    return {"customer_id": customer.pk, "new": dict(result.new), "cleared": dict(result.cleared),
            "risk_class": assignment.risk_class if assignment else None}
