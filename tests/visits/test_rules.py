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


@pytest.mark.parametrize("rate, interval", [
    (D("0"), None), (D("1"), None), (D("3"), None), (D("0.5"), 2), (D("0.333"), 3), (D("0.167"), 6),
    (D("0.083"), 12), (D("0.9"), 1),
])
def test_interval_months_of_a_rate(rate, interval):
    assert rules.interval_months(rate) == interval


def _months(start, n):
    return [rules.add_months(start, i) for i in range(n)]


@pytest.mark.parametrize("rate, customer_id, expected_months", [
    # once a year: the slot is customer id mod 12 (month index = year * 12 + month - 1; 2026-01 is 24312 ≡ 0)
    (D("0.083"), 0, [1]), (D("0.083"), 5, [6]), (D("0.083"), 12 * 7 + 11, [12]),
    # once per half year: two months six apart
    (D("0.167"), 1, [2, 8]), (D("0.167"), 6, [1, 7]),
    # once per 2 months / 3 months
    (D("0.5"), 1, [2, 4, 6, 8, 10, 12]), (D("0.333"), 2, [3, 6, 9, 12]),
])
def test_fractional_rates_fall_in_the_customers_slot_months(rate, customer_id, expected_months):
    year = _months(datetime.date(2026, 1, 1), 12)
    assert [m.month for m in year if rules.planned_contacts(rate, m, customer_id)] == expected_months
    assert all(rules.planned_contacts(rate, m, customer_id) in (0, 1) for m in year)


def test_whole_rates_are_planned_every_month():
    for m in _months(datetime.date(2026, 1, 1), 12):
        assert rules.planned_contacts(D("3"), m, 7) == 3 and rules.planned_contacts(D("1"), m, 7) == 1


@pytest.mark.parametrize("rate", [D("0.083"), D("0.167"), D("0.333"), D("0.5")])
def test_fractional_rates_spread_evenly_over_the_months(rate):
    """120 customers with consecutive ids: every month carries the same load."""
    interval = rules.interval_months(rate)
    loads = [sum(rules.planned_contacts(rate, m, pk) for pk in range(1000, 1120))
             for m in _months(datetime.date(2026, 1, 1), 24)]
    assert set(loads) == {120 // interval}


@pytest.mark.parametrize("last_done, planned", [
    (None, 1),
    (datetime.date(2026, 12, 3), 0),    # done this month already
    (datetime.date(2026, 1, 1), 0),     # done at the start of the year ending with this month
    (datetime.date(2025, 12, 31), 1),   # done more than a year ago
])
def test_annual_contact_skipped_when_done_within_the_interval(last_done, planned):
    december = datetime.date(2026, 12, 1)
    customer_id = 11  # slot: December
    assert rules.planned_contacts(D("0.083"), december, customer_id, last_done) == planned


def test_last_done_does_not_suppress_whole_rates():
    assert rules.planned_contacts(D("1"), datetime.date(2026, 12, 1), 3, datetime.date(2026, 12, 2)) == 1


@pytest.mark.parametrize("holders, customer_id, expected", [
    ([], 5, None), ([9], 5, 9), ([9, 4], 5, 9), ([9, 4], 6, 4), ([4, 9], 6, 4),
])
def test_pick_holder_shares_customers_among_holders(holders, customer_id, expected):
    assert rules.pick_holder(holders, customer_id) == expected


@pytest.mark.parametrize("md, today, days, expected", [
    ((1, 3), datetime.date(2026, 12, 25), 14, datetime.date(2027, 1, 3)),      # across the year end
    ((12, 25), datetime.date(2026, 12, 25), 14, datetime.date(2026, 12, 25)),  # today
    ((12, 24), datetime.date(2026, 12, 25), 14, None),                         # just passed
    ((1, 8), datetime.date(2026, 12, 25), 14, None),                           # day 14 is outside
    ((1, 7), datetime.date(2026, 12, 25), 14, datetime.date(2027, 1, 7)),      # day 13 is inside
    ((2, 29), datetime.date(2027, 2, 20), 14, datetime.date(2027, 2, 28)),     # not a leap year: 28 Feb
    ((2, 29), datetime.date(2028, 2, 20), 14, datetime.date(2028, 2, 29)),     # leap year
    ((2, 29), datetime.date(2027, 3, 1), 14, None),
])
def test_next_occurrence_of_a_yearly_date(md, today, days, expected):
    assert rules.next_occurrence(md[0], md[1], today, days) == expected


def test_default_holidays_cover_two_years_with_the_lunar_dates():
    holidays = {(name, d.year): d for name, d in rules.DEFAULT_HOLIDAYS}
    assert holidays[("春节", 2026)] == datetime.date(2026, 2, 17) and holidays[("春节", 2027)] == datetime.date(2027, 2, 6)
    assert holidays[("中秋节", 2026)] == datetime.date(2026, 9, 25) and holidays[("中秋节", 2027)] == datetime.date(2027, 9, 15)
    assert holidays[("端午节", 2026)] == datetime.date(2026, 6, 19) and holidays[("端午节", 2027)] == datetime.date(2027, 6, 9)
    assert holidays[("元宵节", 2026)] == datetime.date(2026, 3, 3)


def _reference_route(stops):
    """The plain nearest neighbour (every remaining stop measured with rules.distance), as planned before."""
    plain = sorted((s for s in stops if s[2] is None), key=lambda s: s[1])
    located = sorted((s for s in stops if s[2] is not None), key=lambda s: s[1])
    order = [s[0] for s in plain]
    if located:
        current = located.pop(0)
        order.append(current[0])
        while located:
            nearest = min(range(len(located)),
                          key=lambda i: (rules.distance(current[2], located[i][2]), located[i][1]))
            current = located.pop(nearest)
            order.append(current[0])
    return order


@pytest.mark.parametrize("count, seed, spread", [
    (5, 1, 0.5), (31, 2, 0.5), (33, 3, 0.5), (80, 4, 0.02), (200, 5, 1.0), (300, 6, 0.0001)])
def test_day_route_banded_search_gives_the_plain_nearest_neighbour_order(count, seed, spread):
    import random

    rng = random.Random(seed)
    spots = [(31 + rng.random() * spread, 121 + rng.random() * spread) for _ in range(max(1, count // 3))]
    stops = []
    for i in range(count):
        # shared spots and shared sort keys make ties, which must break the same way
        point = None if rng.random() < 0.2 else (rng.choice(spots) if rng.random() < 0.5 else
                                                  (31 + rng.random() * spread, 121 + rng.random() * spread))
        stops.append((i, (f"T{rng.randint(0, 3)}", rng.randint(0, count // 4)), point))
    assert rules.day_route(stops) == _reference_route(stops)
