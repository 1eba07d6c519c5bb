"""The watch list (customers with active risk signals, worst first), scoped like every list: a salesperson
sees their own customers, a sales manager the team's, credit controllers and the others all."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q

from credo.core.scopes import customer_q
from credo.customers.models import Customer

from .evidence import evidence_text
from .models import RiskClassAssignment, RiskSignal, SignalKind

ZERO = Decimal("0.00")


@dataclass
class WatchFilter:
    kind: str = ""
    risk_class: str = ""
    territory: int | None = None
    manager: int | None = None
    q: str = ""

    @classmethod
    def from_mapping(cls, data) -> "WatchFilter":
        def as_int(key):
            try:
                return int(data.get(key)) if data.get(key) not in (None, "") else None
            except (TypeError, ValueError):
                return None

        kind = data.get("kind") or ""
        risk_class = (data.get("risk_class") or data.get("class") or "").upper()
        return cls(kind=kind if kind in SignalKind.values else "",
                   risk_class=risk_class if risk_class in ("CA1", "CA2", "CA3", "CA4", "CA5") else "",
                   territory=as_int("territory"), manager=as_int("manager"), q=(data.get("q") or "").strip()[:100])

    @property
    def active(self) -> bool:
        return bool(self.kind or self.risk_class or self.territory or self.manager or self.q)


def kind_labels() -> dict[str, str]:
    """The signal names in the current language, looked up once per page (get_kind_display() per row would
    translate every choice again)."""
    return {value: str(label) for value, label in SignalKind.choices}


def dress(signals, labels: dict | None = None, evidence: bool = True) -> list:
    """Attach what the templates show: the kind's name and the evidence in words."""
    labels = labels or kind_labels()
    for signal in signals:
        signal.kind_label = labels.get(signal.kind, signal.kind)
        if evidence:
            signal.evidence_shown = evidence_text(signal)
    return signals


def active_signals(user):
    return RiskSignal.objects.filter(customer_q(user, "customer__"), status=RiskSignal.Status.ACTIVE)


def watch_groups(user, flt: WatchFilter):
    """One row per customer with active signals: customer_id, n (signals), latest (date); worst first
    (most signals, then the most recent)."""
    # No filter on the customer being active: a merge moves the signals to the customer kept, and the scan
    # clears the computed ones of inactive customers; the join would cost a scan of the customers.
    signals = active_signals(user)
    if flt.kind:
        signals = signals.filter(customer_id__in=RiskSignal.objects.filter(
            status=RiskSignal.Status.ACTIVE, kind=flt.kind).values("customer_id"))
    if flt.risk_class:
        signals = signals.filter(customer_id__in=RiskClassAssignment.objects.filter(
            is_current=True, risk_class=flt.risk_class).values("customer_id"))
    if flt.territory:
        signals = signals.filter(customer__territory_id=flt.territory)
    if flt.manager:
        signals = signals.filter(customer__account_manager_id=flt.manager)
    if flt.q:
        signals = signals.filter(Q(customer__name__icontains=flt.q) | Q(customer__code__istartswith=flt.q))
    return (signals.values("customer_id").annotate(n=Count("id"), latest=Max("detected_on"))
            .order_by("-n", "-latest", "customer_id"))


@dataclass
class WatchRow:
    customer: Customer
    count: int
    latest: datetime.date
    signals: list
    risk_class: str
    receivable: Decimal
    open_orders: Decimal

    @property
    def exposure(self) -> Decimal:
        return self.receivable + self.open_orders


def watch_rows(groups: list[dict], labels: dict | None = None, evidence: bool = True) -> list[WatchRow]:
    """The page's rows: customers, their active signals and current class, in three queries."""
    ids = [g["customer_id"] for g in groups]
    customers = {c.pk: c for c in Customer.objects.filter(pk__in=ids).select_related(
        "territory", "account_manager__profile", "balance")}
    signals: dict[int, list] = {}
    for signal in dress(RiskSignal.objects.filter(customer_id__in=ids, status=RiskSignal.Status.ACTIVE).order_by(
            "-detected_on", "-id"), labels, evidence):
        signals.setdefault(signal.customer_id, []).append(signal)
    classes = dict(RiskClassAssignment.objects.filter(customer_id__in=ids, is_current=True)
                   .values_list("customer_id", "risk_class"))
    rows = []
    for group in groups:
        customer = customers[group["customer_id"]]
        balance = getattr(customer, "balance", None)
        rows.append(WatchRow(customer, group["n"], group["latest"], signals.get(customer.pk, []),
                             classes.get(customer.pk, ""), getattr(balance, "receivable", None) or ZERO,
                             getattr(balance, "open_orders", None) or ZERO))
    return rows


def export_rows(groups: list[dict], labels: dict) -> list[list]:
    """Plain rows for the CSV export (values, no model instances: the export may hold every customer)."""
    ids = [g["customer_id"] for g in groups]
    customers = {r["id"]: r for r in Customer.objects.filter(pk__in=ids).values(
        "id", "code", "name", "account_manager__username", "territory__name", "balance__receivable",
        "balance__open_orders")}
    kinds: dict[int, list] = {}
    for cid, kind in RiskSignal.objects.filter(customer_id__in=ids, status=RiskSignal.Status.ACTIVE).order_by(
            "-detected_on", "-id").values_list("customer_id", "kind"):
        kinds.setdefault(cid, []).append(labels.get(kind, kind))
    classes = dict(RiskClassAssignment.objects.filter(customer_id__in=ids, is_current=True)
                   .values_list("customer_id", "risk_class"))
    rows = []
    for g in groups:
        c = customers[g["customer_id"]]
        rows.append([c["code"], c["name"], g["n"], "; ".join(kinds.get(c["id"], [])), g["latest"].isoformat(),
                     classes.get(c["id"], ""), f"{c['balance__receivable'] or ZERO:.2f}",
                     f"{c['balance__open_orders'] or ZERO:.2f}", c["account_manager__username"] or "",
                     c["territory__name"] or ""])
    return rows


def recent_signals(user, since: datetime.date):
    """Active signals detected on or after `since` in the user's scope, newest first."""
    return (active_signals(user).filter(detected_on__gte=since, customer__is_active=True)
            .select_related("customer").order_by("-detected_on", "-id"))


def customer_signals(customer_id: int):
    active, cleared = [], []
    for signal in dress(RiskSignal.objects.filter(customer_id=customer_id).order_by("-detected_on", "-id")):
        (active if signal.is_active else cleared).append(signal)
    return active, cleared
