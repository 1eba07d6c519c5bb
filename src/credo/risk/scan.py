"""The risk scan: every computed signal (SPEC §5.10) and the risk class (SPEC §5.9) of every customer.

The customers are walked in ranges of ids (CHUNK at a time); for each range one grouped query per family
of figures feeds the pure rules, then one transaction writes the differences: a signal that fires and is
not active yet is created (a partial unique index makes a second one impossible), an active computed signal
whose rule no longer fires is cleared, the class assignment is refreshed. Running it twice on the same data
changes nothing the second time. New signals on key or high-exposure customers notify people (alerts.py).
"""

import datetime
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from credo.core import audit, timeline
from credo.core.clock import business_today
from credo.core.models import AuditEntry, CompanyProfile
from credo.customers.models import Customer
from credo.customers.rules import add_months

from . import classes, events, queries, rules, sources
from .alerts import alert_new_signals, credit_controllers
from .evidence import describe
from .models import COMPUTED_KINDS, RiskSettings, RiskSignal, SignalKind

CHUNK = 2000
ID_MAX = 2**62
EMPTY = rules.PaymentStats()
ZERO = queries.ZERO


def thresholds(s: RiskSettings) -> rules.Thresholds:
    return rules.Thresholds(
        late_min_payments=s.late_min_payments, late_days_increase=s.late_days_increase,
        late_share_increase=s.late_share_increase, broken_promises_min=s.broken_promises_min,
        bounced_cheques_min=s.bounced_cheques_min, bank_changes_min=s.bank_changes_min,
        order_history_min=s.order_history_min, order_median_factor=s.order_median_factor,
        region_average_factor=s.region_average_factor, notes_share_percent=s.notes_share_percent,
        notes_min_count=s.notes_min_count, sales_drop_percent=s.sales_drop_percent,
        overdue_rise_percent=s.overdue_rise_percent, new_customer_order_amount=s.new_customer_order_amount,
        weak_customer_order_amount=s.weak_customer_order_amount,
        weak_risk_levels=frozenset(rules.split_codes(s.weak_risk_levels)),
        complaint_min_count=s.complaint_min_count, complaint_per_order=s.complaint_per_order)


@dataclass
class Context:
    as_of: datetime.date
    settings: RiskSettings
    t: rules.Thresholds
    table: list
    new_since: datetime.date
    territories: dict
    controllers: list
    actor: object = None  # a user, or None for the system
    notify: bool = True

    @property
    def actor_name(self) -> str:
        return getattr(self.actor, "username", "") or "system"

    @property
    def order_window_start(self) -> datetime.date:
        return self.as_of - datetime.timedelta(days=self.settings.order_window_days)


def make_context(as_of: datetime.date, actor=None, territory_id: int | None = None, all_territories=True) -> Context:
    s = RiskSettings.current()
    window_start = as_of - datetime.timedelta(days=s.order_window_days)
    year_before = window_start - datetime.timedelta(days=365)
    if all_territories:
        territories = queries.territory_averages(year_before, window_start, s.order_history_min)
    elif territory_id is not None:
        territories = queries.territory_averages(year_before, window_start, s.order_history_min, territory_id)
    else:
        territories = {}
    return Context(as_of=as_of, settings=s, t=thresholds(s), table=classes.class_table(),
                   new_since=add_months(as_of, -CompanyProfile.current().new_customer_months),
                   territories=territories, controllers=credit_controllers(), actor=actor)


@dataclass
class ScanResult:
    as_of: datetime.date
    customers: int = 0
    new: Counter = field(default_factory=Counter)
    cleared: Counter = field(default_factory=Counter)
    classes_changed: int = 0
    notifications: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "customers": self.customers,
                "new": {k: self.new.get(k, 0) for k in COMPUTED_KINDS}, "new_total": sum(self.new.values()),
                "cleared": {k: self.cleared.get(k, 0) for k in COMPUTED_KINDS},
                "cleared_total": sum(self.cleared.values()), "classes_changed": self.classes_changed,
                "notifications": self.notifications, "seconds": round(self.seconds, 2)}


# ------------------------------------------------------------------------------------------ evaluation


@dataclass
class Figures:
    """The batched figures of one span of customers, {customer_id: …} each."""

    levels: dict
    pay: dict
    broken: dict
    bounced: dict
    banks: dict
    orders: dict
    medians: dict
    receipts: dict
    sales: dict
    overdue_now: dict
    overdue_then: dict
    complaints: dict
    complaint_orders: dict


