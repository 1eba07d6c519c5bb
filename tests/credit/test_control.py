"""The credit check on every path that raises exposure: confirming an order, raising a confirmed order's lines,
reopening a cancelled order, posting an invoice without an order; copying or re-creating cannot get around it."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from credo.credit import control
from credo.credit.models import CreditSettings, PolicyDefault
from credo.sales import orders, queries, services
from credo.sales.models import CustomerBalance, Invoice, SalesOrder

from .conftest import approved_profile, confirm, days_ago, invoice, order


def balance(customer) -> CustomerBalance:
    return CustomerBalance.objects.get(customer=customer)


@pytest.fixture
def exposed(world, product):
    """E001: limit ¥100,000, receivable ¥80,000 and a confirmed order of ¥15,000 (exposure ¥95,000)."""
    customer = world.east_customer
    approved_profile(customer, "100000")
    invoice(world, customer, "INV1", "80000")
    confirm(world, order(world, customer, "SO-A", product, 15))
    return customer


def test_over_the_limit_goes_on_hold_with_the_figures(world, product, exposed):
    held = confirm(world, order(world, exposed, "SO-B", product, 20))
    assert held.status == SalesOrder.Status.HELD
    assert held.hold_reason == ("Limit ¥100,000.00, current exposure ¥95,000.00 (receivable ¥80,000.00 + "
                                "confirmed, not invoiced orders ¥15,000.00), this order ¥20,000.00, over by "
                                "¥15,000.00.")
    assert balance(exposed).open_orders == D("15000.00")
    ok = confirm(world, order(world, exposed, "SO-C", product, 5))  # exactly up to the limit
    assert ok.status == SalesOrder.Status.CONFIRMED and balance(exposed).open_orders == D("20000.00")
    assert queries.balance_drift() == []


def test_tolerance_and_components_come_from_the_grade_policy(world, product, exposed):
    PolicyDefault.objects.filter(risk_level="NR").update(tolerance_percent=D("15"))
    assert confirm(world, order(world, exposed, "SO-B", product, 20)).status == "confirmed"  # 115,000 ≤ 115,000
    PolicyDefault.objects.filter(risk_level="NR").update(tolerance_percent=0, count_open_orders=False)
    # open orders now 35,000 but not counted: 80,000 + 20,000
    assert confirm(world, order(world, exposed, "SO-C", product, 20)).status == "confirmed"
    held = confirm(world, order(world, exposed, "SO-D", product, 21))
    assert held.status == "held" and "confirmed, not invoiced" not in held.hold_reason


def test_overdue_beyond_grace_days_holds(world, product):
    customer = world.east_customer
    approved_profile(customer, "1000000")
    invoice(world, customer, "OLD", "1000", on=days_ago(60), due=days_ago(8))  # NR grace: 7 days
    held = confirm(world, order(world, customer, "SO1", product, 1))
    assert held.status == "held" and f"fell due on {days_ago(8).isoformat()}, 8 days ago" in held.hold_reason
    PolicyDefault.objects.filter(risk_level="NR").update(grace_days=8)
    assert confirm(world, held).status == "confirmed"  # checked again: now within the grace days


def test_raising_a_confirmed_order_is_checked_again(world, product, exposed):
    ok = confirm(world, order(world, exposed, "SO-B", product, 5))
    assert balance(exposed).open_orders == D("20000.00")
    lowered = orders.change_order_lines(world.sales_east, ok, [(product, 3, None)])
    assert lowered.status == "confirmed" and balance(exposed).open_orders == D("18000.00")
    raised = orders.change_order_lines(world.sales_east, lowered, [(product, 10, None)])
    # exposure without this order 95,000; with 10,000 → 105,000: back on hold, no longer counted
    assert raised.status == "held" and "this order ¥10,000.00, over by ¥5,000.00" in raised.hold_reason
    assert balance(exposed).open_orders == D("15000.00") and raised.confirmed_at is None
    assert queries.balance_drift() == []
    with pytest.raises(ValidationError) as exc:
        orders.change_order_lines(world.sales_east, raised, [(product, 0, None)])
    assert "lines" in exc.value.message_dict
    draft = orders.change_order_lines(world.sales_east, raised, [(product, 4, None)])
    assert draft.status == "draft" and draft.hold_reason == ""  # held → draft: confirm it again
    assert confirm(world, draft).status == "confirmed"


def test_reopening_a_cancelled_order_goes_through_confirmation(world, product, exposed):
    cancelled = orders.cancel_order(world.sales_east, SalesOrder.objects.get(number="SO-A"), reason="客户取消")
    assert balance(exposed).open_orders == 0
    confirm(world, order(world, exposed, "SO-B", product, 15))  # takes the room the cancelled order left
    reopened = orders.reopen_order(world.sales_east, cancelled, reason="客户又要了")
    assert reopened.status == "held" and "this order ¥15,000.00, over by ¥10,000.00" in reopened.hold_reason
    with pytest.raises(ValidationError):
        orders.reopen_order(world.sales_east, reopened, reason="again")
    with pytest.raises(ValidationError):
        orders.reopen_order(world.sales_east, reopened, reason="")
    assert queries.balance_drift() == []


def test_invoice_without_order_runs_the_same_check(world, product, exposed):
    with pytest.raises(ValidationError) as exc:
        invoice(world, exposed, "INV2", "5000.01")
    assert "over by ¥0.01" in exc.value.message_dict["amount"][0]
    assert not Invoice.objects.filter(number="INV2").exists() and balance(exposed).receivable == D("80000.00")
    invoice(world, exposed, "INV3", "5000")
    # invoicing a confirmed order does not raise exposure: not checked again
    orders.invoice_order(world.finance, SalesOrder.objects.get(number="SO-A"), number="INV4",
                         invoice_date=days_ago(1))
    assert balance(exposed).receivable == D("100000.00") and balance(exposed).open_orders == 0


def test_penalty_interest_invoices_are_not_held(world, exposed):
    services.post_invoice(world.finance, exposed, number="INT1", invoice_date=days_ago(1), amount="50000",
                          kind=Invoice.Kind.INTEREST)


def test_copying_or_recreating_a_held_order_does_not_get_around_the_hold(world, product, exposed):
    held = confirm(world, order(world, exposed, "SO-B", product, 20))
    copy = confirm(world, order(world, exposed, "SO-B2", product, 20))
    assert copy.status == "held" and copy.hold_reason == held.hold_reason
    orders.cancel_order(world.sales_east, held, reason="重新下单")
    again = confirm(world, order(world, exposed, "SO-B3", product, 20))
    assert again.status == "held"
    assert confirm(world, again).status == "held"  # confirming again changes nothing
    assert balance(exposed).open_orders == D("15000.00")


def test_customers_without_an_approved_limit_are_checked_only_for_stops(world, product):
    customer = world.east2_customer
    draft = orders.create_order(world.sales_east2, customer, number="SO1", order_date=days_ago(0),
                                lines=[(product, 500, None)])
    assert orders.confirm_order(world.sales_east2, draft).status == "confirmed"
    CreditSettings.objects.update(check_customers_without_limit=True)
    held = orders.confirm_order(world.sales_east2, orders.create_order(
        world.sales_east2, customer, number="SO2", order_date=days_ago(0), lines=[(product, 1, None)]))
    assert held.status == "held" and held.hold_reason.startswith("No credit limit approved")


def test_first_credit_sale_needs_investigation_and_approved_limit(world, product, investigated):
    customer = world.east_customer
    approved_profile(customer, "50000", started=False)
    investigated["done"] = False
    held = confirm(world, order(world, customer, "SO1", product, 1))
    assert held.status == "held" and "investigation (missing)" in held.hold_reason
    assert "credit limit (done)" in held.hold_reason
    investigated["done"] = True
    assert confirm(world, held).status == "confirmed"
    investigated["done"] = False  # no longer the first sale
    assert confirm(world, order(world, customer, "SO2", product, 1)).status == "confirmed"


def test_evaluate_reports_the_figures(world, product, exposed):
    result = control.evaluate(exposed.pk, D("0"), balance(exposed))
    a = result.assessment
    assert result.controlled and result.passed and result.risk_level == "NR"
    assert (a.exposure_before, a.headroom, a.ceiling) == (D("95000.00"), D("5000.00"), D("100000.00"))


def test_invoice_due_date_follows_the_credit_period(world, exposed):
    posted = services.post_invoice(world.finance, exposed, number="INV9", invoice_date=days_ago(3), amount="100")
    assert (posted.due_date - posted.invoice_date).days == 30
    exposed.credit_profile.credit_days = 45
    exposed.credit_profile.save()
    posted = services.post_invoice(world.finance, exposed, number="INV10", invoice_date=days_ago(3), amount="100")
    assert (posted.due_date - posted.invoice_date).days == 45


def test_the_customers_grade_picks_its_policy(world, product, exposed, monkeypatch):
    from credo.credit import queries as credit_queries

    monkeypatch.setattr(credit_queries, "risk_level", lambda customer_id: "AA")  # AA: 10 % tolerance
    ok = confirm(world, order(world, exposed, "SO-B", product, 15))  # 110,000 ≤ 110,000
    assert ok.status == "confirmed"
    held = confirm(world, order(world, exposed, "SO-C", product, 1))
    assert "(with 10% tolerance ¥110,000.00)" in held.hold_reason
