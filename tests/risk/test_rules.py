"""The pure risk rules, table-driven, each on and around its threshold."""

import datetime
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.risk import rules
from credo.risk.defaults import RULES

T = rules.Thresholds()


def stats(count, amount, days_late_total, late):
    return rules.PaymentStats(count, D(amount), D(days_late_total), late)


# ------------------------------------------------------------------------------------------ paying later


@pytest.mark.parametrize("recent, before, fires", [
    # average days late = Σ amount × days / Σ amount; fires when it rose by ≥ 10 days
    (stats(2, 2000, 20000, 2), stats(2, 2000, 0, 0), True),        # 10.0 vs 0.0: exactly on the threshold
    (stats(2, 2000, 19800, 2), stats(2, 2000, 0, 0), False),       # 9.9 vs 0.0
    (stats(2, 2000, 40000, 2), stats(3, 3000, 30000, 1), True),    # 20.0 vs 10.0
    (stats(2, 2000, 39800, 2), stats(3, 3000, 30000, 1), False),   # 19.9 vs 10.0
    (stats(1, 1000, 50000, 1), stats(2, 2000, 0, 0), False),       # too few recent payments
    (stats(2, 2000, 50000, 2), stats(1, 1000, 0, 0), False),       # too few earlier payments
    (stats(0, 0, 0, 0), stats(0, 0, 0, 0), False),
])
def test_paying_later(recent, before, fires):
    found = rules.paying_later(recent, before, T)
    assert (found is not None) == fires
    if found:
        assert found["recent_days_late"] - found["before_days_late"] >= T.late_days_increase


@pytest.mark.parametrize("recent, before, fires", [
    (stats(4, 4000, 0, 1), stats(4, 4000, 0, 0), True),     # 25.0 % vs 0.0 %: exactly 25 points
    (stats(5, 5000, 0, 1), stats(4, 4000, 0, 0), False),    # 20.0 % vs 0.0 %
    (stats(2, 2000, 0, 2), stats(4, 4000, 0, 3), True),     # 100 % vs 75 %
    (stats(3, 3000, 0, 3), stats(5, 5000, 0, 4), False),    # 100 % vs 80 %: 20 points
    (stats(1, 1000, 0, 1), stats(4, 4000, 0, 0), False),    # one recent payment is not a pattern
])
def test_late_more_often(recent, before, fires):
    assert (rules.late_more_often(recent, before, T) is not None) == fires


def test_average_of_nothing_is_zero():
    assert rules.PaymentStats().average_days_late == 0 and rules.PaymentStats().late_share == 0


# ------------------------------------------------------------------------------------------ counts


@pytest.mark.parametrize("count, minimum, fires", [
    (0, 2, False), (1, 2, False), (2, 2, True), (5, 2, True), (1, 1, True), (0, 1, False), (3, 0, False),
])
def test_at_least(count, minimum, fires):
    found = rules.at_least(count, minimum, "broken")
    assert (found is not None) == fires
    if found:
        assert found == {"broken": count, "minimum": minimum}


# ------------------------------------------------------------------------------------------ orders


@pytest.mark.parametrize("largest, median, history, fires", [
    ("5000.00", "1000.00", 3, False),   # exactly 5 × median is not "far above"
    ("5000.01", "1000.00", 3, True),
    ("9000.00", "1000.00", 2, False),   # too little history for a usual size
    ("9000.00", "0.00", 5, False),
    ("9000.00", None, 0, False),
])
def test_order_above_usual(largest, median, history, fires):
    found = rules.order_above_usual(D(largest), D(median) if median else None, history, T)
    assert (found is not None) == fires
    if found:
        assert found["times_median"] == D("5.0")


@pytest.mark.parametrize("largest, average, fires", [
    ("5000.00", "1000.00", False), ("5000.01", "1000.00", True), ("99999", None, False), ("99999", "0", False),
])
def test_order_above_region(largest, average, fires):
    found = rules.order_above_region(D(largest), D(average) if average else None, "上海", T)
    assert (found is not None) == fires


@pytest.mark.parametrize("largest, first_order, earlier, fires", [
    ("100000.00", None, 0, True),                        # a prospect's first order, exactly at the amount
    ("99999.99", None, 0, False),
    ("150000.00", datetime.date(2026, 6, 1), 9, True),   # first order after new_since: new
    ("150000.00", datetime.date(2024, 1, 1), 1, True),   # old but bought only once before: one-time
    ("150000.00", datetime.date(2024, 1, 1), 2, False),  # an established customer
])
def test_new_customer_large_order(largest, first_order, earlier, fires):
    found = rules.new_customer_large_order(D(largest), first_order, datetime.date(2025, 12, 1), earlier, T)
    assert (found is not None) == fires


@pytest.mark.parametrize("largest, level, fires", [
    ("50000.00", "B", True), ("49999.99", "B", False), ("80000", "C", True), ("80000", "D", True),
    ("80000", "BB", False), ("80000", "NR", False), ("80000", "AA", False),
])
def test_weak_customer_large_order(largest, level, fires):
    assert (rules.weak_customer_large_order(D(largest), level, T) is not None) == fires


# ------------------------------------------------------------------------------------------ notes, sales


@pytest.mark.parametrize("notes, notes_amount, total, fires", [
    (2, "500.00", "1000.00", True),    # 50 % exactly
    (2, "499.00", "1000.00", False),   # 49.9 %
    (1, "1000.00", "1000.00", False),  # a single note is not "many"
    (3, "0", "0", False),
])
def test_many_notes(notes, notes_amount, total, fires):
    assert (rules.many_notes(notes, D(notes_amount), D(total), T) is not None) == fires


