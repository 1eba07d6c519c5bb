import datetime
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.visits import rules


@pytest.mark.parametrize("rate, months, expected_total", [
    (D("3"), 12, 36), (D("1"), 12, 12), (D("0.5"), 12, 6), (D("0.333"), 12, 3), (D("0.167"), 12, 2),
    (D("0.083"), 12, 0), (D("0.083"), 13, 1), (D("0"), 12, 0),
])
def test_contacts_over_a_year_follow_the_rate(rate, months, expected_total):
    start = datetime.date(2026, 1, 1)
    total = 0
    for i in range(months):
        month = datetime.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
        total += rules.contacts_in_month(rate, month, offset=0)
    assert abs(total - expected_total) <= 1


@given(st.integers(1, 12), st.integers(0, 1000))
def test_spread_stays_in_the_month_and_in_order(count, position):
    days = rules.working_days(datetime.date(2026, 12, 1))
    dates = rules.spread(count, days, position)
    assert len(dates) == count and all(d in days for d in dates) and dates == sorted(dates)


def test_working_days_are_monday_to_friday():
    days = rules.working_days(datetime.date(2026, 12, 1))
    assert len(days) == 23 and days[0] == datetime.date(2026, 12, 1) and all(d.weekday() < 5 for d in days)


def test_default_policy_matches_the_seed():
    p = rules.DEFAULT_POLICY
    assert p[("A", rules.SALESPERSON, rules.VISIT)] == (D(3), D(3))
    assert p[("A", rules.SALESPERSON, rules.CALL)] == (D(2), D(3))
    assert p[("B", rules.SALESPERSON, rules.CALL)] == (D(1), D(2))
    assert p[("C", rules.SALESPERSON, rules.VISIT)] == (D(1), D(1))
    assert p[("A", rules.SALES_MANAGER, rules.VISIT)] == (D("0.5"), D(1))
    assert not any(cls == "D" for cls, _, _ in p)


def test_day_route_is_nearest_neighbour_and_keeps_address_order_without_coordinates():
    stops = [("far", "a", (31.30, 121.60)), ("start", "0", (31.20, 121.40)), ("near", "b", (31.21, 121.41)),
             ("noxy2", "z", None), ("noxy1", "y", None)]
    assert rules.day_route(stops) == ["noxy1", "noxy2", "start", "near", "far"]


def test_parse_month_and_compliance_pct():
    assert rules.parse_month("2026-12") == datetime.date(2026, 12, 1)
    assert rules.parse_month("2026-13") is None and rules.parse_month("12-2026") is None
    assert rules.compliance_pct(2, 3) == D("66.7") and rules.compliance_pct(1, 0) is None
