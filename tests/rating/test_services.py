from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from credo.core.models import AuditEntry, CustomerEvent
from credo.rating import policy, services
from credo.rating.models import ChecklistAnswer, FinancialStatement, FiveCEvaluation, Investigation

from .conftest import FIVEC_SCORES, days_ago, statement


def fields(exc) -> set:
    return set(exc.value.error_dict)


# ---------------------------------------------------------------------------------------------- statements


def test_statement_is_saved_audited_and_on_the_timeline(world):
    row = services.add_statement(world.credit, world.east_customer, statement(source="审计报告"))
    assert row.current_assets == Decimal("5000000.00") and row.inventory == Decimal("1500000.00")
    assert row.entered_by == "credit" and row.source == "审计报告"
    assert AuditEntry.objects.filter(object_type="rating.financialstatement", action="create").exists()
    assert CustomerEvent.objects.filter(customer_id=world.east_customer.pk, kind="rating.statement").exists()


@pytest.mark.parametrize("changes, field", [
    ({"current_assets": "-1"}, "current_assets"),
    ({"inventory": "-5"}, "inventory"),
    ({"current_liabilities": "-1"}, "current_liabilities"),
    ({"revenue": "-1"}, "revenue"),
    ({"inventory": "6000000"}, "inventory"),
    ({"cash": "6000000"}, "cash"),
    ({"total_assets": "100"}, "total_assets"),
    ({"total_liabilities": "100"}, "total_liabilities"),
    ({"net_assets": ""}, "net_assets"),
    ({"current_assets": "abc"}, "current_assets"),
    ({"period_end": days_ago(-5)}, "period_end"),
    ({"period_end": None}, "period_end"),
])
def test_bad_statement_names_the_field_and_saves_nothing(world, changes, field):
    with pytest.raises(ValidationError) as exc:
        services.add_statement(world.credit, world.east_customer, statement(**changes))
    assert field in fields(exc)
    assert not FinancialStatement.objects.exists()


def test_negative_equity_and_loss_are_allowed(world):
    row = services.add_statement(world.credit, world.east_customer, statement(net_assets="-200000", net_profit="-1"))
    assert row.net_assets == Decimal("-200000.00")


def test_duplicate_period_is_refused_on_the_period_field(world):
    services.add_statement(world.credit, world.east_customer, statement())
    with pytest.raises(ValidationError) as exc:
        services.add_statement(world.credit, world.east_customer, statement(current_assets="1600000"))
    assert fields(exc) == {"period_end"} and days_ago(40).isoformat() in exc.value.error_dict["period_end"][0].messages[0]
    assert FinancialStatement.objects.count() == 1


def test_correcting_a_statement(world):
    row = services.add_statement(world.credit, world.east_customer, statement())
    services.update_statement(world.credit, row, statement(current_assets="5100000"), reason="审计调整")
    row.refresh_from_db()
    assert row.current_assets == Decimal("5100000.00")
    assert AuditEntry.objects.filter(object_type="rating.financialstatement", action="update",
                                     reason="审计调整").exists()


@pytest.mark.parametrize("user", ["sales_east", "finance", "service", "executive", "manager_east"])
def test_only_the_rating_roles_enter_statements(world, user):
    with pytest.raises(PermissionDenied):
        services.add_statement(getattr(world, user), world.east_customer, statement())


# ---------------------------------------------------------------------------------------------- investigations


def test_investigation_with_checklist_and_documents(world):
    doc = SimpleUploadedFile("营业执照.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    investigation = services.record_investigation(
        world.sales_east, world.east_customer,
        {"investigated_on": days_ago(1), "kind": "direct", "source": "visit", "findings": "老板不在", "status": "draft"},
        answers={"fin_account_frozen": "yes", "fin_cash": "no", "pay_cannot_pay": {"answer": "no", "note": "按时"}},
        documents=[doc])
    answers = {a.question.code: a for a in investigation.answers.select_related("question")}
    assert len(answers) == len(services.active_questions()) == 27
    assert answers["fin_account_frozen"].is_warning and answers["fin_cash"].is_warning
    assert not answers["pay_cannot_pay"].is_warning and answers["pay_cannot_pay"].note == "按时"
    assert answers["ops_overall"].answer == "unknown" and not answers["ops_overall"].is_warning
    assert investigation.documents.get().file_name == "营业执照.pdf"
    assert investigation.investigator == world.sales_east and not investigation.is_completed


@pytest.mark.parametrize("data, field", [
    ({"kind": "direct", "source": "bank"}, "source"),
    ({"kind": "indirect", "source": "visit"}, "source"),
    ({"kind": "sideways"}, "kind"),
    ({"source": "gossip"}, "source"),
    ({"status": "completed", "findings": ""}, "findings"),
    ({"investigated_on": days_ago(-5)}, "investigated_on"),
    ({"status": "done"}, "status"),
])
def test_bad_investigation_names_the_field(world, data, field):
    base = {"investigated_on": days_ago(1), "kind": "indirect", "source": "bank", "findings": "ok", "status": "draft"}
    with pytest.raises(ValidationError) as exc:
        services.record_investigation(world.credit, world.east_customer, {**base, **data})
    assert field in fields(exc)
    assert not Investigation.objects.exists() and not ChecklistAnswer.objects.exists()


