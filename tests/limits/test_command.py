"""`credo credit-limit …`: SPEC §11 as JSON, the text table, exit 1 for "cannot compute", exit 2 naming the
option for bad input."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from credo.cli import translate

pytestmark = pytest.mark.django_db

SECTION_11 = ["--current-assets", "5000000", "--inventory", "1500000", "--current-liabilities", "2500000",
              "--total-liabilities", "4000000", "--net-assets", "6000000"]


def run(*args):
    out = io.StringIO()
    call_command("credit_limit", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_dashed_name_reaches_the_command():
    assert translate(["credit-limit", "working-capital", "--format", "json"]) == [
        "credit_limit", "working-capital", "--format", "json"]


def test_section_11_working_capital_json():
    doc = json.loads(run("working-capital", *SECTION_11, "--grade", "A", "--supplier-share", "0.4", "--format", "json"))
    expected = {"outcome": "ok", "working_capital": "2500000.00", "working_assets": "4250000.00",
                "current_ratio": "2.00000", "quick_ratio": "1.40000", "short_term_debt_ratio": "0.41667",
                "debt_ratio": "0.66667", "evaluation_value": "2.31667", "percentage": "25.0", "limit": "1062500.00",
                "grade": "A", "grade_factor": "1.20", "grade_corrected": "1275000.00", "supplier_share": "0.40",
                "supplier_corrected": "510000.00", "credit_line": "510000.00"}
    assert {k: doc[k] for k in expected} == expected
    assert doc["policy"]["valid_from"] == "2000-01-01" and doc["method"] == "working_capital"
    assert [s["key"] for s in doc["steps"]][:3] == ["working_capital", "working_assets", "current_ratio"]
    assert all({"label", "formula", "working", "value"} <= set(s) for s in doc["steps"])


def test_section_11_sales_volume_json():
    doc = json.loads(run("sales-volume", "--quarter-orders", "900000", "--credit-days", "30", "--format", "json"))
    assert doc["limit"] == "300000.00" and doc["credit_line"] == "300000.00"
    doc = json.loads(run("sales-volume", "--quarter-orders", "900000", "--credit-days", "30", "--grade", "BB",
                         "--format", "json"))
    assert doc["credit_line"] == "150000.00"
    doc = json.loads(run("sales-volume", "--quarter-orders", "900000", "--credit-days", "30", "--grade", "BB",
                         "--overdue-amount-days", "360000", "--format", "json"))
    assert (doc["grade_factor"], doc["record_factor"], doc["credit_line"]) == ("0.50", "0.50", "75000.00")


def test_collections_json_and_weights():
    doc = json.loads(run("collections", "--monthly", "60000", "50000", "40000", "30000", "20000", "10000",
                         "--credit-days", "30", "--format", "json"))
    assert doc["weighted_average"] == "43333.33" and doc["credit_line"] == "43333.33" and doc["credit_days"] == 30
    doc = json.loads(run("collections", "--monthly", "60000,50000,40000", "--weights", "1,1,1", "--credit-days", "60",
                         "--format", "json"))
    assert doc["weights"] == ["1", "1", "1"] and doc["credit_line"] == "100000.00"


def test_text_format_shows_the_steps_as_a_table():
    text = run("working-capital", *SECTION_11, "--grade", "A", "--supplier-share", "0.4")
    assert "Evaluation value" in text and "2.31667" in text and "¥510,000.00" in text
    assert "4,250,000.00 × 25.0 %" in text


def test_cannot_compute_exits_1_with_the_reason_in_json():
    out = io.StringIO()
    args = ["working-capital", "--current-assets", "100", "--inventory", "0", "--current-liabilities", "0",
            "--total-liabilities", "0", "--net-assets", "100", "--format", "json"]
    with pytest.raises(CommandError) as exc:
        call_command("credit_limit", *args, stdout=out, stderr=io.StringIO())
    assert exc.value.returncode == 1
    doc = json.loads(out.getvalue())
    assert doc["outcome"] == "cannot_compute" and doc["input"] == "current_liabilities"
    assert "current liabilities are 0" in doc["reason"]


def test_revenue_tier_refuses_until_set_up():
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("credit_limit", "revenue-tier", "--revenue", "5000000", "--format", "json", stdout=out,
                     stderr=io.StringIO())
    assert exc.value.returncode == 1 and json.loads(out.getvalue())["reason_code"] == "revenue_tiers_empty"


@pytest.mark.parametrize("args, option", [
    (["working-capital", *SECTION_11[:-2], "--format", "json"], "--net-assets"),
    (["working-capital", *SECTION_11[:-1], "lots", "--format", "json"], "--net-assets"),
    (["working-capital", *SECTION_11, "--grade", "AAA"], "--grade"),
    (["working-capital", *SECTION_11, "--supplier-share", "40"], "--supplier-share"),
    (["working-capital", *[a if a != "1500000" else "6000000" for a in SECTION_11]], "--inventory"),
    (["working-capital", *[a if a != "-1" else a for a in SECTION_11[:2]], "--inventory", "-1"], "--inventory"),
    (["working-capital", *SECTION_11, "--format", "xml"], "--format"),
    (["sales-volume", "--quarter-orders", "900000", "--credit-days", "0"], "--credit-days"),
    (["sales-volume", "--quarter-orders", "900000", "--credit-days", "30.5"], "--credit-days"),
    (["sales-volume", "--credit-days", "30"], "--quarter-orders"),
    (["sales-volume", "--quarter-orders", "9", "--overdue-amount-days", "-5"], "--overdue-amount-days"),
    (["collections", "--monthly", "1", "2", "3", "--credit-days", "30"], "--monthly"),
    (["collections", "--monthly", "1", "2", "3", "4", "5", "x", "--credit-days", "30"], "--monthly"),
    (["collections", "--monthly", "1", "2", "--weights", "0,0"], "--weights"),
    (["working-capital", *SECTION_11, "--as-of", "2026-02-30"], "--as-of"),
    ([], "working-capital"),
])
def test_bad_input_exits_2_naming_the_option(args, option):
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert exc.value.returncode == 2 and option in str(exc.value), str(exc.value)
