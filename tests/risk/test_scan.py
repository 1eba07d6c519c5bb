"""The risk scan over real ledger data: each computed signal fires from the documents, the scan is idempotent,
clears what no longer holds, and notifies about key or high-exposure customers once."""

import sys
import types
from decimal import Decimal as D

import pytest
from django.core import mail

from credo.collection.models import CollectionCase, PromiseToPay
from credo.core.models import AuditEntry, CustomerEvent, Notification
from credo.customers.services import change_bank_account
from credo.risk import scan, sources
from credo.risk.models import RiskClassAssignment, RiskSettings, RiskSignal
from credo.sales import services as ledger
from tests.factories import CustomerFactory

from .conftest import ago, invoice, paid_invoice, receipt


def kinds(customer) -> set:
    return set(RiskSignal.objects.filter(customer=customer, status="active").values_list("kind", flat=True))


def bounce(world, customer, amount=500):
    paid = receipt(world, customer, on=20, amount=amount, method="cheque")
    ledger.reverse_receipt(world.finance, paid, kind="bounced_cheque", reversal_date=ago(15), reason="余额不足")


def test_paying_later_and_late_more_often(world):
    c = world.east_customer
    for on in (300, 250, 200):  # paid on time the year before
        paid_invoice(world, c, on=on, due=on - 30, paid=on - 30)
    for on in (80, 70):  # paid 25 days late lately
        paid_invoice(world, c, on=on, due=on - 30, paid=on - 55)
    scan.run_scan()
    assert kinds(c) == {"paying_later", "late_more_often"}
    signal = RiskSignal.objects.get(customer=c, kind="paying_later")
    assert signal.figures["recent_days_late"] == "25.0" and signal.figures["before_days_late"] == "0.0"
    assert "25.0" in signal.evidence and signal.source == "computed" and signal.detected_on == ago(0)


def test_a_bounced_payment_does_not_count_as_paid(world):
    c = world.east_customer
    for on in (300, 250):
        paid_invoice(world, c, on=on, due=on - 30, paid=on - 30)
    late = invoice(world, c, on=80, due=50, amount=1000)
    cheque = receipt(world, c, on=20, amount=1000, method="cheque", invoice=late)
    ledger.reverse_receipt(world.finance, cheque, kind="bounced_cheque", reversal_date=ago(10), reason="退票")
    scan.run_scan()
    assert "paying_later" not in kinds(c) and "bounced_cheques" in kinds(c)


def test_broken_promises_from_collection(world):
    c = world.east_customer
    case = CollectionCase.objects.create(customer=c, number="CS-T", opened_on=ago(100), opened_by="credit")
    for days in (90, 30, 400):  # the one 400 days ago is outside the 6 months
        PromiseToPay.objects.create(case=case, customer=c, made_on=ago(days + 5), promised_date=ago(days),
                                    amount=D("100"), status="broken", recorded_by="credit")
    scan.run_scan()
    signal = RiskSignal.objects.get(customer=c, kind="broken_promises")
    assert signal.figures == {"broken": 2, "minimum": 2, "months": 6}


def test_bank_account_changes(world):
    c = world.east_customer
    for i, days in enumerate((300, 200, 100)):  # opened, then changed twice within 12 months
        change_bank_account(world.sales_east, c, bank_name=f"银行{i}", account_number=f"6222{i:08d}",
                            valid_from=ago(days))
    scan.run_scan()
    assert RiskSignal.objects.get(customer=c, kind="bank_changes").figures["changes"] == 2


def test_order_far_above_usual_and_above_the_region(world, order):
    c, neighbour = world.east_customer, CustomerFactory(territory=world.territory, account_manager=world.sales_east)
    for days in (300, 200, 150, 100):
        order(c, on=days, amount=1000)
        order(neighbour, on=days, amount=1000)
    order(c, on=5, amount=5500)
    scan.run_scan()
    assert kinds(c) == {"order_above_usual", "order_above_region"}
    usual = RiskSignal.objects.get(customer=c, kind="order_above_usual").figures
    assert usual["median"] == "1000.00" and usual["times_median"] == "5.5"
    region = RiskSignal.objects.get(customer=c, kind="order_above_region").figures
    assert region["territory"] == "上海" and region["territory_average"] == "1000.00"
    assert kinds(neighbour) == set()