def load_figures(span: queries.Span, customers: dict, ctx: Context) -> Figures:
    s, t, as_of = ctx.settings, ctx.t, ctx.as_of
    window_start = ctx.order_window_start
    orders = queries.order_figures(span, window_start, as_of)
    sales = queries.sales_figures(span, as_of)
    # Only customers whose sales fell need the (costlier) overdue-then-and-now figures.
    falling = [cid for cid, f in sales.items() if cid in customers and rules.sales_drop(f["quarter"], f["previous"], t)]
    complaints_since = add_months(as_of, -s.complaint_months)
    complaints = {cid: n for cid, n in queries.complaint_counts(span, complaints_since, as_of).items()
                  if n >= max(t.complaint_min_count, 1)}
    return Figures(
        levels=sources.risk_levels(list(customers)),
        pay=queries.payment_stats(span, as_of, s.late_recent_days, s.late_baseline_days),
        broken=queries.broken_promise_counts(span, add_months(as_of, -s.broken_promises_months), as_of),
        bounced=queries.bounced_cheque_counts(span, add_months(as_of, -s.bounced_cheques_months), as_of),
        banks=queries.bank_change_counts(span, add_months(as_of, -s.bank_changes_months), as_of),
        orders=orders,
        medians=queries.order_medians(span, window_start - datetime.timedelta(days=365), window_start)
        if orders else {},
        receipts=queries.receipt_figures(span, add_months(as_of, -s.notes_months), as_of),
        sales=sales,
        overdue_now=queries.overdue_on(falling, as_of),
        overdue_then=queries.overdue_on(falling, as_of - datetime.timedelta(days=90)),
        complaints=complaints,
        complaint_orders=queries.order_counts(span, complaints_since, as_of) if complaints else {},
    )


def findings_for(cid: int, customer: dict, f: Figures, ctx: Context) -> dict:
    """{kind: figures} of the computed signals that fire for one customer."""
    s, t = ctx.settings, ctx.t
    found = {}

    def add(kind, figures, **context):
        if figures is not None:
            found[kind] = rules.plain({**figures, **context})

    recent, before = f.pay.get(cid, (EMPTY, EMPTY))
    windows = {"recent_window_days": s.late_recent_days, "baseline_days": s.late_baseline_days}
    add(SignalKind.PAYING_LATER, rules.paying_later(recent, before, t), **windows)
    add(SignalKind.LATE_MORE_OFTEN, rules.late_more_often(recent, before, t), **windows)
    add(SignalKind.BROKEN_PROMISES, rules.at_least(f.broken.get(cid, 0), t.broken_promises_min, "broken"),
        months=s.broken_promises_months)
    add(SignalKind.BOUNCED_CHEQUES, rules.at_least(f.bounced.get(cid, 0), t.bounced_cheques_min, "bounced"),
        months=s.bounced_cheques_months)
    add(SignalKind.BANK_CHANGES, rules.at_least(f.banks.get(cid, 0), t.bank_changes_min, "changes"),
        months=s.bank_changes_months)
    order = f.orders.get(cid)
    if order:
        largest = order["largest"]
        median, history = f.medians.get(cid, (None, 0))
        add(SignalKind.ORDER_ABOVE_USUAL, rules.order_above_usual(largest, median, history, t))
        average, territory = ctx.territories.get(customer["territory_id"], (None, ""))
        add(SignalKind.ORDER_ABOVE_REGION, rules.order_above_region(largest, average, territory, t))
        add(SignalKind.NEW_CUSTOMER_LARGE_ORDER, rules.new_customer_large_order(
            largest, customer["first_order_date"], ctx.new_since, order["earlier"], t))
        add(SignalKind.WEAK_CUSTOMER_LARGE_ORDER, rules.weak_customer_large_order(largest, f.levels[cid], t))
    received = f.receipts.get(cid)
    if received:
        add(SignalKind.MANY_NOTES, rules.many_notes(received[1], received[2], received[0], t), months=s.notes_months)
    sale = f.sales.get(cid)
    if sale and cid in f.overdue_now:
        add(SignalKind.SALES_DOWN_OVERDUE_UP, rules.sales_down_overdue_up(
            sale["quarter"], sale["previous"], f.overdue_now[cid], f.overdue_then.get(cid, ZERO), t))
    if cid in f.complaints:
        add(SignalKind.COMPLAINT_LOAD, rules.complaint_load(f.complaints[cid], f.complaint_orders.get(cid, 0), t),
            months=s.complaint_months)
    return found


def evaluate(span: queries.Span, ctx: Context) -> tuple[dict, dict, dict]:
    """(customers, findings {customer: {kind: figures}}, class decisions {customer: (class, rule, inputs)})
    for the active customers in the span. Reads only."""
    customers = queries.customer_rows(span)
    if not customers:
        return customers, {}, {}
    ids = list(customers)
    f = load_figures(span, customers, ctx)
    facts = queries.completeness_facts(span, customers, sources.investigated(ids))
    grouped = sources.sales_classes(ids)
    findings, decisions = {}, {}
    for cid, customer in customers.items():
        found = findings_for(cid, customer, f, ctx)
        if found:
            findings[cid] = found
        sale = f.sales.get(cid)
        decisions[cid] = classes.decide(
            ctx.table, risk_level=f.levels[cid], importance=customer["importance"],
            annual_sales=sale["annual"] if sale else ZERO, facts=facts[cid], sales_class=grouped.get(cid))
    return customers, findings, decisions


# ------------------------------------------------------------------------------------------ writing


def _label(kind: str) -> str:
    return str(SignalKind(kind).label)


