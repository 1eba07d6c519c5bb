"""Batched figures the risk rules read: one grouped query per family of figures over a span of customer ids
(the scan walks the customers in id ranges), never a query per customer. Each function returns
{customer_id: figures} for the customers that have any; the others simply do not appear.

Windows are half-open (start, end]: a payment dated on the start day belongs to the window before.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Avg, Count, Max, Q, Sum

from credo.collection.models import PromiseToPay
from credo.core.clock import day_bounds
from credo.customers.models import BankAccount, Contact, Customer, DecisionRole
from credo.rating.models import FinancialStatement
from credo.sales.models import Allocation, CustomerBalance, Invoice, Receipt, ReceiptReversal, SalesOrder

from . import rules

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def dec(value) -> Decimal:
    """A database number as Decimal (SQLite returns sums of decimals as float or int)."""
    if value is None:
        return ZERO
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def cents(value) -> Decimal:
    return dec(value).quantize(CENT)


@dataclass(frozen=True)
class Span:
    """A range of customer ids; queries filter on it with the (customer, date) indexes."""

    lo: int
    hi: int

    @classmethod
    def of(cls, ids) -> "Span":
        return cls(min(ids), max(ids))

    def q(self, field: str = "customer_id") -> Q:
        return Q(**{f"{field}__gte": self.lo, f"{field}__lte": self.hi})


def _days_between(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def payment_stats(span: Span, as_of: datetime.date, recent_days: int, baseline_days: int):
    """{customer: (recent PaymentStats, before PaymentStats)} from the money applied to invoices: receipts only
    (not credit notes or write-offs), reversed (bounced) payments left out; days late = allocation date − due
    date, counted when positive. (The invoice's customer range in the join keeps PostgreSQL from hashing the
    whole invoice table: an allocation and its invoice always belong to the same customer.)"""
    recent_start = as_of - datetime.timedelta(days=recent_days)
    base_start = recent_start - datetime.timedelta(days=baseline_days)
    days = _days_between("a.allocation_date", "i.due_date")
    alloc, invoice = Allocation._meta.db_table, Invoice._meta.db_table
    sql = f"""
        SELECT a.customer_id,
          SUM(CASE WHEN a.allocation_date > %(rs)s THEN 1 ELSE 0 END),
          SUM(CASE WHEN a.allocation_date > %(rs)s THEN a.amount ELSE 0 END),
          SUM(CASE WHEN a.allocation_date > %(rs)s AND {days} > 0 THEN a.amount * {days} ELSE 0 END),
          SUM(CASE WHEN a.allocation_date > %(rs)s AND {days} > 0 THEN 1 ELSE 0 END),
          SUM(CASE WHEN a.allocation_date <= %(rs)s THEN 1 ELSE 0 END),
          SUM(CASE WHEN a.allocation_date <= %(rs)s THEN a.amount ELSE 0 END),
          SUM(CASE WHEN a.allocation_date <= %(rs)s AND {days} > 0 THEN a.amount * {days} ELSE 0 END),
          SUM(CASE WHEN a.allocation_date <= %(rs)s AND {days} > 0 THEN 1 ELSE 0 END)
        FROM {alloc} a JOIN {invoice} i ON i.id = a.invoice_id AND i.customer_id BETWEEN %(lo)s AND %(hi)s
        WHERE a.customer_id BETWEEN %(lo)s AND %(hi)s
          AND a.allocation_date > %(bs)s AND a.allocation_date <= %(as_of)s
          AND a.receipt_id IS NOT NULL AND a.amount > 0
          AND NOT EXISTS (SELECT 1 FROM {alloc} r WHERE r.reverses_id = a.id)
        GROUP BY a.customer_id"""
    params = {"rs": recent_start, "bs": base_start, "as_of": as_of, "lo": span.lo, "hi": span.hi}
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for cid, rc, ra, rd, rl, bc, ba, bd, bl in cursor.fetchall():
            found[cid] = (rules.PaymentStats(int(rc or 0), dec(ra), dec(rd), int(rl or 0)),
                          rules.PaymentStats(int(bc or 0), dec(ba), dec(bd), int(bl or 0)))
    return found


def _counts(queryset) -> dict[int, int]:
    return dict(queryset.values("customer_id").annotate(n=Count("id")).values_list("customer_id", "n"))


def broken_promise_counts(span: Span, since: datetime.date, as_of: datetime.date) -> dict[int, int]:
    """Promises to pay marked broken whose promised date lies in (since, as_of]."""
    return _counts(PromiseToPay.objects.filter(span.q(), status=PromiseToPay.Status.BROKEN,
                                               promised_date__gt=since, promised_date__lte=as_of))


def bounced_cheque_counts(span: Span, since: datetime.date, as_of: datetime.date) -> dict[int, int]:
    return _counts(ReceiptReversal.objects.filter(span.q(), kind=ReceiptReversal.Kind.BOUNCED_CHEQUE,
                                                  reversal_date__gt=since, reversal_date__lte=as_of))


def bank_change_counts(span: Span, since: datetime.date, as_of: datetime.date) -> dict[int, int]:
    """Bank-account changes: an account is closed (valid_to set) when the customer moves to a new one."""
    return _counts(BankAccount.objects.filter(span.q(), valid_to__gt=since, valid_to__lte=as_of))


def complaint_counts(span: Span, since: datetime.date, as_of: datetime.date) -> dict[int, int]:
    """Complaints received on business days in (since, as_of]."""
    from credo.complaints.models import Complaint

    start, end = day_bounds(since + datetime.timedelta(days=1), as_of)
    return _counts(Complaint.objects.filter(span.q(), received_at__gte=start, received_at__lt=end).order_by())


def order_counts(span: Span, since: datetime.date, as_of: datetime.date) -> dict[int, int]:
    """Orders (not cancelled) dated in (since, as_of]."""
    return _counts(_orders(span).filter(order_date__gt=since, order_date__lte=as_of).order_by())


def _orders(span: Span):
    return SalesOrder.objects.filter(span.q()).exclude(status=SalesOrder.Status.CANCELLED)


def order_figures(span: Span, window_start: datetime.date, as_of: datetime.date) -> dict[int, dict]:
    """Per customer with an order in (window_start, as_of]: the largest such order, how many, and how many
    orders it placed before the window (its whole history)."""
    recent = Q(order_date__gt=window_start)
    rows = (_orders(span).filter(order_date__lte=as_of).values("customer_id")
            .annotate(largest=Max("amount", filter=recent), recent=Count("id", filter=recent),
                      earlier=Count("id", filter=~recent))
            .filter(recent__gt=0))
    return {r["customer_id"]: {"largest": cents(r["largest"]), "recent": r["recent"], "earlier": r["earlier"]}
            for r in rows}


def order_medians(span: Span, start: datetime.date, end: datetime.date) -> dict[int, tuple[Decimal, int]]:
    """{customer: (median order amount, number of orders)} over orders dated in (start, end]; the median by
    window functions (portable between SQLite and PostgreSQL), two rows per customer leave the database."""
    table = SalesOrder._meta.db_table
    sql = f"""
        SELECT customer_id, AVG(amount), MAX(n) FROM (
          SELECT customer_id, amount,
                 ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY amount) AS rn,
                 COUNT(*) OVER (PARTITION BY customer_id) AS n
          FROM {table}
          WHERE customer_id BETWEEN %s AND %s AND status <> %s AND order_date > %s AND order_date <= %s
        ) ranked
        WHERE rn IN ((n + 1) / 2, (n + 2) / 2)
        GROUP BY customer_id"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [span.lo, span.hi, SalesOrder.Status.CANCELLED, start, end])
        return {cid: (cents(median), int(n)) for cid, median, n in cursor.fetchall()}


