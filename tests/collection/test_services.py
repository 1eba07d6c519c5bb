from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credo.collection import services
from credo.collection.models import BadDebtMeasure, CaseEntry, CollectionCase, InstalmentPlan, PromiseToPay
from credo.core.errors import PermissionDenied, ValidationError
from credo.core.models import AuditEntry, CustomerEvent
from credo.sales import services as ledger
from credo.sales.models import CreditNote

from .conftest import days_ago


def test_open_case_records_overdue_and_refuses_a_second(world, overdue):
    case = services.open_case(world.credit, overdue, reason="资金紧张")
    assert case.number == f"CS{case.pk:06d}" and case.overdue_at_opening == Decimal("1500.00")
    assert case.owner == world.credit and case.status == CollectionCase.Status.OPEN
    assert AuditEntry.objects.filter(object_type="collection.collectioncase", object_id=str(case.pk)).exists()
    assert CustomerEvent.objects.filter(customer_id=overdue.pk, kind="collection.opened").exists()
    with pytest.raises(ValidationError) as exc:
        services.open_case(world.finance, overdue)
    assert "customer" in exc.value.message_dict


@pytest.mark.parametrize("who", ["sales_east", "manager_east", "executive", "service"])
def test_only_finance_credit_and_admin_act(world, overdue, who):
    with pytest.raises(PermissionDenied):
        services.open_case(getattr(world, who), overdue)


def test_salesperson_adds_notes_on_own_customer_only(world, overdue):
    case = services.open_case(world.credit, overdue)
    entry = services.add_entry(world.sales_east, case, text="客户说周五付款")
    assert entry.kind == CaseEntry.Kind.NOTE
    with pytest.raises(PermissionDenied):
        services.add_entry(world.sales_north, case, text="x")
    with pytest.raises(ValidationError) as exc:
        services.add_entry(world.credit, case, text="  ")
    assert "text" in exc.value.message_dict


def test_evidence_with_file(world, overdue):
    case = services.open_case(world.credit, overdue)
    entry = services.add_entry(world.credit, case, text="客户盖章的对账单",
                               file=SimpleUploadedFile("对账单.pdf", b"%PDF-1.4 test"))
    assert entry.kind == CaseEntry.Kind.EVIDENCE and entry.file_name == "对账单.pdf" and entry.file


def test_update_case_reason_type_and_rate(world, overdue):
    case = services.open_case(world.credit, overdue)
    services.update_case(world.credit, case, reason="货物质量有争议", debtor_type="stubborn", penalty_daily_rate="0.001")
    case.refresh_from_db()
    assert (case.reason, case.debtor_type, case.penalty_daily_rate) == ("货物质量有争议", "stubborn", Decimal("0.001"))
    assert case.entries.filter(kind=CaseEntry.Kind.REASON).exists()
    with pytest.raises(ValidationError) as exc:
        services.update_case(world.credit, case, debtor_type="nasty", penalty_daily_rate="2")
    assert set(exc.value.message_dict) == {"debtor_type", "penalty_daily_rate"}
    case.refresh_from_db()
    assert case.debtor_type == "stubborn"


def test_promises_kept_and_broken(world, overdue):
    case = services.open_case(world.credit, overdue)
    kept = services.record_promise(world.credit, case, made_on=days_ago(10), promised_date=days_ago(5),
                                   amount="400", made_by="王经理")
    broken = services.record_promise(world.credit, case, made_on=days_ago(10), promised_date=days_ago(2),
                                     amount="2000")
    waiting = services.record_promise(world.credit, case, made_on=days_ago(1), promised_date=days_ago(-3),
                                      amount="100")
    ledger.post_receipt(world.finance, overdue, number="R1", receipt_date=days_ago(6), amount="450", method="transfer")
    counts = services.check_promises(days_ago(0))
    assert counts == {"kept": 1, "broken": 1, "open": 1}
    for promise, status in ((kept, "kept"), (broken, "broken"), (waiting, "open")):
        promise.refresh_from_db()
        assert promise.status == status
    assert broken.received == Decimal("50.00")  # the 400 kept the first promise
    assert CustomerEvent.objects.filter(customer_id=overdue.pk, kind="collection.promise_broken").count() == 1
    assert services.check_promises(days_ago(0)) == {"kept": 0, "broken": 0, "open": 1}  # checked once


def test_promise_bad_input(world, overdue):
    case = services.open_case(world.credit, overdue)
    with pytest.raises(ValidationError) as exc:
        services.record_promise(world.credit, case, made_on=days_ago(1), promised_date=days_ago(3), amount="-5")
    assert set(exc.value.message_dict) == {"amount", "promised_date"}
    assert not PromiseToPay.objects.exists()


def test_escalate_to_the_team_manager(world, overdue):
    case = services.open_case(world.credit, overdue)
    targets = set(services.escalation_targets(case).values_list("username", flat=True))
    assert {"manager_east", "executive", "credit"} <= targets and "manager_north" not in targets
    services.escalate(world.credit, case, to_user=world.manager_east, note="请出面与对方老板沟通")
    case.refresh_from_db()
    assert case.escalation_level == 1 and case.escalated_to == world.manager_east
    with pytest.raises(ValidationError) as exc:
        services.escalate(world.credit, case, to_user=world.manager_north, note="")
    assert set(exc.value.message_dict) == {"to_user", "note"}


