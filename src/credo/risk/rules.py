"""Pure risk rules: information completeness, the class table, and one function per computed signal.
No database here: the scan feeds these with figures from queries.py. Each signal rule returns the figures
that made it fire (the evidence) or None."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
HUNDRED = Decimal("100")
RISK_LEVELS = ("AA", "A", "BB", "B", "C", "D", "NR")
DEFAULT_CLASS = "CA4"  # when no rule matches (the default table ends with a catch-all, an edited one may not)


def split_codes(text: str, upper: bool = True) -> list[str]:
    parts = [p.strip() for p in (text or "").replace("，", ",").replace(" ", ",").split(",")]
    return [p.upper() if upper else p.lower() for p in parts if p]


def one_decimal(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ------------------------------------------------------------------------------------ information completeness

# (code, weight in points): what a complete credit file holds. The weights add up to 100.
COMPLETENESS_ITEMS: tuple[tuple[str, int], ...] = (
    ("credit_code", 10),
    ("legal_representative", 5),
    ("address", 5),
    ("phone", 5),
    ("industry", 5),
    ("founded_on", 5),
    ("registered_capital", 5),
    ("business_scope", 5),
    ("contact", 10),
    ("decision_contact", 5),
    ("bank_account", 10),
    ("financial_statement", 15),
    ("investigation", 15),
)


@dataclass(frozen=True)
class Completeness:
    percent: int
    items: tuple[tuple[str, int, bool], ...]  # (code, weight, present)

    @property
    def missing(self) -> list[str]:
        return [code for code, _weight, ok in self.items if not ok]


def completeness(present: dict[str, bool]) -> Completeness:
    """Percent of the weighted items present; an item not in `present` counts as missing."""
    items = tuple((code, weight, bool(present.get(code))) for code, weight in COMPLETENESS_ITEMS)
    return Completeness(sum(weight for _code, weight, ok in items if ok), items)


# ------------------------------------------------------------------------------------ risk classes

@dataclass(frozen=True)
class ClassInputs:
    risk_level: str  # AA … D, or NR
    importance: str  # key / general / scattered
    annual_sales: Decimal
    completeness: int  # 0–100
    sales_class: str | None = None  # the pyramid class, once classification provides it


@dataclass(frozen=True)
class ClassRule:
    id: int | None
    position: int
    risk_class: str
    risk_levels: frozenset = frozenset()
    importances: frozenset = frozenset()
    sales_classes: frozenset = frozenset()
    min_sales: Decimal | None = None
    max_sales: Decimal | None = None
    min_completeness: int | None = None
    max_completeness: int | None = None
    description: str = ""

    def matches(self, x: ClassInputs) -> bool:
        if self.risk_levels and x.risk_level not in self.risk_levels:
            return False
        if self.importances and x.importance not in self.importances:
            return False
        if self.sales_classes and x.sales_class not in self.sales_classes:
            return False
        if self.min_sales is not None and x.annual_sales < self.min_sales:
            return False
        if self.max_sales is not None and x.annual_sales >= self.max_sales:
            return False
        if self.min_completeness is not None and x.completeness < self.min_completeness:
            return False
        return not (self.max_completeness is not None and x.completeness >= self.max_completeness)

    def conditions(self) -> list[tuple[str, str]]:
        """(condition, value) pairs for showing the rule; nothing when it holds for everyone."""
        found = []
        if self.risk_levels:
            found.append(("risk_level", ", ".join(level for level in RISK_LEVELS if level in self.risk_levels)))
        if self.importances:
            found.append(("importance", ", ".join(sorted(self.importances))))
        if self.sales_classes:
            found.append(("sales_class", ", ".join(sorted(self.sales_classes))))
        if self.min_sales is not None:
            found.append(("annual_sales_from", f"{self.min_sales:,.2f}"))
        if self.max_sales is not None:
            found.append(("annual_sales_below", f"{self.max_sales:,.2f}"))
        if self.min_completeness is not None:
            found.append(("completeness_from", f"{self.min_completeness}%"))
        if self.max_completeness is not None:
            found.append(("completeness_below", f"{self.max_completeness}%"))
        return found


def classify(rules: Sequence[ClassRule], inputs: ClassInputs) -> tuple[str, ClassRule | None]:
    """The class of the first rule (lowest position) that matches; DEFAULT_CLASS and None when none does."""
    for rule in sorted(rules, key=lambda r: (r.position, r.id or 0)):
        if rule.matches(inputs):
            return rule.risk_class, rule
    return DEFAULT_CLASS, None


# ------------------------------------------------------------------------------------ computed signals

@dataclass(frozen=True)
class Thresholds:
    late_min_payments: int = 2
    late_days_increase: Decimal = Decimal("10")
    late_share_increase: Decimal = Decimal("25")
    broken_promises_min: int = 2
    bounced_cheques_min: int = 1
    bank_changes_min: int = 2
    order_history_min: int = 3
    order_median_factor: Decimal = Decimal("5")
    region_average_factor: Decimal = Decimal("5")
    notes_share_percent: Decimal = Decimal("50")
    notes_min_count: int = 2
    sales_drop_percent: Decimal = Decimal("20")
    overdue_rise_percent: Decimal = Decimal("10")
    new_customer_order_amount: Decimal = Decimal("100000")
    weak_customer_order_amount: Decimal = Decimal("50000")
    weak_risk_levels: frozenset = field(default_factory=lambda: frozenset({"B", "C", "D"}))
    complaint_min_count: int = 3
    complaint_per_order: Decimal = Decimal("0.50")


@dataclass(frozen=True)
class PaymentStats:
    """Payments applied to invoices in a window: count, amount, Σ amount × days late, how many were late."""

    count: int = 0
    amount: Decimal = ZERO
    amount_days_late: Decimal = ZERO
    late_count: int = 0

    @property
    def average_days_late(self) -> Decimal:
        return self.amount_days_late / self.amount if self.amount > 0 else ZERO

    @property
    def late_share(self) -> Decimal:
        """Percent of the payments made after the due date."""
        return Decimal(self.late_count) * HUNDRED / self.count if self.count else ZERO


def paying_later(recent: PaymentStats, before: PaymentStats, t: Thresholds) -> dict | None:
    """Average days late (amount-weighted) of the recent window up by at least late_days_increase."""
    if recent.count < t.late_min_payments or before.count < t.late_min_payments:
        return None
    now, then = one_decimal(recent.average_days_late), one_decimal(before.average_days_late)
    if now - then < t.late_days_increase:
        return None
    return {"recent_days_late": now, "before_days_late": then, "recent_payments": recent.count,
            "before_payments": before.count, "increase": t.late_days_increase}


def late_more_often(recent: PaymentStats, before: PaymentStats, t: Thresholds) -> dict | None:
    """Share of payments made after the due date up by at least late_share_increase points."""
    if recent.count < t.late_min_payments or before.count < t.late_min_payments:
        return None
    now, then = one_decimal(recent.late_share), one_decimal(before.late_share)
    if now - then < t.late_share_increase:
        return None
    return {"recent_late_share": now, "before_late_share": then, "recent_late": recent.late_count,
            "recent_payments": recent.count, "before_late": before.late_count, "before_payments": before.count,
            "increase": t.late_share_increase}


def at_least(count: int, minimum: int, name: str) -> dict | None:
    """Broken promises, bounced cheques, bank-account changes: fires at `minimum` occurrences."""
    if minimum <= 0 or count < minimum:
        return None
    return {name: count, "minimum": minimum}


def order_above_usual(largest: Decimal | None, median: Decimal | None, history: int, t: Thresholds) -> dict | None:
    """A recent order above median × factor of the customer's earlier orders (needs order_history_min of them)."""
    if largest is None or median is None or median <= 0 or history < t.order_history_min:
        return None
    if largest <= median * t.order_median_factor:
        return None
    return {"order_amount": largest, "median": median, "earlier_orders": history, "factor": t.order_median_factor,
            "times_median": one_decimal(largest / median)}


