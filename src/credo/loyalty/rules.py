"""Pure rules of the indicators computed from the ledger (SPEC §8.3–§8.4) and of the loyalty stage. No Django
import: plain values in, exact Decimal out (ratios 4 places, money and per-100 rates 2 places, half up); None
where a figure cannot be computed (nothing to divide by). Survey figures (reputation, brand recall,
satisfaction) are not here yet: they come with the surveys and join the stage rules as further keys of
STAGE_METRICS.

Pinned definitions (the pages show them, see definitions.py):
- repurchase rate (回头率): of the customers with a goods invoice in the period, the share with two or more goods
  invoices in the period;
- complaint rate (投诉率): complaints received in the period per 100 orders placed in it (complaints.rules);
- average transaction amount (单次交易购买额): goods sales / number of goods invoices in the period;
- price sensitivity: volume change / discount change between the previous period of the same length and this
  one. Volume = Σ quantity × the product's list price (comparable across products), discount = 1 − paid / volume;
  volume change = volume now / volume before − 1, discount change = discount now − discount before. Positive:
  the customer buys more when the discount grows (sensitive); near 0: indifferent. None without product lines in
  both periods or when the discount did not move;
- tolerance of quality incidents: of the complaints received in the period, the share after which the customer
  ordered again within N days (kept buying); beside it, orders in the N days after / before the complaints;
- share of wallet: goods sales / the potential for the period (segments' annual estimate × days / 365);
- repeat-purchase rate: months with a goods invoice / months the customer could buy in the period — every
  calendar month the period touches, from the month of the customer's first order when that falls inside the
  period ("new" by the whole history, never by the report's range);
- RFM: recency (days from the last goods invoice to the period's end), frequency (goods invoices), monetary
  (goods sales) over the customers who bought in the period, each scored 1–5 by the quintile of its mid-rank
  (ties share their average rank; higher is better: fewer days, more invoices, more sales).
"""

import datetime
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

RATIO = Decimal("0.0001")
CENT = Decimal("0.01")
REPEAT_INVOICES = 2  # invoices in the period that make a buyer a repeat buyer
DEFAULT_TOLERANCE_DAYS = 90

COGNITIVE, EMOTIONAL, BEHAVIOURAL = "cognitive", "emotional", "behavioural"
STAGES = (BEHAVIOURAL, EMOTIONAL, COGNITIVE)  # checked in this order: the first whose thresholds all hold
# metric: (kind, optional). An optional figure that cannot be computed (None) does not hold the customer back.
STAGE_METRICS = {"invoices": ("int", False), "repeat_rate": ("ratio", False),
                 "share_of_wallet": ("ratio", True), "tolerance": ("ratio", True)}
DEFAULT_STAGE_RULES = {
    BEHAVIOURAL: {"invoices": "4", "repeat_rate": "0.5", "share_of_wallet": "0.3", "tolerance": "0.5"},
    EMOTIONAL: {"invoices": "2", "repeat_rate": "0.25"},
    COGNITIVE: {"invoices": "1"},
}


def ratio(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATIO, ROUND_HALF_UP)


def is_repeat_buyer(invoices: int) -> bool:
    return invoices >= REPEAT_INVOICES


def repurchase_rate(buyers: int, repeat_buyers: int) -> Decimal | None:
    return ratio(repeat_buyers, buyers)


def average_transaction(sales: Decimal, invoices: int) -> Decimal | None:
    if not invoices:
        return None
    return (Decimal(sales) / invoices).quantize(CENT, ROUND_HALF_UP)


def discount(volume: Decimal, paid: Decimal) -> Decimal | None:
    """1 − paid / volume at list prices, exact; None without volume."""
    if not volume:
        return None
    return 1 - Decimal(paid) / Decimal(volume)


@dataclass(frozen=True)
class Sensitivity:
    volume_change: Decimal | None
    discount_change: Decimal | None
    value: Decimal | None


def price_sensitivity(volume_before, paid_before, volume_now, paid_now) -> Sensitivity:
    """See the module text; each step is returned so the page can show the working."""
    before, now = discount(volume_before, paid_before), discount(volume_now, paid_now)
    if before is None or now is None:
        return Sensitivity(None, None, None)
    volume_change = Decimal(volume_now) / Decimal(volume_before) - 1
    discount_change = now - before
    value = None if discount_change == 0 else (volume_change / discount_change).quantize(CENT, ROUND_HALF_UP)
    return Sensitivity(volume_change.quantize(RATIO, ROUND_HALF_UP), discount_change.quantize(RATIO, ROUND_HALF_UP),
                       value)


@dataclass(frozen=True)
class Tolerance:
    complaints: int
    kept_buying: int
    orders_before: int
    orders_after: int
    share: Decimal | None  # complaints followed by an order within the window / complaints
    after_before: Decimal | None  # orders after / orders before


def orders_around(complaint_day: datetime.date, order_days: list[datetime.date], days: int) -> tuple[int, int]:
    """(orders in the `days` days before the complaint's day, orders on it or in the `days` days after)."""
    start, end = complaint_day - datetime.timedelta(days=days), complaint_day + datetime.timedelta(days=days)
    before = sum(1 for d in order_days if start <= d < complaint_day)
    after = sum(1 for d in order_days if complaint_day <= d <= end)
    return before, after


