"""Receivable figures as pure calculations (no Django): aging buckets, DSO, collection rate and the
opportunity cost of money tied up in receivables. Decimal in, Decimal out; never float.

Buckets are described by their upper bounds in days overdue, e.g. (0, 30, 60, 90, 180):

    days overdue ≤ 0        "current"   (not yet due, or due on the as-of date)
    1 … 30                  "1-30"
    31 … 60                 "31-60"
    …
    > 180                   "180+"

days overdue = as-of date − due date, so an invoice due on the as-of date is current.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

DEFAULT_BOUNDS: tuple[int, ...] = (0, 30, 60, 90, 180)
CURRENT = "current"
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def validate_bounds(bounds: Iterable[int]) -> tuple[int, ...]:
    """The bounds as a tuple of ints, or ValueError with a plain reason.

    The first bound is 0 (the current bucket holds everything not yet overdue); the rest strictly rise.
    """
    raw = list(bounds)
    if any(isinstance(b, bool) or not isinstance(b, int) for b in raw):
        raise ValueError("bucket bounds must be whole numbers of days")
    result = tuple(raw)
    if not result or result[0] != 0:
        raise ValueError("the first bucket bound must be 0 (the current bucket)")
    if len(result) < 2:
        raise ValueError("give at least one overdue bound after 0")
    if any(b <= a for a, b in zip(result, result[1:], strict=False)):
        raise ValueError("bucket bounds must rise strictly")
    return result


def bucket_labels(bounds: Sequence[int] = DEFAULT_BOUNDS) -> list[str]:
    """Machine labels: ["current", "1-30", "31-60", "61-90", "91-180", "180+"] for the default bounds."""
    bounds = validate_bounds(bounds)
    labels = [CURRENT]
    for low, high in zip(bounds, bounds[1:], strict=False):
        labels.append(f"{low + 1}-{high}")
    labels.append(f"{bounds[-1]}+")
    return labels


def days_overdue(as_of: datetime.date, due_date: datetime.date) -> int:
    return (as_of - due_date).days


def bucket_index(days: int, bounds: Sequence[int] = DEFAULT_BOUNDS) -> int:
    """Index of the bucket for a number of days overdue: the first bound it does not exceed."""
    for i, bound in enumerate(bounds):
        if days <= bound:
            return i
    return len(bounds)


def bucket_for(days: int, bounds: Sequence[int] = DEFAULT_BOUNDS) -> str:
    return bucket_labels(bounds)[bucket_index(days, bounds)]


def due_date_limits(as_of: datetime.date, bounds: Sequence[int]) -> list[datetime.date]:
    """For SQL: bucket i holds due dates ≥ limits[i] (and < limits[i-1]); the last bucket the rest.

    days ≤ bound  ⇔  due_date ≥ as_of − bound.
    """
    return [as_of - datetime.timedelta(days=b) for b in bounds]


def age(items: Iterable[tuple[datetime.date, Decimal]], as_of: datetime.date,
        bounds: Sequence[int] = DEFAULT_BOUNDS) -> dict[str, Decimal]:
    """Reference aging of (due date, open amount) pairs: {label: amount, …, "total": amount}."""
    labels = bucket_labels(bounds)
    result = dict.fromkeys(labels, ZERO)
    for due, amount in items:
        label = labels[bucket_index(days_overdue(as_of, due), bounds)]
        result[label] += Decimal(amount)
    total = sum(result.values(), ZERO)
    result = {k: _cents(v) for k, v in result.items()}
    result["total"] = _cents(total)
    return result


def overdue_amount(buckets: dict[str, Decimal]) -> Decimal:
    return sum((v for k, v in buckets.items() if k not in (CURRENT, "total")), ZERO)


def dso(receivable: Decimal, sales: Decimal, days: int) -> Decimal | None:
    """Days sales outstanding: receivable at period end ÷ sales in the period × days in the period.

    None when there were no sales (the figure is undefined, not zero). One decimal place."""
    if days <= 0:
        raise ValueError("a period has at least one day")
    if sales <= 0:
        return None
    return (Decimal(receivable) / Decimal(sales) * days).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def collection_rate(collected: Decimal, due: Decimal) -> Decimal | None:
    """回款率: collected ÷ due in the period, as a fraction with four places (0.9512 = 95.1 %).
    None when nothing fell due."""
    if due <= 0:
        return None
    return (Decimal(collected) / Decimal(due)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def opportunity_cost(outstanding: Decimal, annual_rate: Decimal, days: int | Decimal) -> Decimal:
    """Cost of money tied up: outstanding × annual rate × days ÷ 365, in cents."""
    if Decimal(annual_rate) < 0:
        raise ValueError("the cost of capital cannot be negative")
    return _cents(Decimal(outstanding) * Decimal(annual_rate) * Decimal(days) / 365)


def opportunity_cost_of_money_days(money_days: Decimal, annual_rate: Decimal) -> Decimal:
    """The same over a sum of amount × days (¥·days), as aggregated by the database."""
    return opportunity_cost(money_days, annual_rate, 1)


def bucket_colours(count: int) -> list[str]:
    """Neutral (current) to deep red (oldest), the same on every page."""
    palette = ["#9aa0ac", "#f5c518", "#f59f00", "#f76707", "#d63939", "#8b1a1a"]
    if count <= 1:
        return palette[:1]
    return [palette[round(i * (len(palette) - 1) / (count - 1))] for i in range(count)]


@dataclass(frozen=True)
class InterestStep:
    start: datetime.date  # first day charged
    end: datetime.date  # last day charged
    days: int
    principal: Decimal
    interest: Decimal


def penalty_interest(due_date: datetime.date, open_amounts: Sequence[tuple[datetime.date, Decimal]],
                     daily_rate: Decimal, as_of: datetime.date, grace_days: int = 0,
                     charged_through: datetime.date | None = None) -> tuple[Decimal, list[InterestStep]]:
    """Penalty interest (罚息) on an overdue invoice, with the working.

    open_amounts: the invoice's open principal from each date on, e.g. [(invoice_date, 1000), (paid day, 400)];
    a payment dated d lowers the principal from day d. Interest runs for each day after due_date + grace_days
    (and after charged_through, when interest up to that day has been charged already) up to as_of
    inclusive, on that day's principal × daily_rate. Steps are cents-rounded; the total is their sum.
    """
    if daily_rate < 0 or grace_days < 0:
        raise ValueError("rate and grace days must not be negative")
    first_day = due_date + datetime.timedelta(days=grace_days + 1)
    if charged_through is not None:
        first_day = max(first_day, charged_through + datetime.timedelta(days=1))
    if as_of < first_day:
        return ZERO, []
    changes = sorted(open_amounts)
    steps: list[InterestStep] = []
    for i, (since, principal) in enumerate(changes):
        until = changes[i + 1][0] - datetime.timedelta(days=1) if i + 1 < len(changes) else as_of
        start, end = max(since, first_day), min(until, as_of)
        if end < start or principal <= 0:
            continue
        days = (end - start).days + 1
        steps.append(InterestStep(start, end, days, principal, _cents(principal * daily_rate * days)))
    return sum((s.interest for s in steps), ZERO), steps
