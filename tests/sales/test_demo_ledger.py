"""The demo ledger obeys the ledger's rules: balances equal the documents, allocations FIFO and within
their invoices and receipts, first order date = first invoice date; deterministic for a seed."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Min, Sum

from credo.core import demo as org_demo
from credo.customers import demo as customer_demo
from credo.customers.models import Customer
from credo.sales import demo as ledger_demo
from credo.sales.models import (
    Allocation,
    CustomerBalance,
    Invoice,
    InvoiceLine,
    OrderLine,
    PaymentMethod,
    Product,
    Receipt,
    SalesOrder,
)

TODAY = datetime.date(2026, 3, 16)
ZERO = Decimal("0")


def _load(n=300, seed=3, per=12):
    org = org_demo.ensure_organisation()
    before = Customer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    customer_demo.generate(org, n, seed=seed, today=TODAY)
    return ledger_demo.generate(Customer.objects.filter(pk__gt=before), seed=seed, invoices_per_customer=per,
                                today=TODAY)


def _sums(model, key, value="amount", **filters):
    return {row[key]: row["s"] for row in model.objects.filter(**filters).values(key).annotate(s=Sum(value))}


def ledger_problems() -> list[str]:
    """Every way the ledger and the balance rows could disagree (empty when consistent)."""
    problems = []
    by_invoice = _sums(Allocation, "invoice_id")
    by_receipt = _sums(Allocation, "receipt_id", receipt__isnull=False)
    open_by_customer, due_by_customer = defaultdict(lambda: ZERO), {}
    invoiced, last_invoice = defaultdict(lambda: ZERO), {}
    for inv in Invoice.objects.values("id", "customer_id", "amount", "open_amount", "due_date", "invoice_date"):
        allocated = by_invoice.get(inv["id"], ZERO)
        if inv["open_amount"] != inv["amount"] - allocated:
            problems.append(f"invoice {inv['id']}: open {inv['open_amount']} != {inv['amount']} - {allocated}")
        if allocated > inv["amount"] or allocated < 0:
            problems.append(f"invoice {inv['id']}: allocated {allocated} outside 0..{inv['amount']}")
        c = inv["customer_id"]
        invoiced[c] += inv["amount"]
        last_invoice[c] = max(last_invoice.get(c, inv["invoice_date"]), inv["invoice_date"])
        if inv["open_amount"]:
            open_by_customer[c] += inv["open_amount"]
            due_by_customer[c] = min(due_by_customer.get(c, inv["due_date"]), inv["due_date"])
    credit, paid, last_receipt = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO), {}
    for rec in Receipt.objects.order_by("receipt_date", "id").values("id", "customer_id", "amount",
                                                                     "unapplied_amount", "receipt_date"):
        allocated = by_receipt.get(rec["id"], ZERO)
        if rec["unapplied_amount"] != rec["amount"] - allocated:
            problems.append(f"receipt {rec['id']}: unapplied {rec['unapplied_amount']} != {rec['amount']} - {allocated}")
        credit[rec["customer_id"]] += rec["unapplied_amount"]
        paid[rec["customer_id"]] += rec["amount"]
        last_receipt[rec["customer_id"]] = rec
    # An allocation comes from a receipt or (claims settled in the demo) a credit note.
    for alloc in Allocation.objects.values("customer_id", "invoice__customer_id", "receipt__customer_id",
                                           "credit_note__customer_id"):
        source = alloc["receipt__customer_id"] or alloc["credit_note__customer_id"]
        if not alloc["customer_id"] == alloc["invoice__customer_id"] == source:
            problems.append(f"allocation across customers: {alloc}")
    open_orders = _sums(SalesOrder, "customer_id", status=SalesOrder.Status.CONFIRMED)
    for b in CustomerBalance.objects.all():
        c = b.customer_id
        last = last_receipt.get(c)
        expected = {
            "receivable": open_by_customer[c], "unapplied_credit": credit[c],
            "open_orders": open_orders.get(c, ZERO), "oldest_open_due_date": due_by_customer.get(c),
            "last_invoice_date": last_invoice.get(c), "invoiced_total": invoiced[c], "paid_total": paid[c],
            "last_payment_date": last["receipt_date"] if last else None,
            "last_payment_amount": last["amount"] if last else None,
        }
        for name, value in expected.items():
            if getattr(b, name) != value:
                problems.append(f"customer {c}: balance.{name} {getattr(b, name)} != {value}")
    return problems


@pytest.mark.django_db
def test_demo_ledger_is_consistent():
    result = _load()
    assert result.invoices > 1000 and result.receipts > 500 and result.allocations > 500
    assert result.balances == 300 == CustomerBalance.objects.count()
    assert Product.objects.count() == result.products == 200
    assert ledger_problems() == []


@pytest.mark.django_db
def test_demo_ledger_looks_like_a_business():
    _load()
    # every invoice has lines that add up, and an invoiced order
    line_sums = _sums(InvoiceLine, "invoice_id")
    for inv in Invoice.objects.select_related("order").only("id", "amount", "order__amount", "order__status"):
        assert line_sums[inv.id] == inv.amount
        assert inv.order.amount == inv.amount and inv.order.status == SalesOrder.Status.INVOICED
    order_sums = _sums(OrderLine, "order_id")
    assert all(order_sums[o.id] == o.amount for o in SalesOrder.objects.all())
    assert all(inv.due_date >= inv.invoice_date for inv in Invoice.objects.all())
    # first order date is the first invoice date; potential customers have no documents
    first = {row["customer_id"]: row["d"] for row in
             Invoice.objects.values("customer_id").annotate(d=Min("invoice_date"))}
    for c in Customer.objects.all():
        assert first.get(c.pk) == c.first_order_date, c.code
    # a mix of payment methods and of payment behaviour
    methods = set(Receipt.objects.values_list("method", flat=True))
    assert {PaymentMethod.TRANSFER, PaymentMethod.CHEQUE, PaymentMethod.DRAFT, PaymentMethod.PROMISSORY_NOTE} <= methods
    invoices = list(Invoice.objects.values("amount", "open_amount", "due_date"))
    paid = sum(1 for i in invoices if i["open_amount"] == 0)
    overdue = sum(1 for i in invoices if i["open_amount"] and i["due_date"] < TODAY)
    partly = sum(1 for i in invoices if 0 < i["open_amount"] < i["amount"])
    assert paid > 0.6 * len(invoices)
    assert overdue > 0.02 * len(invoices)
    assert partly > 0
    # FIFO: money is left unapplied only when the customer owes nothing
    for b in CustomerBalance.objects.filter(unapplied_credit__gt=0):
        assert b.receivable == 0
    assert Receipt.objects.filter(unapplied_amount__gt=0).exists()


@pytest.mark.django_db
def test_demo_ledger_is_deterministic():
    org = org_demo.ensure_organisation()
    customer_demo.generate(org, 60, seed=5, today=TODAY)

    def snapshot():
        return (list(Invoice.objects.order_by("number").values_list("number", "invoice_date", "amount", "open_amount")),
                list(Receipt.objects.order_by("number").values_list("number", "amount", "method", "reference")),
                list(CustomerBalance.objects.order_by("customer__code").values_list("receivable", "paid_total")))

    ledger_demo.generate(seed=5, today=TODAY)
    first = snapshot()
    for model in (Allocation, Receipt, InvoiceLine, Invoice, OrderLine, SalesOrder, CustomerBalance):
        model.objects.all().delete()
    ledger_demo.generate(seed=5, today=TODAY)
    assert snapshot() == first
    assert ledger_problems() == []


@pytest.mark.django_db
def test_demo_command_loads_the_ledger(capsys):
    call_command("demo", customers=40, invoices_per_customer=4, seed=2, verbosity=1)
    out = capsys.readouterr().out
    assert "Ledger:" in out
    assert CustomerBalance.objects.count() == 40
    assert ledger_problems() == []
    call_command("demo", customers=10, invoices_per_customer=0, verbosity=0)
    assert CustomerBalance.objects.count() == 40  # no ledger asked for


@pytest.mark.django_db
def test_big_loads_check_foreign_keys_once_and_keep_them():
    from django.db import connection

    def foreign_keys():
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE contype = 'f' AND conrelid::regclass::text LIKE 'sales_%%' ORDER BY 1, 2")
            return cursor.fetchall()

    before = foreign_keys()
    org = org_demo.ensure_organisation()
    customer_demo.generate(org, 80, seed=4, today=TODAY)
    with ledger_demo._foreign_keys_checked_at_end(True) as dropped:
        assert dropped == (connection.vendor == "postgresql")
        loaded = {"sales_salesorder", "sales_orderline", "sales_invoice", "sales_invoiceline", "sales_receipt",
                  "sales_allocation", "sales_customerbalance"}
        assert not [key for key in foreign_keys() or [] if key[0] in loaded]
    assert foreign_keys() == before
    result = ledger_demo.generate(seed=4, today=TODAY, invoices_per_customer=6, big_load=1)
    assert result.invoices > 100
    assert foreign_keys() == before
    assert ledger_problems() == []