def tolerance(windows: list[tuple[int, int]]) -> Tolerance:
    """windows: (orders before, orders after) per complaint."""
    before = sum(b for b, _ in windows)
    after = sum(a for _, a in windows)
    kept = sum(1 for _, a in windows if a > 0)
    return Tolerance(len(windows), kept, before, after, ratio(kept, len(windows)), ratio(after, before))


def share_of_wallet(sales, potential) -> Decimal | None:
    return ratio(sales, potential) if potential else None


def months_between(first: datetime.date, last: datetime.date) -> int:
    """Calendar months from first's month to last's month, both counted."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def eligible_months(date_from: datetime.date, date_to: datetime.date,
                    first_order: datetime.date | None) -> int:
    """Months the customer could buy in: from the period's first month, or from its first order's month when the
    first order (by the whole history) falls inside the period; 0 when it first ordered after the period."""
    start = date_from
    if first_order is not None and first_order > date_from:
        if first_order > date_to:
            return 0
        start = first_order
    return months_between(start, date_to)


def is_new(date_from: datetime.date, date_to: datetime.date, first_order: datetime.date | None) -> bool:
    """New in the period by the whole history: its first order ever falls inside the period."""
    return first_order is not None and date_from <= first_order <= date_to


def repeat_purchase_rate(active_months: int, months: int) -> Decimal | None:
    return ratio(min(active_months, months), months)


def quintiles(values: dict, higher_is_better: bool = True) -> dict:
    """{key: score 1–5}: the quintile of each value's mid-rank, score = ceil(5 × (average rank − ½) / n) with
    ranks 1 (worst) … n (best) and ties sharing the average of their ranks, so equal values always score alike
    (all equal, or a single customer: 3)."""
    n = len(values)
    if not n:
        return {}
    ordered = sorted(values.values(), reverse=not higher_is_better)
    first_rank: dict = {}
    counts: dict = {}
    for position, value in enumerate(ordered, start=1):
        first_rank.setdefault(value, position)
        counts[value] = counts.get(value, 0) + 1
    out = {}
    for key, value in values.items():
        average_rank = Fraction(2 * first_rank[value] + counts[value] - 1, 2)
        out[key] = max(1, min(5, math.ceil(5 * (average_rank - Fraction(1, 2)) / n)))
    return out


@dataclass(frozen=True)
class Rfm:
    recency: int
    frequency: int
    monetary: int

    @property
    def code(self) -> str:
        return f"{self.recency}{self.frequency}{self.monetary}"


def rfm_scores(rows: dict) -> dict:
    """rows: {key: (days since last purchase, invoices, sales)} -> {key: Rfm}."""
    r = quintiles({k: v[0] for k, v in rows.items()}, higher_is_better=False)
    f = quintiles({k: v[1] for k, v in rows.items()})
    m = quintiles({k: Decimal(v[2]) for k, v in rows.items()})
    return {k: Rfm(r[k], f[k], m[k]) for k in rows}


class RulesError(Exception):
    """Bad stage rules: errors {"stage.metric": code} (code: unknown_stage, unknown_metric, not_a_number,
    out_of_range)."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def clean_stage_rules(raw) -> dict:
    """{stage: {metric: threshold as a string}} checked: stages and metrics known, invoices a whole number ≥ 0,
    ratios 0–1; a missing stage has no thresholds (every buyer reaches it). Raises RulesError."""
    if not isinstance(raw, dict):
        raise RulesError({"rules": "not_a_mapping"})
    errors, out = {}, {stage: {} for stage in STAGES}
    for stage, thresholds in raw.items():
        if stage not in STAGES:
            errors[str(stage)] = "unknown_stage"
            continue
        if not isinstance(thresholds, dict):
            errors[stage] = "not_a_mapping"
            continue
        for metric, value in thresholds.items():
            key = f"{stage}.{metric}"
            if metric not in STAGE_METRICS:
                errors[key] = "unknown_metric"
                continue
            if value is None or str(value).strip() == "":
                continue
            try:
                number = Decimal(str(value).strip())
            except ArithmeticError:
                errors[key] = "not_a_number"
                continue
            if not number.is_finite():
                errors[key] = "not_a_number"
                continue
            kind = STAGE_METRICS[metric][0]
            if number < 0 or (kind == "ratio" and number > 1) or (kind == "int" and number != number.to_integral()):
                errors[key] = "out_of_range"
                continue
            out[stage][metric] = str(number if kind == "ratio" else int(number))
    if errors:
        raise RulesError(errors)
    return out


def stage(figures: dict, stage_rules: dict) -> str | None:
    """The loyalty stage for a customer's figures ({metric: value or None}); None for a customer without a goods
    invoice in the period (not even aware of us as a buyer)."""
    if not figures.get("invoices"):
        return None
    for name in STAGES:
        if all(_holds(figures.get(metric), Decimal(threshold), STAGE_METRICS[metric][1])
               for metric, threshold in stage_rules.get(name, {}).items()):
            return name
    return None


def _holds(value, threshold: Decimal, optional: bool) -> bool:
    if value is None:
        return optional
    return Decimal(value) >= threshold
