"""The four limit methods on the default tables: SPEC §11 exactly, every table boundary on both sides, every
grade, and the "cannot compute" outcomes. No database."""

import datetime
from decimal import Decimal as D

import pytest

from credo.limits import present, rules, tables

from .conftest import SV_TABLES, WC_TABLES, DefaultPolicy

CENT = D("0.01")


def wc(grade=None, share=None, high=False, **changes):
    figures = {"current_assets": D(5_000_000), "inventory": D(1_500_000), "current_liabilities": D(2_500_000),
               "total_liabilities": D(4_000_000), "net_assets": D(6_000_000), **changes}
    return rules.working_capital_method(**figures, tables=WC_TABLES, grade=grade, supplier_share=share,
                                       figure_high=high)


def cents(value):
    return value.quantize(CENT)


def test_section_11_working_capital_exactly():
    r = wc(grade="A", share=D("0.4"))
    assert r.ok and r.outcome == "ok"
    assert r.working_capital == D(2_500_000) and r.working_assets == D(4_250_000)
    assert r.current_ratio == 2 and r.quick_ratio == D("1.4")
    doc = present.as_json(r)
    assert (doc["current_ratio"], doc["quick_ratio"], doc["short_term_debt_ratio"], doc["debt_ratio"],
            doc["evaluation_value"]) == ("2.00000", "1.40000", "0.41667", "0.66667", "2.31667")
    assert doc["percentage"] == "25.0" and doc["percentage_row"] == "v > 1.7"
    assert (doc["limit"], doc["grade_corrected"], doc["supplier_corrected"], doc["credit_line"]) == (
        "1062500.00", "1275000.00", "510000.00", "510000.00")
    assert doc["grade_factor"] == "1.20" and doc["supplier_share"] == "0.40" and doc["capped_by"] is None
    assert r.fits_grade is True and not r.review_required and r.notes == []
    # Full precision inside, rounded only when shown.
    assert str(r.short_term_debt_ratio).startswith("0.41" + "6" * 40)
    assert [s.key for s in r.steps] == [
        "working_capital", "working_assets", "current_ratio", "quick_ratio", "short_term_debt_ratio", "debt_ratio",
        "evaluation_value", "percentage", "limit", "grade_factor", "grade_corrected", "supplier_share",
        "supplier_corrected", "cap_net_assets", "cap_working_capital", "credit_line"]


def test_section_11_sales_volume_exactly():
    base = rules.sales_volume_method(quarter_orders=D(900_000), credit_days=30, tables=SV_TABLES)
    assert base.limit == D(300_000) and base.credit_line == D(300_000)
    assert [n.code for n in base.notes] == ["no_risk_correction"]
    graded = rules.sales_volume_method(quarter_orders=D(900_000), credit_days=30, tables=SV_TABLES, grade="BB")
    assert cents(graded.credit_line) == D("150000.00") and graded.grade_factor == D("0.5")
    record = rules.sales_volume_method(quarter_orders=D(900_000), credit_days=30, tables=SV_TABLES,
                                       overdue_amount_days=D(120_000) * 3)
    assert record.record_factor == D("0.5") and cents(record.credit_line) == D("150000.00")
    both = rules.sales_volume_method(quarter_orders=D(900_000), credit_days=30, tables=SV_TABLES, grade="BB",
                                     overdue_amount_days=D(360_000))
    doc = present.as_json(both)
    assert (doc["limit"], doc["grade_factor"], doc["record_factor"], doc["risk_factor"], doc["credit_line"]) == (
        "300000.00", "0.50", "0.50", "0.25", "75000.00")


# Table 3-7: each bound belongs to the row it closes; a hair above falls in the next row.
EVALUATION_BOUNDS = [("-4.6", "0", "2.5"), ("-3.9", "2.5", "5.0"), ("-3.2", "5.0", "7.5"), ("-2.5", "7.5", "10.0"),
                     ("-1.8", "10.0", "12.5"), ("-1.1", "12.5", "15.0"), ("-0.4", "15.0", "17.5"),
                     ("0.3", "17.5", "20.0"), ("1.0", "20.0", "22.5"), ("1.7", "22.5", "25.0")]


