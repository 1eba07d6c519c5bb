"""Pure credit-control calculations (no Django): the order check on the kept balance figures, the choice of an
authority tier, and the dates of the limit review. Decimal in, Decimal out."""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

# What an assessment found, in the order the check looks at them.
OK = "ok"
PREPAID = "prepaid"
TRADE_STOPPED = "trade_stopped"
CASH_ONLY = "cash_only"
FIRST_SALE = "first_sale"
NO_LIMIT = "no_limit"
OVERDUE = "overdue"
OVER_LIMIT = "over_limit"


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CheckInput:
    """The figures one check reads: the customer's profile and grade policy, its kept balance row and the amount
    the order (or invoice) adds."""

    amount: Decimal
    receivable: Decimal
    unapplied_credit: Decimal
    open_orders: Decimal
    oldest_open_due_date: datetime.date | None
    today: datetime.date
    limit: Decimal
    limit_approved: bool
    status: str = "normal"
    tolerance_percent: Decimal = ZERO
    grace_days: int = 0
    count_open_orders: bool = True
    first_sale: bool = False  # no trade yet and credit sales not started by an approved decision
    has_investigation: bool = False
    # False: a customer without an approved limit while the company does not yet hold such customers; only
    # the stops apply.
    full: bool = True


@dataclass(frozen=True)
class Assessment:
    code: str
    limit: Decimal
    ceiling: Decimal  # limit × (1 + tolerance)
    tolerance_percent: Decimal
    receivable: Decimal
    unapplied_credit: Decimal
    open_orders: Decimal  # as counted (0 when the grade does not count them)
    amount: Decimal
    exposure_before: Decimal  # receivable − unapplied + counted open orders
    exposure_after: Decimal
    excess: Decimal  # how far exposure_after is above the ceiling (0 if not)
    headroom: Decimal  # ceiling − exposure_before (never below 0)
    days_overdue: int
    grace_days: int
    oldest_open_due_date: datetime.date | None
    prepaid_total: Decimal  # everything owed or ordered including this amount, less money on account

    @property
    def passed(self) -> bool:
        return self.code in (OK, PREPAID)


def ceiling(limit: Decimal, tolerance_percent: Decimal) -> Decimal:
    return _money(limit * (1 + tolerance_percent / 100))


def days_overdue(oldest_open_due_date: datetime.date | None, today: datetime.date) -> int:
    if oldest_open_due_date is None or oldest_open_due_date >= today:
        return 0
    return (today - oldest_open_due_date).days


def assess(i: CheckInput) -> Assessment:
    """The credit check of SPEC §5.8 on the kept figures. Order of the tests: trade stopped; fully prepaid (money
    on account covers everything owed and ordered: a cash sale, allowed even without credit); cash only; first
    credit sale without an investigation and an approved limit; invoice overdue beyond the grace days; exposure
    over the limit plus tolerance."""
    counted_orders = i.open_orders if i.count_open_orders else ZERO
    before = _money(i.receivable - i.unapplied_credit + counted_orders)
    after = _money(before + i.amount)
    top = ceiling(i.limit, i.tolerance_percent)
    overdue = days_overdue(i.oldest_open_due_date, i.today)
    prepaid_total = _money(i.receivable - i.unapplied_credit + i.open_orders + i.amount)
    figures = {
        "limit": _money(i.limit), "ceiling": top, "tolerance_percent": i.tolerance_percent,
        "receivable": _money(i.receivable), "unapplied_credit": _money(i.unapplied_credit),
        "open_orders": _money(counted_orders), "amount": _money(i.amount), "exposure_before": before,
        "exposure_after": after, "excess": max(after - top, ZERO), "headroom": max(top - before, ZERO),
        "days_overdue": overdue, "grace_days": i.grace_days, "oldest_open_due_date": i.oldest_open_due_date,
        "prepaid_total": prepaid_total,
    }
    if i.status == "trade_stopped":
        code = TRADE_STOPPED
    elif prepaid_total <= 0:
        code = PREPAID
    elif i.status == "cash_only":
        code = CASH_ONLY
    elif not i.full:
        code = OK
    elif i.first_sale and not (i.has_investigation and i.limit_approved):
        code = FIRST_SALE
    elif i.limit <= 0 and not i.limit_approved:
        code = NO_LIMIT
    elif overdue > i.grace_days:
        code = OVERDUE
    elif after > top:
        code = OVER_LIMIT
    else:
        code = OK
    return Assessment(code=code, **figures)


@dataclass(frozen=True)
class Tier:
    level: int
    limit_up_to: Decimal | None
    max_term_days: int | None


def choose_tier(tiers: list[Tier], amount: Decimal, days: int) -> Tier | None:
    """The lowest tier whose amount and term both cover the request; above every tier, the highest."""
    ordered = sorted(tiers, key=lambda t: t.level)
    for tier in ordered:
        if (tier.limit_up_to is None or amount <= tier.limit_up_to) and (
                tier.max_term_days is None or days <= tier.max_term_days):
            return tier
    return ordered[-1] if ordered else None


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_due(approved_on: datetime.date | None, valid_until: datetime.date | None, today: datetime.date,
               months: int = 12) -> bool:
    """A limit is due for its review when its validity ended, or (no validity recorded) when it was approved
    `months` or more ago."""
    if valid_until is not None:
        return valid_until <= today
    return approved_on is not None and add_months(approved_on, months) <= today


def target_reached(invoiced: Decimal, target: Decimal | None) -> bool | None:
    """None when no target was set."""
    if target is None or target <= 0:
        return None
    return invoiced >= target
