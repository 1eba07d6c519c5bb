from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credo.core.models import AuditEntry, CustomerEvent
from credo.customers import services as customer_services
from credo.rating import policy, queries, rate, services
from credo.rating.models import Rating, Scorecard
from credo.sales import services as ledger

from .conftest import days_ago, statement

EXPECTED_ITEMS = {  # source: (raw, score) for the credit_file fixture
    "fivec.score": ("72.75", "72.75"), "fin.current_ratio": ("2.0000", "100.00"),
    "fin.quick_ratio": ("1.4000", "100.00"), "fin.debt_ratio": ("0.4000", "85.00"),
    "fin.net_margin": ("0.0800", "70.00"), "ledger.avg_days_late": ("10.00", "75.00"),
    "ledger.overdue_share": ("1.0000", "5.00"), "checklist.warning_signs": ("1", "70.00"),
}


def test_a_rating_stores_every_input_item_score_and_weight(world, credit_file):
    assert queries.current_grade(credit_file.pk) == queries.NOT_RATED
    rating = rate.rate_customer(world.credit, credit_file)
    assert {i["source"]: (i["raw"], i["score"]) for i in rating.items} == EXPECTED_ITEMS
    assert sum(Decimal(i["weight"]) for i in rating.items) == 1
    # 0.25×72.75 + 0.1×100 + 0.1×100 + 0.1×85 + 0.05×70 + 0.2×75 + 0.1×5 + 0.1×70 = 72.6875
    assert rating.score == Decimal("72.69") and rating.grade == "A" and rating.risk_level == "A"
    assert rating.reason == "first" and rating.previous_grade == "" and rating.is_current
    assert rating.scorecard.version == 1 and rating.rated_by == "credit"
    assert rating.inputs["statement"]["current_assets"] == "5000000.00"
    assert rating.inputs["ledger"]["paid"] == "600.00" and rating.inputs["ledger"]["late_money_days"] == "6000.00"
    assert rating.inputs["checklist"]["warning_codes"] == ["fin_high_interest"]
    assert rating.fivec["score"] == "72.75" and rating.fivec["weights"]["character"] == "0.3000"
    assert [g["grade"] for g in rating.grade_table][:3] == ["AAA", "AA", "A"]
    info = queries.current_grade(credit_file.pk)
    assert info == queries.GradeInfo("A", "A", Decimal("72.69"), days_ago(0))
    assert AuditEntry.objects.filter(object_type="rating.rating", customer_id=credit_file.pk).exists()
    assert CustomerEvent.objects.filter(customer_id=credit_file.pk, kind="rating.rated").exists()


def test_contract_queries(world, credit_file):
    assert queries.has_investigation(credit_file.pk)
    assert queries.has_investigations([credit_file.pk, world.north_customer.pk]) == {credit_file.pk}
    assert not queries.has_investigation(world.north_customer.pk)
    assert queries.latest_statement(credit_file.pk).current_assets == Decimal("5000000.00")
    assert queries.latest_statement(world.north_customer.pk) is None
    assert queries.current_grade(world.north_customer.pk).risk_level == "NR"
    assert [a.question.code for a in queries.checklist_warnings(credit_file.pk)] == ["fin_high_interest"]
    rate.rate_customer(world.credit, credit_file)
    assert set(queries.current_grades([credit_file.pk, world.north_customer.pk])) == {credit_file.pk}


def test_a_draft_investigation_is_not_an_investigation(world):
    services.record_investigation(world.credit, world.north_customer, {
        "investigated_on": days_ago(1), "kind": "indirect", "source": "bank", "status": "draft"})
    assert not queries.has_investigation(world.north_customer.pk)


def test_the_grade_moves_and_only_the_newest_rating_is_current(world, credit_file):
    first = rate.rate_customer(world.credit, credit_file)
    services.add_statement(world.credit, credit_file, statement(
        period_end=days_ago(5), current_assets="1000000", inventory="900000", current_liabilities="2000000",
        total_liabilities="9000000", net_assets="500000", net_profit="-100000"))
    second = rate.rate_customer(world.credit, credit_file, "risk_event", note="银行退票")
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert second.previous_grade == "A" and second.moved
    assert rate.GRADE_RANK[second.grade] > rate.GRADE_RANK["A"]
    assert second.reason == "risk_event" and second.note == "银行退票"
    assert Rating.objects.filter(customer=credit_file, is_current=True).count() == 1
    assert CustomerEvent.objects.filter(customer_id=credit_file.pk, kind="rating.grade_down").exists()


def test_nothing_to_rate(world):
    with pytest.raises(ValidationError) as exc:
        rate.rate_customer(world.credit, world.north_customer)
    assert set(exc.value.error_dict) == {"customer"}
    assert not Rating.objects.exists()


def test_a_ledger_alone_is_something_to_rate(world):
    ledger.post_invoice(world.finance, world.north_customer, number="N-1", invoice_date=days_ago(5),
                        due_date=days_ago(-25), amount=Decimal("100.00"))
    rating = rate.rate_customer(None, world.north_customer, "risk_event")
    items = {i["source"]: i for i in rating.items}
    assert items["fin.current_ratio"]["missing"] == "no_statement" and items["fin.current_ratio"]["score"] == "30.00"
    assert items["ledger.avg_days_late"]["missing"] == "no_payments"
    assert Decimal(items["ledger.overdue_share"]["raw"]) == 0
    assert rating.rated_by == "system"


