import datetime
from decimal import Decimal as D

import pytest

from credo.loyalty import rules

d = datetime.date


@pytest.mark.parametrize("buyers, repeat, expected", [
    (0, 0, None), (4, 1, D("0.2500")), (3, 1, D("0.3333")), (3, 2, D("0.6667")), (1, 1, D("1.0000"))])
def test_repurchase_rate(buyers, repeat, expected):
    assert rules.repurchase_rate(buyers, repeat) == expected


@pytest.mark.parametrize("invoices, repeat", [(0, False), (1, False), (2, True), (7, True)])
def test_repeat_buyer_needs_two_invoices(invoices, repeat):
    assert rules.is_repeat_buyer(invoices) is repeat


@pytest.mark.parametrize("sales, invoices, expected", [
    (D("0"), 0, None), (D("100.00"), 3, D("33.33")), (D("100.01"), 2, D("50.01")), (D("0.05"), 2, D("0.03"))])
def test_average_transaction(sales, invoices, expected):
    assert rules.average_transaction(sales, invoices) == expected


@pytest.mark.parametrize("before, now, expected", [
    # (volume, paid) before and now -> (volume change, discount change, sensitivity)
    ((D("1000"), D("1000")), (D("2000"), D("1800")), (D("1.0000"), D("0.1000"), D("10.00"))),
    ((D("1000"), D("900")), (D("1000"), D("1000")), (D("0.0000"), D("-0.1000"), D("0.00"))),
    ((D("1000"), D("900")), (D("500"), D("450")), (D("-0.5000"), D("0.0000"), None)),  # discount did not move
    ((D("0"), D("0")), (D("500"), D("450")), (None, None, None)),  # nothing bought before
    ((D("1000"), D("1000")), (D("0"), D("0")), (None, None, None)),
])
def test_price_sensitivity(before, now, expected):
    result = rules.price_sensitivity(*before, *now)
    assert (result.volume_change, result.discount_change, result.value) == expected


def test_orders_around_a_complaint_counts_the_day_itself_as_after():
    orders = [d(2026, 1, 1), d(2026, 2, 27), d(2026, 3, 1), d(2026, 5, 30), d(2026, 5, 31)]
    assert rules.orders_around(d(2026, 3, 1), orders, 90) == (2, 2)
    assert rules.orders_around(d(2026, 3, 1), orders, 2) == (1, 1)


@pytest.mark.parametrize("windows, kept, share, after_before", [
    ([], 0, None, None), ([(2, 0)], 0, D("0.0000"), D("0.0000")), ([(2, 1), (0, 3)], 2, D("1.0000"), D("2.0000")),
    ([(1, 1), (1, 0), (0, 0)], 1, D("0.3333"), D("0.5000"))])
def test_tolerance(windows, kept, share, after_before):
    result = rules.tolerance(windows)
    assert (result.complaints, result.kept_buying, result.share, result.after_before) == (
        len(windows), kept, share, after_before)


@pytest.mark.parametrize("sales, potential, expected", [
    (D("100"), None, None), (D("100"), D("0"), None), (D("250"), D("1000"), D("0.2500")),
    (D("1500"), D("1000"), D("1.5000"))])
def test_share_of_wallet(sales, potential, expected):
    assert rules.share_of_wallet(sales, potential) == expected


@pytest.mark.parametrize("date_from, date_to, first_order, months, new", [
    (d(2026, 1, 1), d(2026, 12, 31), None, 12, False),
    (d(2026, 1, 1), d(2026, 12, 31), d(2020, 5, 5), 12, False),
    (d(2026, 1, 31), d(2026, 2, 28), d(2025, 1, 1), 2, False),  # month ends: two months touched
    (d(2026, 1, 31), d(2026, 2, 1), None, 2, False),
    (d(2026, 1, 1), d(2026, 12, 31), d(2026, 10, 31), 3, True),  # new by history: from its first month
    (d(2026, 1, 1), d(2026, 12, 31), d(2026, 12, 31), 1, True),
    (d(2026, 1, 1), d(2026, 6, 30), d(2026, 7, 1), 0, False),  # first ordered after the period
    (d(2024, 2, 29), d(2024, 3, 31), d(2024, 2, 29), 2, True),  # leap day
])
def test_eligible_months_and_new_by_whole_history(date_from, date_to, first_order, months, new):
    assert rules.eligible_months(date_from, date_to, first_order) == months
    assert rules.is_new(date_from, date_to, first_order) is new


def test_not_new_by_history_though_its_first_purchase_in_the_range_is_late():
    # First order in 2025; bought only in November and December 2026: not new, so 2 of 12 months.
    months = rules.eligible_months(d(2026, 1, 1), d(2026, 12, 31), d(2025, 3, 1))
    assert rules.repeat_purchase_rate(2, months) == D("0.1667")


@pytest.mark.parametrize("active, months, expected", [(0, 0, None), (3, 12, D("0.2500")), (3, 3, D("1.0000"))])
def test_repeat_purchase_rate(active, months, expected):
    assert rules.repeat_purchase_rate(active, months) == expected