@transaction.atomic
def write(span: queries.Span, customers: dict, findings: dict, decisions: dict, ctx: Context,
          result: ScanResult) -> None:
    existing = {(sig.customer_id, sig.kind): sig for sig in RiskSignal.objects.filter(
        span.q(), source=RiskSignal.Source.COMPUTED, status=RiskSignal.Status.ACTIVE)}
    fired = {(cid, kind): figures for cid, kinds in findings.items() for kind, figures in kinds.items()}
    new = [RiskSignal(customer_id=cid, kind=kind, source=RiskSignal.Source.COMPUTED, figures=figures,
                      evidence=describe(kind, figures), detected_on=ctx.as_of, recorded_by=ctx.actor_name)
           for (cid, kind), figures in sorted(fired.items()) if (cid, kind) not in existing]
    gone = [sig for key, sig in existing.items() if key not in fired]

    if new:
        created = RiskSignal.objects.bulk_create(new, batch_size=1000)
        audit.record_many(ctx.actor, AuditEntry.Action.CREATE,
                          [(sig, {"kind": sig.kind, "figures": sig.figures}) for sig in created], reason="risk scan")
        timeline.add_events([(sig.customer_id, f"{_label(sig.kind)}: {sig.evidence}", sig) for sig in created],
                            events.SIGNAL_DETECTED.code, actor=ctx.actor_name)
        by_customer: dict[int, list] = {}
        for sig in created:
            by_customer.setdefault(sig.customer_id, []).append(sig)
            result.new[sig.kind] += 1
        if ctx.notify:
            result.notifications += alert_new_signals(by_customer, customers, ctx.settings.high_exposure_amount,
                                                      controllers=ctx.controllers)
    if gone:
        note = "no longer shown by the figures"
        RiskSignal.objects.filter(pk__in=[sig.pk for sig in gone]).update(
            status=RiskSignal.Status.CLEARED, cleared_on=ctx.as_of, cleared_by=ctx.actor_name, clear_note=note)
        audit.record_many(ctx.actor, AuditEntry.Action.UPDATE,
                          [(sig, {"status": "cleared", "cleared_on": ctx.as_of.isoformat()}) for sig in gone],
                          reason="risk scan")
        timeline.add_events([(sig.customer_id, _label(sig.kind), sig) for sig in gone],
                            events.SIGNAL_CLEARED.code, actor=ctx.actor_name)
        for sig in gone:
            result.cleared[sig.kind] += 1
    result.classes_changed += classes.store(decisions, ctx.as_of, ctx.actor)


def _scan_span(span: queries.Span, ctx: Context, result: ScanResult) -> int:
    customers, findings, decisions = evaluate(span, ctx)
    try:
        write(span, customers, findings, decisions, ctx, result)
    except IntegrityError:
        # Another scan wrote the same signal in the meantime: its rows are there now; write the rest.
        write(span, customers, findings, decisions, ctx, result)
    return len(customers)


def spans(ids: list[int], chunk: int) -> list[queries.Span]:
    """Contiguous ranges covering every id (active or not) from 0 up, `chunk` active customers each."""
    found, lo = [], 0
    for start in range(0, len(ids), chunk):
        hi = ids[min(start + chunk, len(ids)) - 1]
        found.append(queries.Span(lo, hi))
        lo = hi + 1
    if found:
        found[-1] = queries.Span(found[-1].lo, ID_MAX)
    return found


def run_scan(as_of: datetime.date | None = None, *, actor=None, chunk: int = CHUNK, notify: bool = True,
             progress: Callable[[int, int], None] | None = None) -> ScanResult:
    """Scan every customer. Evidence and notifications are written in the company's language. notify=False
    records the signals without alerting anyone (a first run over years of existing ledger)."""
    started = time.monotonic()
    as_of = as_of or business_today()
    result = ScanResult(as_of)
    with translation.override(settings.LANGUAGE_CODE):
        ctx = make_context(as_of, actor)
        ctx.notify = notify
        ids = list(Customer.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
        all_spans = spans(ids, chunk) or [queries.Span(0, ID_MAX)]
        done = 0
        for span in all_spans:
            done += _scan_span(span, ctx, result)
            if progress:
                progress(done, len(ids))
    result.customers = done
    if connection.vendor == "postgresql" and sum(result.new.values()) + result.classes_changed > 1000:
        # Fresh statistics after a large change, so the watch list's plans fit the new row counts.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {RiskSignal._meta.db_table}, {classes.RiskClassAssignment._meta.db_table}")
    result.seconds = time.monotonic() - started
    return result


def scan_customer(customer_id: int, as_of: datetime.date | None = None, *, actor=None) -> ScanResult:
    """The same scan for one customer (a page's "check now", a recorded event, a test)."""
    started = time.monotonic()
    as_of = as_of or business_today()
    result = ScanResult(as_of)
    territory_id = Customer.objects.filter(pk=customer_id).values_list("territory_id", flat=True).first()
    with translation.override(settings.LANGUAGE_CODE):
        ctx = make_context(as_of, actor, territory_id=territory_id, all_territories=False)
        result.customers = _scan_span(queries.Span(customer_id, customer_id), ctx, result)
    result.seconds = time.monotonic() - started
    return result
