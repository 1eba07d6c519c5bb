"""Pure rules of customer value (SPEC §2.4 value segments, §2.5 the 80/20 check, §6.7 cost of receivables).

Profit after costs = sales − cost of goods − service cost − complaint cost − collection cost − bad-debt cost.

Segments (Peppers & Rogers), decided in this order, each customer in exactly one:
- BELOW ZERO (负值顾客): profit after costs < 0.
- MOST VALUABLE (最有价值顾客): the ⌈p % × N⌉ customers with the highest profit (profit > 0), N = customers with
  sales in the period, p default 20; equal profits at the boundary all get in.
- MOST GROWABLE (最具增长性顾客): of the rest, the ⌈g % × N⌉ with the largest growth gap > 0, where the gap is the
  estimated potential for the period (annual purchases from everyone × days / 365) minus our sales.
- MAINTAIN: everyone else.

The opportunity cost of receivables is Σ (amount owed × days owed) × cost of capital / 365, counted over the
days of the period only (§6.7)."""

import dataclasses
import datetime
import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

RULE_VERSION = "2026-11-1"
CENT = Decimal("0.01")
ZERO = Decimal(0)

SERVICE, COMPLAINT, COLLECTION, BAD_DEBT = "service", "complaint", "collection", "bad_debt"
COST_KINDS = (SERVICE, COMPLAINT, COLLECTION, BAD_DEBT)
MOST_VALUABLE, MOST_GROWABLE, BELOW_ZERO, MAINTAIN = "MV", "MG", "BZ", "M"
SEGMENTS = (MOST_VALUABLE, MOST_GROWABLE, MAINTAIN, BELOW_ZERO)

# Our defaults (the seeds give no figures); every company sets its own on the cost rates page.
DEFAULT_RATES = {"visit": Decimal("200.00"), "call": Decimal("10.00"), "mail": Decimal("5.00"),
                 "notice_letter": Decimal("20.00"), "warning_letter": Decimal("50.00"),
                 "lawyer_letter": Decimal("1500.00"), "capital_rate": Decimal("4.350")}
DEFAULT_PARAMS = {"most_valuable_percent": "20", "most_growable_percent": "20", "review_c_percent": "5"}
TOP_PERCENT = 20


def money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def params_for(params: Mapping | None = None) -> dict[str, str]:
    """The defaults overlaid with `params`; each a percentage 0–100 (ValueError "field: message")."""
    merged = {**DEFAULT_PARAMS, **{k: v for k, v in (params or {}).items() if v not in (None, "")}}
    unknown = set(merged) - set(DEFAULT_PARAMS)
    if unknown:
        raise ValueError(f"{sorted(unknown)[0]}: unknown parameter")
    for key, value in merged.items():
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            raise ValueError(f"{key}: {value!r} is not a number") from None
        if not number.is_finite() or not 0 <= number <= 100:
            raise ValueError(f"{key}: give a percentage from 0 to 100")
        merged[key] = str(number)
    return merged


def ceil_count(n: int, percent) -> int:
    return math.ceil(Fraction(n) * Fraction(str(percent)) / 100)


@dataclasses.dataclass(frozen=True, slots=True)
class CustomerValue:
    customer_id: int
    sales: Decimal = ZERO
    cost_of_goods: Decimal = ZERO
    costs: Mapping[str, Decimal] = dataclasses.field(default_factory=dict)  # by COST_KINDS
    potential: Decimal | None = None  # for the period
    # worked out once (the segmentation reads them several times per customer)
    profit: Decimal = dataclasses.field(init=False)
    growth_gap: Decimal | None = dataclasses.field(init=False)

    def __post_init__(self):
        total_cost = sum((self.costs.get(k, ZERO) for k in COST_KINDS), ZERO)
        object.__setattr__(self, "profit", self.sales - self.cost_of_goods - total_cost)
        object.__setattr__(self, "growth_gap", None if self.potential is None else self.potential - self.sales)

    @property
    def gross_profit(self) -> Decimal:
        return self.sales - self.cost_of_goods

    def cost(self, kind: str) -> Decimal:
        return self.costs.get(kind, ZERO)


