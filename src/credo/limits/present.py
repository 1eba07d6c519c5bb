"""A computation as people and programs read it: the JSON document (CLI, API, stored result), the worked
steps with translated labels and formulas (pages), a plain-text table (CLI --format text), and the notes
worded in the user's language.

JSON: snake_case keys named after the SPEC quantities; amounts as strings with 2 decimals, ratios as strings
with 5 decimals, percentages as strings ("25.0"), factors as strings ("1.20"), days as numbers.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credo.core.money import format_money, money

from . import rules, tables

RATIO_PLACES = Decimal("0.00001")

METHOD_LABELS = {
    rules.WORKING_CAPITAL: gettext_lazy("Working-capital method (营运资产法)"),
    rules.SALES_VOLUME: gettext_lazy("Sales-volume method (销售量法)"),
    rules.COLLECTIONS: gettext_lazy("Collections method (回款额法)"),
    rules.REVENUE_TIER: gettext_lazy("Revenue-tier method (基础信用额度法)"),
}

ITEM_LABELS = {
    "revenue": gettext_lazy("Revenue (营业额)"),
    "goodwill": gettext_lazy("Goodwill (商誉)"),
    "years_in_business": gettext_lazy("Years in business (开业时间)"),
    "management": gettext_lazy("Management level (经营管理水平)"),
    "professional": gettext_lazy("Professional level (专业水平)"),
}

# key → (label, formula); (method, key) overrides for quantities whose formula differs by method.
STEP_TEXT = {
    "working_capital": (gettext_lazy("Working capital (营运资本)"),
                        gettext_lazy("current assets − current liabilities")),
    "working_assets": (gettext_lazy("Working assets (营运资产)"), gettext_lazy("(working capital + net assets) ÷ 2")),
    "current_ratio": (gettext_lazy("Current ratio (流动比率)"), gettext_lazy("current assets ÷ current liabilities")),
    "quick_ratio": (gettext_lazy("Quick ratio (速动比率)"),
                    gettext_lazy("(current assets − inventory) ÷ current liabilities")),
    "short_term_debt_ratio": (gettext_lazy("Short-term debt to net assets (短期净资产债务比率)"),
                              gettext_lazy("current liabilities ÷ net assets")),
    "debt_ratio": (gettext_lazy("Debt to net assets (净资产债务比率)"), gettext_lazy("total liabilities ÷ net assets")),
    "evaluation_value": (gettext_lazy("Evaluation value (评估值)"),
                         gettext_lazy("current ratio + quick ratio − short-term debt ratio − debt ratio")),
    "percentage": (gettext_lazy("Empirical percentage (经验性百分比率)"),
                   gettext_lazy("table 3-7, the row of the evaluation value")),
    "limit": (gettext_lazy("Credit limit (信用限额)"), gettext_lazy("working assets × percentage")),
    "grade_factor": (gettext_lazy("Grade correction (信用等级修正)"), gettext_lazy("table 3-8 for the grade")),
    "grade_corrected": (gettext_lazy("Limit after the grade correction"), gettext_lazy("limit × grade factor")),
    "supplier_share": (gettext_lazy("Our share of the customer's purchases"),
                       gettext_lazy("our position among its suppliers")),
    "supplier_corrected": (gettext_lazy("Limit after the supplier share"),
                           gettext_lazy("limit after the grade correction × our share")),
    "cap_net_assets": (gettext_lazy("Cap: net assets (净资产)"), gettext_lazy("a limit may not exceed net assets")),
    "cap_working_capital": (gettext_lazy("Cap: working capital (流动资金)"),
                            gettext_lazy("nor working capital")),
    "credit_line": (gettext_lazy("Credit line (信用额度)"), gettext_lazy("the smallest of the limit and the caps")),
    "quarter_orders": (gettext_lazy("Last quarter's orders (上季度订货量)"), gettext_lazy("order amount of the quarter")),
    "credit_days": (gettext_lazy("Standard credit period (标准信用期限)"), gettext_lazy("days")),
    (rules.SALES_VOLUME, "limit"): (gettext_lazy("Credit limit (信用限额)"),
                                    gettext_lazy("quarter orders × credit days ÷ 90")),
    (rules.SALES_VOLUME, "grade_factor"): (gettext_lazy("Risk factor by grade (table 3-10)"),
                                           gettext_lazy("table 3-10 for the grade")),
    "overdue_amount_days": (gettext_lazy("Overdue amount × days overdue (拖欠金额×拖欠天数)"), gettext_lazy("¥·days")),
    "record_factor": (gettext_lazy("Risk factor by credit record (table 3-11)"),
                      gettext_lazy("table 3-11, the row of the ¥·days")),
    "risk_factor": (gettext_lazy("Risk correction factor (风险修正系数)"),
                    gettext_lazy("product of the chosen factors")),
    (rules.SALES_VOLUME, "credit_line"): (gettext_lazy("Credit line (信用额度)"), gettext_lazy("limit × risk factor")),
    "monthly_collection": (gettext_lazy("Collections in month %(subject)s (1 = newest)"),
                           gettext_lazy("amount × weight")),
    "weight_total": (gettext_lazy("Sum of the weights"), gettext_lazy("Σ weight")),
    "weighted_sum": (gettext_lazy("Weighted sum"), gettext_lazy("Σ amount × weight")),
    "weighted_average": (gettext_lazy("Weighted average monthly collections"),
                         gettext_lazy("weighted sum ÷ sum of the weights")),
    (rules.COLLECTIONS, "limit"): (gettext_lazy("Credit limit (信用限额)"),
                                   gettext_lazy("weighted average × credit days ÷ 30")),
    "revenue": (gettext_lazy("Annual revenue (营业额)"), gettext_lazy("from the financial statement")),
    "base_limit": (gettext_lazy("Base limit (基础信用额度)"), gettext_lazy("revenue tier")),
    "item_percentage": (gettext_lazy("Assessment: %(subject)s"), gettext_lazy("level → credit %, × weight")),
    "weighted_percentage": (gettext_lazy("Weighted credit percentage"), gettext_lazy("Σ (% × weight) ÷ Σ weight")),
    (rules.REVENUE_TIER, "limit"): (gettext_lazy("Credit limit (信用限额)"),
                                    gettext_lazy("base limit × weighted percentage")),
}
for _method in (rules.SALES_VOLUME, rules.COLLECTIONS, rules.REVENUE_TIER):
    STEP_TEXT.setdefault((_method, "credit_line"), (gettext_lazy("Credit line (信用额度)"),
                                                     gettext_lazy("the limit, within the caps")))

NOTE_TEXT = {
    "current_liabilities_zero": gettext_lazy(
        "Cannot compute: current liabilities are 0, so the current ratio and the quick ratio are undefined."),
    "net_assets_not_positive": gettext_lazy(
        "Cannot compute: net assets are %(net_assets)s (zero or negative equity), so the debt ratios are undefined "
        "and a limit may not exceed net assets."),
    "table_missing": gettext_lazy("Cannot compute: the table “%(table)s” is empty. Set it up first."),
    "table_row_missing": gettext_lazy("Cannot compute: the table “%(table)s” has no row for grade %(grade)s."),
    "revenue_tiers_empty": gettext_lazy(
        "Cannot compute: set up the revenue tiers first. The seed gives no numbers; the company enters its own "
        "tiers and base limits in the credit limit policy."),
    "revenue_missing": gettext_lazy("Cannot compute: the customer's annual revenue is missing."),
    "assessment_missing": gettext_lazy("Cannot compute: grade the item “%(item)s” first."),
    "level_unknown": gettext_lazy("Cannot compute: level %(level)s of “%(item)s” has no percentage in the table."),
    "grade_not_rated": gettext_lazy(
        "Cannot compute: table 3-10 has no factor for a customer that is not rated (NR). Rate the customer, or "
        "use the credit-record table only."),
    "weights_zero": gettext_lazy("Cannot compute: the weights add up to 0."),
    "no_statement": gettext_lazy(
        "Cannot compute: the customer has no financial statement. Enter one in the credit file."),
    "no_orders": gettext_lazy(
        "Cannot compute: no confirmed or invoiced orders in %(period)s. Enter a forecast of the quarter's orders "
        "instead."),
    "no_receipts": gettext_lazy("Cannot compute: no collections in the last %(months)s full months."),
    "no_assessments": gettext_lazy(
        "Cannot compute: grade the assessment items (revenue, goodwill, years in business, management level, "
        "professional level) first."),
    "working_capital_not_positive": gettext_lazy(
        "Working capital is %(working_capital)s (zero or less): a limit may not exceed working capital, so this "
        "method gives no credit. Analyse the customer's net assets before granting any."),
    "capped_by_working_capital": gettext_lazy(
        "%(before)s is above the working capital: capped at %(cap)s. Working capital is short: analyse the net "
        "assets."),
    "capped_by_net_assets": gettext_lazy("%(before)s is above the net assets: capped at %(cap)s."),
    "cap_net_assets_not_positive": gettext_lazy(
        "Net assets are %(net_assets)s (zero or negative equity): a limit may not exceed net assets, so the credit "
        "line is 0."),
    "working_assets_negative": gettext_lazy("Working assets are %(working_assets)s, below zero: the limit is 0."),
    "figure_looks_high": gettext_lazy(
        "The figure looks high for grade %(grade)s: %(percentage)s of the working assets, where the grade fits "
        "%(min_percentage)s to %(max_percentage)s%(ceiling)s. Review the statements and recompute; if it is still "
        "too high, compute again with “figure high”%(high)s."),
    "figure_looks_low": gettext_lazy(
        "The figure looks low for grade %(grade)s: %(percentage)s of the working assets, where the grade fits "
        "%(min_percentage)s to %(max_percentage)s. Review the statements and the grade, and recompute."),
    "no_grade": gettext_lazy("No grade given: the limit is not corrected for the risk grade (table 3-8)."),
    "not_rated": gettext_lazy(
        "Not rated (NR): table 3-8 gives no recommendation, so the limit is not corrected for the grade. Rate the "
        "customer and recompute."),
    "grade_d_cancels": gettext_lazy("Grade D: table 3-8 cancels the computed limit."),
    "figure_high_applied": gettext_lazy(
        "Figure high for grade %(grade)s: the lower correction %(adjustment)s is applied."),
    "figure_high_no_adjustment": gettext_lazy(
        "Figure high for grade %(grade)s: the %(adjustment)s correction is not applied. Review the statements and "
        "recompute."),
    "grade_skipped_not_rated": gettext_lazy(
        "The customer is not rated (NR): only the credit-record table (3-11) applies."),
    "no_risk_correction": gettext_lazy(
        "No risk correction chosen (grade or credit record): the credit line equals the limit."),
    "no_collections": gettext_lazy("No collections in these months: the limit is 0."),
}

MONEY_PARAMS = {"net_assets", "working_capital", "working_assets", "cap", "before", "limit", "max_limit"}
PERCENT_PARAMS = {"percentage", "min_percentage", "max_percentage"}
SIGNED_PARAMS = {"adjustment", "high_adjustment"}


# ------------------------------------------------------------------------------------------------ values


def percentage_text(value: Decimal) -> str:
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = rules.plain(value)
    return text if "." in text else text + ".0"


def factor_text(value: Decimal) -> str:
    two = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{two:.2f}" if two == value else rules.plain(value)


def json_value(kind: str, value):
    if value is None:
        return None
    if kind in ("money", "amount_days"):
        return f"{money(value):.2f}"
    if kind == "ratio":
        return f"{value.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)}"
    if kind == "percentage":
        return percentage_text(value)
    if kind == "factor":
        return factor_text(value)
    if kind in ("weight",):
        return rules.plain(value)
    if kind == "days":
        return int(value)
    if kind == "money_list":
        return [f"{money(v):.2f}" for v in value]
    if kind == "weight_list":
        return [rules.plain(v) for v in value]
    if kind == "levels":
        return dict(value)
    if kind == "bool":
        return bool(value)
    return str(value)


def shown_value(kind: str, value) -> str:
    """A step's value on a page or in the text table."""
    if value is None:
        return "—"
    if kind == "money":
        return format_money(value)
    if kind == "amount_days":
        return f"{money(value):,.2f} ¥·d"
    if kind == "ratio":
        return json_value("ratio", value)
    if kind == "percentage":
        return percentage_text(value) + " %"
    if kind == "factor":
        return "× " + factor_text(value)
    if kind == "days":
        return str(value)
    if kind == "weight":
        return rules.plain(value)
    return str(value)