def test_bounced_payments_do_not_count_as_paid(world, credit_file):
    receipt = credit_file.receipts.get()
    ledger.reverse_receipt(world.finance, receipt, kind="bounced_cheque", reversal_date=days_ago(1), reason="退票")
    rating = rate.rate_customer(world.credit, credit_file)
    items = {i["source"]: i for i in rating.items}
    assert items["ledger.avg_days_late"]["missing"] == "no_payments"
    assert rating.inputs["ledger"]["paid"] == "0.00"


@pytest.mark.parametrize("user", ["sales_east", "manager_east", "finance", "executive", "service"])
def test_only_the_rating_roles_rate(world, credit_file, user):
    with pytest.raises(PermissionDenied):
        rate.rate_customer(getattr(world, user), credit_file)
    assert not Rating.objects.exists()


def test_bad_reason(world, credit_file):
    with pytest.raises(ValidationError) as exc:
        rate.rate_customer(world.credit, credit_file, "whim")
    assert set(exc.value.error_dict) == {"reason"}


def test_a_new_scorecard_version_is_used_and_the_old_rating_keeps_its_own(world, credit_file):
    old = rate.rate_customer(world.credit, credit_file)
    items = policy.scorecard_rows(policy.current_scorecard())
    items[0]["weight"], items[1]["weight"] = Decimal("0.35"), Decimal("0")
    card = policy.save_scorecard(world.admin, items, note="5C 更重")
    assert card.version == 2 and Scorecard.objects.count() == 2
    new = rate.rate_customer(world.credit, credit_file)
    old.refresh_from_db()
    assert old.scorecard.version == 1 and new.scorecard.version == 2
    assert {i["source"]: i["weight"] for i in new.items}["fivec.score"] == "0.3500"


def test_scorecard_weights_that_do_not_sum_to_one_are_refused_naming_the_weights(world):
    items = policy.scorecard_rows(policy.current_scorecard())
    items[0]["weight"] = Decimal("0.30")
    with pytest.raises(ValidationError) as exc:
        policy.save_scorecard(world.admin, items)
    message = exc.value.error_dict["weights"][0].messages[0]
    assert "1.05" in message and "0.3" in message and "0.2" in message
    assert Scorecard.objects.count() == 1


def test_scorecard_item_errors_are_named(world):
    items = policy.scorecard_rows(policy.current_scorecard())
    items[1]["mapping"] = [[None, 10], [2, 20], [1, 30]]
    items[2]["source"] = items[0]["source"]
    items[3]["missing_score"] = "150"
    with pytest.raises(ValidationError) as exc:
        policy.save_scorecard(world.admin, items)
    assert set(exc.value.error_dict) == {"items.1.mapping", "items.2.source", "items.3.missing_score"}


def test_only_an_administrator_changes_the_policy(world):
    items = policy.scorecard_rows(policy.current_scorecard())
    with pytest.raises(PermissionDenied):
        policy.save_scorecard(world.credit, items)
    with pytest.raises(PermissionDenied):
        policy.save_fivec_weights(world.credit, policy.fivec_weights())


def _scale(**changes):
    rows = {b.grade: {"min_score": b.min_score, "risk_level": b.risk_level, "guide_min_limit": b.guide_min_limit,
                      "meaning_zh": b.meaning_zh, "meaning_en": b.meaning_en} for b in policy.grade_bands()}
    for key, value in changes.items():
        grade, field = key.split("__")
        rows[grade][field] = value
    return rows


def test_grade_scale_edit_changes_the_next_rating(world, credit_file):
    policy.save_grade_scale(world.admin, _scale(A__min_score="75", BBB__risk_level="B", A__guide_min_limit="200000"),
                            reason="收紧")
    rating = rate.rate_customer(world.credit, credit_file)
    assert rating.grade == "BBB" and rating.risk_level == "B"
    assert {g["grade"]: g["min_score"] for g in rating.grade_table}["A"] == "75.00"
    assert AuditEntry.objects.filter(object_type="rating.gradeband", reason="收紧").exists()


@pytest.mark.parametrize("changes, field", [
    ({"AA__min_score": "95"}, "AA.min_score"),
    ({"D__min_score": "5"}, "D.min_score"),
    ({"BB__risk_level": "AA"}, "BB.risk_level"),
    ({"A__guide_min_limit": "-1"}, "A.guide_min_limit"),
    ({"C__meaning_zh": ""}, "C.meaning_zh"),
])
def test_bad_grade_scale(world, changes, field):
    with pytest.raises(ValidationError) as exc:
        policy.save_grade_scale(world.admin, _scale(**changes))
    assert field in exc.value.error_dict


def test_fivec_weights_edit(world):
    weights = {"character": "0.4", "capacity": "0.2", "capital": "0.2", "collateral": "0.1", "condition": "0.1"}
    assert policy.save_fivec_weights(world.admin, weights)["character"] == Decimal("0.4")
    with pytest.raises(ValidationError) as exc:
        policy.save_fivec_weights(world.admin, {**weights, "condition": "0.2"})
    assert "weights" in exc.value.error_dict


def test_merge_keeps_one_current_rating(world, credit_file):
    rate.rate_customer(world.credit, credit_file)
    services.add_statement(world.credit, world.east2_customer, statement())
    services.add_statement(world.credit, world.east2_customer, statement(period_end=days_ago(400)))
    rate.rate_customer(world.credit, world.east2_customer)
    customer_services.merge_customers(world.manager_east, credit_file, world.east2_customer, reason="重复")
    assert Rating.objects.filter(customer=credit_file).count() == 2
    assert Rating.objects.filter(customer=credit_file, is_current=True).count() == 1
    assert credit_file.financial_statements.count() == 2  # the same period stays with the merged-away record
