"""Pure calculations of the customer analysis (SPEC §4). No database, no Django.

share             part / total (None when the total is 0: "cannot compute")
share_gap         actual share − expected share
pareto            rank by value, cumulative sum and cumulative share, ABC class (A to 80 %, B to 95 %, C)
gross_margin      (revenue − cost) / revenue, None on zero revenue
average_stock     (opening + closing) / 2; one missing → the other; both missing → None
turnover          sales / average stock (money terms), None when the average stock is 0 or unknown
cross_ratio       交叉比率 = gross margin rate × turnover rate (None when either is unknown)
contribution      贡献比率 = cross ratio × share of sales (None when either is unknown)
top_keys          the n keys with the largest positive amounts (the columns of the product-mix table)
bucket            amounts of the kept keys, the rest summed under one "other" key
mix               each key's share of the amounts' total (a customer's product mix)
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")
RATIO = Decimal("0.0001")
A_LIMIT = Decimal("0.80")
B_LIMIT = Decimal("0.95")


def money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def ratio(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(RATIO, rounding=ROUND_HALF_UP)


def share(part, total) -> Decimal | None:
    total = Decimal(total or 0)
    if total == 0:
        return None
    return ratio(Decimal(part or 0) / total)


def share_gap(actual: Decimal | None, expected: Decimal | None) -> Decimal | None:
    """Actual share minus the expected share (both fractions); None when either is unknown."""
    if actual is None or expected is None:
        return None
    return ratio(actual - expected)


@dataclass(frozen=True)
class ParetoRow:
    key: object
    value: Decimal
    rank: int
    share: Decimal | None
    cumulative: Decimal
    cumulative_share: Decimal | None
    abc: str


def abc_class(cumulative_share_before: Decimal | None) -> str:
    """A while the items before this one make less than 80 % (so the item crossing 80 % is still A)."""
    if cumulative_share_before is None:
        return "C"
    if cumulative_share_before < A_LIMIT:
        return "A"
    if cumulative_share_before < B_LIMIT:
        return "B"
    return "C"


def pareto(items) -> list[ParetoRow]:
    """items: iterable of (key, value). Ranked by value descending (ties by key as text)."""
    ordered = sorted(((k, Decimal(v or 0)) for k, v in items), key=lambda kv: (-kv[1], str(kv[0])))
    total = sum((v for _, v in ordered), ZERO)
    rows, running = [], ZERO
    for rank, (key, value) in enumerate(ordered, start=1):
        before = share(running, total) if running else (ZERO if total else None)
        running += value
        rows.append(ParetoRow(key, value, rank, share(value, total), running, share(running, total),
                              abc_class(before)))
    return rows


def gross_profit(revenue, cost) -> Decimal:
    return money(Decimal(revenue or 0) - Decimal(cost or 0))


def gross_margin(revenue, cost) -> Decimal | None:
    """(revenue − cost) / revenue; None ("cannot compute") when revenue is 0."""
    revenue = Decimal(revenue or 0)
    if revenue == 0:
        return None
    return ratio((revenue - Decimal(cost or 0)) / revenue)


def average_stock(opening, closing) -> Decimal | None:
    known = [Decimal(v) for v in (opening, closing) if v is not None]
    if not known:
        return None
    return money(sum(known, ZERO) / len(known))


def turnover(sales, avg_stock) -> Decimal | None:
    """Sales / average stock (money terms); None when the stock is unknown or 0."""
    if avg_stock is None or Decimal(avg_stock) == 0:
        return None
    return ratio(Decimal(sales or 0) / Decimal(avg_stock))


def cross_ratio(margin_rate: Decimal | None, turnover_rate: Decimal | None) -> Decimal | None:
    """交叉比率 = gross margin rate × turnover rate."""
    if margin_rate is None or turnover_rate is None:
        return None
    return ratio(margin_rate * turnover_rate)


def contribution_ratio(cross: Decimal | None, sales_share: Decimal | None) -> Decimal | None:
    """贡献比率 = cross ratio × share of sales."""
    if cross is None or sales_share is None:
        return None
    return ratio(cross * sales_share)


def top_keys(amounts: Mapping, n: int) -> list:
    """The n keys with the largest amounts, largest first (ties by key as text); amounts ≤ 0 never count."""
    ordered = sorted(((k, Decimal(v or 0)) for k, v in amounts.items()), key=lambda kv: (-kv[1], str(kv[0])))
    return [k for k, v in ordered if v > 0][:max(n, 0)]


def bucket(amounts: Mapping, keep: Iterable, other: Hashable) -> dict:
    """The amounts of the keys in keep (0 when absent), in keep's order, then the rest summed under other."""
    keep = list(keep)
    result = {k: Decimal(amounts.get(k) or 0) for k in keep}
    kept = set(keep)
    result[other] = sum((Decimal(v or 0) for k, v in amounts.items() if k not in kept), ZERO)
    return result


def mix(amounts: Mapping) -> dict:
    """Each key's share of the total of amounts (None for all when the total is 0)."""
    total = sum((Decimal(v or 0) for v in amounts.values()), ZERO)
    return {k: share(v, total) for k, v in amounts.items()}