# ------------------------------------------------------------------------------------------------ words


def _param(name: str, value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str) and name in MONEY_PARAMS | PERCENT_PARAMS | SIGNED_PARAMS:
        value = Decimal(value)
    if name in MONEY_PARAMS:
        return format_money(value)
    if name in PERCENT_PARAMS:
        return percentage_text(value) + " %"
    if name in SIGNED_PARAMS:
        return ("+" if value > 0 else "") + percentage_text(value) + " %"
    if name == "table":
        return str(tables.TABLE_LABELS.get(value, value))
    return str(value)


def _safe(value):
    if isinstance(value, Decimal):
        return rules.plain(value)
    return value


def note_json(note: rules.Note) -> dict:
    return {"code": note.code, "input": note.input, "params": {k: _safe(v) for k, v in note.params.items()},
            "message": note_text(note)}


def note_text(note) -> str:
    """A note in the user's language; a stored note (dict with code, input, params) is worded again."""
    if isinstance(note, dict):
        note = rules.Note(note.get("code", ""), note.get("input", ""), note.get("params") or {})
    template = NOTE_TEXT.get(note.code)
    if template is None:
        return note.code
    params = {k: _param(k, v) for k, v in note.params.items()}
    if note.code in ("assessment_missing", "level_unknown"):
        params["item"] = item_label(note.params.get("item", ""), note.params.get("label", ""))
    if note.code == "figure_looks_high":
        high = note.params.get("high_adjustment")
        params["high"] = f" ({_param('high_adjustment', high)})" if high is not None else ""
        ceiling = note.params.get("max_limit")
        params["ceiling"] = (_(" and at most %(amount)s") % {"amount": format_money(ceiling)}) if ceiling else ""
    try:
        return str(template) % params
    except (KeyError, ValueError, TypeError):
        return str(template)


