import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.rating import defaults, rules

D = Decimal
CUTOFFS = [(g, D(m)) for g, m, *_rest in defaults.GRADES]


@pytest.mark.parametrize("score, grade", [
    ("100", "AAA"), ("90", "AAA"), ("90.00", "AAA"), ("89.99", "AA"), ("80", "AA"), ("79.99", "A"), ("70", "A"),
    ("69.99", "BBB"), ("60", "BBB"), ("59.99", "BB"), ("50", "BB"), ("49.99", "B"), ("40", "B"), ("39.99", "CCC"),
    ("30", "CCC"), ("29.99", "CC"), ("20", "CC"), ("19.99", "C"), ("10", "C"), ("9.99", "D"), ("0.01", "D"),
    ("0", "D"),
])
def test_grade_cutoff_boundaries(score, grade):
    assert rules.grade_for(D(score), CUTOFFS) == grade


@pytest.mark.parametrize("grade, level", [
    ("AAA", "AA"), ("AA", "AA"), ("A", "A"), ("BBB", "BB"), ("BB", "B"), ("B", "B"), ("CCC", "C"), ("CC", "C"),
    ("C", "C"), ("D", "D"),
])
def test_default_mapping_onto_the_six_risk_levels(grade, level):
    assert {g: lvl for g, _m, _zh, _en, lvl, _guide in defaults.GRADES}[grade] == level


def test_default_approval_guide():
    guide = {g: limit for g, _m, _zh, _en, _lvl, limit in defaults.GRADES}
    assert guide["AAA"] == D("1000000") and guide["AA"] == D("500000") and guide["A"] == D("100000")
    assert guide["BBB"] is None and guide["D"] is None


@pytest.mark.parametrize("cutoffs, code", [
    ([("AAA", 90), ("AA", 90), ("D", 0)], "cutoff_not_descending"),
    ([("AAA", 90), ("AA", 95), ("D", 0)], "cutoff_not_descending"),
    ([("AAA", 101), ("D", 0)], "cutoff_range"),
    ([("AAA", 90), ("D", 5)], "cutoff_last_not_zero"),
    ([("AAA", 90), ("D", -1)], "cutoff_range"),
])
def test_bad_cutoffs_are_refused(cutoffs, code):
    with pytest.raises(rules.RuleError) as exc:
        rules.validate_cutoffs(cutoffs)
    assert exc.value.code == code


def test_risk_levels_may_not_improve_down_the_scale():
    rules.validate_risk_mapping([("AAA", "AA"), ("AA", "AA"), ("A", "A"), ("BBB", "BB")])
    with pytest.raises(rules.RuleError) as exc:
        rules.validate_risk_mapping([("AAA", "A"), ("AA", "AA")])
    assert exc.value.code == "risk_level_not_monotone" and exc.value.params["grade"] == "AA"
    with pytest.raises(rules.RuleError):
        rules.validate_risk_mapping([("AAA", "NR")])


TABLE = rules.validate_mapping([[None, 10], ["0.8", 30], ["1", 50], ["1.5", 80], ["2", 100]])


@pytest.mark.parametrize("raw, score", [
    ("-5", "10"), ("0", "10"), ("0.7999", "10"), ("0.8", "30"), ("0.99", "30"), ("1", "50"), ("1.4999", "50"),
    ("1.5", "80"), ("1.9999", "80"), ("2", "100"), ("1000", "100"),
])
def test_score_table_boundaries_belong_to_the_row_they_start(raw, score):
    assert rules.map_score(D(raw), TABLE, "0") == D(score)


def test_no_table_means_the_value_is_the_score_kept_within_0_100():
    assert rules.map_score(D("72.345"), [], "0") == D("72.35")
    assert rules.map_score(D("140"), [], "0") == D("100.00")
    assert rules.map_score(D("-3"), [], "0") == D("0.00")


def test_missing_value_scores_the_missing_score():
    assert rules.map_score(None, TABLE, "35") == D("35.00")


def test_mapping_is_normalised_to_strings():
    assert rules.validate_mapping([[None, 10], [0.8, 30.5]]) == [[None, "10"], ["0.8", "30.5"]]


@pytest.mark.parametrize("rows, code", [
    ("x", "mapping_not_list"),
    ([[1, 10]], "mapping_first_open"),
    ([[None, 10], [None, 20]], "mapping_bound_missing"),
    ([[None, 10], [2, 20], [1, 30]], "mapping_not_ascending"),
    ([[None, 10], [2, 20], [2, 30]], "mapping_not_ascending"),
    ([[None, 110]], "mapping_score_range"),
    ([[None, -1]], "mapping_score_range"),
    ([[None]], "mapping_row_shape"),
    ([[None, "abc"]], "not_a_number"),
])
def test_bad_mappings_are_refused(rows, code):
    with pytest.raises(rules.RuleError) as exc:
        rules.validate_mapping(rows)
    assert exc.value.code == code


def test_weights_must_sum_to_one_and_the_error_names_them():
    rules.check_weights([("a", "0.6"), ("b", "0.4")])
    with pytest.raises(rules.RuleError) as exc:
        rules.check_weights([("current ratio", "0.5"), ("5C", "0.45")])
    assert exc.value.code == "weights_sum"
    assert exc.value.params == {"total": "0.95", "listed": "current ratio 0.5 + 5C 0.45"}
    with pytest.raises(rules.RuleError) as exc:
        rules.check_weights([("a", "1.2"), ("b", "-0.2")])
    assert exc.value.code == "weight_range"


