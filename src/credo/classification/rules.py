"""Pure classification rules of SPEC §2: the sales pyramid (§2.1), ABC by cumulative share of sales (§2.2) and
the 80/20 check (§2.5). No database: the input is {customer id: sales amount in the period} over the ACTIVE
customers (a customer without sales in the period is given 0), the output one `Placed` row per customer.

Pyramid (§2.1). N = number of active customers. Cumulative counts are ceilings of the percentages of N:
A = ⌈1 % N⌉, A+B = ⌈5 % N⌉, A+B+C = ⌈20 % N⌉ (200 customers → 2 / 10 / 40, so A 2, B 8, C 30, D 160).
Customers with sales are ranked by amount, descending, and take the class of their position; equal amounts
straddling a boundary all take the HIGHER class (so a class may hold more than its count). A customer with no
sales in the period is D whatever its position; `never_bought` marks those who never bought at all (shown as
"potential", still counted in D so the four totals always add up to N).

ABC (§2.2). Customers ranked by amount, descending; cumulative share = share of total sales of the customer
and every customer ranked before it. THE CROSSING RULE: a customer belongs to the band in which its first yuan
falls, i.e. by the cumulative share BEFORE it: A if that is < the A cut-off (default 75 %), B if < the B cut-off
(default 95 %), otherwise C. So the customer whose own sales cross 75 % is A (A is never empty when anyone
bought), and a customer starting exactly at 75 % is B. Equal amounts take the best class any of them reaches
(more sales never give a lower class). No sales → C.

Shares are exact fractions here; storage rounds them.
"""

import dataclasses
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from operator import itemgetter
from typing import NamedTuple

PYRAMID = "pyramid"
ABC = "abc"
METHODS = (PYRAMID, ABC)
CLASSES = {PYRAMID: ("A", "B", "C", "D"), ABC: ("A", "B", "C")}
RULE_VERSION = "2026-11-1"

DEFAULT_PYRAMID = {"a_percent": "1", "b_percent": "5", "c_percent": "20"}
DEFAULT_ABC = {"a_cutoff": "75", "b_cutoff": "95"}
DEFAULT_PARAMS = {PYRAMID: DEFAULT_PYRAMID, ABC: DEFAULT_ABC}
TOP_SHARE_PERCENT = 20


class Placed(NamedTuple):
    customer_id: int
    klass: str
    rank: int | None  # 1 = largest sales; None when no sales in the period
    cents: int  # sales in fen (the ledger's 2 decimals), exact
    cumulative_cents: int  # this customer and all ranked before it
    total_cents: int  # all customers' sales
    never_bought: bool = False

    @property
    def sales(self) -> Decimal:
        return Decimal(self.cents).scaleb(-2)

    @property
    def share(self) -> Fraction:
        """Of total sales, exactly."""
        return Fraction(self.cents, self.total_cents) if self.total_cents else Fraction(0)

    @property
    def cumulative_share(self) -> Fraction:
        return Fraction(self.cumulative_cents, self.total_cents) if self.total_cents else Fraction(0)


def _fraction(value) -> Fraction:
    return Fraction(Decimal(str(value)))


def params_for(method: str, params: Mapping | None = None) -> dict:
    """The method's parameters, defaults filled in, validated; raises ValueError naming the parameter."""
    if method not in METHODS:
        raise ValueError(f"method: unknown method {method!r}")
    merged = {**DEFAULT_PARAMS[method], **{k: str(v) for k, v in (params or {}).items()}}
    unknown = set(merged) - set(DEFAULT_PARAMS[method])
    if unknown:
        raise ValueError(f"{sorted(unknown)[0]}: not a parameter of {method}")
    values = {}
    for key, text in merged.items():
        try:
            values[key] = Decimal(text)
        except ArithmeticError:
            raise ValueError(f"{key}: not a number") from None
        if not values[key].is_finite() or not 0 < values[key] <= 100:
            raise ValueError(f"{key}: must be a percentage above 0 and at most 100")
    ordered = list(values.values())
    if ordered != sorted(ordered):
        raise ValueError(f"{list(values)[-1]}: the percentages must not decrease")
    return {k: str(v) for k, v in values.items()}


def ceil_count(n: int, percent) -> int:
    """⌈percent % of n⌉, exactly."""
    return math.ceil(Fraction(n) * _fraction(percent) / 100)