def test_bad_answers_are_named(world):
    base = {"investigated_on": days_ago(1), "kind": "indirect", "source": "bank", "findings": "", "status": "draft"}
    with pytest.raises(ValidationError) as exc:
        services.record_investigation(world.credit, world.east_customer, base,
                                      answers={"fin_cash": "maybe", "no_such_question": "yes"})
    assert fields(exc) == {"answers.fin_cash", "answers"}


def test_draft_is_completed_and_then_frozen(world):
    base = {"investigated_on": days_ago(1), "kind": "indirect", "source": "rating_agency", "findings": "",
            "status": "draft"}
    investigation = services.record_investigation(world.credit, world.east_customer, base)
    services.update_investigation(world.credit, investigation, {**base, "findings": "评级机构:良好",
                                                                 "status": "completed"},
                                  answers={"fin_bill_refused": "yes"})
    investigation.refresh_from_db()
    assert investigation.is_completed and investigation.completed_at
    assert investigation.answers.get(question__code="fin_bill_refused").is_warning
    with pytest.raises(ValidationError) as exc:
        services.update_investigation(world.credit, investigation, base)
    assert fields(exc) == {"status"}
    added = services.add_documents(world.credit, investigation, [SimpleUploadedFile("a.txt", b"x")])
    assert len(added) == 1


def test_investigation_scope_and_roles(world):
    base = {"investigated_on": days_ago(1), "kind": "direct", "source": "visit", "findings": "", "status": "draft"}
    with pytest.raises(PermissionDenied):
        services.record_investigation(world.sales_north, world.east_customer, base)
    for user in (world.finance, world.service, world.executive):
        with pytest.raises(PermissionDenied):
            services.record_investigation(user, world.east_customer, base)
    services.record_investigation(world.manager_east, world.east2_customer, base)


# ---------------------------------------------------------------------------------------------- 5C


def test_fivec_evaluation_means_and_weights(world):
    evaluation = services.record_evaluation(world.credit, world.east_customer, evaluated_on=days_ago(1),
                                            sub_scores=FIVEC_SCORES, notes="独立评估")
    assert evaluation.character == Decimal("85.00") and evaluation.capacity == Decimal("75.00")
    assert evaluation.collateral == Decimal("60.00")
    # 0.30×85 + 0.20×75 + 0.20×60 + 0.15×60 + 0.15×75
    assert evaluation.score == Decimal("72.75")
    assert evaluation.weights == {"character": "0.3000", "capacity": "0.2000", "capital": "0.2000",
                                  "collateral": "0.1500", "condition": "0.1500"}
    assert evaluation.evaluator == world.credit
    assert evaluation.sub_scores["character"]["history"] == "80.00"
    assert evaluation.sub_scores["character"]["strategy"] is None


def test_fivec_own_weights(world):
    weights = {"character": "0.4", "capacity": "0.15", "capital": "0.15", "collateral": "0.15", "condition": "0.15"}
    evaluation = services.record_evaluation(world.credit, world.east_customer, evaluated_on=days_ago(1),
                                            sub_scores=FIVEC_SCORES, weights=weights)
    assert evaluation.score == Decimal("74.50")


def test_fivec_weights_not_summing_to_one_are_refused_naming_them(world):
    weights = {"character": "0.4", "capacity": "0.2", "capital": "0.2", "collateral": "0.15", "condition": "0.15"}
    with pytest.raises(ValidationError) as exc:
        services.record_evaluation(world.credit, world.east_customer, evaluated_on=days_ago(1),
                                   sub_scores=FIVEC_SCORES, weights=weights)
    message = exc.value.error_dict["weights"][0].messages[0]
    assert "1.1" in message and "0.4" in message
    assert not FiveCEvaluation.objects.exists()


def test_fivec_bad_scores(world):
    scores = {**FIVEC_SCORES, "capital": {}, "capacity": {"staff": "120"}, "condition": {"weather": "50"}}
    with pytest.raises(ValidationError) as exc:
        services.record_evaluation(world.credit, world.east_customer, evaluated_on=days_ago(1), sub_scores=scores)
    assert fields(exc) == {"capital", "capacity.staff", "condition.weather"}


def test_fivec_is_for_the_rating_roles(world):
    with pytest.raises(PermissionDenied):
        services.record_evaluation(world.sales_east, world.east_customer, evaluated_on=days_ago(1),
                                   sub_scores=FIVEC_SCORES)


def test_default_fivec_weights_favour_character(db):
    weights = policy.fivec_weights()
    assert sum(weights.values()) == 1 and max(weights, key=weights.get) == "character"
