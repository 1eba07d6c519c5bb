"""Invariants of the limit methods on the default tables, for any consistent statement (hypothesis)."""

from decimal import Decimal as D

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from credo.limits import rules

from .conftest import SV_TABLES, WC_TABLES

amounts = st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False, allow_infinity=False)
shares = st.decimals(min_value=D("0.01"), max_value=1, places=2)
grades = st.sampled_from([None, *rules.ALL_GRADES])


@st.composite
def statements(draw):
    current_assets = draw(amounts)
    inventory = draw(st.decimals(min_value=0, max_value=current_assets, places=2))
    current_liabilities = draw(amounts)
    total_liabilities = current_liabilities + draw(amounts)
    net_assets = draw(st.decimals(min_value=-10**9, max_value=10**10, places=2))
    return {"current_assets": current_assets, "inventory": inventory, "current_liabilities": current_liabilities,
            "total_liabilities": total_liabilities, "net_assets": net_assets}


def compute(statement, grade=None, share=None, high=False):
    return rules.working_capital_method(**statement, tables=WC_TABLES, grade=grade, supplier_share=share,
                                       figure_high=high)


@settings(max_examples=300, deadline=None)
@given(statements(), grades, st.none() | shares, st.booleans())
def test_a_limit_is_never_negative_nor_above_net_assets_or_working_capital(statement, grade, share, high):
    r = compute(statement, grade, share, high)
    if not r.ok:
        # only undefined ratios stop the method, and the reason names the input
        assert (statement["current_liabilities"] == 0 and r.problem.input == "current_liabilities") or (
            statement["net_assets"] <= 0 and r.problem.input == "net_assets")
        assert r.credit_line is None
        return
    assert r.limit >= 0 and r.credit_line >= 0
    assert r.credit_line <= statement["net_assets"]
    assert r.credit_line <= max(r.working_capital, D(0))
    if r.working_capital <= 0:
        assert r.credit_line == 0 and "working_capital_not_positive" in [n.code for n in r.notes]


@settings(max_examples=200, deadline=None)
@given(statements(), st.none() | shares, st.booleans())
def test_grade_d_always_gives_zero(statement, share, high):
    r = compute(statement, "D", share, high)
    assert not r.ok or r.credit_line == 0


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=-50, max_value=50, places=5), st.decimals(min_value=-50, max_value=50, places=5))
def test_percentage_is_monotone_in_the_evaluation_value(a, b):
    low, high = min(a, b), max(a, b)
    table = WC_TABLES.evaluation
    assert table.rows[table.find(low)].value <= table.rows[table.find(high)].value


@settings(max_examples=200, deadline=None)
@given(statements(), st.decimals(min_value=0, max_value=1, places=3), grades)
def test_limit_rises_with_the_evaluation_value(statement, fraction, grade):
    # Less inventory raises the quick ratio, so the evaluation value, with the working assets unchanged.
    assume(statement["current_liabilities"] > 0 and statement["net_assets"] > 0)
    leaner = {**statement, "inventory": (statement["inventory"] * fraction).quantize(D("0.01"))}
    before, after = compute(statement, grade), compute(leaner, grade)
    assert after.evaluation_value >= before.evaluation_value
    assert after.percentage >= before.percentage and after.limit >= before.limit
    assert after.credit_line >= before.credit_line


@settings(max_examples=300, deadline=None)
@given(amounts, st.integers(min_value=1, max_value=365), st.sampled_from([None, *rules.GRADES]),
       st.none() | amounts)
def test_credit_line_never_above_the_limit_for_factors_up_to_100(orders, days, grade, amount_days):
    r = rules.sales_volume_method(quarter_orders=orders, credit_days=days, tables=SV_TABLES, grade=grade,
                                  overdue_amount_days=amount_days)
    assert r.ok and 0 <= r.credit_line <= r.limit


@settings(max_examples=200, deadline=None)
@given(st.lists(amounts, min_size=6, max_size=6), st.integers(min_value=1, max_value=365))
def test_collections_limit_between_the_smallest_and_largest_month(monthly, days):
    r = rules.collections_method(monthly=monthly, credit_days=days, weights=[D(w) for w in (6, 5, 4, 3, 2, 1)])
    scale = D(days) / 30
    assert min(monthly) * scale - D("0.01") <= r.credit_line <= max(monthly) * scale + D("0.01")
