"""Table-driven and property tests of the pure classification rules (SPEC §2, §11)."""

from collections import Counter
from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credo.classification import rules


def classes(rows):
    return {r.customer_id: r.klass for r in rows}


def test_spec_11_two_hundred_distinct_amounts():
    sales = {i: D(1000 + i) for i in range(1, 201)}
    rows = rules.pyramid(sales)
    assert rules.totals("pyramid", rows) == {"A": 2, "B": 8, "C": 30, "D": 160}
    got = classes(rows)
    assert got[200] == got[199] == "A" and got[198] == "B" and got[190] == "C" and got[160] == "D"


@pytest.mark.parametrize("n, expected", [
    (1, {"A": 1, "B": 0, "C": 0, "D": 0}),
    (3, {"A": 1, "B": 0, "C": 0, "D": 2}),
    (10, {"A": 1, "B": 0, "C": 1, "D": 8}),
    (100, {"A": 1, "B": 4, "C": 15, "D": 80}),
    (101, {"A": 2, "B": 4, "C": 15, "D": 80}),
    (200, {"A": 2, "B": 8, "C": 30, "D": 160}),
    (0, {"A": 0, "B": 0, "C": 0, "D": 0}),
])
def test_pyramid_counts_are_ceilings(n, expected):
    assert rules.pyramid_counts(n) == expected


def test_ties_at_a_boundary_go_to_the_higher_class():
    # 100 customers: A = 1; the two largest are equal → both A
    sales = {i: D(i) for i in range(1, 101)}
    sales[99] = D(100)
    got = classes(rules.pyramid(sales))
    assert got[100] == got[99] == "A"
    assert rules.totals("pyramid", rules.pyramid(sales))["A"] == 2


def test_no_purchases_is_d_and_never_bought_is_marked():
    sales = {1: D(500), 2: D(0), 3: D(0)}
    rows = {r.customer_id: r for r in rules.pyramid(sales, never_bought=[3])}
    assert rows[1].klass == "A" and rows[1].rank == 1
    assert rows[2].klass == rows[3].klass == "D" and rows[2].rank is None
    assert rows[3].never_bought and not rows[2].never_bought


@pytest.mark.parametrize("amounts, expected", [
    # shares 50, 25, 15, 6, 4: cumulative before = 0, 50, 75, 90, 96
    ([50, 25, 15, 6, 4], ["A", "A", "B", "B", "C"]),
    # 70 then 10: the second crosses 75 % (before = 70 %) → A; its equal takes A too, likewise the 5s take B
    ([70, 10, 10, 5, 5], ["A", "A", "A", "B", "B"]),
    ([70, 10, 9, 6, 5], ["A", "A", "B", "B", "C"]),
    # one customer makes everything → A
    ([100], ["A"]),
    # equal amounts share the best class
    ([40, 40, 10, 10], ["A", "A", "B", "B"]),
])
def test_abc_crossing_rule(amounts, expected):
    sales = {i: D(a) for i, a in enumerate(amounts, start=1)}
    got = classes(rules.abc(sales))
    assert [got[i] for i in sales] == expected


def test_abc_cutoffs_are_editable_and_no_sales_is_c():
    sales = {1: D(50), 2: D(25), 3: D(25), 4: D(0)}
    got = classes(rules.abc(sales, {"a_cutoff": "50", "b_cutoff": "60"}))
    assert got == {1: "A", 2: "B", 3: "B", 4: "C"}


@pytest.mark.parametrize("params, field", [
    ({"a_cutoff": "0"}, "a_cutoff"), ({"a_cutoff": "x"}, "a_cutoff"), ({"b_cutoff": "50"}, "b_cutoff"),
    ({"zz": "1"}, "zz"),
])
def test_bad_params_name_the_parameter(params, field):
    with pytest.raises(ValueError, match=field):
        rules.params_for("abc", params)


def test_top_share_80_20():
    sales = {i: D(1) for i in range(1, 9)} | {9: D(46), 10: D(46)}
    assert rules.top_share(sales) == Fraction(92, 100)
    assert rules.top_share({1: D(0)}) == 0


sales_maps = st.dictionaries(st.integers(min_value=1, max_value=10_000),
                             st.decimals(min_value=0, max_value=10**9, places=2) | st.sampled_from([D(0), D(100)]),
                             max_size=300)


@settings(max_examples=200, deadline=None)
@given(sales_maps, st.sampled_from(rules.METHODS))
def test_classes_partition_and_shares_sum_to_one(sales, method):
    rows = rules.classify(method, sales)
    assert sorted(r.customer_id for r in rows) == sorted(sales)
    assert sum(rules.totals(method, rows).values()) == len(sales)
    assert all(r.klass in rules.CLASSES[method] for r in rows)
    total = sum(r.share for r in rows)
    assert total == (1 if any(v > 0 for v in sales.values()) else 0)


@settings(max_examples=200, deadline=None)
@given(sales_maps, st.sampled_from(rules.METHODS))
def test_more_sales_never_a_lower_class(sales, method):
    rows = sorted(rules.classify(method, sales), key=lambda r: r.sales)
    for lower, higher in zip(rows, rows[1:], strict=False):
        if higher.sales > lower.sales:
            assert higher.klass <= lower.klass
        elif higher.sales == lower.sales:
            assert higher.klass == lower.klass


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=2000))
def test_distinct_amounts_fill_exactly_the_counts(n):
    sales = {i: D(i) for i in range(1, n + 1)}
    assert rules.totals("pyramid", rules.pyramid(sales)) == rules.pyramid_counts(n)
    assert Counter(r.klass for r in rules.pyramid(sales))["A"] >= 1


def test_grid_has_nine_cells_and_adds_up():
    cells = rules.grid([("old", "key", 2, D(100)), ("new", "scattered", 1, D(5)), ("old", "key", 1, D(1)),
                        ("bogus", "key", 9, D(9))])
    assert [[c["count"] for c in row] for row in cells] == [[3, 0, 0], [0, 0, 1], [0, 0, 0]]
    assert cells[0][0]["sales"] == D(101)


def B(cid, sales, cost, overdue=0, orders=1, load=0):
    return rules.Behaviour(cid, D(sales), D(cost), D(overdue), orders, load)


@pytest.mark.parametrize("items, expected", [
    # margins 50 %, 20 %, 10 %: median 20 %; 3 is low margin and pays late → flagged; 2 only late → not
    ([B(1, 100, 50), B(2, 100, 80, overdue=50), B(3, 100, 90, overdue=10)], {3: ["low_margin", "pays_late"]}),
    # low margin and demanding (1 case on 2 orders > 0.2)
    ([B(1, 100, 50), B(2, 100, 90, orders=2, load=1)], {2: ["low_margin", "demanding"]}),
    # no sales: never flagged
    ([B(1, 0, 0, overdue=10, load=5)], {}),
])
def test_behavioural_d(items, expected):
    assert rules.behavioural_d(items) == expected