def territory_averages(start: datetime.date, end: datetime.date, min_orders: int,
                       territory_id: int | None = None) -> dict[int, tuple[Decimal, str]]:
    """{territory id: (average order amount, territory name)} over orders dated in (start, end] (all
    territories, or the one given); territories with fewer than min_orders orders have no average (too few to
    say what the region buys)."""
    orders = SalesOrder.objects.exclude(status=SalesOrder.Status.CANCELLED)
    if territory_id is not None:
        orders = orders.filter(customer__territory_id=territory_id)
    rows = (orders.filter(order_date__gt=start, order_date__lte=end, customer__territory__isnull=False)
            .values("customer__territory_id", "customer__territory__name")
            .annotate(average=Avg("amount"), n=Count("id")).filter(n__gte=max(min_orders, 1)))
    return {r["customer__territory_id"]: (cents(r["average"]), r["customer__territory__name"]) for r in rows}


def receipt_figures(span: Span, since: datetime.date, as_of: datetime.date) -> dict[int, tuple]:
    """{customer: (money received, promissory notes, amount in notes)} for receipts dated in (since, as_of]."""
    note = Q(method="note")
    rows = (Receipt.objects.filter(span.q(), is_reversed=False, receipt_date__gt=since, receipt_date__lte=as_of)
            .values("customer_id")
            .annotate(total=Sum("amount"), notes=Count("id", filter=note), notes_amount=Sum("amount", filter=note)))
    return {r["customer_id"]: (cents(r["total"]), r["notes"], cents(r["notes_amount"])) for r in rows}


