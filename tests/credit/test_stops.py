"""Automatic credit stops: a bounced cheque, the second returned draft, repeated late payment."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from credo.core.models import AuditEntry, CustomerEvent
from credo.credit import approvals
from credo.credit.models import CreditProfile, CreditSettings, CreditStop
from credo.sales import services

from .conftest import approved_profile, confirm, days_ago, invoice, order


def pay(world, customer, number, amount, on, method="transfer"):
    return services.post_receipt(world.finance, customer, number=number, receipt_date=on, amount=amount,
                                 method=method)


def status(customer) -> str:
    return CreditProfile.objects.get(customer=customer).status


def test_bounced_cheque_stops_credit(world, product):
    customer = world.east_customer
    approved_profile(customer, "100000")
    invoice(world, customer, "INV1", "1000")
    cheque = pay(world, customer, "R1", "1000", days_ago(2), method="cheque")
    services.reverse_receipt(world.finance, cheque, kind="bounced_cheque", reversal_date=days_ago(1),
                             reason="余额不足")
    profile = CreditProfile.objects.get(customer=customer)
    assert profile.status == "cash_only" and "Cheque R1 of ¥1,000.00 bounced: 余额不足" == profile.status_reason
    stop = CreditStop.objects.get(customer=customer)
    assert stop.kind == "bounced_cheque" and stop.started_by == "finance" and stop.reversal_id
    assert AuditEntry.objects.filter(object_type="credit.creditstop").exists()
    assert CustomerEvent.objects.filter(kind="credit.stopped").count() == 1
    held = confirm(world, order(world, customer, "SO1", product, 1))
    assert held.status == "held" and held.hold_reason.startswith("Credit stopped: cash only")
    with pytest.raises(ValidationError):
        invoice(world, customer, "INV2", "10")
    # paying in advance is a cash sale: allowed while cash only
    pay(world, customer, "R2", "3000", days_ago(0))  # 1,000 settles INV1, 2,000 on account
    assert confirm(world, order(world, customer, "SO2", product, 2)).status == "confirmed"


def test_second_returned_draft_stops_credit(world):
    customer = world.east_customer
    for n in range(2):
        invoice(world, customer, f"INV{n}", "500")
        draft = pay(world, customer, f"D{n}", "500", days_ago(3), method="draft")
        services.reverse_receipt(world.finance, draft, kind="returned_draft", reversal_date=days_ago(2),
                                 reason="退票")
        if n == 0:
            assert not CreditProfile.objects.filter(customer=customer).exists()  # one returned draft: no stop
    stop = CreditStop.objects.get(customer=customer)
    assert stop.kind == "returned_drafts" and stop.reason.startswith("2 drafts returned")
    assert status(customer) == "cash_only"


def test_other_customers_drafts_do_not_count(world):
    for n, customer in enumerate([world.east_customer, world.north_customer]):
        invoice(world, customer, f"INV{n}", "500")
        draft = pay(world, customer, f"D{n}", "500", days_ago(3), method="draft")
        services.reverse_receipt(world.finance, draft, kind="returned_draft", reversal_date=days_ago(2), reason="退票")
    assert not CreditStop.objects.exists()


def late_invoice(world, customer, n, *, due_days_ago=40, paid_days_ago=20):
    inv = invoice(world, customer, f"L{n}", "100", on=days_ago(due_days_ago + 30), due=days_ago(due_days_ago))
    pay(world, customer, f"LR{n}", "100", days_ago(paid_days_ago))
    return inv


def test_three_late_invoices_in_six_months_stop_credit(world):
    customer = world.east_customer
    late_invoice(world, customer, 1)
    late_invoice(world, customer, 2)
    assert not CreditStop.objects.exists()
    invoice(world, customer, "ONTIME", "100", on=days_ago(10), due=days_ago(-20))
    pay(world, customer, "R-ONTIME", "100", days_ago(5))  # on time: not counted
    assert not CreditStop.objects.exists()
    late_invoice(world, customer, 3)
    stop = CreditStop.objects.get(customer=customer)
    assert stop.kind == "late_payments" and stop.reason.startswith("3 invoices paid late within 6 months: L1 (20d)")
    assert status(customer) == "cash_only"


def test_late_payments_older_than_the_window_do_not_count(world):
    customer = world.east_customer
    late_invoice(world, customer, 1, due_days_ago=300, paid_days_ago=250)
    late_invoice(world, customer, 2)
    late_invoice(world, customer, 3)
    assert not CreditStop.objects.exists()
    CreditSettings.objects.update(late_window_months=12)
    late_invoice(world, customer, 4)
    assert CreditStop.objects.get(customer=customer).reason.startswith("4 invoices")


def test_a_lifted_stop_is_not_raised_again_for_the_same_invoices(world):
    customer = world.east_customer
    for n in range(3):
        late_invoice(world, customer, n, paid_days_ago=30)
    lift = approvals.apply(world.sales_east, customer, kind="lift_stop", reason="已补齐，恢复信用")
    approvals.decide(world.manager_east, lift, decision="recommend")
    approvals.decide(world.credit, lift, decision="approve")
    assert status(customer) == "normal"
    late_invoice(world, customer, 9, due_days_ago=10, paid_days_ago=0)  # one more late: 1 since the lift
    assert status(customer) == "normal" and CreditStop.objects.count() == 1


def test_the_settings_switch_the_stops_off(world):
    CreditSettings.objects.update(stop_on_bounced_cheque=False, late_invoices_to_stop=0)
    customer = world.east_customer
    invoice(world, customer, "INV1", "100")
    cheque = pay(world, customer, "R1", "100", days_ago(1), method="cheque")
    services.reverse_receipt(world.finance, cheque, kind="bounced_cheque", reversal_date=days_ago(0), reason="x")
    for n in range(3):
        late_invoice(world, customer, n)
    assert not CreditStop.objects.exists()


def test_manual_stop_needs_a_reason(world):
    from credo.credit import services as credit_services

    with pytest.raises(ValidationError) as exc:
        credit_services.stop_credit(world.credit, world.east_customer, reason="  ",
                                    on=days_ago(-1))
    assert set(exc.value.message_dict) == {"reason", "on"}
    assert not CreditStop.objects.exists()
    stop = credit_services.stop_credit(world.credit, world.east_customer, reason="老板失联")
    assert stop.started_on == days_ago(0) and status(world.east_customer) == "cash_only"
    assert CreditProfile.objects.get(customer=world.east_customer).limit == D("0.00")


def test_batch_scan_and_review_commands(world):
    import io
    import json

    from django.core.management import call_command

    from credo.sales.services import RECEIPT_HOOKS

    customer = world.east_customer
    saved = list(RECEIPT_HOOKS)
    RECEIPT_HOOKS[:] = []  # a ledger loaded without the hooks (import, demo)
    try:
        for n in range(3):
            late_invoice(world, customer, n)
    finally:
        RECEIPT_HOOKS[:] = saved
    assert not CreditStop.objects.exists()
    out = io.StringIO()
    call_command("credit_control", "scan", "--format", "json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["checked"] == 1 and result["stopped"][0]["customer_id"] == customer.pk
    assert status(customer) == "cash_only"
    out = io.StringIO()
    call_command("credit_control", "scan", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["stopped"] == []  # idempotent
    CreditProfile.objects.filter(customer=customer).update(limit=D("5000"), limit_approved_on=days_ago(400))
    out = io.StringIO()
    call_command("credit_control", "reviews", "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    assert rows[0]["customer"] == "E001" and rows[0]["problems"] is True and rows[0]["stops"] == 1
    with pytest.raises(Exception, match="as-of"):
        call_command("credit_control", "reviews", "--as-of", "yesterday")