@pytest.mark.parametrize("now, before, overdue_now, overdue_before, fires", [
    ("8000", "10000", "1100", "1000", True),    # sales −20 % exactly, overdue +10 % exactly
    ("8010", "10000", "1100", "1000", False),   # sales −19.9 %
    ("8100", "10000", "1100", "1000", False),   # sales −19 %
    ("8000", "10000", "1099", "1000", False),   # overdue +9.9 %
    ("0", "10000", "500", "0", True),           # overdue appeared from nothing
    ("0", "10000", "0", "0", False),            # nothing overdue
    ("5000", "0", "500", "0", False),           # no sales before: no fall to speak of
])
def test_sales_down_overdue_up(now, before, overdue_now, overdue_before, fires):
    found = rules.sales_down_overdue_up(D(now), D(before), D(overdue_now), D(overdue_before), T)
    assert (found is not None) == fires


# ------------------------------------------------------------------------------------------ completeness, classes


def test_completeness_weights_add_up_to_100():
    assert sum(weight for _code, weight in rules.COMPLETENESS_ITEMS) == 100
    assert rules.completeness({}).percent == 0
    assert rules.completeness({code: True for code, _w in rules.COMPLETENESS_ITEMS}).percent == 100
    partial = rules.completeness({"credit_code": True, "financial_statement": True, "investigation": True})
    assert partial.percent == 40 and "phone" in partial.missing and "credit_code" not in partial.missing


def default_table():
    return [rules.ClassRule(id=i, position=position, risk_class=cls,
                            risk_levels=frozenset(rules.split_codes(levels)),
                            importances=frozenset(rules.split_codes(imp, upper=False)),
                            min_sales=min_s, max_sales=max_s, min_completeness=min_c, max_completeness=max_c)
            for i, (position, cls, levels, imp, min_s, max_s, min_c, max_c, _text) in enumerate(RULES, 1)]


def inputs(level="NR", importance="general", sales="0", done=0):
    return rules.ClassInputs(level, importance, D(sales), done)


@pytest.mark.parametrize("x, expected, position", [
    (inputs("C", "key", "9000000", 100), "CA5", 10),            # poor credit beats everything
    (inputs("D"), "CA5", 10),
    (inputs("NR", sales="99999.99", done=29), "CA5", 20),       # little value, information hard to get
    (inputs("NR", sales="100000", done=29), "CA4", 90),         # sales bound is exclusive below
    (inputs("NR", sales="0", done=30), "CA4", 90),              # completeness bound too
    (inputs("AA", "key", "1000000", 80), "CA1", 30),            # all CA1 bounds exactly met
    (inputs("AA", "key", "999999.99", 80), "CA2", 40),
    (inputs("AA", "key", "1000000", 79), "CA2", 40),
    (inputs("A", "key", "0", 70), "CA2", 40),
    (inputs("A", "key", "0", 69), "CA3", 60),
    (inputs("A", "general", "500000", 70), "CA2", 50),
    (inputs("A", "general", "499999.99", 70), "CA3", 60),
    (inputs("BB", "general", "0", 50), "CA3", 60),
    (inputs("BB", "general", "200000", 49), "CA4", 90),
    (inputs("B", "key", "9000000", 100), "CA4", 90),
    (inputs("NR", "key", "9000000", 100), "CA4", 90),           # not rated: investigate before trusting
])
def test_default_class_rules(x, expected, position):
    risk_class, rule = rules.classify(default_table(), x)
    assert (risk_class, rule.position) == (expected, position)


def test_no_rule_matches_gives_the_default_class():
    table = [rules.ClassRule(id=1, position=1, risk_class="CA1", risk_levels=frozenset({"AA"}))]
    assert rules.classify(table, inputs("B")) == (rules.DEFAULT_CLASS, None)
    assert rules.classify([], inputs()) == (rules.DEFAULT_CLASS, None)


def test_rules_are_tried_by_position_and_sales_class_hook():
    table = [rules.ClassRule(id=2, position=20, risk_class="CA3"),
             rules.ClassRule(id=1, position=10, risk_class="CA2", sales_classes=frozenset({"A"}))]
    assert rules.classify(table, inputs())[0] == "CA3"  # no sales class known: the CA2 rule does not hold
    assert rules.classify(table, rules.ClassInputs("NR", "general", D(0), 0, "A"))[0] == "CA2"


@given(level=st.sampled_from(rules.RISK_LEVELS), importance=st.sampled_from(["key", "general", "scattered"]),
       sales=st.decimals(min_value=0, max_value=10**9, places=2), done=st.integers(0, 100))
def test_default_table_classifies_everyone(level, importance, sales, done):
    risk_class, rule = rules.classify(default_table(), inputs(level, importance, sales, done))
    assert rule is not None and risk_class in ("CA1", "CA2", "CA3", "CA4", "CA5")
    if level in ("C", "D"):
        assert risk_class == "CA5"


def test_median_and_split_codes():
    assert rules.median([]) is None
    assert rules.median([D(3), D(1), D(2)]) == 2 and rules.median([D(1), D(2), D(3), D(10)]) == D("2.5")
    assert rules.split_codes(" aa, b，nr ") == ["AA", "B", "NR"] and rules.split_codes("") == []


@pytest.mark.parametrize("complaints, orders, fires, per_order", [
    (2, 0, False, None),                      # fewer than 3
    (3, 0, True, None),                       # complaining without ordering
    (3, 6, False, None),                      # 0.5 per order is not more than 0.5
    (4, 6, True, "0.67"),
    (10, 3, True, "3.33"),
])
def test_complaint_load(complaints, orders, fires, per_order):
    found = rules.complaint_load(complaints, orders, rules.Thresholds())
    assert (found is not None) == fires
    if fires:
        assert found["complaints"] == complaints and found["orders"] == orders
        assert found["per_order"] == (D(per_order) if per_order else None)