def sales_figures(span: Span, as_of: datetime.date) -> dict[int, dict]:
    """Goods invoiced per customer: the last 365 days (annual sales), the last 90 days and the 90 before."""
    q1, q2 = as_of - datetime.timedelta(days=90), as_of - datetime.timedelta(days=180)
    year = as_of - datetime.timedelta(days=365)
    rows = (Invoice.objects.filter(span.q(), kind=Invoice.Kind.GOODS, invoice_date__gt=min(year, q2),
                                   invoice_date__lte=as_of)
            .values("customer_id")
            .annotate(annual=Sum("amount", filter=Q(invoice_date__gt=year)),
                      quarter=Sum("amount", filter=Q(invoice_date__gt=q1)),
                      previous=Sum("amount", filter=Q(invoice_date__gt=q2, invoice_date__lte=q1))))
    return {r["customer_id"]: {"annual": cents(r["annual"]), "quarter": cents(r["quarter"]),
                               "previous": cents(r["previous"])} for r in rows}


def overdue_on(customer_ids, day: datetime.date) -> dict[int, Decimal]:
    """Overdue amount per customer as it stood on `day`: invoices due before it, less the money applied to
    them on or before it (so a past date gives the past figure, not today's)."""
    ids = list(customer_ids)
    if not ids:
        return {}
    due = dict(Invoice.objects.filter(customer_id__in=ids, due_date__lt=day).values("customer_id")
               .annotate(s=Sum("amount")).values_list("customer_id", "s"))
    paid = dict(Allocation.objects.filter(customer_id__in=ids, invoice__customer_id__in=ids, invoice__due_date__lt=day,
                                          allocation_date__lte=day)
                .values("customer_id").annotate(s=Sum("amount")).values_list("customer_id", "s"))
    return {cid: cents(dec(total) - dec(paid.get(cid))) for cid, total in due.items()}


def receivables(customer_ids) -> dict[int, Decimal]:
    ids = list(customer_ids)
    return {cid: cents(r) for cid, r in CustomerBalance.objects.filter(customer_id__in=ids)
            .values_list("customer_id", "receivable")}


CUSTOMER_FIELDS = ("id", "code", "name", "importance", "first_order_date", "territory_id", "account_manager_id",
                   "credit_code", "legal_representative", "registered_address", "office_address", "phone",
                   "industry", "founded_on", "registered_capital", "business_scope")


def customer_rows(span: Span) -> dict[int, dict]:
    """The active customers in the span with the fields the rules read."""
    rows = Customer.objects.filter(span.q("pk"), is_active=True).values(*CUSTOMER_FIELDS)
    return {r["id"]: r for r in rows}


def completeness_facts(span: Span, customers: dict[int, dict], investigated: set[int]) -> dict[int, dict]:
    """{customer: {item: present}} for rules.completeness(): the file's key fields, contacts, a current bank
    account, a financial statement, a completed investigation."""
    contacts = {r["customer_id"]: r for r in Contact.objects.filter(span.q(), is_active=True).values("customer_id")
                .annotate(n=Count("id"), deciders=Count("id", filter=Q(decision_role__in=[
                    DecisionRole.DECISION_MAKER, DecisionRole.PAYER])))}
    banks = set(BankAccount.objects.filter(span.q(), valid_to__isnull=True).values_list("customer_id", flat=True))
    statements = set(FinancialStatement.objects.filter(span.q()).values_list("customer_id", flat=True).distinct())
    facts = {}
    for cid, c in customers.items():
        contact = contacts.get(cid, {})
        facts[cid] = {
            "credit_code": bool(c["credit_code"]),
            "legal_representative": bool(c["legal_representative"]),
            "address": bool(c["registered_address"] or c["office_address"]),
            "phone": bool(c["phone"]),
            "industry": bool(c["industry"]),
            "founded_on": c["founded_on"] is not None,
            "registered_capital": c["registered_capital"] is not None,
            "business_scope": bool(c["business_scope"]),
            "contact": contact.get("n", 0) > 0,
            "decision_contact": contact.get("deciders", 0) > 0,
            "bank_account": cid in banks,
            "financial_statement": cid in statements,
            "investigation": cid in investigated,
        }
    return facts
