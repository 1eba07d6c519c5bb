"""Value segment rules (SPEC §2.4, §2.5, §6.7): table-driven cases and properties."""

import datetime
from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.segments import rules
from credo.segments.rules import BELOW_ZERO, MAINTAIN, MOST_GROWABLE, MOST_VALUABLE, CustomerValue

JAN1, JUN30 = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)


def value(cid, sales, cogs=0, service=0, complaint=0, collection=0, bad_debt=0, potential=None):
    return CustomerValue(cid, D(sales), D(cogs), {"service": D(service), "complaint": D(complaint),
                                                   "collection": D(collection), "bad_debt": D(bad_debt)},
                         None if potential is None else D(potential))


def test_profit_subtracts_every_cost():
    v = value(1, "10000", "6000", "410", "1000", "35.75", "200", potential="19835.62")
    assert v.gross_profit == D("4000") and v.profit == D("2354.25") and v.growth_gap == D("9835.62")


@pytest.mark.parametrize("values, params, expected", [
    # 10 buying customers, 20 % → 2 most valuable; one loses money; the largest remaining gap is growable
    ([value(i, 1000 * i, 500 * i) for i in range(1, 10)] + [value(10, 100, 90, service=200)], None,
     {9: MOST_VALUABLE, 8: MOST_VALUABLE, 10: BELOW_ZERO, 1: MAINTAIN}),
    # equal profits at the boundary all get in
    ([value(1, 100), value(2, 100), value(3, 100), value(4, 50), value(5, 10)], {"most_valuable_percent": "20"},
     {1: MOST_VALUABLE, 2: MOST_VALUABLE, 3: MOST_VALUABLE, 4: MAINTAIN}),
    # growable: largest positive gap among the rest; a customer already above its potential is not
    ([value(1, 500), value(2, 100, potential=900), value(3, 100, potential=300), value(4, 400, potential=100),
      value(5, 50)], {"most_valuable_percent": "20", "most_growable_percent": "20"},
     {1: MOST_VALUABLE, 2: MOST_GROWABLE, 3: MAINTAIN, 4: MAINTAIN}),
    # below zero wins over a large gap; zero profit is not below zero
    ([value(1, 100, 150, potential=10_000), value(2, 0), value(3, 10, 10)], None,
     {1: BELOW_ZERO, 2: MAINTAIN, 3: MAINTAIN}),
    # costs without sales make a customer below zero
    ([value(1, 0, service=200), value(2, 100)], None, {1: BELOW_ZERO, 2: MOST_VALUABLE}),
])
def test_segments(values, params, expected):
    placed = rules.segment(values, params)
    assert {cid: placed[cid][0] for cid in expected} == expected


def test_rank_by_profit_breaks_ties_by_id():
    placed = rules.segment([value(3, 100), value(1, 100), value(2, 300)])
    assert [placed[c][1] for c in (2, 1, 3)] == [1, 2, 3]


@pytest.mark.parametrize("params, field", [({"most_valuable_percent": "120"}, "most_valuable_percent"),
                                           ({"review_c_percent": "x"}, "review_c_percent"),
                                           ({"nonsense": "1"}, "nonsense")])
def test_bad_parameters_name_the_field(params, field):
    with pytest.raises(ValueError, match=f"^{field}:"):
        rules.params_for(params)


@pytest.mark.parametrize("invoice_date, amount, settlements, expected", [
    (JAN1, "10000", [(datetime.date(2026, 1, 31), "10000")], D(300_000)),   # paid after 30 days
    (datetime.date(2026, 3, 1), "5000", [], D(5000 * 122)),                 # open to the end (30 Jun inclusive)
    (datetime.date(2025, 12, 1), "1000", [(datetime.date(2025, 12, 20), "400")], D(600 * 181)),  # part paid before
    (datetime.date(2025, 11, 1), "1000", [(datetime.date(2025, 12, 1), "1000")], D(0)),  # settled before the period
    (JAN1, "1000", [(datetime.date(2026, 1, 11), "1000"), (datetime.date(2026, 1, 21), "-1000")],
     D(1000 * (10 + 161))),                                          # a bounced cheque reopens it
    (JAN1, "1000", [(datetime.date(2026, 8, 1), "1000")], D(1000 * 181)),  # paid after the period
])
def test_owed_amount_days(invoice_date, amount, settlements, expected):
    settled = [(day, D(paid)) for day, paid in settlements]
    assert rules.owed_amount_days(invoice_date, D(amount), settled, JAN1, JUN30) == expected


def test_opportunity_cost_and_period_potential():
    assert rules.opportunity_cost(D(300_000), D("4.35")) == D("35.75")
    assert rules.opportunity_cost(D(610_000), D("4.35")) == D("72.70")
    assert rules.potential_for_period(D(40_000), 181) == D("19835.62")


def test_top_shares_of_sales_and_profit():
    values = [value(i, 100 * i, 50 * i) for i in range(1, 11)]  # top 2 of 10 by sales: 10 and 9
    sales_share, profit_share = rules.top_shares(values)
    assert sales_share == Fraction(1900, 5500) and profit_share == Fraction(950, 2750)
    assert rules.top_shares([value(1, 100, 200)]) == (Fraction(1), None)  # a total loss has no share


def test_c_class_review_takes_the_least_profitable():
    profits = {i: D(i * 10 - 50) for i in range(1, 41)}  # 40 C customers: 5 % → 2
    assert rules.c_class_review(profits, "5") == [1, 2]
    assert rules.c_class_review({}, "5") == []


money_st = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False, allow_infinity=False)


@given(st.lists(st.tuples(money_st, money_st, money_st, st.one_of(st.none(), money_st)), min_size=1, max_size=40))
def test_every_customer_gets_exactly_one_segment_and_below_zero_means_a_loss(rows):
    values = [value(i, s, c, service=x, potential=p) for i, (s, c, x, p) in enumerate(rows, 1)]
    placed = rules.segment(values)
    assert set(placed) == {v.customer_id for v in values}
    by_id = {v.customer_id: v for v in values}
    for cid, (seg, _rank) in placed.items():
        assert (seg == BELOW_ZERO) == (by_id[cid].profit < 0)
    valuable = [by_id[c].profit for c, (s, _r) in placed.items() if s == MOST_VALUABLE]
    others = [by_id[c].profit for c, (s, _r) in placed.items() if s in (MAINTAIN, MOST_GROWABLE)]
    if valuable and others:
        assert min(valuable) >= max(others)
    assert sorted(r for _s, r in placed.values()) == list(range(1, len(values) + 1))
