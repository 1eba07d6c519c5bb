from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.analysis import rules


@pytest.mark.parametrize(("part", "total", "expected"), [
    (D("50"), D("200"), D("0.2500")),
    (D("1"), D("3"), D("0.3333")),
    (D("2"), D("3"), D("0.6667")),
    (D("0"), D("100"), D("0.0000")),
    (D("100"), D("100"), D("1.0000")),
    (D("5"), D("0"), None),  # cannot compute
    (None, D("10"), D("0.0000")),
])
def test_share(part, total, expected):
    assert rules.share(part, total) == expected


@pytest.mark.parametrize(("actual", "expected_share", "gap"), [
    (D("0.68"), D("0.25"), D("0.4300")),
    (D("0.10"), D("0.25"), D("-0.1500")),
    (None, D("0.25"), None),
    (D("0.10"), None, None),
])
def test_share_gap(actual, expected_share, gap):
    assert rules.share_gap(actual, expected_share) == gap


@pytest.mark.parametrize(("revenue", "cost", "rate", "profit"), [
    (D("1000"), D("600"), D("0.4000"), D("400.00")),
    (D("700"), D("400"), D("0.4286"), D("300.00")),
    (D("300"), D("300"), D("0.0000"), D("0.00")),
    (D("100"), D("150"), D("-0.5000"), D("-50.00")),  # sold below cost
    (D("0"), D("50"), None, D("-50.00")),  # zero revenue: cannot compute
    (D("0"), D("0"), None, D("0.00")),
])
def test_gross_margin(revenue, cost, rate, profit):
    assert rules.gross_margin(revenue, cost) == rate
    assert rules.gross_profit(revenue, cost) == profit


@pytest.mark.parametrize(("opening", "closing", "average"), [
    (D("400"), D("600"), D("500.00")),
    (None, D("200"), D("200.00")),
    (D("300"), None, D("300.00")),
    (None, None, None),
    (D("0"), D("0"), D("0.00")),
    (D("0.01"), D("0"), D("0.01")),  # half a cent rounds half up
])
def test_average_stock(opening, closing, average):
    assert rules.average_stock(opening, closing) == average


@pytest.mark.parametrize(("sales", "stock", "turnover"), [
    (D("1500"), D("500"), D("3.0000")),
    (D("200"), D("200"), D("1.0000")),
    (D("0"), D("200"), D("0.0000")),
    (D("100"), D("0"), None),
    (D("100"), None, None),
])
def test_turnover(sales, stock, turnover):
    assert rules.turnover(sales, stock) == turnover


@pytest.mark.parametrize(("margin", "turnover", "share", "cross", "contribution"), [
    (D("0.4"), D("3"), D("0.6"), D("1.2000"), D("0.7200")),
    (D("0.4286"), D("1"), D("0.28"), D("0.4286"), D("0.1200")),
    (D("0"), D("5"), D("0.5"), D("0.0000"), D("0.0000")),
    (None, D("3"), D("0.6"), None, None),
    (D("0.4"), None, D("0.6"), None, None),
    (D("0.4"), D("3"), None, D("1.2000"), None),
])
def test_cross_and_contribution(margin, turnover, share, cross, contribution):
    assert rules.cross_ratio(margin, turnover) == cross
    assert rules.contribution_ratio(rules.cross_ratio(margin, turnover), share) == contribution


def test_pareto_ranks_cumulates_and_classes():
    rows = rules.pareto([("P3", D("300")), ("P1", D("1500")), ("P2", D("700"))])
    assert [(r.key, r.rank, r.share, r.cumulative, r.cumulative_share, r.abc) for r in rows] == [
        ("P1", 1, D("0.6000"), D("1500"), D("0.6000"), "A"),
        ("P2", 2, D("0.2800"), D("2200"), D("0.8800"), "A"),  # crosses 80 %: still A
        ("P3", 3, D("0.1200"), D("2500"), D("1.0000"), "B"),
    ]


@pytest.mark.parametrize(("before", "abc"), [
    (D("0"), "A"), (D("0.7999"), "A"), (D("0.80"), "B"), (D("0.9499"), "B"), (D("0.95"), "C"), (None, "C"),
])
def test_abc_boundaries(before, abc):
    assert rules.abc_class(before) == abc


def test_pareto_empty_and_all_zero():
    assert rules.pareto([]) == []
    rows = rules.pareto([("a", 0), ("b", 0)])
    assert [(r.key, r.share, r.cumulative_share) for r in rows] == [("a", None, None), ("b", None, None)]


def test_pareto_ties_by_key():
    assert [r.key for r in rules.pareto([("b", 5), ("a", 5), ("c", 9)])] == ["c", "a", "b"]


@given(st.lists(st.decimals(min_value=0, max_value=10**9, places=2), min_size=1, max_size=30))
def test_pareto_properties(values):
    rows = rules.pareto(enumerate(values))
    assert [r.value for r in rows] == sorted(values, reverse=True)
    assert rows[-1].cumulative == sum(values)
    shares = [r.cumulative_share for r in rows if r.cumulative_share is not None]
    assert shares == sorted(shares)
    if sum(values):
        assert rows[-1].cumulative_share == D("1.0000")
        assert rows[0].abc == "A"


@given(st.decimals(min_value=0, max_value=10**9, places=2), st.decimals(min_value=0, max_value=10**9, places=2))
def test_gross_margin_at_most_one(revenue, cost):
    rate = rules.gross_margin(revenue, cost)
    assert (rate is None) == (revenue == 0)
    if rate is not None:
        assert rate <= 1


@pytest.mark.parametrize(("amounts", "n", "keys"), [
    ({"P1": D("1500"), "P2": D("700"), "P3": D("300")}, 2, ["P1", "P2"]),
    ({"P1": D("1500"), "P2": D("700"), "P3": D("300")}, 8, ["P1", "P2", "P3"]),
    ({"B": D("100"), "A": D("100"), "C": D("50")}, 2, ["A", "B"]),  # ties by key
    ({"P1": D("0"), "P2": D("-5"), "P3": D("1")}, 8, ["P3"]),  # nothing sold never gets a column
    ({}, 8, []),
    ({"P1": D("1")}, 0, []),
])
def test_top_keys(amounts, n, keys):
    assert rules.top_keys(amounts, n) == keys


@pytest.mark.parametrize(("amounts", "keep", "result"), [
    ({"P1": D("1500"), "P2": D("200")}, ["P1", "P3"], {"P1": D("1500"), "P3": D("0"), "other": D("200")}),
    ({"P3": D("300"), None: D("100")}, ["P3"], {"P3": D("300"), "other": D("100")}),  # no product → other
    ({"P1": D("10")}, [], {"other": D("10")}),
    ({}, ["P1"], {"P1": D("0"), "other": D("0")}),
])
def test_bucket(amounts, keep, result):
    got = rules.bucket(amounts, keep, "other")
    assert got == result
    assert list(got) == [*keep, "other"]


@pytest.mark.parametrize(("amounts", "shares"), [
    ({"P1": D("1500"), "P2": D("200")}, {"P1": D("0.8824"), "P2": D("0.1176")}),
    ({"P1": D("1"), "P2": D("1"), "P3": D("1")}, {"P1": D("0.3333"), "P2": D("0.3333"), "P3": D("0.3333")}),
    ({"P1": D("100"), "P2": D("0")}, {"P1": D("1.0000"), "P2": D("0.0000")}),
    ({"P1": D("0")}, {"P1": None}),  # no sales: cannot compute
])
def test_mix(amounts, shares):
    assert rules.mix(amounts) == shares