def item_label(code: str, label: str = "") -> str:
    return label or str(ITEM_LABELS.get(code, code))


def step_rows(method: str, steps) -> list[dict]:
    """The worked table: label, formula, the figures that went in, and the value as shown."""
    rows = []
    for step in steps:
        key = step["key"] if isinstance(step, dict) else step.key
        subject = (step.get("subject") if isinstance(step, dict) else step.subject) or ""
        label, formula = STEP_TEXT.get((method, key)) or STEP_TEXT.get(key) or (key, "")
        subject_text = item_label(subject) if key == "item_percentage" else subject
        label = str(label) % {"subject": subject_text} if "%(subject)s" in str(label) else str(label)
        if isinstance(step, dict):
            rows.append({"key": key, "label": label, "formula": str(formula), "working": step.get("working", ""),
                         "value": step.get("shown", step.get("value")), "kind": step.get("kind", "")})
        else:
            rows.append({"key": key, "label": label, "formula": str(formula), "working": step.working,
                         "value": shown_value(step.kind, step.value), "kind": step.kind})
    return rows


# ------------------------------------------------------------------------------------------------ documents


def inputs_json(values: dict) -> dict:
    """Typed inputs as JSON: Decimals as strings, lists kept."""
    out = {}
    for name, value in values.items():
        if isinstance(value, Decimal):
            out[name] = rules.plain(value) if name in ("supplier_share",) else f"{value:.2f}"
        elif isinstance(value, list | tuple):
            out[name] = [rules.plain(v) if isinstance(v, Decimal) else v for v in value]
        else:
            out[name] = value
    return out