def order_above_region(largest: Decimal | None, territory_average: Decimal | None, territory: str,
                       t: Thresholds) -> dict | None:
    """A recent order above factor × the average order of the customer's territory: the simple stand-in for
    'beyond what its region can sell' (超出所在区域销售能力)."""
    if largest is None or not territory_average or territory_average <= 0:
        return None
    if largest <= territory_average * t.region_average_factor:
        return None
    return {"order_amount": largest, "territory": territory, "territory_average": territory_average,
            "factor": t.region_average_factor, "times_average": one_decimal(largest / territory_average)}


def many_notes(note_count: int, note_amount: Decimal, total_amount: Decimal, t: Thresholds) -> dict | None:
    """Promissory notes are at least notes_share_percent of the money received, and at least notes_min_count."""
    if total_amount <= 0 or note_count < max(t.notes_min_count, 1):
        return None
    share = one_decimal(note_amount * HUNDRED / total_amount)
    if share < t.notes_share_percent:
        return None
    return {"notes": note_count, "notes_amount": note_amount, "received": total_amount, "share": share}


def complaint_load(complaints: int, orders: int, t: Thresholds) -> dict | None:
    """At least complaint_min_count complaints, and more than complaint_per_order of them per order placed in the
    same months (SPEC §2.2: orders little but demands a lot); complaints without any order always count."""
    if complaints < max(t.complaint_min_count, 1):
        return None
    if orders and Decimal(complaints) / orders <= t.complaint_per_order:
        return None
    per_order = (Decimal(complaints) / orders).quantize(Decimal("0.01")) if orders else None
    return {"complaints": complaints, "orders": orders, "per_order": per_order}


def sales_drop(sales_now: Decimal, sales_before: Decimal, t: Thresholds) -> Decimal | None:
    """The fall in percent of this quarter's sales on the quarter before, when at least sales_drop_percent."""
    if sales_before <= 0:
        return None
    drop = one_decimal((sales_before - sales_now) * HUNDRED / sales_before)
    return drop if drop >= t.sales_drop_percent else None


def sales_down_overdue_up(sales_now: Decimal, sales_before: Decimal, overdue_now: Decimal, overdue_before: Decimal,
                          t: Thresholds) -> dict | None:
    """This quarter's sales down by sales_drop_percent on the quarter before, while overdue rose by
    overdue_rise_percent (or appeared from nothing)."""
    drop = sales_drop(sales_now, sales_before, t)
    if drop is None or overdue_now <= 0:
        return None
    rise = None
    if overdue_before > 0:
        rise = one_decimal((overdue_now - overdue_before) * HUNDRED / overdue_before)
        if rise < t.overdue_rise_percent:
            return None
    return {"sales_now": sales_now, "sales_before": sales_before, "sales_drop": drop, "overdue_now": overdue_now,
            "overdue_before": overdue_before, "overdue_rise": rise}


def new_customer_large_order(largest: Decimal | None, first_order: datetime.date | None, new_since: datetime.date,
                             earlier_orders: int, t: Thresholds) -> dict | None:
    """A large recent order from a customer who is new (first order after new_since, or none yet) or has
    bought at most once before."""
    if largest is None or largest < t.new_customer_order_amount:
        return None
    is_new = first_order is None or first_order > new_since
    if not is_new and earlier_orders > 1:
        return None
    return {"order_amount": largest, "minimum": t.new_customer_order_amount, "new": is_new,
            "first_order": first_order, "earlier_orders": earlier_orders}


def weak_customer_large_order(largest: Decimal | None, risk_level: str, t: Thresholds) -> dict | None:
    if largest is None or risk_level not in t.weak_risk_levels or largest < t.weak_customer_order_amount:
        return None
    return {"order_amount": largest, "risk_level": risk_level, "minimum": t.weak_customer_order_amount}


def median(values: Iterable[Decimal]) -> Decimal | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def plain(figures: dict) -> dict:
    """JSON-safe figures: Decimal and dates as strings."""
    out = {}
    for key, value in figures.items():
        if isinstance(value, Decimal):
            out[key] = str(value)
        elif isinstance(value, datetime.date):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out