def test_many_promissory_notes(world):
    c = world.east_customer
    invoice(world, c, on=100, due=70, amount=3000)
    receipt(world, c, on=60, amount=1000, method="note")
    receipt(world, c, on=40, amount=1000, method="note")
    receipt(world, c, on=30, amount=500, method="transfer")
    scan.run_scan()
    assert RiskSignal.objects.get(customer=c, kind="many_notes").figures["share"] == "80.0"


def test_falling_sales_with_rising_overdue(world):
    c = world.east_customer
    invoice(world, c, on=150, due=60, amount=10000)  # sold 150 days ago, due 60 days ago: overdue now only
    invoice(world, c, on=30, due=10, amount=2000)
    scan.run_scan()
    figures = RiskSignal.objects.get(customer=c, kind="sales_down_overdue_up").figures
    assert figures["sales_drop"] == "80.0" and figures["overdue_now"] == "12000.00"
    assert figures["overdue_before"] == "0.00"


def test_new_customer_with_a_large_order_and_weak_customer(world, order, monkeypatch):
    prospect = CustomerFactory(account_manager=world.sales_east)
    order(prospect, on=3, amount=120000)
    monkeypatch.setattr(sources, "risk_levels", lambda ids: {cid: "C" for cid in ids})
    scan.run_scan()
    assert kinds(prospect) == {"new_large_order", "weak_large_order"}


def test_risk_levels_come_from_the_rating_app_in_one_call(world, monkeypatch):
    calls = []
    grade = types.SimpleNamespace(risk_level="BB")
    fake = types.SimpleNamespace(current_grades=lambda ids: calls.append(list(ids)) or {world.east_customer.pk: grade})
    import credo.rating

    monkeypatch.setattr(credo.rating, "queries", fake, raising=False)
    monkeypatch.setitem(sys.modules, "credo.rating.queries", fake)
    ids = [world.east_customer.pk, world.north_customer.pk]
    assert sources.risk_levels(ids) == {world.east_customer.pk: "BB", world.north_customer.pk: "NR"}
    assert len(calls) == 1
    broken = types.SimpleNamespace(current_grade=lambda cid: 1 / 0)
    monkeypatch.setattr(credo.rating, "queries", broken)
    monkeypatch.setitem(sys.modules, "credo.rating.queries", broken)
    assert sources.risk_levels(ids) == {cid: "NR" for cid in ids}  # a failing rating app: not rated


def test_scan_is_idempotent_and_clears_what_no_longer_holds(world):
    c = world.east_customer
    bounce(world, c)
    first = scan.run_scan()
    assert first.new["bounced_cheques"] == 1 and kinds(c) == {"bounced_cheques"}
    second = scan.run_scan()
    assert sum(second.new.values()) == 0 and sum(second.cleared.values()) == 0
    assert RiskSignal.objects.filter(customer=c).count() == 1
    assert second.classes_changed == 0 and RiskClassAssignment.objects.filter(customer=c).count() == 1

    settings = RiskSettings.current()
    settings.bounced_cheques_min = 2
    settings.save()
    third = scan.run_scan()
    assert third.cleared["bounced_cheques"] == 1 and kinds(c) == set()
    cleared = RiskSignal.objects.get(customer=c)
    assert cleared.status == "cleared" and cleared.cleared_by == "system" and cleared.cleared_on == ago(0)
    assert CustomerEvent.objects.filter(customer_id=c.pk, kind="risk.signal_cleared").count() == 1
    assert AuditEntry.objects.filter(object_type="risk.risksignal", action="update").count() == 1
    settings.bounced_cheques_min = 1
    settings.save()
    scan.run_scan()  # fires again: a new signal, the cleared one stays as history
    assert RiskSignal.objects.filter(customer=c, status="active").count() == 1
    assert RiskSignal.objects.filter(customer=c).count() == 2


def test_the_database_refuses_a_second_active_computed_signal(world):
    from django.db import IntegrityError, transaction

    RiskSignal.objects.create(customer=world.east_customer, kind="bounced_cheques", source="computed",
                              detected_on=ago(0))
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskSignal.objects.create(customer=world.east_customer, kind="bounced_cheques", source="computed",
                                  detected_on=ago(0))


def test_a_merged_customers_signals_are_cleared(world):
    bounce(world, world.east2_customer)
    scan.run_scan()
    world.east2_customer.is_active = False
    world.east2_customer.save()
    result = scan.run_scan()
    assert result.cleared["bounced_cheques"] == 1 and not kinds(world.east2_customer)