@pytest.mark.parametrize("values, higher, expected", [
    ({}, True, {}),
    ({"a": 1}, True, {"a": 3}),  # one customer: the middle
    ({"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}, True, {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}),
    ({"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}, False, {"a": 5, "b": 4, "c": 3, "d": 2, "e": 1}),
    ({"a": 7, "b": 7, "c": 7, "d": 7}, True, {"a": 3, "b": 3, "c": 3, "d": 3}),  # all tied: the middle
    ({"a": 1, "b": 1, "c": 2, "d": 3, "e": 3}, True, {"a": 1, "b": 1, "c": 3, "d": 4, "e": 4}),
    ({k: v for k, v in zip("abcdefghij", range(10), strict=True)}, True,
     {"a": 1, "b": 1, "c": 2, "d": 2, "e": 3, "f": 3, "g": 4, "h": 4, "i": 5, "j": 5}),
])
def test_quintiles_with_ties(values, higher, expected):
    assert rules.quintiles(values, higher) == expected


def test_rfm_scores_recency_lower_is_better():
    scores = rules.rfm_scores({1: (5, 10, D("900")), 2: (300, 1, D("10")), 3: (30, 3, D("100"))})
    assert scores[1].code == "555" and scores[2].code == "111" and scores[3].code == "333"


def test_default_rules_are_clean():
    assert rules.clean_stage_rules(rules.DEFAULT_STAGE_RULES) == rules.DEFAULT_STAGE_RULES


@pytest.mark.parametrize("raw, errors", [
    ([], {"rules": "not_a_mapping"}),
    ({"loyal": {}}, {"loyal": "unknown_stage"}),
    ({"emotional": {"nps": "3"}}, {"emotional.nps": "unknown_metric"}),
    ({"emotional": {"invoices": "x"}}, {"emotional.invoices": "not_a_number"}),
    ({"emotional": {"invoices": "1.5", "repeat_rate": "1.2"}},
     {"emotional.invoices": "out_of_range", "emotional.repeat_rate": "out_of_range"}),
    ({"cognitive": {"invoices": "-1"}}, {"cognitive.invoices": "out_of_range"}),
    ({"cognitive": {"repeat_rate": "NaN"}}, {"cognitive.repeat_rate": "not_a_number"}),
])
def test_bad_stage_rules_name_the_field(raw, errors):
    with pytest.raises(rules.RulesError) as caught:
        rules.clean_stage_rules(raw)
    assert caught.value.errors == errors


def test_blank_threshold_is_dropped():
    assert rules.clean_stage_rules({"emotional": {"invoices": "", "repeat_rate": "0.30"}})["emotional"] == {
        "repeat_rate": "0.30"}


RULES = rules.DEFAULT_STAGE_RULES


@pytest.mark.parametrize("figures, expected", [
    ({"invoices": 0, "repeat_rate": None}, None),
    ({"invoices": 1, "repeat_rate": D("0.0833")}, rules.COGNITIVE),
    ({"invoices": 2, "repeat_rate": D("0.25")}, rules.EMOTIONAL),
    ({"invoices": 2, "repeat_rate": D("0.2499")}, rules.COGNITIVE),
    # behavioural: share and tolerance unknown do not hold it back
    ({"invoices": 6, "repeat_rate": D("0.5"), "share_of_wallet": None, "tolerance": None}, rules.BEHAVIOURAL),
    ({"invoices": 6, "repeat_rate": D("0.5"), "share_of_wallet": D("0.29"), "tolerance": None}, rules.EMOTIONAL),
    ({"invoices": 6, "repeat_rate": D("0.5"), "share_of_wallet": D("0.3"), "tolerance": D("0")}, rules.EMOTIONAL),
    ({"invoices": 6, "repeat_rate": None, "share_of_wallet": D("0.9")}, rules.COGNITIVE),
])
def test_stage(figures, expected):
    assert rules.stage(figures, RULES) == expected


def test_edited_rules_change_the_stage():
    strict = {**RULES, rules.EMOTIONAL: {"invoices": "3"}}
    assert rules.stage({"invoices": 2, "repeat_rate": D("0.5")}, strict) == rules.COGNITIVE


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.lists(st.integers(0, 20), min_size=1, max_size=40), st.randoms())
def test_quintiles_properties(values, rnd):
    keyed = dict(enumerate(values))
    scores = rules.quintiles(keyed)
    assert set(scores.values()) <= {1, 2, 3, 4, 5}
    for a in keyed:  # equal values score alike, a larger value never scores lower
        for b in keyed:
            if keyed[a] == keyed[b]:
                assert scores[a] == scores[b]
            elif keyed[a] > keyed[b]:
                assert scores[a] >= scores[b]
    order = list(keyed)
    rnd.shuffle(order)  # the order the customers come in changes nothing
    assert rules.quintiles({k: keyed[k] for k in order}) == scores
