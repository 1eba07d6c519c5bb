"""What a rating reads, for many customers at once: a fixed number of grouped queries per batch (never a
query per customer). Per customer: the latest statement and 5C evaluation up to the as-of date, the latest
completed investigation's warning signs, and the ledger figures (payment lateness over the last 12 months,
overdue share of the receivable, days overdue of the oldest open invoice, broken promises to pay).

The ledger figures read the ledger as it stands, counted to the as-of date."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Func, IntegerField, Q, Sum, Value, Window
from django.db.models.functions import Greatest, RowNumber

from credo.core.money import money
from credo.sales.models import Allocation, CustomerBalance, Invoice

from .models import (
    FIVEC_DIMENSIONS,
    Answer,
    ChecklistAnswer,
    FinancialStatement,
    FiveCEvaluation,
    Investigation,
)

ZERO = Decimal("0.00")
PAYMENT_WINDOW_DAYS = 365
STATEMENT_FIELDS = ("current_assets", "inventory", "total_assets", "current_liabilities", "total_liabilities",
                    "net_assets", "revenue", "net_profit", "cash")


class DaysBetween(Func):
    """later − earlier in whole days, for two date columns."""

    output_field = IntegerField()
    arg_joiner = " - "
    template = "(%(expressions)s)"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)",
                           arg_joiner=") - julianday(", **extra)


@dataclass
class Inputs:
    statement: dict | None = None
    fivec: dict | None = None
    ledger: dict | None = None
    checklist: dict | None = None

    @property
    def has_data(self) -> bool:
        return any(x is not None for x in (self.statement, self.fivec, self.ledger, self.checklist))


def _latest(queryset, date_field: str):
    """The newest row per customer (by date, then id)."""
    return queryset.annotate(rank=Window(RowNumber(), partition_by=[F("customer_id")],
                                         order_by=[F(date_field).desc(), F("id").desc()])).filter(rank=1)


def _statements(ids, as_of) -> dict[int, dict]:
    rows = _latest(FinancialStatement.objects.filter(customer_id__in=ids, period_end__lte=as_of), "period_end")
    return {r["customer_id"]: r for r in rows.values("id", "customer_id", "period_end", *STATEMENT_FIELDS)}


def _evaluations(ids, as_of) -> dict[int, dict]:
    rows = _latest(FiveCEvaluation.objects.filter(customer_id__in=ids, evaluated_on__lte=as_of), "evaluated_on")
    return {r["customer_id"]: r for r in rows.values("id", "customer_id", "evaluated_on", "score", "weights",
                                                     "evaluator_name", *FIVEC_DIMENSIONS)}


def _checklists(ids, as_of) -> dict[int, dict]:
    latest = _latest(Investigation.objects.filter(customer_id__in=ids, status=Investigation.Status.COMPLETED,
                                                  investigated_on__lte=as_of), "investigated_on")
    found = {r["id"]: {"investigation_id": r["id"], "investigated_on": r["investigated_on"], "customer_id":
                       r["customer_id"], "warnings": {"operations": 0, "finances": 0, "payment": 0},
                       "warning_codes": []}
             for r in latest.values("id", "customer_id", "investigated_on")}
    if found:
        warnings = ChecklistAnswer.objects.filter(investigation_id__in=list(found)).filter(
            Q(answer=Answer.YES, question__yes_is_warning=True) | Q(answer=Answer.NO, question__yes_is_warning=False))
        for row in warnings.values("investigation_id", "question__group", "question__code").order_by(
                "question__position"):
            entry = found[row["investigation_id"]]
            entry["warnings"][row["question__group"]] = entry["warnings"].get(row["question__group"], 0) + 1
            entry["warning_codes"].append(row["question__code"])
    return {entry.pop("customer_id"): entry for entry in found.values()}


def _ledger(ids, as_of) -> dict[int, dict]:
    balances = {r["customer_id"]: r for r in CustomerBalance.objects.filter(customer_id__in=ids).values(
        "customer_id", "receivable", "oldest_open_due_date", "invoiced_total")}
    overdue = dict(Invoice.objects.filter(customer_id__in=ids, open_amount__gt=0, due_date__lt=as_of)
                   .values("customer_id").annotate(total=Sum("open_amount")).values_list("customer_id", "total"))
    since = as_of - datetime.timedelta(days=PAYMENT_WINDOW_DAYS)
    money_field = DecimalField(max_digits=24, decimal_places=2)
    days_late = Greatest(DaysBetween(F("allocation_date"), F("invoice__due_date")), Value(0))
    # Money received (receipts, not credit notes or write-offs), leaving out allocations that were reversed
    # (a bounced cheque) and the reversals themselves.
    paid = {r["customer_id"]: r for r in Allocation.objects.filter(
        customer_id__in=ids, receipt__isnull=False, reverses__isnull=True, reversed_by__isnull=True,
        allocation_date__gt=since, allocation_date__lte=as_of).values("customer_id").annotate(
        paid=Sum("amount"), late=Sum(F("amount") * days_late, output_field=money_field))}
    broken = _broken_promises(ids, since, as_of)
    result = {}
    for customer_id, balance in balances.items():
        if not balance["invoiced_total"] and not balance["receivable"]:
            continue
        oldest = balance["oldest_open_due_date"]
        row = paid.get(customer_id, {})
        result[customer_id] = {
            "receivable": balance["receivable"], "overdue": money(overdue.get(customer_id) or ZERO),
            "paid": money(row.get("paid") or ZERO), "late_money_days": money(row.get("late") or ZERO),
            "oldest_overdue_days": (as_of - oldest).days if oldest and oldest < as_of else 0,
            "broken_promises": broken.get(customer_id, 0),
        }
    return result


def _broken_promises(ids, since, as_of) -> dict[int, int]:
    try:
        from credo.collection.models import PromiseToPay
    except ImportError:  # collection not installed
        return {}
    return dict(PromiseToPay.objects.filter(customer_id__in=ids, status=PromiseToPay.Status.BROKEN,
                                            promised_date__gt=since, promised_date__lte=as_of)
                .values("customer_id").annotate(n=Count("id")).values_list("customer_id", "n"))


def read_inputs(customer_ids, as_of: datetime.date) -> dict[int, Inputs]:
    ids = list(customer_ids)
    statements, evaluations = _statements(ids, as_of), _evaluations(ids, as_of)
    checklists, ledgers = _checklists(ids, as_of), _ledger(ids, as_of)
    return {cid: Inputs(statement=statements.get(cid), fivec=evaluations.get(cid), ledger=ledgers.get(cid),
                        checklist=checklists.get(cid)) for cid in ids}