def test_key_customer_notifies_manager_and_credit_controllers_once(world, settings,
                                                                   django_capture_on_commit_callbacks):
    settings.EMAIL_HOST = "smtp.example.com"
    world.sales_east.email = "sales_east@example.com"
    world.sales_east.save()
    key = world.east_customer
    key.importance = "key"
    key.save()
    bounce(world, key)
    bounce(world, world.north_customer)  # general, small receivable: watch list only
    with django_capture_on_commit_callbacks(execute=True):
        result = scan.run_scan()
    assert result.notifications == 2
    notes = Notification.objects.order_by("user__username")
    assert [n.user.username for n in notes] == ["credit", "sales_east"]
    assert all(n.customer_id == key.pk and "E001" in n.title and n.url.endswith("?tab=risk") for n in notes)
    assert "退票" in notes[0].body or "支票" in notes[0].body or "cheque" in notes[0].body.lower()
    assert [m.to for m in mail.outbox] == [["sales_east@example.com"]]  # credit has no address
    assert mail.outbox[0].subject == notes[1].title
    with django_capture_on_commit_callbacks(execute=True):
        again = scan.run_scan()
    assert again.notifications == 0 and Notification.objects.count() == 2 and len(mail.outbox) == 1


def test_high_exposure_customer_notifies(world):
    RiskSettings.objects.update_or_create(pk=RiskSettings.current().pk, defaults={"high_exposure_amount": D("1000")})
    invoice(world, world.north_customer, on=40, due=10, amount=5000)
    bounce(world, world.north_customer)
    scan.run_scan()
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == ["credit", "sales_north"]


def test_no_mail_when_mail_is_not_configured(world, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_HOST = ""
    world.sales_east.email = "sales_east@example.com"
    world.sales_east.save()
    world.east_customer.importance = "key"
    world.east_customer.save()
    bounce(world, world.east_customer)
    with django_capture_on_commit_callbacks(execute=True):
        scan.run_scan()
    assert Notification.objects.count() == 2 and mail.outbox == []


def test_scan_one_customer_and_many_chunks(world):
    bounce(world, world.east_customer)
    bounce(world, world.north_customer)
    one = scan.scan_customer(world.east_customer.pk)
    assert one.customers == 1 and kinds(world.east_customer) == {"bounced_cheques"}
    assert not kinds(world.north_customer)
    result = scan.run_scan(chunk=1)  # one customer per span: the spans cover every id
    assert result.customers == 3 and result.new["bounced_cheques"] == 1
    assert RiskClassAssignment.objects.filter(is_current=True).count() == 3


def test_spans_cover_every_id():
    spans = scan.spans([3, 5, 9, 12, 20], 2)
    assert [(s.lo, s.hi) for s in spans] == [(0, 5), (6, 12), (13, scan.ID_MAX)]
    assert scan.spans([], 5) == []


def test_scan_queries_do_not_grow_with_customers(world, django_assert_max_num_queries):
    for i in range(30):
        c = CustomerFactory(account_manager=world.sales_east, code=f"Q{i:03d}")
        invoice(world, c, on=60, due=30, amount=100 + i)
    scan.run_scan()  # the first run writes the classes
    with django_assert_max_num_queries(40):
        scan.run_scan()


def test_many_complaints_per_order(world, order):
    import datetime as dt

    from credo.complaints import services as complaints
    from credo.core.clock import business_now

    def complain(customer, days):
        complaints.intake(world.service, customer=customer, channel="phone", category="service",
                          contact_name="王经理", description="又来投诉", at=business_now() - dt.timedelta(days=days))

    c, calm = world.east_customer, world.north_customer
    for days in (150, 90, 40, 10):
        complain(c, days)
    complain(c, 250)                       # before the 6 months
    for days in (60, 20):
        order(c, on=days, amount=1000)
    for days in (100, 50, 5):
        complain(calm, days)
    for days in range(10, 110, 10):        # 3 complaints on 10 orders: 0.3 per order, under the 0.5
        order(calm, on=days, amount=1000)
    scan.run_scan()
    signal = RiskSignal.objects.get(customer=c, kind="complaint_load")
    assert signal.figures == {"complaints": 4, "orders": 2, "per_order": "2.00", "months": 6}
    assert "4" in signal.evidence and "complaint_load" not in kinds(calm)
    settings = RiskSettings.current()
    settings.complaint_min_count = 5
    settings.save()
    scan.run_scan()
    assert "complaint_load" not in kinds(c)