def pyramid_counts(n: int, params: Mapping | None = None) -> dict[str, int]:
    """Target counts per class for n active customers (before ties)."""
    p = params_for(PYRAMID, params)
    a, ab, abc = (ceil_count(n, p[k]) for k in ("a_percent", "b_percent", "c_percent"))
    return {"A": a, "B": ab - a, "C": abc - ab, "D": n - abc}


def to_cents(amount) -> int:
    """Yuan → fen, exactly; amounts carry at most 2 decimals (the ledger's money)."""
    scaled = Decimal(amount or 0).scaleb(2)
    cents = int(scaled)
    if cents != scaled:
        raise ValueError(f"sales: {amount} has more than 2 decimals")
    return cents


def _ranked(cents: Mapping[int, int]) -> list[tuple[int, int]]:
    """(customer id, cents) with cents > 0, descending; ties by id for a stable rank."""
    ranked = sorted(item for item in cents.items() if item[1] > 0)  # by id (unique) …
    ranked.sort(key=itemgetter(1), reverse=True)  # … then by amount: a stable sort keeps ids ascending in ties
    return ranked


def _place(cents, ranked, class_at, zero_class, never_bought) -> list[Placed]:
    """class_at(position, cents before this customer) for each ranked customer; equal amounts take the best
    class any of them reaches, i.e. that of the first of them (classes only worsen down the ranking)."""
    total = sum(c for _cid, c in ranked)
    rows = []
    append = rows.append
    new = tuple.__new__  # Placed(...) through NamedTuple's Python-level __new__ costs twice as much
    running = 0
    previous_cents, previous_class = None, None
    for position, (cid, c) in enumerate(ranked):
        klass = previous_class if c == previous_cents else class_at(position, running)
        running += c
        append(new(Placed, (cid, klass, position + 1, c, running, total, False)))
        previous_cents, previous_class = c, klass
    never_bought = set(never_bought)
    rows.extend(Placed(cid, zero_class, None, 0, total, total, cid in never_bought)
                for cid in sorted(cents) if cents[cid] <= 0)
    return rows


def pyramid(sales: Mapping[int, Decimal], params: Mapping | None = None,
            never_bought: Iterable[int] = ()) -> list[Placed]:
    """The pyramid class of every customer in `sales` (all active customers, 0 for no sales)."""
    return pyramid_cents(_in_cents(sales), params, never_bought)


def pyramid_cents(cents: Mapping[int, int], params: Mapping | None = None,
                  never_bought: Iterable[int] = ()) -> list[Placed]:
    """pyramid() over sales given in fen."""
    counts = pyramid_counts(len(cents), params)
    a, ab, abc_ = counts["A"], counts["A"] + counts["B"], counts["A"] + counts["B"] + counts["C"]

    def class_at(position, _before):
        return "A" if position < a else "B" if position < ab else "C" if position < abc_ else "D"

    return _place(cents, _ranked(cents), class_at, "D", never_bought)


def abc(sales: Mapping[int, Decimal], params: Mapping | None = None,
        never_bought: Iterable[int] = ()) -> list[Placed]:
    """The ABC class of every customer in `sales`, by cumulative share (see the crossing rule above)."""
    return abc_cents(_in_cents(sales), params, never_bought)


def abc_cents(cents: Mapping[int, int], params: Mapping | None = None,
              never_bought: Iterable[int] = ()) -> list[Placed]:
    """abc() over sales given in fen."""
    p = params_for(ABC, params)
    ranked = _ranked(cents)
    total = sum(c for _cid, c in ranked)
    # before / total < cut / 100  ⇔  before × 100 × den < num × total, in integers
    cuts = [_fraction(p[k]) for k in ("a_cutoff", "b_cutoff")]
    a_num, a_den = cuts[0].numerator * total, cuts[0].denominator * 100
    b_num, b_den = cuts[1].numerator * total, cuts[1].denominator * 100

    def class_at(_position, before):
        return "A" if before * a_den < a_num else "B" if before * b_den < b_num else "C"

    return _place(cents, ranked, class_at, "C", never_bought)


def _in_cents(sales: Mapping[int, Decimal]) -> dict[int, int]:
    return {cid: to_cents(amount) for cid, amount in sales.items()}