@pytest.mark.parametrize("bound, at, above", EVALUATION_BOUNDS)
def test_evaluation_table_boundaries(bound, at, above):
    table = WC_TABLES.evaluation
    hair = D("0.00001")
    assert table.rows[table.find(D(bound))].value == D(at)
    assert table.rows[table.find(D(bound) + hair)].value == D(above)
    assert table.rows[table.find(D(bound) - hair)].value <= D(at)


def test_evaluation_table_ends_and_row_texts():
    table = WC_TABLES.evaluation
    assert table.rows[table.find(D("-1000"))].value == 0
    assert table.rows[table.find(D("1000"))].value == 25
    assert table.row_text(0) == "v ≤ -4.6" and table.row_text(1) == "-4.6 < v ≤ -3.9"
    assert table.row_text(10) == "v > 1.7"


def test_evaluation_value_exactly_on_a_boundary_through_the_method():
    # current ratio 1 + quick ratio 1 − 0.1 − 0.2 = 1.7 exactly → the 1.0 < v ≤ 1.7 row, 22.5 %.
    r = wc(current_assets=D(1_000_000), inventory=D(0), current_liabilities=D(1_000_000),
           total_liabilities=D(2_000_000), net_assets=D(10_000_000))
    assert r.evaluation_value == D("1.7") and r.percentage == D("22.5") and r.percentage_row == "1.0 < v ≤ 1.7"


RECORD_BOUNDS = [("0", "100", "80"), ("250000", "80", "50"), ("500000", "50", "20"), ("1000000", "20", "10"),
                 ("2000000", "10", "0")]


@pytest.mark.parametrize("bound, at, above", RECORD_BOUNDS)
def test_credit_record_table_boundaries(bound, at, above):
    for amount_days, expected in ((D(bound), D(at)), (D(bound) + CENT, D(above))):
        r = rules.sales_volume_method(quarter_orders=D(900_000), credit_days=30, tables=SV_TABLES,
                                      overdue_amount_days=amount_days)
        assert r.record_factor * 100 == expected, amount_days


# Table 3-8 on the §11 limit (1,062,500): normal, and with "figure high".
@pytest.mark.parametrize("grade, normal, high", [
    ("AA", "1593750.00", "1062500.00"), ("A", "1275000.00", "1062500.00"), ("BB", "1062500.00", "850000.00"),
    ("B", "850000.00", "531250.00"), ("C", "850000.00", "212500.00"), ("D", "0.00", "0.00"),
    ("NR", "1062500.00", "1062500.00"),
])
def test_grade_corrections(grade, normal, high):
    plain, flagged = wc(grade=grade), wc(grade=grade, high=True)
    assert present.as_json(plain)["grade_corrected"] == normal
    assert present.as_json(flagged)["grade_corrected"] == high
    assert flagged.review_required or grade == "D"


def test_grade_d_cancels_nr_gives_no_recommendation_none_given_is_said():
    d = wc(grade="D")
    assert d.credit_line == 0 and d.grade_factor == 0 and "grade_d_cancels" in [n.code for n in d.notes]
    nr = wc(grade="NR")
    assert nr.grade_factor is None and nr.review_required and "not_rated" in [n.code for n in nr.notes]
    assert "no recommendation" in present.as_json(nr)["notes"][0]["message"]
    assert [n.code for n in wc().notes] == ["no_grade"]


def test_figure_high_for_aa_does_not_raise_and_asks_for_review():
    r = wc(grade="AA", high=True)
    assert r.grade_factor == 1 and r.review_required
    assert [n.code for n in r.notes] == ["figure_high_no_adjustment"]


@pytest.mark.parametrize("grade, fits", [("AA", True), ("A", True), ("BB", False), ("B", False), ("C", False)])
def test_the_figure_is_checked_against_the_grade_and_flagged_not_adjusted(grade, fits):
    r = wc(grade=grade)  # §11 statements give 25 %: too good for BB, B and C by the default bands
    assert r.fits_grade is fits and r.review_required is not fits
    if not fits:
        note = next(n for n in r.notes if n.code == "figure_looks_high")
        assert "Review the statements and recompute" in present.note_text(note)
        # the normal factor is still the one applied: the flag does not silently change the figure
        assert r.grade_factor == 1 + WC_TABLES.corrections[grade].adjustment / 100


