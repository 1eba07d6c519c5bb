import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credo.core.models import AuditEntry, CustomerEvent
from credo.sales import queries, services
from credo.sales.models import Allocation, CustomerBalance, Invoice, LedgerSettings, Receipt

DAY = datetime.date(2026, 3, 1)


def invoice(world, number, amount, day=DAY, customer=None, **kw):
    return services.post_invoice(world.finance, customer or world.east_customer, number=number, invoice_date=day,
                                 amount=amount, **kw)


def balance(customer):
    return CustomerBalance.objects.get(customer=customer)


def assert_reconciles():
    assert queries.document_drift() == [] and queries.balance_drift() == []


def test_invoice_due_date_from_credit_period_and_balance(world):
    inv = invoice(world, "INV1", "1000.00")
    assert inv.due_date == DAY + datetime.timedelta(days=30) and inv.open_amount == D("1000.00")
    bal = balance(world.east_customer)
    assert (bal.receivable, bal.invoiced_total, bal.oldest_open_due_date) == (D("1000"), D("1000"), inv.due_date)
    world.east_customer.refresh_from_db()
    assert world.east_customer.first_order_date == DAY
    assert AuditEntry.objects.filter(object_type="sales.invoice").count() == 1
    assert CustomerEvent.objects.filter(kind="invoice.posted").count() == 1
    assert_reconciles()


def test_invoice_lines_make_the_amount(world):
    inv = invoice(world, "INV1", None, lines=[{"description": "螺丝", "quantity": "3", "unit_price": "2.50"},
                                             {"description": "螺母", "quantity": "1.5", "unit_price": "10"}])
    assert inv.amount == D("22.50") and inv.lines.count() == 2


@pytest.mark.parametrize("kw, field", [
    ({"amount": "-5"}, "amount"),
    ({"amount": "0"}, "amount"),
    ({"amount": "10", "due_date": DAY - datetime.timedelta(days=1)}, "due_date"),
    ({"amount": "10", "number": " "}, "number"),
])
def test_bad_invoice_names_the_field_and_posts_nothing(world, kw, field):
    args = {"number": "X1", "invoice_date": DAY, **kw}
    with pytest.raises(ValidationError) as exc:
        services.post_invoice(world.finance, world.east_customer, **args)
    assert field in exc.value.message_dict
    assert not Invoice.objects.exists() and not CustomerBalance.objects.exists()


def test_duplicate_number_and_closed_period(world):
    invoice(world, "INV1", "10")
    settings = LedgerSettings.current()
    settings.closed_through = DAY
    settings.save()
    with pytest.raises(ValidationError) as exc:
        invoice(world, "INV1", "10")
    assert set(exc.value.message_dict) == {"number", "invoice_date"}
    with pytest.raises(ValidationError) as exc:
        services.post_receipt(world.finance, world.east_customer, number="R1", receipt_date=DAY, amount="5",
                              method="cash")
    assert "receipt_date" in exc.value.message_dict


def test_permissions_and_scope(world):
    with pytest.raises(PermissionDenied):
        services.post_invoice(world.sales_east, world.east_customer, number="X", invoice_date=DAY, amount="1")
    assert not Invoice.objects.exists()


def test_receipt_fifo_oldest_due_first_and_remainder_applied_to_next_invoice(world):
    later = invoice(world, "INV-B", "300", day=DAY + datetime.timedelta(days=5))
    older = invoice(world, "INV-A", "200")
    receipt = services.post_receipt(world.finance, world.east_customer, number="R1", receipt_date=DAY,
                                    amount="600", method="transfer")
    older.refresh_from_db()
    later.refresh_from_db()
    assert (older.open_amount, later.open_amount, receipt.unapplied_amount) == (0, 0, D("100"))
    bal = balance(world.east_customer)
    assert (bal.receivable, bal.unapplied_credit, bal.paid_total, bal.oldest_open_due_date) == (0, D("100"), D("600"), None)
    newer = invoice(world, "INV-C", "250", day=DAY + datetime.timedelta(days=10))
    assert newer.open_amount == D("150")
    receipt.refresh_from_db()
    assert receipt.unapplied_amount == 0
    assert balance(world.east_customer).receivable == D("150")
    assert_reconciles()


def test_receipt_for_named_invoice_first(world):
    first = invoice(world, "INV-A", "200")
    named = invoice(world, "INV-B", "300", day=DAY + datetime.timedelta(days=1))
    services.post_receipt(world.finance, world.east_customer, number="R1", receipt_date=DAY, amount="350",
                          method="cheque", invoice=named)
    first.refresh_from_db()
    named.refresh_from_db()
    assert (named.open_amount, first.open_amount) == (0, D("150"))
    assert_reconciles()


def test_manual_allocation_refuses_over_allocation(world):
    a = invoice(world, "INV-A", "200")
    with pytest.raises(ValidationError) as exc:
        services.post_receipt(world.finance, world.east_customer, number="R1", receipt_date=DAY, amount="500",
                              method="cash", allocations=[(a, "250")])
    assert "allocations" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.post_receipt(world.finance, world.east_customer, number="R1", receipt_date=DAY, amount="100",
                              method="cash", allocations=[(a, "150")])
    assert not Receipt.objects.exists() and not Allocation.objects.exists()
    services.post_receipt(world.finance, world.east_customer, number="R1", receipt_date=DAY, amount="500",
                          method="cash", allocations=[(a, "120")])
    a.refresh_from_db()
    assert a.open_amount == D("80") and balance(world.east_customer).unapplied_credit == D("380")
    assert_reconciles()


