"""Read side of limits: the policy version in force, a customer's figures for each method (statement, grade,
last quarter's orders and credit record, monthly collections), and the stored computations in a user's scope.

Other credit apps are read through their published contracts and guarded: without a rating the grade is
"NR"; without credo.rating.queries the statement is read from the model directly.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncMonth

from credo.core.clock import business_today
from credo.core.scopes import customer_q, scope_of
from credo.receivables.queries import to_money
from credo.sales.models import Invoice, Receipt, SalesOrder

from . import defaults, rules
from .models import LimitComputation, LimitPolicy

COLLECTION_MONTHS = 6
ORDER_STATUSES = (SalesOrder.Status.CONFIRMED, SalesOrder.Status.INVOICED)



def policy_in_force(on: datetime.date | None = None) -> LimitPolicy:
    """The version valid on a date (the earliest if the date precedes them all); the unsaved defaults if the
    table is empty (what-if use never writes)."""
    return LimitPolicy.in_force(on or business_today())


def saved_policy_in_force(on: datetime.date | None = None) -> LimitPolicy:
    """Like policy_in_force, creating the default version first when there is none (computations that are
    stored must point at a saved version)."""
    defaults.ensure_defaults()
    return policy_in_force(on)


# ------------------------------------------------------------------------------------------------ contracts


def latest_statement(customer_id: int):
    try:
        from credo.rating.queries import latest_statement as rating_latest
    except ImportError:
        rating_latest = None
    if rating_latest is not None:
        return rating_latest(customer_id)
    from credo.rating.models import FinancialStatement

    return FinancialStatement.objects.filter(customer_id=customer_id).order_by("-period_end", "-id").first()


def risk_level(customer_id: int) -> str:
    """The customer's grade on the 6-level scale (AA…D), or "NR" when not rated or rating is unavailable."""
    try:
        from credo.rating.queries import current_grade
    except ImportError:
        return rules.NOT_RATED
    try:
        level = getattr(current_grade(customer_id), "risk_level", None)
    except Exception:  # noqa: BLE001 — another app's half-built query must not break the limit page
        return rules.NOT_RATED
    return level if level in rules.ALL_GRADES else rules.NOT_RATED


# ------------------------------------------------------------------------------------------------ periods


def last_full_quarter(as_of: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the calendar quarter before the one as_of falls in."""
    first_month = (as_of.month - 1) // 3 * 3 + 1
    this_quarter = datetime.date(as_of.year, first_month, 1)
    end = this_quarter - datetime.timedelta(days=1)
    return datetime.date(end.year, end.month - 2, 1), end


def last_full_months(as_of: datetime.date, months: int = COLLECTION_MONTHS) -> list[datetime.date]:
    """First days of the last `months` full calendar months before as_of's month, newest first."""
    found, year, month = [], as_of.year, as_of.month
    for _n in range(months):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        found.append(datetime.date(year, month, 1))
    return found


def _month_end(first: datetime.date) -> datetime.date:
    nxt = datetime.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


# ------------------------------------------------------------------------------------------------ figures


def quarter_orders(customer_id: int, start: datetime.date, end: datetime.date) -> tuple[Decimal, int]:
    """Amount and count of the customer's confirmed or invoiced orders dated in [start, end]."""
    row = SalesOrder.objects.filter(customer_id=customer_id, order_date__range=(start, end),
                                    status__in=ORDER_STATUSES).aggregate(total=Sum("amount"), count=Count("id"))
    return to_money(row["total"]), row["count"]


@dataclass
class CreditRecord:
    amount_days: Decimal = Decimal("0.00")
    invoices: list[dict] = field(default_factory=list)


def credit_record(customer_id: int, start: datetime.date, end: datetime.date) -> CreditRecord:
    """Overdue amount × days overdue in [start, end] over the customer's invoices paid late or still overdue
    (拖欠金额×拖欠天数), with the invoices that contributed."""
    invoices = (Invoice.objects.filter(customer_id=customer_id, due_date__lt=end)
                .annotate(last_paid=Max("allocations__allocation_date"))
                .filter(Q(open_amount__gt=0) | Q(last_paid__gte=start))
                .prefetch_related("allocations").order_by("due_date", "id"))
    record = CreditRecord()
    for invoice in invoices:
        paid = [(a.allocation_date, a.amount) for a in invoice.allocations.all()]
        days = rules.amount_days(invoice.amount, invoice.due_date, paid, start, end)
        if days > 0:
            record.amount_days += days
            record.invoices.append({"number": invoice.number, "due_date": invoice.due_date.isoformat(),
                                    "amount": f"{invoice.amount:.2f}", "amount_days": f"{days:.2f}"})
    return record


def monthly_collections(customer_id: int, as_of: datetime.date, months: int = COLLECTION_MONTHS):
    """[(month's first day, amount received)] over the last full months, newest first; reversed receipts
    (bounced cheques, returned drafts) do not count."""
    firsts = last_full_months(as_of, months)
    rows = (Receipt.objects.filter(customer_id=customer_id, is_reversed=False,
                                   receipt_date__range=(firsts[-1], _month_end(firsts[0])))
            .annotate(month=TruncMonth("receipt_date")).values("month").annotate(total=Sum("amount")))
    by_month = {}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        by_month[month] = to_money(row["total"])
    return [(first, by_month.get(first, Decimal("0.00"))) for first in firsts]


# ------------------------------------------------------------------------------------------------ stored


def visible_computations(user):
    """Computations of the customers in the user's scope, and what-ifs (no customer)."""
    scope = customer_q(user, "customer__")
    if not scope:  # everyone (an empty Q would swallow the "or" below)
        return LimitComputation.objects.all() if scope_of(user) else LimitComputation.objects.none()
    return LimitComputation.objects.filter(scope | Q(customer__isnull=True))


def computations_for(user, customer_id: int):
    """The customer's stored computations, newest first, if the user may see the customer."""
    return (LimitComputation.objects.filter(customer_q(user, "customer__"), customer_id=customer_id)
            .select_related("policy"))


def latest_by_method(customer_id: int) -> dict[str, LimitComputation]:
    """The newest computation of each method for a customer."""
    found: dict[str, LimitComputation] = {}
    for method in rules.METHODS:
        latest = (LimitComputation.objects.filter(customer_id=customer_id, method=method)
                  .order_by("-created_at", "-id").first())
        if latest is not None:
            found[method] = latest
    return found