def test_a_weak_statement_for_a_strong_grade_is_flagged_low():
    r = wc(grade="AA", current_assets=D(3_000_000), inventory=D(2_000_000), current_liabilities=D(2_900_000),
           total_liabilities=D(9_000_000), net_assets=D(1_000_000))
    assert r.percentage < 17 and r.fits_grade is False and r.review_required
    assert "figure_looks_low" in [n.code for n in r.notes]


def test_per_grade_ceiling_flags_a_high_figure():
    custom = tables.parse_grade_fit([{"grade": "A", "min_percentage": "0", "max_percentage": "25",
                                      "max_limit": "1000000"}])
    t = rules.WorkingCapitalTables(WC_TABLES.evaluation, WC_TABLES.corrections, custom)
    r = rules.working_capital_method(current_assets=D(5_000_000), inventory=D(1_500_000),
                                     current_liabilities=D(2_500_000), total_liabilities=D(4_000_000),
                                     net_assets=D(6_000_000), tables=t, grade="A")
    assert r.fits_grade is False and "and at most ¥1,000,000.00" in present.note_text(r.notes[0])


def test_caps_net_assets_and_working_capital():
    # AA +50 % of a large limit runs into the working capital.
    r = wc(grade="AA", current_assets=D(3_000_000), inventory=D(0), current_liabilities=D(1_000_000),
           total_liabilities=D(1_000_000), net_assets=D(20_000_000))
    assert r.capped_by == "working_capital" and r.credit_line == D(2_000_000)
    assert "capped_by_working_capital" in [n.code for n in r.notes]


def test_working_capital_not_positive_gives_zero_and_says_analyse_net_assets():
    r = wc(current_assets=D(1_000_000), inventory=D(0), current_liabilities=D(1_500_000),
           total_liabilities=D(2_000_000), net_assets=D(8_000_000))
    assert r.ok and r.working_capital == D(-500_000) and r.limit > 0 and r.credit_line == 0
    note = next(n for n in r.notes if n.code == "working_capital_not_positive")
    assert "net assets" in present.note_text(note) and r.review_required


@pytest.mark.parametrize("changes, code, field", [
    ({"current_liabilities": D(0), "total_liabilities": D(0)}, "current_liabilities_zero", "current_liabilities"),
    ({"net_assets": D(0)}, "net_assets_not_positive", "net_assets"),
    ({"net_assets": D(-100)}, "net_assets_not_positive", "net_assets"),
])
def test_cannot_compute_names_the_input(changes, code, field):
    r = wc(grade="A", **changes)
    assert not r.ok and r.outcome == "cannot_compute" and r.problem.code == code and r.problem.input == field
    doc = present.as_json(r)
    assert doc["outcome"] == "cannot_compute" and doc["input"] == field and doc["reason"].startswith("Cannot")
    assert doc["credit_line"] is None and doc["limit"] is None  # never a silent 0
    assert doc["working_capital"] is not None  # the figures computed before are kept


def test_sales_volume_grades_and_not_rated():
    expected = {"AA": D(300_000), "A": D(240_000), "BB": D(150_000), "B": D(30_000), "C": D(0), "D": D(0)}
    for grade, line in expected.items():
        r = rules.sales_volume_method(quarter_orders=D(900_000), credit_days=30, tables=SV_TABLES, grade=grade)
        assert cents(r.credit_line) == line, grade
    nr = rules.sales_volume_method(quarter_orders=D(900_000), credit_days=30, tables=SV_TABLES, grade="NR")
    assert nr.problem.code == "grade_not_rated" and nr.problem.input == "grade"


def test_collections_weighted_average():
    r = rules.collections_method(monthly=[D(60_000), D(50_000), D(40_000), D(30_000), D(20_000), D(10_000)],
                                 credit_days=30, weights=[D(n) for n in (6, 5, 4, 3, 2, 1)])
    # (6×60 + 5×50 + 4×40 + 3×30 + 2×20 + 1×10) thousand ÷ 21 = 910,000 ÷ 21
    assert r.weighted_sum == D(910_000) and r.weight_total == 21
    assert cents(r.weighted_average) == D("43333.33") and cents(r.credit_line) == D("43333.33")
    longer = rules.collections_method(monthly=[D(30_000)] * 6, credit_days=45, weights=[D(1)] * 6)
    assert longer.credit_line == D(45_000)
    nothing = rules.collections_method(monthly=[D(0)] * 6, credit_days=30, weights=[D(1)] * 6)
    assert nothing.credit_line == 0 and [n.code for n in nothing.notes] == ["no_collections"]


def test_revenue_tier_refuses_until_set_up_then_computes():
    empty = tables.revenue_tier_tables(DefaultPolicy())
    r = rules.revenue_tier_method(revenue=D(5_000_000), levels={}, tables=empty)
    assert r.problem.code == "revenue_tiers_empty" and "set up the revenue tiers first" in present.note_text(r.problem)
    tiers = [{"up_to": "1000000", "base_limit": "50000"}, {"up_to": "10000000", "base_limit": "200000"},
             {"up_to": None, "base_limit": "1000000"}]
    set_up = tables.revenue_tier_tables(DefaultPolicy(revenue_tiers=tiers))
    levels = {"revenue": 1, "goodwill": 2, "years_in_business": 3, "management": 1, "professional": 3}
    r = rules.revenue_tier_method(revenue=D(5_000_000), levels=levels, tables=set_up)
    # equal weights: (100 + 80 + 60 + 100 + 60) ÷ 5 = 80 % of the 200,000 tier
    assert r.base_limit == D(200_000) and r.weighted_percentage == 80 and r.credit_line == D(160_000)
    missing = rules.revenue_tier_method(revenue=D(5_000_000), levels={"revenue": 1}, tables=set_up)
    assert missing.problem.code == "assessment_missing" and missing.problem.input == "level_goodwill"


def test_caps_apply_to_the_other_methods_when_given():
    r = rules.collections_method(monthly=[D(100_000)] * 6, credit_days=30, weights=[D(1)] * 6,
                                 caps=rules.Caps(net_assets=D(-5), working_capital=D(50_000)))
    assert r.credit_line == 0 and "cap_net_assets_not_positive" in [n.code for n in r.notes]


@pytest.mark.parametrize("due, paid, expected", [
    (datetime.date(2026, 1, 10), [(datetime.date(2026, 1, 13), D(120_000))], D(360_000)),  # §11: 3 days late
    (datetime.date(2026, 1, 10), [], D(120_000) * 80),  # unpaid: 11 Jan … 31 Mar
    (datetime.date(2025, 12, 20), [(datetime.date(2026, 1, 5), D(120_000))], D(120_000) * 5),  # only inside
    (datetime.date(2026, 1, 10), [(datetime.date(2026, 1, 12), D(20_000)), (datetime.date(2026, 1, 15), D(100_000))],
     D(120_000) * 2 + D(100_000) * 3),
    (datetime.date(2026, 1, 10), [(datetime.date(2026, 1, 10), D(120_000))], D(0)),  # paid on the due date
    (datetime.date(2026, 3, 31), [], D(0)),  # falls due on the last day
])
def test_amount_days(due, paid, expected):
    assert rules.amount_days(D(120_000), due, paid, datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)) == expected


def test_amount_days_with_a_bounced_payment():
    paid = [(datetime.date(2026, 1, 11), D(120_000)), (datetime.date(2026, 1, 20), D(-120_000)),
            (datetime.date(2026, 1, 25), D(120_000))]
    # unpaid day 11; paid 12–20; reversed: unpaid 21–25 again
    assert rules.amount_days(D(120_000), datetime.date(2026, 1, 10), paid, datetime.date(2026, 1, 1),
                             datetime.date(2026, 3, 31)) == D(120_000) * 6
