"""Reads of the service levels, scoped to the customers the user may see: the targets in force and their
versions, the clocks running (due soonest first), the breaches recorded, and compliance per measure over a
period (clocks stopped in it, on time or late)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from credo.core.clock import business_now
from credo.core.scopes import limit_to_scope
from credo.worktime.queries import company_calendar

from . import registry, rules
from .models import METRICS_OF_KIND, Metric, Severity, SlaClock, SlaEscalation, SlaPolicy
from .services import targets_in_force

GRID_CLASSES = ("", "A")


@dataclass(frozen=True)
class GridRow:
    severity: str
    severity_label: str
    customer_class: str
    cells: list[tuple[str, Decimal | None]]   # (metric, hours) in the kind's metric order


def metric_labels(kind: str) -> list[tuple[str, str]]:
    labels = dict(Metric.choices)
    return [(m, str(labels[m])) for m in METRICS_OF_KIND[kind]]


def grid(kind: str, targets: list[rules.Target]) -> list[GridRow]:
    """The targets as rows of severity × class (any class and class A always, other classes when present)."""
    table = rules.targets_table(targets)
    classes = list(GRID_CLASSES) + sorted({c for (_s, c) in table} - set(GRID_CLASSES))
    metrics = METRICS_OF_KIND[kind]
    rows = []
    for cls in classes:
        for severity, label in Severity.choices:
            hours = table.get((severity, cls), {})
            if cls not in GRID_CLASSES and not hours:
                continue
            rows.append(GridRow(severity, str(label), cls, [(m, hours.get(m)) for m in metrics]))
    return rows


def versions(kind: str) -> list[SlaPolicy]:
    return list(SlaPolicy.objects.filter(kind=kind).annotate(rows=Count("targets")).order_by("-valid_from"))


def in_force(kind: str, on: datetime.date):
    """(policy or None for the built-in defaults, targets, warn percent)."""
    return targets_in_force(kind, on)


def clocks(user, kind: str | None = None):
    qs = limit_to_scope(SlaClock.objects.all(), user, "customer__")
    return qs.filter(kind=kind) if kind else qs


@dataclass
class ClockRow:
    clock: SlaClock
    subject: str
    url: str
    level: str
    left: datetime.timedelta | None     # business time until due; None while paused or breached
    metric_label: str


def _subjects(rows: list[SlaClock]) -> dict[tuple[str, int], str]:
    by_kind: dict[str, list[int]] = {}
    for c in rows:
        by_kind.setdefault(c.kind, []).append(c.subject_id)
    texts = {}
    for kind, ids in by_kind.items():
        for subject_id, text in registry.describe(kind, sorted(set(ids))).items():
            texts[(kind, subject_id)] = text
    return texts


def _level(clock: SlaClock, now: datetime.datetime) -> str:
    if clock.breached_at or (clock.due_at and clock.due_at <= now) or clock.over:
        return rules.BREACHED
    if clock.warned_at or (clock.warn_at and clock.warn_at <= now):
        return rules.WARNING
    return rules.OK


def clock_rows(rows: list[SlaClock], now: datetime.datetime | None = None) -> list[ClockRow]:
    now = now or business_now()
    calendar = company_calendar()
    texts = _subjects(rows)
    labels = dict(Metric.choices)
    out = []
    for c in rows:
        level = _level(c, now)
        left = None
        if c.stopped_at is None and c.due_at and level != rules.BREACHED:
            left = calendar.business_time_between(now, c.due_at, [])
            left -= datetime.timedelta(seconds=left.seconds % 60, microseconds=left.microseconds)  # whole minutes
        out.append(ClockRow(c, texts.get((c.kind, c.subject_id), f"{c.kind} {c.subject_id}"),
                            registry.url(c.kind, c.subject_id), level, left, str(labels.get(c.metric, c.metric))))
    return out


def due_soonest(user, kind: str | None = None, *, owner=None, limit: int = 20) -> list[ClockRow]:
    """Running clocks, the nearest due first (paused ones last), optionally of one owner."""
    qs = clocks(user, kind).filter(stopped_at__isnull=True).select_related("customer", "owner")
    if owner is not None:
        qs = qs.filter(owner=owner)
    rows = list(qs.order_by("paused", "due_at", "pk")[:limit])
    return clock_rows(rows)


def breaches(user, kind: str | None = None, *, since: datetime.datetime | None = None, limit: int = 50):
    qs = limit_to_scope(SlaEscalation.objects.filter(level=rules.BREACHED), user, "customer__")
    if kind:
        qs = qs.filter(clock__kind=kind)
    if since:
        qs = qs.filter(at__gte=since)
    rows = list(qs.select_related("clock", "clock__owner", "customer").order_by("-at", "-pk")[:limit])
    return list(zip(rows, clock_rows([r.clock for r in rows]), strict=True))


@dataclass(frozen=True)
class ComplianceRow:
    metric: str
    label: str
    closed: int
    on_time: int
    late: int
    share: Decimal | None        # on time / closed
    running: int
    warned: int
    breached_running: int


def compliance(user, kind: str, since: datetime.datetime, until: datetime.datetime) -> list[ComplianceRow]:
    """Per measure: clocks stopped in [since, until) on time or late, and what is running now."""
    base = clocks(user, kind)
    late_q = Q(over__gt=datetime.timedelta(0)) | Q(breached_at__isnull=False)
    stopped = (base.filter(stopped_at__gte=since, stopped_at__lt=until).values("metric")
               .annotate(closed=Count("pk"), late=Count("pk", filter=late_q)))
    running = (base.filter(stopped_at__isnull=True).values("metric")
               .annotate(running=Count("pk"), warned=Count("pk", filter=Q(warned_at__isnull=False)),
                         breached=Count("pk", filter=Q(breached_at__isnull=False))))
    stopped_by = {r["metric"]: r for r in stopped}
    running_by = {r["metric"]: r for r in running}
    out = []
    for metric, label in metric_labels(kind):
        s = stopped_by.get(metric, {"closed": 0, "late": 0})
        r = running_by.get(metric, {"running": 0, "warned": 0, "breached": 0})
        on_time = s["closed"] - s["late"]
        out.append(ComplianceRow(metric, label, s["closed"], on_time, s["late"], rules.compliance(on_time, s["late"]),
                                 r["running"], r["warned"], r["breached"]))
    return out