def potential_for_period(annual, days: int) -> Decimal:
    return money(Decimal(annual) * days / 365)


def opportunity_cost(amount_days, rate_percent) -> Decimal:
    """Σ(amount × days) at rate_percent a year."""
    return money(Decimal(amount_days) * Decimal(rate_percent) / 100 / 365)


def owed_amount_days(invoice_date, amount, settlements: Iterable[tuple], period_from, period_to) -> Decimal:
    """Σ amount × days one invoice was owed within [period_from, period_to]. `settlements` are (date, amount)
    of what reduced it (payments, credit notes, write-offs; a reversal is a negative amount). Owed from the
    invoice date up to each settlement; what is left is owed to the end of the period (inclusive)."""
    start = max(invoice_date, period_from)
    end = period_to + datetime.timedelta(days=1)
    total, left = ZERO, Decimal(amount)
    for day, paid in sorted(settlements):
        if day > period_to:
            break
        days = (min(max(day, start), end) - start).days
        total += Decimal(paid) * days
        left -= Decimal(paid)
    if left > 0:
        total += left * (end - start).days
    return total


def segment(values: Iterable[CustomerValue], params: Mapping | None = None) -> dict[int, tuple[str, int]]:
    """{customer id: (segment, rank by profit)}; rank 1 = highest profit, ties broken by customer id."""
    p = params_for(params)
    items = sorted(values, key=lambda v: (-v.profit, v.customer_id))
    active = sum(1 for v in items if v.sales > 0)
    out = {v.customer_id: (BELOW_ZERO if v.profit < 0 else MAINTAIN, rank) for rank, v in enumerate(items, 1)}

    def pick(candidates, key, count, label):
        chosen, last = 0, None
        for v in candidates:
            k = key(v)
            if chosen >= count and k != last:
                break
            out[v.customer_id] = (label, out[v.customer_id][1])
            chosen, last = chosen + 1, k

    positive = [v for v in items if v.profit > 0]
    pick(positive, lambda v: v.profit, ceil_count(active, p["most_valuable_percent"]), MOST_VALUABLE)
    growable = sorted((v for v in items if out[v.customer_id][0] == MAINTAIN and (v.growth_gap or 0) > 0),
                      key=lambda v: (-v.growth_gap, v.customer_id))
    pick(growable, lambda v: v.growth_gap, ceil_count(active, p["most_growable_percent"]), MOST_GROWABLE)
    return out


def top_shares(values: Iterable[CustomerValue], percent=TOP_PERCENT) -> tuple[Fraction | None, Fraction | None]:
    """80/20 check (§2.5): the share of sales and the share of profit made by the top ⌈20 % N⌉ customers by
    sales (N = customers with sales), over the profit of all customers (costs of non-buyers included). None
    where the total is not positive (a share of a loss means nothing); above 1 when the rest lose money."""
    values = list(values)
    buyers = sorted((v for v in values if v.sales > 0), key=lambda v: (-v.sales, v.customer_id))
    top = buyers[:ceil_count(len(buyers), percent)]
    total_sales = sum((v.sales for v in buyers), ZERO)
    total_profit = sum((v.profit for v in values), ZERO)
    sales_share = Fraction(sum((v.sales for v in top), ZERO)) / Fraction(total_sales) if total_sales > 0 else None
    profit_share = (Fraction(sum((v.profit for v in top), ZERO)) / Fraction(total_profit)
                    if total_profit > 0 else None)
    return sales_share, profit_share


def c_class_review(c_profits: Mapping[int, Decimal], percent) -> list[int]:
    """放弃5%的C类客户: the ⌈percent % of the C class⌉ least profitable C customers (lowest first), for review."""
    ranked = sorted(c_profits.items(), key=lambda item: (item[1], item[0]))
    return [cid for cid, _profit in ranked[:ceil_count(len(ranked), percent)]]