def as_json(result: rules.Result, *, policy=None, values: dict | None = None) -> dict:
    """The document the CLI prints, the API returns and a stored computation keeps as its result."""
    doc: dict = {"method": result.method, "outcome": result.outcome}
    if result.problem is not None:
        doc.update(reason_code=result.problem.code, reason=note_text(result.problem), input=result.problem.input,
                   problem=note_json(result.problem))
    for name, kind in result.FIGURES:
        doc[name] = json_value(kind, getattr(result, name))
    doc["notes"] = [note_json(n) for n in result.notes]
    doc["steps"] = [
        {"key": row["key"], "label": row["label"], "formula": row["formula"], "working": row["working"],
         "value": json_value(step.kind, step.value) if step.kind not in ("text",) else step.value,
         "shown": row["value"], "kind": step.kind, "subject": step.subject}
        for step, row in zip(result.steps, step_rows(result.method, result.steps), strict=True)]
    if values is not None:
        doc["inputs"] = inputs_json(values)
    if policy is not None:
        doc["policy"] = {"id": policy.pk, "valid_from": policy.valid_from.isoformat()}
    return doc


CHART_LABELS = {
    "limit": gettext_lazy("Limit"),
    "grade_corrected": gettext_lazy("After the grade"),
    "supplier_corrected": gettext_lazy("After our share"),
    "credit_line": gettext_lazy("Credit line"),
}


def chart(result_doc: dict) -> dict:
    """Bars of the amounts from the first limit to the credit line (the corrections at a glance)."""
    keys = {rules.WORKING_CAPITAL: ("limit", "grade_corrected", "supplier_corrected", "credit_line")}.get(
        result_doc.get("method"), ("limit", "credit_line"))
    labels, values = [], []
    for key in keys:
        if result_doc.get(key) is not None:
            labels.append(str(CHART_LABELS[key]))
            values.append(result_doc[key])
    return {"labels": labels, "values": values}


def text_table(doc: dict) -> str:
    """The steps as a plain table for the terminal, then the outcome and the notes."""
    rows = [(s["label"], s["formula"], s["working"], s["shown"]) for s in doc["steps"]]
    head = (_("Step"), _("Formula"), _("Figures"), _("Value"))
    widths = [max([_width(str(h))] + [_width(str(r[i])) for r in rows]) for i, h in enumerate(head)]
    lines = [str(METHOD_LABELS.get(doc["method"], doc["method"]))]
    for row in [head, *rows]:
        cells = [_pad(str(c), w, right=(i == 3)) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
    if doc["outcome"] == "ok":
        lines.append(_("Credit line: %(amount)s") % {"amount": format_money(Decimal(doc["credit_line"]))})
    else:
        lines.append(doc["reason"])
    lines += [f"- {n['message']}" for n in doc["notes"]]
    if doc.get("policy"):
        lines.append(_("Tables: version valid from %(date)s") % {"date": doc["policy"]["valid_from"]})
    return "\n".join(lines) + "\n"


def _width(text: str) -> int:
    """Display width: Chinese characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int, right=False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap
