import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest

from credo.collection import dunning, penalty, services
from credo.collection.models import CollectionCase, CollectionPolicy, DunningLetter, DunningStep
from credo.core.clock import business_today
from credo.core.errors import PermissionDenied, ValidationError
from credo.sales import services as ledger
from credo.sales.models import Invoice

from .conftest import days_ago


def today():
    return business_today()


def test_default_schedule_is_seeded(db):
    assert [(s.level, s.days_overdue, s.from_legal) for s in dunning.schedule()] == [
        ("notice", 7, False), ("warning", 30, False), ("lawyer", 60, True)]


def test_run_opens_a_case_and_sends_the_letter_due_once(world, overdue):
    result = dunning.run_dunning(today())
    assert result.letters == {"notice": 0, "warning": 1, "lawyer": 0} and result.cases_opened == 1
    letter = DunningLetter.objects.get()
    assert letter.level == "warning" and letter.total == Decimal("1500.00") and letter.max_days_overdue == 40
    assert [i["number"] for i in letter.invoices] == ["INV-A", "INV-B"]  # not the invoice that is not due
    assert letter.pay_by == today() + datetime.timedelta(days=7)
    assert any("¥1,500.00" in p for p in letter.paragraphs)
    assert letter.case.customer == overdue and letter.number == f"{letter.case.number}-W"

    again = dunning.run_dunning(today())
    assert sum(again.letters.values()) == 0 and again.cases_opened == 0 and DunningLetter.objects.count() == 1

    later = dunning.run_dunning(today() + datetime.timedelta(days=20))  # 60 days overdue now
    assert later.letters["lawyer"] == 1
    lawyer = DunningLetter.objects.get(level="lawyer")
    assert lawyer.case_id == letter.case_id and lawyer.sender == CollectionPolicy.current().legal_department


def test_nothing_before_the_first_step(world):
    ledger.post_invoice(world.finance, world.east_customer, number="X1", invoice_date=days_ago(40),
                        due_date=days_ago(6), amount="100")
    assert sum(dunning.run_dunning(today()).letters.values()) == 0
    assert dunning.run_dunning(today() + datetime.timedelta(days=1)).letters["notice"] == 1


def test_an_open_promise_holds_letters_back(world, overdue):
    case = services.open_case(world.credit, overdue)
    services.record_promise(world.credit, case, promised_date=days_ago(-5), amount="1500")
    result = dunning.run_dunning(today())
    assert result.held_back == 1 and not DunningLetter.objects.exists()


def test_paid_customers_cases_close_themselves(world, overdue):
    dunning.run_dunning(today())
    ledger.post_receipt(world.finance, overdue, number="R-ALL", receipt_date=today(), amount="1500", method="transfer")
    result = dunning.run_dunning(today())
    assert result.cases_closed == 1
    assert CollectionCase.objects.get().status == CollectionCase.Status.CLOSED


def test_inactive_and_edited_steps(world, overdue):
    DunningStep.objects.filter(level="warning").update(is_active=False)
    assert dunning.run_dunning(today()).letters == {"notice": 1, "warning": 0, "lawyer": 0}


def test_issue_next_letter_by_hand(world, overdue):
    case = services.open_case(world.credit, overdue)
    first = dunning.issue_letter(world.credit, case)
    second = dunning.issue_letter(world.finance, case)
    third = dunning.issue_letter(world.credit, case)
    assert [first.level, second.level, third.level] == ["notice", "warning", "lawyer"]
    with pytest.raises(ValidationError):
        dunning.issue_letter(world.credit, case)
    with pytest.raises(PermissionDenied):
        dunning.issue_letter(world.sales_east, case)


def test_step_validation_refuses_unknown_placeholders_and_non_escalating_days(db):
    from django.core.exceptions import ValidationError as DjangoValidationError

    step = DunningStep.objects.get(level="warning")
    step.body = "{customer} {amount}"
    with pytest.raises(DjangoValidationError) as exc:
        step.full_clean()
    assert "body" in exc.value.message_dict
    step = DunningStep.objects.get(level="warning")
    step.days_overdue = 70
    with pytest.raises(DjangoValidationError) as exc:
        step.full_clean()
    assert "days_overdue" in exc.value.message_dict


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_letter_pdf_shows_customer_and_amount(world, overdue):
    dunning.run_dunning(today())
    pdf = dunning.letter_pdf(DunningLetter.objects.get())
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert overdue.name in text and "¥1,500.00" in text and "INV-A" in text and "催款警告函" in text


def test_penalty_interest_is_posted_and_stays_owed_after_the_principal_is_paid(world):
    customer = world.east_customer
    ledger.post_invoice(world.finance, customer, number="P1", invoice_date=days_ago(60), due_date=days_ago(30),
                        amount="10000")
    policy = CollectionPolicy.current()
    policy.penalty_daily_rate = Decimal("0.0005")
    policy.save()
    invoice, charges = penalty.charge_penalty_interest(world.finance, customer)
    # 30 days overdue × 10,000 × 0.05 % = 150.00
    assert invoice.kind == Invoice.Kind.INTEREST and invoice.amount == Decimal("150.00")
    assert charges[0].amount == Decimal("150.00") and charges[0].working[0]["days"] == 30
    with pytest.raises(ValidationError):
        penalty.charge_penalty_interest(world.finance, customer)  # nothing new to charge today

    ledger.post_receipt(world.finance, customer, number="R-P", receipt_date=today(), amount="10000", method="transfer")
    customer.balance.refresh_from_db()
    invoice.refresh_from_db()
    assert invoice.open_amount == Decimal("150.00") and customer.balance.receivable == Decimal("150.00")


def test_penalty_interest_uses_the_case_rate_and_skips_charged_days(world):
    customer = world.east_customer
    ledger.post_invoice(world.finance, customer, number="P2", invoice_date=days_ago(60), due_date=days_ago(20),
                        amount="1000")
    case = services.open_case(world.credit, customer)
    services.update_case(world.credit, case, penalty_daily_rate="0.001")
    first, _ = penalty.charge_penalty_interest(world.finance, customer, through=days_ago(10))
    assert first.amount == Decimal("10.00")  # 10 days × 1,000 × 0.1 %
    ledger.post_receipt(world.finance, customer, number="R-P2", receipt_date=days_ago(5), amount="400",
                        method="transfer", invoice=Invoice.objects.get(number="P2"))
    second, charges = penalty.charge_penalty_interest(world.finance, customer)
    # days 9..6 ago: 4 × 1,000 × 0.001 = 4.00; from 5 days ago to today: 6 × 600 × 0.001 = 3.60
    assert second.amount == Decimal("7.60") and charges[0].from_date == days_ago(9)


def test_only_finance_charges_interest(world, overdue):
    with pytest.raises(PermissionDenied):
        penalty.charge_penalty_interest(world.credit, overdue)
    assert not Invoice.objects.filter(kind=Invoice.Kind.INTEREST).exists()


@pytest.mark.parametrize("plan, days_overdue, expected", [
    ("standard", 3, None), ("strict", 3, "notice"),            # strict: a letter from the first day overdue
    ("relationship", 10, None), ("relationship", 30, "warning"),  # relationship: no advance notice
])
def test_the_customers_collection_plan_shapes_its_letters(world, plan, days_overdue, expected):
    from credo.credit.models import CreditProfile

    customer = world.east_customer
    CreditProfile.objects.create(customer=customer, collection_plan=plan)
    ledger.post_invoice(world.finance, customer, number="PL1", invoice_date=days_ago(days_overdue + 30),
                        due_date=days_ago(days_overdue), amount="100")
    dunning.run_dunning(today())
    assert list(DunningLetter.objects.values_list("level", flat=True)) == ([expected] if expected else [])