def test_legal_hand_over_and_close(world, overdue):
    case = services.open_case(world.credit, overdue)
    services.hand_over_to_legal(world.credit, case, note="起诉并申请诉讼保全")
    case.refresh_from_db()
    assert case.status == CollectionCase.Status.LEGAL and case.legal_on
    with pytest.raises(ValidationError):
        services.hand_over_to_legal(world.credit, case, note="again")
    services.close_case(world.credit, case, note="法院调解结案")
    case.refresh_from_db()
    assert case.status == CollectionCase.Status.CLOSED and case.close_note == "法院调解结案"
    with pytest.raises(ValidationError):
        services.record_promise(world.credit, case, promised_date=days_ago(-1), amount="1")
    assert services.open_case(world.credit, overdue).pk != case.pk  # a new case may be opened afterwards


def test_instalment_plan(world, overdue):
    case = services.open_case(world.credit, overdue)
    plan = services.create_instalment_plan(world.credit, case, total="1500", count=3, first_due=days_ago(-10))
    assert [i.amount for i in plan.instalments.all()] == [Decimal("500.00")] * 3
    with pytest.raises(ValidationError) as exc:
        services.create_instalment_plan(world.credit, case, total="1500", count=3, first_due=days_ago(-10))
    assert "case" in exc.value.message_dict
    services.end_instalment_plan(world.credit, plan, completed=False, note="客户违约")
    assert InstalmentPlan.objects.get(pk=plan.pk).status == InstalmentPlan.Status.CANCELLED
    with pytest.raises(ValidationError) as exc:
        services.create_instalment_plan(world.credit, case, total="99999", count=0, first_due=days_ago(1))
    assert set(exc.value.message_dict) == {"total", "count", "first_due"}


def test_allowance_measure_posts_a_credit_note(world, overdue):
    case = services.open_case(world.finance, overdue)
    measure = services.record_measure(world.finance, case, kind="allowance", amount="200", description="质量折让",
                                      credit_note_number="CN-COLL-1")
    note = CreditNote.objects.get(number="CN-COLL-1")
    assert measure.credit_note == note and note.kind == "allowance" and note.amount == Decimal("200.00")
    overdue.balance.refresh_from_db()
    assert overdue.balance.receivable == Decimal("1600.00")


def test_credit_controller_cannot_post_a_credit_note_through_a_measure(world, overdue):
    case = services.open_case(world.credit, overdue)
    with pytest.raises(PermissionDenied):
        services.record_measure(world.credit, case, kind="goods_back", amount="200", description="收回货物",
                                credit_note_number="CN-X")
    assert not BadDebtMeasure.objects.exists() and not CreditNote.objects.exists()
    services.record_measure(world.credit, case, kind="goods_back", amount="200", description="收回货物")


def test_measure_bad_input(world, overdue):
    case = services.open_case(world.credit, overdue)
    with pytest.raises(ValidationError) as exc:
        services.record_measure(world.credit, case, kind="credit_stop", description="")
    assert set(exc.value.message_dict) == {"description", "until"}
    with pytest.raises(ValidationError) as exc:
        services.record_measure(world.credit, case, kind="collateral", description="抵押设备")
    assert "amount" in exc.value.message_dict


def test_merging_two_customers_with_live_cases_keeps_one_live(world, overdue):
    from credo.customers.services import merge_customers

    ledger.post_invoice(world.finance, world.east2_customer, number="INV-M", invoice_date=days_ago(50),
                        due_date=days_ago(20), amount="100")
    target_case = services.open_case(world.credit, overdue)
    source_case = services.open_case(world.credit, world.east2_customer)
    services.record_promise(world.credit, source_case, promised_date=days_ago(-3), amount="50")
    merge_customers(world.admin, overdue, world.east2_customer, reason="重复客户")
    source_case.refresh_from_db()
    assert source_case.customer_id == overdue.pk and source_case.status == CollectionCase.Status.CLOSED
    assert CollectionCase.objects.filter(customer=overdue).exclude(status="closed").get() == target_case
    assert PromiseToPay.objects.get().customer_id == overdue.pk


def test_overlapping_promises_share_one_payment(world, overdue):
    case = services.open_case(world.credit, overdue)
    first = services.record_promise(world.credit, case, made_on=days_ago(10), promised_date=days_ago(4), amount="400")
    second = services.record_promise(world.credit, case, made_on=days_ago(10), promised_date=days_ago(2), amount="400")
    ledger.post_receipt(world.finance, overdue, number="R1", receipt_date=days_ago(5), amount="500", method="transfer")
    assert services.check_promises(days_ago(0)) == {"kept": 1, "broken": 1, "open": 0}
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.received) == ("kept", "broken", Decimal("100.00"))