def test_scorecard_sums_weighted_item_scores():
    items = [rules.ItemDef("fin.current_ratio", D("0.6"), TABLE, D("0")),
             rules.ItemDef("fivec.score", D("0.4"), [], D("40"))]
    scored, total = rules.score_card(items, {"fin.current_ratio": (D("1.5"), ""), "fivec.score": (None, "no")})
    assert [s.score for s in scored] == [D("80"), D("40")]
    assert scored[1].missing == "no" and total == D("64.00")


def test_worked_example_ratios():
    st_ = {"current_assets": D("5000000"), "inventory": D("1500000"), "current_liabilities": D("2500000"),
           "total_liabilities": D("4000000"), "net_assets": D("6000000"), "total_assets": None,
           "revenue": D("10000000"), "net_profit": D("800000"), "cash": None}
    values = rules.financial_values(st_)
    assert values["fin.current_ratio"] == (D("2.0000"), "")
    assert values["fin.quick_ratio"] == (D("1.4000"), "")
    assert values["fin.short_debt_to_equity"] == (D("0.4167"), "")
    assert values["fin.debt_ratio"] == (D("0.4000"), "")  # 4,000,000 ÷ (4,000,000 + 6,000,000)
    assert values["fin.net_margin"] == (D("0.0800"), "")
    assert values["fin.cash_ratio"] == (None, "blank:cash")


def test_undefined_ratios_say_why():
    st_ = {"current_assets": D("100"), "inventory": D("0"), "current_liabilities": D("0"),
           "total_liabilities": D("50"), "net_assets": D("-80"), "total_assets": None, "revenue": D("0"),
           "net_profit": D("-5"), "cash": None}
    values = rules.financial_values(st_)
    assert values["fin.current_ratio"] == (None, "zero:current_liabilities")
    assert values["fin.debt_to_equity"] == (None, "not_positive:net_assets")
    assert values["fin.debt_ratio"] == (None, "not_positive:total_assets")
    assert values["fin.net_margin"] == (None, "not_positive:revenue")
    assert rules.financial_values(None)["fin.quick_ratio"] == (None, "no_statement")


def test_ledger_values():
    ledger = {"receivable": D("1000"), "overdue": D("250"), "paid": D("600"), "late_money_days": D("6000"),
              "oldest_overdue_days": 12, "broken_promises": 1}
    values = rules.ledger_values(ledger)
    assert values["ledger.avg_days_late"] == (D("10.00"), "")
    assert values["ledger.overdue_share"] == (D("0.2500"), "")
    nothing_paid = rules.ledger_values({**ledger, "paid": D("0"), "receivable": D("0")})
    assert nothing_paid["ledger.avg_days_late"] == (None, "no_payments")
    assert nothing_paid["ledger.overdue_share"] == (D("0"), "")


@pytest.mark.parametrize("day, start", [
    ("2026-01-01", "2026-01-01"), ("2026-03-31", "2026-01-01"), ("2026-04-01", "2026-04-01"),
    ("2026-06-30", "2026-04-01"), ("2026-09-15", "2026-07-01"), ("2026-12-31", "2026-10-01"),
])
def test_quarter_start(day, start):
    assert rules.quarter_start(datetime.date.fromisoformat(day)) == datetime.date.fromisoformat(start)


def test_default_scorecard_weights_sum_to_one():
    assert sum(D(w) for _s, w, _m, _x in defaults.SCORECARD) == 1
    for _source, _w, mapping, _x in defaults.SCORECARD:
        rules.validate_mapping(mapping)
    assert sum(defaults.FIVEC_WEIGHTS.values()) == 1
    assert max(defaults.FIVEC_WEIGHTS, key=defaults.FIVEC_WEIGHTS.get) == "character"


def test_dimension_score_is_the_mean_of_assessed_items():
    assert rules.dimension_score({"a": "80", "b": None, "c": "65"}) == D("72.50")
    assert rules.dimension_score({"a": None}) is None
    with pytest.raises(rules.RuleError):
        rules.dimension_score({"a": "101"})


# ---------------------------------------------------------------------------------------------- properties

raw = st.one_of(st.none(), st.decimals(min_value=-10**9, max_value=10**9, allow_nan=False, places=4))
score = st.decimals(min_value=0, max_value=100, places=2)


@st.composite
def tables(draw):
    bounds = sorted(set(draw(st.lists(st.decimals(min_value=-1000, max_value=1000, places=3), max_size=6))))
    scores = draw(st.lists(score, min_size=len(bounds) + 1, max_size=len(bounds) + 1))
    if draw(st.booleans()) and not bounds:
        return []
    return rules.validate_mapping([[None, scores[0]], *([b, s] for b, s in zip(bounds, scores[1:], strict=True))])


@st.composite
def weights(draw, n):
    parts = draw(st.lists(st.integers(min_value=0, max_value=10000), min_size=n, max_size=n))
    total = sum(parts) or 1
    values = [D(p * 10000 // total) / 10000 for p in parts]
    values[0] += 1 - sum(values)
    return values


@given(data=st.data())
def test_score_is_always_within_0_and_100(data):
    n = data.draw(st.integers(min_value=1, max_value=8))
    ws = data.draw(weights(n))
    items = [rules.ItemDef(f"s{i}", ws[i], data.draw(tables()), data.draw(score)) for i in range(n)]
    values = {f"s{i}": (data.draw(raw), "x") for i in range(n)}
    _scored, total = rules.score_card(items, values)
    assert D(0) <= total <= D(100)


@given(a=score, b=score)
def test_grade_is_monotone_in_the_score(a, b):
    low, high = sorted([a, b])
    rank = {g: i for i, g in enumerate(rules.GRADES)}
    assert rank[rules.grade_for(high, CUTOFFS)] <= rank[rules.grade_for(low, CUTOFFS)]
