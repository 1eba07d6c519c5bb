"""Risk classes: defaults, the stored assignment with its inputs and rule, history when the class changes,
completeness from the customer file, the editable table."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from credo.core.models import CustomerEvent
from credo.customers.models import BankAccount, Contact
from credo.rating.models import FinancialStatement
from credo.risk import scan, sources
from credo.risk.classes import class_table, current_assignment
from credo.risk.defaults import CLASSES, RULES
from credo.risk.models import RiskClass, RiskClassAssignment, RiskClassRule

from .conftest import ago, invoice


def test_defaults_come_with_the_migration_and_come_back_when_flushed(db):
    assert list(RiskClass.objects.values_list("code", flat=True)) == ["CA1", "CA2", "CA3", "CA4", "CA5"]
    assert RiskClassRule.objects.count() == len(RULES)
    ca5 = RiskClass.objects.get(code="CA5")
    assert "现金" in ca5.policy("zh-hans") and "cash only" in ca5.policy("en")
    RiskClassRule.objects.all().delete()
    RiskClass.objects.all().delete()
    assert len(class_table()) == len(RULES) and RiskClass.objects.count() == len(CLASSES)


def complete_file(customer):
    for field, value in {"credit_code": "91310000MA1FL0000X", "legal_representative": "王五",
                         "registered_address": "上海市", "phone": "021-5555", "industry": "机电",
                         "founded_on": datetime.date(2010, 1, 1), "registered_capital": D("1000000"),
                         "business_scope": "机电设备销售"}.items():
        setattr(customer, field, value)
    customer.save()
    Contact.objects.create(customer=customer, name="李总", decision_role="decider")
    BankAccount.objects.create(customer=customer, bank_name="工商银行", account_number="6222000011112222",
                               valid_from=ago(400))
    FinancialStatement.objects.create(customer=customer, period_end=datetime.date(2025, 12, 31),
                                      current_assets=D("100"), current_liabilities=D("50"),
                                      total_liabilities=D("60"), net_assets=D("40"))


def test_class_from_grade_importance_sales_and_completeness(world, monkeypatch):
    c = world.east_customer
    complete_file(c)
    c.importance = "key"
    c.save()
    invoice(world, c, on=100, due=70, amount=1_200_000)
    monkeypatch.setattr(sources, "risk_levels", lambda ids: {cid: "AA" for cid in ids})
    monkeypatch.setattr(sources, "investigated", lambda ids: set(ids))
    scan.run_scan()
    a = current_assignment(c.pk)
    assert a.risk_class == "CA1" and a.rule.position == 30 and "CA1" in a.rule_text
    assert a.inputs == {"risk_level": "AA", "importance": "key", "annual_sales": "1200000.00", "completeness": 100,
                        "missing": [], "sales_class": None}
    assert (a.assigned_on, a.checked_on, a.assigned_by) == (ago(0), ago(0), "system")

    monkeypatch.setattr(sources, "risk_levels", lambda ids: {cid: "C" for cid in ids})
    scan.run_scan()
    history = list(RiskClassAssignment.objects.filter(customer=c).order_by("id"))
    assert [(h.risk_class, h.is_current) for h in history] == [("CA1", False), ("CA5", True)]
    event = CustomerEvent.objects.get(customer_id=c.pk, kind="risk.class")
    assert event.summary == "CA1 → CA5"


def test_missing_information_lowers_the_class(world, monkeypatch):
    c = world.east_customer
    monkeypatch.setattr(sources, "risk_levels", lambda ids: {cid: "A" for cid in ids})
    invoice(world, c, on=100, due=70, amount=600_000)
    scan.run_scan()
    a = current_assignment(c.pk)
    assert a.inputs["completeness"] == 0 and a.risk_class == "CA4"  # A-rated but the file is empty
    assert "investigation" in a.inputs["missing"]
    complete_file(c)
    scan.run_scan()
    a = current_assignment(c.pk)
    assert a.inputs["completeness"] == 85 and a.risk_class == "CA2"  # no investigation yet: 100 − 15


def test_same_class_refreshes_inputs_without_new_history(world):
    c = world.east_customer
    scan.run_scan()
    first = current_assignment(c.pk)
    Contact.objects.create(customer=c, name="张会计")
    scan.run_scan(ago(0))
    again = current_assignment(c.pk)
    assert again.pk == first.pk and again.inputs["completeness"] == 10
    assert RiskClassAssignment.objects.filter(customer=c).count() == 1


def test_an_edited_table_is_used(world):
    RiskClassRule.objects.filter(position=20).update(is_active=False)
    RiskClassRule.objects.create(position=5, risk_class="CA3", importances="general", description="测试")
    scan.run_scan()
    assert current_assignment(world.east_customer.pk).risk_class == "CA3"
    RiskClassRule.objects.all().update(is_active=False)
    scan.run_scan()
    a = current_assignment(world.east_customer.pk)
    assert a.risk_class == "CA4" and a.rule is None and a.rule_text == ""  # no rule matched: the default


@pytest.mark.parametrize("fields, errors", [
    ({"risk_levels": "AA,XX"}, {"risk_levels"}),
    ({"importances": "vip"}, {"importances"}),
    ({"min_annual_sales": D("10"), "max_annual_sales": D("10")}, {"max_annual_sales"}),
    ({"min_completeness": 50, "max_completeness": 40}, {"max_completeness"}),
    ({"min_completeness": 101}, {"min_completeness"}),
])
def test_rule_validation_names_the_field(db, fields, errors):
    rule = RiskClassRule(position=1, risk_class="CA3", **fields)
    with pytest.raises(ValidationError) as exc:
        rule.full_clean()
    assert set(exc.value.error_dict) == errors
