"""Read side of the ledger: reconciliation of the kept figures against the documents."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, F, Min, Q, Sum, Value
from django.db.models.functions import Coalesce

from credo.core.money import money

from .models import CreditNote, CustomerBalance, Invoice, Receipt, SalesOrder

ZERO = Decimal("0.00")
HALF_CENT = Decimal("0.005")
MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)
BALANCE_FIELDS = ("receivable", "unapplied_credit", "open_orders", "invoiced_total", "paid_total",
                  "oldest_open_due_date")


@dataclass
class Drift:
    kind: str  # "balance", "invoice", "receipt", "credit_note"
    key: int  # customer id or document id
    field: str
    kept: object
    expected: object


def _allocated():
    return Coalesce(Sum("allocations__amount"), Value(ZERO), output_field=MONEY_FIELD)


def _differs(kept_field: str, expected):
    """Rows where kept and expected differ by a cent or more (SQLite sums decimals as floats)."""
    return Q(**{f"{kept_field}__gt": expected + Value(HALF_CENT)}) | Q(**{f"{kept_field}__lt": expected - Value(HALF_CENT)})


def document_drift() -> list[Drift]:
    """Documents whose kept open/unapplied amount differs from amount − Σ allocations."""
    found = []
    invoices = Invoice.objects.annotate(allocated=_allocated()).filter(
        _differs("open_amount", F("amount") - F("allocated")))
    for inv in invoices.values("pk", "open_amount", "amount", "allocated"):
        found.append(Drift("invoice", inv["pk"], "open_amount", inv["open_amount"],
                           money(inv["amount"] - inv["allocated"])))
    for model, kind in ((Receipt, "receipt"), (CreditNote, "credit_note")):
        rows = model.objects.annotate(allocated=_allocated())
        if model is Receipt:
            reversed_wrong = rows.filter(is_reversed=True).exclude(unapplied_amount=0)
            found += [Drift(kind, r.pk, "unapplied_amount", r.unapplied_amount, ZERO) for r in reversed_wrong]
            rows = rows.filter(is_reversed=False)
        for row in rows.filter(_differs("unapplied_amount", F("amount") - F("allocated"))).values(
                "pk", "unapplied_amount", "amount", "allocated"):
            found.append(Drift(kind, row["pk"], "unapplied_amount", row["unapplied_amount"],
                               money(row["amount"] - row["allocated"])))
    return found


def expected_balances(customer_ids=None) -> dict[int, dict]:
    """Every balance figure recomputed from the documents, per customer (all, or those given)."""
    expected: dict[int, dict] = {}
    only = {} if customer_ids is None else {"customer_id__in": list(customer_ids)}

    def put(customer_id, **values):
        row = expected.setdefault(customer_id, {"receivable": ZERO, "unapplied_credit": ZERO, "open_orders": ZERO,
                                                "invoiced_total": ZERO, "paid_total": ZERO,
                                                "oldest_open_due_date": None})
        for key, value in values.items():
            row[key] = (row[key] + value) if key == "unapplied_credit" else value

    for row in Invoice.objects.filter(**only).values("customer_id").annotate(
            receivable=Sum("open_amount"), invoiced=Sum("amount"),
            oldest=Min("due_date", filter=Q(open_amount__gt=0))):
        put(row["customer_id"], receivable=row["receivable"], invoiced_total=row["invoiced"],
            oldest_open_due_date=row["oldest"])
    for row in Receipt.objects.filter(is_reversed=False, **only).values("customer_id").annotate(
            paid=Sum("amount"), unapplied=Sum("unapplied_amount")):
        put(row["customer_id"], paid_total=row["paid"], unapplied_credit=row["unapplied"])
    for row in CreditNote.objects.filter(**only).values("customer_id").annotate(unapplied=Sum("unapplied_amount")):
        put(row["customer_id"], unapplied_credit=row["unapplied"])
    for row in SalesOrder.objects.filter(status=SalesOrder.Status.CONFIRMED, **only).values("customer_id").annotate(
            amount=Sum("amount")):
        put(row["customer_id"], open_orders=row["amount"])
    return expected


def _rounded(value):
    if isinstance(value, float):  # SQLite's sums of decimals
        value = Decimal(repr(value))
    return money(value) if isinstance(value, Decimal | int) and not isinstance(value, bool) else value


def balance_drift() -> list[Drift]:
    expected = expected_balances()
    kept = {row["customer_id"]: row for row in CustomerBalance.objects.values("customer_id", *BALANCE_FIELDS)}
    zero = {"receivable": ZERO, "unapplied_credit": ZERO, "open_orders": ZERO, "invoiced_total": ZERO,
            "paid_total": ZERO, "oldest_open_due_date": None}
    found = []
    for customer_id in sorted(set(expected) | set(kept)):
        want, have = expected.get(customer_id, zero), kept.get(customer_id, zero)
        for field in BALANCE_FIELDS:
            if _rounded(want[field]) != _rounded(have[field]):
                found.append(Drift("balance", customer_id, field, _rounded(have[field]), _rounded(want[field])))
    return found
