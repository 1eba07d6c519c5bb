"""Proposing a customer's limits from its data: statement, grade, last quarter's orders and credit record,
the last six months' collections; permissions, scope, bad input, audit and timeline."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credo.core.clock import business_today
from credo.core.models import AuditEntry, CustomerEvent
from credo.limits import queries, rules, services
from credo.limits.models import LimitComputation, LimitPolicy
from credo.rating.models import FinancialStatement
from credo.sales.models import PaymentMethod, SalesOrder
from credo.sales.services import post_invoice, post_receipt, reverse_receipt

TODAY = business_today()
Q_START, Q_END = queries.last_full_quarter(TODAY)


def day(first: datetime.date, n: int) -> datetime.date:
    return first + datetime.timedelta(days=n)


def statement(customer, **changes):
    figures = {"current_assets": D(5_000_000), "inventory": D(1_500_000), "current_liabilities": D(2_500_000),
               "total_liabilities": D(4_000_000), "net_assets": D(6_000_000), "revenue": D(8_000_000), **changes}
    return FinancialStatement.objects.create(customer=customer, period_end=day(Q_START, -1), **figures)


def order(customer, number, amount, on, status=SalesOrder.Status.CONFIRMED):
    return SalesOrder.objects.create(customer=customer, number=number, order_date=on, status=status, amount=amount)


@pytest.fixture
def graded(monkeypatch):
    grades = {}
    monkeypatch.setattr(queries, "risk_level", lambda customer_id: grades.get(customer_id, rules.NOT_RATED))
    return grades


@pytest.fixture
def credit_file(world, graded):
    """E001 (grade A): the §11 statement; 900,000 of orders last quarter (and some that do not count); one
    invoice of 120,000 paid 3 days late in the quarter (360,000 ¥·days)."""
    customer = world.east_customer
    graded[customer.pk] = "A"
    statement(customer)
    order(customer, "SO-1", D(500_000), day(Q_START, 5))
    order(customer, "SO-2", D(400_000), Q_END, SalesOrder.Status.INVOICED)
    order(customer, "SO-3", D(1_000_000), day(Q_START, 6), SalesOrder.Status.DRAFT)
    order(customer, "SO-4", D(1_000_000), day(Q_START, 7), SalesOrder.Status.CANCELLED)
    order(customer, "SO-5", D(1_000_000), day(Q_START, -1))
    invoice = post_invoice(world.finance, customer, number="INV-LATE", invoice_date=day(Q_START, -20),
                           due_date=day(Q_START, 9), amount=D(120_000))
    world.late_receipt = post_receipt(world.finance, customer, number="R-LATE", receipt_date=day(Q_START, 12),
                                      amount=D(120_000), method=PaymentMethod.TRANSFER, invoice=invoice)
    return customer


def by_method(stored):
    return {c.method: c for c in stored}


def test_propose_limits_from_the_customers_data(world, credit_file):
    stored = by_method(services.propose_limits(world.credit, credit_file, raw_options={"supplier_share": "0.4"}))
    wc = stored[rules.WORKING_CAPITAL]
    assert wc.ok and wc.limit == D("1062500.00") and wc.credit_line == D("510000.00")
    assert wc.result["grade"] == "A" and wc.result["evaluation_value"] == "2.31667"
    assert wc.inputs["source"]["statement_period_end"] == day(Q_START, -1).isoformat()
    assert wc.policy == LimitPolicy.objects.get() and wc.policy_valid_from == wc.policy.valid_from

    sv = stored[rules.SALES_VOLUME]
    assert sv.result["quarter_orders"] == "900000.00" and sv.limit == D("300000.00")
    assert sv.result["overdue_amount_days"] == "360000.00" and sv.result["record_factor"] == "0.50"
    assert sv.result["grade_factor"] == "0.80" and sv.credit_line == D("120000.00")
    assert sv.inputs["source"]["orders_count"] == 2
    assert sv.inputs["source"]["overdue_invoices"] == [{"number": "INV-LATE", "due_date": day(Q_START, 9).isoformat(),
                                                        "amount": "120000.00", "amount_days": "360000.00"}]

    co = stored[rules.COLLECTIONS]
    months = queries.last_full_months(TODAY)
    n = next(i for i, first in enumerate(months) if first <= day(Q_START, 12))
    assert co.ok and co.credit_line == (D(120_000) * (6 - n) / 21).quantize(D("0.01"))

    rt = stored[rules.REVENUE_TIER]
    assert not rt.ok and rt.result["reason_code"] == "revenue_tiers_empty" and rt.credit_line is None

    assert AuditEntry.objects.filter(object_type="limits.limitcomputation", customer_id=credit_file.pk).count() == 4
    event = CustomerEvent.objects.get(customer_id=credit_file.pk, kind="limits.proposed")
    assert "¥510,000.00" in event.summary


def test_a_customer_without_data_gets_the_reasons(world, graded):
    stored = by_method(services.propose_limits(world.credit, world.north_customer))
    assert {m: c.result["reason_code"] for m, c in stored.items()} == {
        rules.WORKING_CAPITAL: "no_statement", rules.SALES_VOLUME: "no_orders", rules.COLLECTIONS: "no_receipts",
        rules.REVENUE_TIER: "revenue_tiers_empty"}
    assert all(c.outcome == LimitComputation.Outcome.CANNOT_COMPUTE and c.reason for c in stored.values())
    assert "financial statement" in stored[rules.WORKING_CAPITAL].reason


def test_not_rated_uses_the_record_only_and_says_so(world, credit_file, graded):
    graded.clear()
    sv = by_method(services.propose_limits(world.credit, credit_file))[rules.SALES_VOLUME]
    assert sv.result["grade"] is None and sv.credit_line == D("150000.00")
    assert sv.result["notes"][0]["code"] == "grade_skipped_not_rated"
    wc = by_method(services.propose_limits(world.credit, credit_file))[rules.WORKING_CAPITAL]
    assert wc.result["grade"] == "NR" and wc.review_required and wc.credit_line == D("1062500.00")


def test_a_forecast_replaces_last_quarters_orders_and_tables_can_be_chosen(world, credit_file):
    sv = services.propose_limits(world.credit, credit_file, only=(rules.SALES_VOLUME,),
                                 raw_options={"forecast_orders": "1,800,000", "tables": "grade"})[0]
    assert sv.inputs["source"]["forecast"] is True and sv.limit == D("600000.00")
    assert sv.result["overdue_amount_days"] is None and sv.credit_line == D("480000.00")


def test_reversed_receipts_do_not_count_as_collections(world, credit_file):
    reverse_receipt(world.finance, world.late_receipt, kind="bounced_cheque", reversal_date=day(Q_START, 14),
                    reason="退票")
    co = services.propose_limits(world.credit, credit_file, only=(rules.COLLECTIONS,))[0]
    assert co.result["reason_code"] == "no_receipts"
    sv = services.propose_limits(world.credit, credit_file, only=(rules.SALES_VOLUME,))[0]
    # unpaid from the due date to the quarter's end, except the two days the cheque was thought paid
    assert D(sv.result["overdue_amount_days"]) == D(120_000) * ((Q_END - day(Q_START, 9)).days - 2)


def test_revenue_tier_with_tiers_and_assessments(world, credit_file):
    policy = LimitPolicy.objects.get()
    policy.revenue_tiers = [{"up_to": "1000000", "base_limit": "50000"}, {"up_to": None, "base_limit": "500000"}]
    policy.save()
    without = services.propose_limits(world.credit, credit_file, only=(rules.REVENUE_TIER,))[0]
    assert without.result["reason_code"] == "no_assessments"
    levels = {"level_revenue": "1", "level_goodwill": "1", "level_years_in_business": "2", "level_management": "2",
              "level_professional": "3"}
    rt = services.propose_limits(world.credit, credit_file, only=(rules.REVENUE_TIER,), raw_options=levels)[0]
    # (100 + 100 + 80 + 80 + 60) ÷ 5 = 84 % of 500,000
    assert rt.ok and rt.credit_line == D("420000.00") and rt.result["levels"]["professional"] == 3


def test_permission_and_scope_and_bad_input_change_nothing(world, credit_file):
    with pytest.raises(PermissionDenied):
        services.propose_limits(world.sales_east, credit_file)
    with pytest.raises(PermissionDenied):
        services.propose_limits(world.manager_north, credit_file)
    with pytest.raises(ValidationError) as exc:
        services.propose_limits(world.credit, credit_file, raw_options={"supplier_share": "1.5", "tables": "x",
                                                                       "level_goodwill": "9"})
    assert {"supplier_share", "tables", "level_goodwill", "level_revenue"} == set(exc.value.message_dict) - {
        "level_years_in_business", "level_management", "level_professional"}
    with pytest.raises(ValidationError) as exc:
        services.propose_limits(world.credit, credit_file, only=("guesswork",))
    assert "method" in exc.value.message_dict
    assert not LimitComputation.objects.exists()
    assert not AuditEntry.objects.filter(object_type="limits.limitcomputation").exists()
    assert len(services.propose_limits(world.manager_east, credit_file)) == 4


def test_save_what_if(world):
    computation = services.save_what_if(world.credit, rules.SALES_VOLUME, {"quarter_orders": "900000",
                                                                           "credit_days": "30", "grade": "BB"})
    assert computation.customer is None and computation.credit_line == D("150000.00")
    assert computation.inputs["source"] == {"what_if": True} and computation.created_by == world.credit
    with pytest.raises(PermissionDenied):
        services.save_what_if(world.sales_east, rules.SALES_VOLUME, {"quarter_orders": "1"})


def test_the_grade_comes_from_the_rating_contract_guarded(world, monkeypatch):
    from credo.rating import queries as rating_queries

    class Info:
        risk_level = "BB"

    monkeypatch.setattr(rating_queries, "current_grade", lambda customer_id: Info())
    assert queries.risk_level(world.east_customer.pk) == "BB"
    Info.risk_level = "weird"
    assert queries.risk_level(world.east_customer.pk) == rules.NOT_RATED

    def broken(customer_id):
        raise RuntimeError("half-built")

    monkeypatch.setattr(rating_queries, "current_grade", broken)
    assert queries.risk_level(world.east_customer.pk) == rules.NOT_RATED
