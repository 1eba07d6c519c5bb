"""Service-level targets and clocks, pure: which target applies, when a clock warns and falls due, how far over.

A clock measures one promise about one thing (a complaint's first response, its step 3, a ticket's
resolution): it starts at a moment, has a budget of business hours (the target), and is stopped when the
promise is kept or broken. Paused time (the complaint waits on the customer) is left out, so a pause moves the
due later by the business time it covered. The counting itself is the business calendar's
(credo.worktime.rules.Calendar); this module only decides what to count.

Targets are rows (severity, customer class, metric, hours). The most specific row wins: one for the
customer's class over one for any class ("" in the table).
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

ANY_CLASS = ""
OK, WARNING, BREACHED = "ok", "warning", "breached"
DEFAULT_WARN_PERCENT = Decimal(75)

Pause = tuple[datetime.datetime, datetime.datetime | None]


class TargetError(ValueError):
    """A table of targets that cannot be used; code says why, detail names the row."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class Target:
    severity: str
    customer_class: str
    metric: str
    hours: Decimal


def hours_delta(hours: Decimal) -> datetime.timedelta:
    """Decimal hours as a timedelta, exact to the microsecond (1.5 is 90 minutes)."""
    micro = (Decimal(hours) * 3_600_000_000).to_integral_value()
    return datetime.timedelta(microseconds=int(micro))


def pick_target(targets: Iterable[Target], severity: str, customer_class: str, metric: str) -> Target | None:
    """The target for one clock: the row of the customer's class, else the row for any class, else None."""
    general = None
    for target in targets:
        if target.severity != severity or target.metric != metric:
            continue
        if customer_class and target.customer_class == customer_class:
            return target
        if target.customer_class == ANY_CLASS:
            general = target
    return general


def check_targets(targets: Iterable[Target], severities: Iterable[str], metrics: Iterable[str],
                  classes: Iterable[str] = ()) -> list[Target]:
    """The rows, refused with a TargetError when one names an unknown severity, class or metric, has hours that
    are not positive, or repeats (severity, class, metric)."""
    severities, metrics, classes = set(severities), set(metrics), {ANY_CLASS, *classes}
    seen: set[tuple[str, str, str]] = set()
    rows = list(targets)
    for row in rows:
        where = f"{row.severity}/{row.customer_class or '*'}/{row.metric}"
        if row.severity not in severities:
            raise TargetError("unknown_severity", where)
        if row.metric not in metrics:
            raise TargetError("unknown_metric", where)
        if row.customer_class not in classes:
            raise TargetError("unknown_class", where)
        if row.hours is None or Decimal(row.hours) <= 0:
            raise TargetError("hours_not_positive", where)
        key = (row.severity, row.customer_class, row.metric)
        if key in seen:
            raise TargetError("duplicate", where)
        seen.add(key)
    return rows


def check_warn_percent(value) -> Decimal:
    percent = Decimal(value)
    if not Decimal(1) <= percent <= Decimal(99):
        raise TargetError("warn_percent", str(value))
    return percent


@dataclass(frozen=True)
class Schedule:
    """When a running clock warns and falls due; both None while an open pause stops it."""

    warn_at: datetime.datetime | None
    due_at: datetime.datetime | None


def schedule(calendar, started_at: datetime.datetime, target: datetime.timedelta, warn_percent: Decimal,
             pauses: Iterable[Pause] = ()) -> Schedule:
    """Warn at warn_percent of the target's business time, due when all of it is spent (pauses left out)."""
    pauses = list(pauses)
    warn_budget = datetime.timedelta(microseconds=int(
        (Decimal(target // datetime.timedelta(microseconds=1)) * Decimal(warn_percent) / 100).to_integral_value()))
    return Schedule(calendar.add_business_time(started_at, warn_budget, pauses),
                    calendar.add_business_time(started_at, target, pauses))


@dataclass(frozen=True)
class Reading:
    """A clock read at one moment: business time used and left, the share of the target used, its level."""

    used: datetime.timedelta
    left: datetime.timedelta
    share: Decimal
    level: str
    over: datetime.timedelta


def read(calendar, started_at: datetime.datetime, target: datetime.timedelta, at: datetime.datetime,
         warn_percent: Decimal = DEFAULT_WARN_PERCENT, pauses: Iterable[Pause] = ()) -> Reading:
    """The clock at `at` (its stop, or now while it runs). Over is the business time past the target."""
    used = calendar.business_time_between(started_at, at, list(pauses))
    zero = datetime.timedelta(0)
    share = (Decimal(used / target) if target > zero else Decimal(1)).quantize(Decimal("0.0001"))
    over = max(used - target, zero)
    if used > target or (target == zero and used > zero):
        level = BREACHED
    elif share * 100 >= Decimal(warn_percent):
        level = WARNING
    else:
        level = OK
    return Reading(used, max(target - used, zero), share, level, over)


def compliance(met: int, breached: int) -> Decimal | None:
    """Share of stopped clocks that kept their target, 4 places; None when none stopped."""
    total = met + breached
    return (Decimal(met) / Decimal(total)).quantize(Decimal("0.0001")) if total else None


def targets_table(rows: Iterable[Target]) -> dict[tuple[str, str], dict[str, Decimal]]:
    """{(severity, class): {metric: hours}} for the page's grid."""
    table: dict[tuple[str, str], dict[str, Decimal]] = {}
    for row in rows:
        table.setdefault((row.severity, row.customer_class), {})[row.metric] = row.hours
    return table


def from_table(table: Mapping[tuple[str, str], Mapping[str, Decimal]]) -> list[Target]:
    return [Target(severity, cls, metric, Decimal(hours))
            for (severity, cls), metrics in table.items() for metric, hours in metrics.items()
            if hours not in (None, "")]
