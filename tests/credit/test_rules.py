"""The pure check and routing rules, table-driven."""

import datetime
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.credit import rules

TODAY = datetime.date(2026, 6, 30)


def inputs(**changes) -> rules.CheckInput:
    base = {"amount": D("20000"), "receivable": D("80000"), "unapplied_credit": D("0"), "open_orders": D("15000"),
            "oldest_open_due_date": None, "today": TODAY, "limit": D("100000"), "limit_approved": True}
    return rules.CheckInput(**{**base, **changes})


@pytest.mark.parametrize("changes, code", [
    ({}, rules.OVER_LIMIT),  # 80,000 + 15,000 + 20,000 = 115,000 > 100,000
    ({"amount": D("5000")}, rules.OK),  # exactly at the limit
    ({"amount": D("5000.01")}, rules.OVER_LIMIT),
    ({"tolerance_percent": D("15")}, rules.OK),  # ceiling 115,000
    ({"tolerance_percent": D("14.99")}, rules.OVER_LIMIT),
    ({"count_open_orders": False}, rules.OK),  # 80,000 + 20,000
    ({"unapplied_credit": D("15000")}, rules.OK),  # money on account lowers exposure
    ({"oldest_open_due_date": TODAY - datetime.timedelta(days=8), "grace_days": 7, "amount": D("1")}, rules.OVERDUE),
    ({"oldest_open_due_date": TODAY - datetime.timedelta(days=7), "grace_days": 7, "amount": D("1")}, rules.OK),
    ({"status": "cash_only", "amount": D("1")}, rules.CASH_ONLY),
    ({"status": "trade_stopped", "amount": D("1")}, rules.TRADE_STOPPED),
    ({"status": "cash_only", "receivable": D("0"), "open_orders": D("0"), "unapplied_credit": D("20000")},
     rules.PREPAID),
    ({"status": "trade_stopped", "receivable": D("0"), "open_orders": D("0"), "unapplied_credit": D("20000")},
     rules.TRADE_STOPPED),  # prepaid or not, trade is stopped
    ({"first_sale": True, "has_investigation": False, "receivable": D("0"), "open_orders": D("0")}, rules.FIRST_SALE),
    ({"first_sale": True, "has_investigation": True, "limit_approved": False, "receivable": D("0"),
      "open_orders": D("0")}, rules.FIRST_SALE),
    ({"first_sale": True, "has_investigation": True, "receivable": D("0"), "open_orders": D("0")}, rules.OK),
    ({"limit": D("0"), "limit_approved": False, "receivable": D("0"), "open_orders": D("0")}, rules.NO_LIMIT),
    ({"limit": D("0"), "limit_approved": False, "full": False}, rules.OK),  # not held: only stops are checked
    ({"status": "cash_only", "full": False, "amount": D("1")}, rules.CASH_ONLY),
])
def test_assess(changes, code):
    assert rules.assess(inputs(**changes)).code == code


def test_assess_figures_for_the_message():
    a = rules.assess(inputs())
    assert (a.exposure_before, a.exposure_after, a.excess, a.headroom) == (D("95000.00"), D("115000.00"),
                                                                            D("15000.00"), D("5000.00"))
    assert not a.passed
    a = rules.assess(inputs(count_open_orders=False))
    assert a.open_orders == 0 and a.exposure_before == D("80000.00") and a.passed


@given(limit=st.decimals(0, 10**7, places=2), tolerance=st.decimals(0, 100, places=2),
       before=st.decimals(0, 10**7, places=2), amount=st.decimals("0.01", 10**7, places=2))
def test_a_passed_order_never_takes_exposure_past_the_ceiling(limit, tolerance, before, amount):
    a = rules.assess(inputs(limit=limit, tolerance_percent=tolerance, receivable=before, open_orders=D("0"),
                            amount=amount))
    if a.passed:
        assert a.exposure_after <= rules.ceiling(limit, tolerance)
    else:
        assert a.excess > 0


TIERS = [rules.Tier(1, D("100000"), 30), rules.Tier(2, D("500000"), 60), rules.Tier(3, None, None)]


@pytest.mark.parametrize("amount, days, level", [
    ("100000", 30, 1), ("100000.01", 30, 2), ("50000", 31, 2), ("500000", 60, 2), ("500000.01", 10, 3),
    ("1", 90, 3), ("0", 0, 1),
])
def test_choose_tier(amount, days, level):
    assert rules.choose_tier(TIERS, D(amount), days).level == level


def test_choose_tier_above_every_tier_goes_to_the_highest():
    bounded = [rules.Tier(1, D("100"), 30), rules.Tier(2, D("200"), 30)]
    assert rules.choose_tier(bounded, D("1000"), 90).level == 2
    assert rules.choose_tier([], D("1"), 1) is None


@pytest.mark.parametrize("day, months, expected", [
    (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)), (datetime.date(2025, 3, 15), 12,
                                                                   datetime.date(2026, 3, 15)),
    (datetime.date(2026, 6, 30), -6, datetime.date(2025, 12, 30)), (datetime.date(2024, 2, 29), 12,
                                                                    datetime.date(2025, 2, 28)),
])
def test_add_months(day, months, expected):
    assert rules.add_months(day, months) == expected


def test_review_due():
    assert rules.review_due(datetime.date(2025, 6, 30), None, TODAY)
    assert not rules.review_due(datetime.date(2025, 7, 1), None, TODAY)
    assert rules.review_due(TODAY, TODAY, TODAY) and not rules.review_due(TODAY, datetime.date(2026, 7, 1), TODAY)
    assert not rules.review_due(None, None, TODAY)
    assert rules.target_reached(D("10"), None) is None and rules.target_reached(D("10"), D("10")) is True
    assert rules.target_reached(D("9.99"), D("10")) is False