def classify(method: str, sales: Mapping[int, Decimal], params: Mapping | None = None,
             never_bought: Iterable[int] = ()) -> list[Placed]:
    return classify_cents(method, _in_cents(sales), params, never_bought)


def classify_cents(method: str, cents: Mapping[int, int], params: Mapping | None = None,
                   never_bought: Iterable[int] = ()) -> list[Placed]:
    """classify() over sales given in fen (the database sums them so)."""
    if method == PYRAMID:
        return pyramid_cents(cents, params, never_bought)
    if method == ABC:
        return abc_cents(cents, params, never_bought)
    raise ValueError(f"method: unknown method {method!r}")


def totals(method: str, rows: Iterable[Placed]) -> dict[str, int]:
    counts = dict.fromkeys(CLASSES[method], 0)
    for row in rows:
        counts[row.klass] += 1
    return counts


def top_share(sales: Mapping[int, Decimal], percent=TOP_SHARE_PERCENT) -> Fraction:
    """80/20 check (§2.5): share of total sales made by the top ⌈percent % N⌉ customers (0 when no sales)."""
    amounts = sorted((Decimal(v or 0) for v in sales.values()), reverse=True)
    total = sum(amounts, Decimal(0))
    if total <= 0:
        return Fraction(0)
    top = amounts[:ceil_count(len(amounts), percent)]
    return Fraction(sum(top, Decimal(0))) / Fraction(total)


# §2.3 grid: lifecycle (old / new / potential) × importance (key / general / scattered).
LIFECYCLES = ("old", "new", "potential")
IMPORTANCES = ("key", "general", "scattered")


def grid(rows: Iterable[tuple[str, str, int, Decimal]]) -> list[list[dict]]:
    """Nine cells from grouped rows (lifecycle, importance, count, sales): a row per lifecycle, a column per
    importance, each {"lifecycle", "importance", "count", "sales"}; unknown values are left out."""
    cells = {(lc, imp): {"lifecycle": lc, "importance": imp, "count": 0, "sales": Decimal(0)}
             for lc in LIFECYCLES for imp in IMPORTANCES}
    for lc, imp, count, sales in rows:
        cell = cells.get((lc, imp))
        if cell is not None:
            cell["count"] += count
            cell["sales"] += Decimal(sales or 0)
    return [[cells[(lc, imp)] for imp in IMPORTANCES] for lc in LIFECYCLES]


# §2.2 behavioural D flag (锱铢必较, 忠诚度低, 不及时付款, 订单不多却要求很多), from data. Three signals:
#   low margin   the customer's gross margin in the period is below the median margin of the customers who bought
#   pays late    overdue open goods invoices (due before the end of the period) are at least `late_share` of
#                the customer's sales in the period
#   demanding    service load (complaints and service requests received in the period) per invoice above
#                `load_per_order`
# A customer is flagged when at least `min_signals` (default 2) hold. Customers without sales are not flagged
# (nothing to judge). The flag is a review aid, never an automatic change of class.
DEFAULT_D_FLAG = {"late_share": Decimal("0.10"), "load_per_order": Decimal("0.20"), "min_signals": 2}


@dataclasses.dataclass(frozen=True)
class Behaviour:
    customer_id: int
    sales: Decimal
    cost: Decimal
    overdue: Decimal
    orders: int
    service_load: int


def median(values: list[Fraction]) -> Fraction | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def behavioural_d(items: Iterable[Behaviour], params: Mapping | None = None) -> dict[int, list[str]]:
    """{customer id: the signals that hold} for the flagged customers."""
    p = {**DEFAULT_D_FLAG, **(params or {})}
    buying = [b for b in items if b.sales > 0]
    margins = {b.customer_id: (Fraction(b.sales) - Fraction(b.cost)) / Fraction(b.sales) for b in buying}
    mid = median(list(margins.values()))
    flagged = {}
    for b in buying:
        signals = []
        if mid is not None and margins[b.customer_id] < mid:
            signals.append("low_margin")
        if Fraction(b.overdue) >= _fraction(p["late_share"]) * Fraction(b.sales) and b.overdue > 0:
            signals.append("pays_late")
        if b.orders and Fraction(b.service_load, b.orders) > _fraction(p["load_per_order"]):
            signals.append("demanding")
        if len(signals) >= int(p["min_signals"]):
            flagged[b.customer_id] = signals
    return flagged