def test_idempotent_receipt(world):
    invoice(world, "INV-A", "200")
    first = services.post_receipt(world.finance, world.east_customer, number="R1", receipt_date=DAY, amount="50",
                                  method="transfer", idempotency_key="bank-123")
    again = services.post_receipt(world.finance, world.east_customer, number="R1", receipt_date=DAY, amount="50",
                                  method="transfer", idempotency_key="bank-123")
    assert first.pk == again.pk and Receipt.objects.count() == 1
    with pytest.raises(ValidationError):
        services.post_receipt(world.finance, world.east_customer, number="R2", receipt_date=DAY, amount="60",
                              method="transfer", idempotency_key="bank-123")


def test_bounced_cheque_reopens_invoices(world):
    a = invoice(world, "INV-A", "200")
    receipt = services.post_receipt(world.finance, world.east_customer, number="R1", receipt_date=DAY,
                                    amount="250", method="cheque")
    services.reverse_receipt(world.finance, receipt, kind="bounced_cheque", reversal_date=DAY, reason="余额不足")
    a.refresh_from_db()
    receipt.refresh_from_db()
    assert a.open_amount == D("200") and receipt.is_reversed and receipt.unapplied_amount == 0
    bal = balance(world.east_customer)
    assert (bal.receivable, bal.unapplied_credit, bal.paid_total) == (D("200"), 0, 0)
    with pytest.raises(ValidationError):
        services.reverse_receipt(world.finance, receipt, kind="bounced_cheque", reversal_date=DAY, reason="again")
    assert CustomerEvent.objects.filter(kind="receipt.reversed").count() == 1
    assert_reconciles()


def test_credit_note_applies_to_invoice(world):
    a = invoice(world, "INV-A", "200")
    services.post_credit_note(world.finance, world.east_customer, number="CN1", note_date=DAY, kind="return",
                              amount="50", reason="退货", invoice=a)
    a.refresh_from_db()
    assert a.open_amount == D("150") and balance(world.east_customer).receivable == D("150")
    with pytest.raises(ValidationError) as exc:
        services.post_credit_note(world.finance, world.east_customer, number="CN2", note_date=DAY, kind="x",
                                  amount="-1", reason="")
    assert set(exc.value.message_dict) == {"kind", "amount", "reason"}
    assert_reconciles()


def test_write_off_needs_another_approver(world):
    a = invoice(world, "INV-A", "200")
    request = services.request_write_off(world.finance, a, amount="80", reason="客户破产")
    with pytest.raises(PermissionDenied):
        services.decide_write_off(world.finance, request, approve=True)
    credit = world.credit
    services.decide_write_off(credit, request, approve=True, posting_date=DAY)
    a.refresh_from_db()
    assert a.open_amount == D("120") and balance(world.east_customer).receivable == D("120")
    with pytest.raises(ValidationError):
        services.decide_write_off(credit, request, approve=True)
    with pytest.raises(ValidationError):
        services.request_write_off(world.finance, a, amount="500", reason="x")
    assert_reconciles()


def test_reconcile_finds_tampering(world):
    invoice(world, "INV-A", "200")
    CustomerBalance.objects.filter(customer=world.east_customer).update(receivable=D("1"))
    Invoice.objects.filter(number="INV-A").update(open_amount=D("150"))
    kinds = {(d.kind, d.field) for d in queries.document_drift() + queries.balance_drift()}
    assert kinds == {("invoice", "open_amount"), ("balance", "receivable")}


def test_merge_moves_documents_and_recomputes_one_balance(world):
    from credo.customers.services import merge_customers

    invoice(world, "INV-A", "200")
    invoice(world, "INV-B", "300", customer=world.east2_customer)
    services.post_receipt(world.finance, world.east2_customer, number="R1", receipt_date=DAY, amount="50",
                          method="cash")
    merge_customers(world.manager_east, world.east_customer, world.east2_customer, reason="同一家")
    assert not CustomerBalance.objects.filter(customer=world.east2_customer).exists()
    bal = balance(world.east_customer)
    assert (bal.receivable, bal.invoiced_total, bal.paid_total, bal.last_payment_amount) == (
        D("450"), D("500"), D("50"), D("50"))
    assert Invoice.objects.filter(customer=world.east_customer).count() == 2
    assert_reconciles()


def test_invoice_delivery_tracking(world):
    inv = invoice(world, "INV-A", "200")
    with pytest.raises(ValidationError) as exc:
        services.record_invoice_delivery(world.sales_east, inv, confirmed_on=DAY)
    assert "confirmed_on" in exc.value.message_dict
    services.record_invoice_delivery(world.sales_east, inv, sent_on=DAY)
    with pytest.raises(ValidationError):
        services.record_invoice_delivery(world.sales_east, inv, confirmed_on=DAY - datetime.timedelta(days=1))
    services.record_invoice_delivery(world.sales_east, inv, confirmed_on=DAY + datetime.timedelta(days=2))
    inv.refresh_from_db()
    assert (inv.sent_on, inv.receipt_confirmed_on) == (DAY, DAY + datetime.timedelta(days=2))
    entries = AuditEntry.objects.filter(object_type="sales.invoice", action="update")
    assert [set(e.after) for e in entries] == [{"receipt_confirmed_on"}, {"sent_on"}]
    with pytest.raises(PermissionDenied):
        services.record_invoice_delivery(world.sales_north, inv, sent_on=DAY)


def test_reconcile_command_exit_codes(world, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    invoice(world, "INV-A", "200")
    call_command("ledger", "reconcile")
    assert "no differences" in capsys.readouterr().out
    CustomerBalance.objects.filter(customer=world.east_customer).update(receivable=D("5"))
    with pytest.raises(CommandError) as exc:
        call_command("ledger", "reconcile")
    assert exc.value.returncode == 1
    assert "receivable: kept 5.00, documents say 200.00" in capsys.readouterr().out
