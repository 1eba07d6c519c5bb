"""Pure credit-limit calculators (SPEC §5.6): the working-capital, sales-volume, collections and revenue-tier
methods. No Django and no database: Decimals in, a result out that names every intermediate figure after the
SPEC quantity, lists the steps for display, and — when a figure cannot be computed — says why, naming the
input. Such a result has `problem` set; it is never a crash and never a silent 0.

Inputs are assumed valid (limits/inputs.py checks what a person typed). Messages are codes with the input
they concern; limits/present.py words them in the user's language. Money keeps full precision here and is
rounded to cents only when shown or stored.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal, localcontext
from typing import ClassVar

GRADES = ("AA", "A", "BB", "B", "C", "D")
NOT_RATED = "NR"
ALL_GRADES = (*GRADES, NOT_RATED)
ZERO = Decimal(0)
HUNDRED = Decimal(100)
CONTEXT = Context(prec=50)

WORKING_CAPITAL = "working_capital"
SALES_VOLUME = "sales_volume"
COLLECTIONS = "collections"
REVENUE_TIER = "revenue_tier"
METHODS = (WORKING_CAPITAL, SALES_VOLUME, COLLECTIONS, REVENUE_TIER)


# ------------------------------------------------------------------------------------------------ tables


@dataclass(frozen=True)
class Bracket:
    """One row of a banded table: values up to and including `up_to` (None: no upper bound) give `value`."""

    up_to: Decimal | None
    value: Decimal


@dataclass(frozen=True)
class BracketTable:
    """Rows in rising order of `up_to`; the last row is open. Row i holds up_to[i-1] < x ≤ up_to[i]."""

    rows: tuple[Bracket, ...]

    def find(self, x: Decimal) -> int:
        for i, row in enumerate(self.rows):
            if row.up_to is None or x <= row.up_to:
                return i
        raise LookupError("the table has no open last row")

    def row_text(self, i: int, var: str = "v") -> str:
        """The row's band as written in the SPEC: "v ≤ -4.6", "-4.6 < v ≤ -3.9", "v > 1.7"."""
        upper = self.rows[i].up_to
        lower = self.rows[i - 1].up_to if i > 0 else None
        if lower is None and upper is None:
            return f"any {var}"
        if lower is None:
            return f"{var} ≤ {upper:f}"
        if upper is None:
            return f"{var} > {lower:f}"
        return f"{lower:f} < {var} ≤ {upper:f}"


@dataclass(frozen=True)
class GradeCorrection:
    """Table 3-8: the adjustment in % (+50 raises by half), and the one used when the figure looks high
    for the grade (None: do not adjust; review the statements and recompute)."""

    grade: str
    adjustment: Decimal
    high_adjustment: Decimal | None


@dataclass(frozen=True)
class GradeFit:
    """When a computed limit "fits" a grade: its table 3-7 percentage lies in [min, max] and, if set, the limit
    is at most max_limit. Outside, the statements and the grade disagree: review the statements and recompute."""

    grade: str
    min_percentage: Decimal
    max_percentage: Decimal
    max_limit: Decimal | None = None


@dataclass(frozen=True)
class WorkingCapitalTables:
    evaluation: BracketTable                    # table 3-7: evaluation value → %
    corrections: dict[str, GradeCorrection]     # table 3-8 for AA, A, BB, B, C (D cancels, NR: none)
    fit: dict[str, GradeFit]


@dataclass(frozen=True)
class SalesVolumeTables:
    grade_factors: dict[str, Decimal]           # table 3-10: grade → %
    record: BracketTable                        # table 3-11: overdue amount × days (¥·days) → %


@dataclass(frozen=True)
class AssessmentItem:
    code: str
    weight: Decimal
    label: str = ""


@dataclass(frozen=True)
class RevenueTierTables:
    tiers: BracketTable                         # annual revenue → base limit (¥); empty until set up
    items: tuple[AssessmentItem, ...]
    level_percentages: dict[int, Decimal]       # level → %


@dataclass(frozen=True)
class Caps:
    """SPEC §5.6: a limit may exceed neither the customer's net assets nor its working capital."""

    net_assets: Decimal | None = None
    working_capital: Decimal | None = None


# ------------------------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class Note:
    """A fact about the computation, worded by present.py: a reason it cannot compute, a warning, a flag."""

    code: str
    input: str = ""
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """One line of the working: the quantity (key, with a subject such as a month or an item), the figures
    that went in, and its value. kind says how to show the value: money, ratio, percentage, factor, days,
    amount_days, level, weight or text."""

    key: str
    value: Decimal | str | int | None
    kind: str
    working: str = ""
    subject: str = ""


@dataclass
class Result:
    METHOD: ClassVar[str] = ""
    # (name, kind) of the named figures, in the order they are shown and serialised.
    FIGURES: ClassVar[tuple[tuple[str, str], ...]] = ()

    steps: list[Step] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    problem: Note | None = None
    review_required: bool = False
    capped_by: str | None = None
    credit_line: Decimal | None = None

    @property
    def method(self) -> str:
        return self.METHOD

    @property
    def outcome(self) -> str:
        return "cannot_compute" if self.problem else "ok"

    @property
    def ok(self) -> bool:
        return self.problem is None

    def step(self, key, value, kind, working="", subject=""):
        self.steps.append(Step(key, value, kind, working, subject))
        return value

    def note(self, code, input="", **params):
        self.notes.append(Note(code, input, params))

    def fail(self, code, input="", **params):
        self.problem = Note(code, input, params)
        return self

    def figures(self) -> dict:
        return {name: getattr(self, name) for name, _kind in self.FIGURES}


@dataclass
class WorkingCapitalResult(Result):
    METHOD: ClassVar[str] = WORKING_CAPITAL
    FIGURES: ClassVar = (
        ("current_assets", "money"), ("inventory", "money"), ("current_liabilities", "money"),
        ("total_liabilities", "money"), ("net_assets", "money"),
        ("working_capital", "money"), ("working_assets", "money"), ("current_ratio", "ratio"),
        ("quick_ratio", "ratio"), ("short_term_debt_ratio", "ratio"), ("debt_ratio", "ratio"),
        ("evaluation_value", "ratio"), ("percentage", "percentage"), ("percentage_row", "text"),
        ("limit", "money"), ("fits_grade", "bool"), ("grade", "text"), ("figure_high", "bool"),
        ("grade_factor", "factor"), ("grade_corrected", "money"), ("supplier_share", "factor"),
        ("supplier_corrected", "money"), ("cap_net_assets", "money"), ("cap_working_capital", "money"),
        ("capped_by", "text"), ("credit_line", "money"), ("review_required", "bool"),
    )

    current_assets: Decimal = ZERO
    inventory: Decimal = ZERO
    current_liabilities: Decimal = ZERO
    total_liabilities: Decimal = ZERO
    net_assets: Decimal = ZERO
    grade: str | None = None
    figure_high: bool = False
    supplier_share: Decimal | None = None
    working_capital: Decimal | None = None
    working_assets: Decimal | None = None
    current_ratio: Decimal | None = None
    quick_ratio: Decimal | None = None
    short_term_debt_ratio: Decimal | None = None
    debt_ratio: Decimal | None = None
    evaluation_value: Decimal | None = None
    percentage: Decimal | None = None
    percentage_row: str | None = None
    limit: Decimal | None = None
    fits_grade: bool | None = None
    grade_factor: Decimal | None = None
    grade_corrected: Decimal | None = None
    supplier_corrected: Decimal | None = None
    cap_net_assets: Decimal | None = None
    cap_working_capital: Decimal | None = None


@dataclass
class SalesVolumeResult(Result):
    METHOD: ClassVar[str] = SALES_VOLUME
    FIGURES: ClassVar = (
        ("quarter_orders", "money"), ("credit_days", "days"), ("limit", "money"), ("grade", "text"),
        ("grade_factor", "factor"), ("overdue_amount_days", "amount_days"), ("record_row", "text"),
        ("record_factor", "factor"), ("risk_factor", "factor"), ("cap_net_assets", "money"),
        ("cap_working_capital", "money"), ("capped_by", "text"), ("credit_line", "money"),
        ("review_required", "bool"),
    )

    quarter_orders: Decimal = ZERO
    credit_days: int = 0
    grade: str | None = None
    overdue_amount_days: Decimal | None = None
    limit: Decimal | None = None
    grade_factor: Decimal | None = None
    record_row: str | None = None
    record_factor: Decimal | None = None
    risk_factor: Decimal | None = None
    cap_net_assets: Decimal | None = None
    cap_working_capital: Decimal | None = None


@dataclass
class CollectionsResult(Result):
    METHOD: ClassVar[str] = COLLECTIONS
    FIGURES: ClassVar = (
        ("monthly", "money_list"), ("weights", "weight_list"), ("credit_days", "days"), ("weighted_sum", "money"),
        ("weight_total", "weight"), ("weighted_average", "money"), ("limit", "money"),
        ("cap_net_assets", "money"), ("cap_working_capital", "money"), ("capped_by", "text"),
        ("credit_line", "money"), ("review_required", "bool"),
    )

    monthly: tuple[Decimal, ...] = ()
    weights: tuple[Decimal, ...] = ()
    credit_days: int = 0
    weighted_sum: Decimal | None = None
    weight_total: Decimal | None = None
    weighted_average: Decimal | None = None
    limit: Decimal | None = None
    cap_net_assets: Decimal | None = None
    cap_working_capital: Decimal | None = None


@dataclass
class RevenueTierResult(Result):
    METHOD: ClassVar[str] = REVENUE_TIER
    FIGURES: ClassVar = (
        ("revenue", "money"), ("revenue_tier_row", "text"), ("base_limit", "money"), ("levels", "levels"),
        ("weighted_percentage", "percentage"), ("limit", "money"), ("cap_net_assets", "money"),
        ("cap_working_capital", "money"), ("capped_by", "text"), ("credit_line", "money"),
        ("review_required", "bool"),
    )

    revenue: Decimal | None = None
    levels: dict = field(default_factory=dict)
    revenue_tier_row: str | None = None
    base_limit: Decimal | None = None
    weighted_percentage: Decimal | None = None
    limit: Decimal | None = None
    cap_net_assets: Decimal | None = None
    cap_working_capital: Decimal | None = None


# ------------------------------------------------------------------------------------------------ formatting


def plain(value: Decimal) -> str:
    """A table bound or factor without trailing zeros: 250000, -4.6, 1.2."""
    text = f"{value.normalize():f}"
    return text


def amount(value: Decimal) -> str:
    return f"{value:,.2f}"


def ratio(value: Decimal) -> str:
    return f"{value:.5f}"


def pct(value: Decimal) -> str:
    text = plain(value)
    return (text if "." in text else text + ".0") + " %"


# ------------------------------------------------------------------------------------------------ data


def amount_days(amount_due: Decimal, due_date, allocations, start, end) -> Decimal:
    """Overdue amount × days overdue (¥·days) of one invoice within [start, end]: the sum, over each day after
    the due date, of what was still unpaid that day. A payment dated P counts from the day after P, so an
    invoice paid in full 3 days late gives amount × 3. allocations: (date, amount), reversals negative."""
    one = type(end - start)(days=1)
    day = max(due_date + one, start)
    if day > end:
        return ZERO
    outstanding = amount_due - sum((a for d, a in allocations if d < day), ZERO)
    total = ZERO
    for paid_on, paid in sorted((d, a) for d, a in allocations if d >= day):
        last = min(paid_on, end)
        if last >= day:
            total += max(outstanding, ZERO) * ((last - day).days + 1)
            day = last + one
        outstanding -= paid
        if day > end:
            return total
    return total + max(outstanding, ZERO) * ((end - day).days + 1)


# ------------------------------------------------------------------------------------------------ methods


def _apply_caps(r: Result, amount_in: Decimal, caps: Caps | None) -> Decimal:
    """min(amount, net assets, working capital); working capital ≤ 0 caps at 0 and asks for the net assets."""
    if caps is None or (caps.net_assets is None and caps.working_capital is None):
        return amount_in
    result = amount_in
    if caps.net_assets is not None:
        r.cap_net_assets = r.step("cap_net_assets", caps.net_assets, "money", amount(caps.net_assets))
        if caps.net_assets < result:
            result, r.capped_by = max(caps.net_assets, ZERO), "net_assets"
    if caps.working_capital is not None:
        cap = max(caps.working_capital, ZERO)
        r.cap_working_capital = r.step("cap_working_capital", caps.working_capital, "money",
                                       amount(caps.working_capital))
        if cap < result:
            result, r.capped_by = cap, "working_capital"
        if caps.working_capital <= 0:
            r.note("working_capital_not_positive", "working_capital", working_capital=caps.working_capital)
            r.review_required = True
    if caps.net_assets is not None and caps.net_assets <= 0:
        r.note("cap_net_assets_not_positive", "net_assets", net_assets=caps.net_assets)
        r.review_required = True
    elif r.capped_by == "net_assets" or (r.capped_by == "working_capital" and caps.working_capital > 0):
        r.note(f"capped_by_{r.capped_by}", r.capped_by, cap=result, before=amount_in)
    return result


def _min_working(r: Result, before: Decimal) -> str:
    figures = [amount(before)] + [amount(max(x, ZERO)) for x in (r.cap_net_assets, r.cap_working_capital)
                                  if x is not None]
    return f"min({', '.join(figures)})"


def working_capital_method(*, current_assets: Decimal, inventory: Decimal, current_liabilities: Decimal,
                           total_liabilities: Decimal, net_assets: Decimal, tables: WorkingCapitalTables,
                           grade: str | None = None, supplier_share: Decimal | None = None,
                           figure_high: bool = False) -> WorkingCapitalResult:
    """SPEC §5.6 method 1 (营运资产法), steps 1–5, then the net-assets and working-capital caps."""
    r = WorkingCapitalResult(current_assets=current_assets, inventory=inventory,
                             current_liabilities=current_liabilities, total_liabilities=total_liabilities,
                             net_assets=net_assets, grade=grade, supplier_share=supplier_share,
                             figure_high=figure_high)
    ca, inv, cl, tl, na = current_assets, inventory, current_liabilities, total_liabilities, net_assets
    with localcontext(CONTEXT):
        wc = r.working_capital = r.step("working_capital", ca - cl, "money", f"{amount(ca)} − {amount(cl)}")
        wa = r.working_assets = r.step("working_assets", (wc + na) / 2, "money",
                                       f"({amount(wc)} + {amount(na)}) ÷ 2")
        if cl == 0:
            return r.fail("current_liabilities_zero", "current_liabilities")
        cr = r.current_ratio = r.step("current_ratio", ca / cl, "ratio", f"{amount(ca)} ÷ {amount(cl)}")
        qr = r.quick_ratio = r.step("quick_ratio", (ca - inv) / cl, "ratio",
                                    f"({amount(ca)} − {amount(inv)}) ÷ {amount(cl)}")
        if na <= 0:
            return r.fail("net_assets_not_positive", "net_assets", net_assets=na)
        sd = r.short_term_debt_ratio = r.step("short_term_debt_ratio", cl / na, "ratio",
                                              f"{amount(cl)} ÷ {amount(na)}")
        dr = r.debt_ratio = r.step("debt_ratio", tl / na, "ratio", f"{amount(tl)} ÷ {amount(na)}")
        v = r.evaluation_value = r.step("evaluation_value", cr + qr - sd - dr, "ratio",
                                        f"{ratio(cr)} + {ratio(qr)} − {ratio(sd)} − {ratio(dr)}")
        if not tables.evaluation.rows:
            return r.fail("table_missing", "evaluation_table", table="evaluation_table")
        row = tables.evaluation.find(v)
        r.percentage_row = tables.evaluation.row_text(row)
        p = r.percentage = r.step("percentage", tables.evaluation.rows[row].value, "percentage",
                                  f"{r.percentage_row}", subject=r.percentage_row)
        if wa < 0:
            r.note("working_assets_negative", "working_assets", working_assets=wa)
        limit = r.limit = r.step("limit", max(wa, ZERO) * p / HUNDRED, "money", f"{amount(max(wa, ZERO))} × {pct(p)}")
        _check_fit(r, tables)
        corrected = _grade_correction(r, tables)
        if corrected is None:
            return r
        r.grade_corrected = r.step("grade_corrected", corrected, "money",
                                   f"{amount(limit)} × {plain(r.grade_factor)}" if r.grade_factor is not None
                                   else amount(limit))
        if supplier_share is None:
            r.supplier_corrected = corrected
        else:
            r.step("supplier_share", supplier_share, "factor", plain(supplier_share))
            r.supplier_corrected = r.step("supplier_corrected", corrected * supplier_share, "money",
                                          f"{amount(corrected)} × {plain(supplier_share)}")
        line = _apply_caps(r, r.supplier_corrected, Caps(net_assets=na, working_capital=wc))
        r.credit_line = r.step("credit_line", line, "money", _min_working(r, r.supplier_corrected))
    return r


def _check_fit(r: WorkingCapitalResult, tables: WorkingCapitalTables):
    """Does the figure fit the grade? If not, flag it: the statements must be reviewed and the limit recomputed."""
    fit = tables.fit.get(r.grade or "")
    if fit is None:
        return
    high = r.percentage > fit.max_percentage or (fit.max_limit is not None and r.limit > fit.max_limit)
    low = r.percentage < fit.min_percentage
    r.fits_grade = not (high or low)
    params = {"grade": r.grade, "percentage": r.percentage, "min_percentage": fit.min_percentage,
              "max_percentage": fit.max_percentage, "max_limit": fit.max_limit, "limit": r.limit}
    correction = tables.corrections.get(r.grade)
    if high:
        r.note("figure_looks_high", "grade", high_adjustment=getattr(correction, "high_adjustment", None), **params)
    elif low:
        r.note("figure_looks_low", "grade", **params)
    if high or low:
        r.review_required = True


def _grade_correction(r: WorkingCapitalResult, tables: WorkingCapitalTables) -> Decimal | None:
    """Table 3-8. Returns the corrected limit, or None when the computation stops (a missing row)."""
    grade, limit = r.grade, r.limit
    if grade is None:
        r.note("no_grade", "grade")
        return limit
    if grade == NOT_RATED:
        r.note("not_rated", "grade")
        r.review_required = True
        return limit
    if grade == "D":
        r.grade_factor = r.step("grade_factor", ZERO, "factor", "D", subject="D")
        r.note("grade_d_cancels", "grade")
        return ZERO
    correction = tables.corrections.get(grade)
    if correction is None:
        r.fail("table_row_missing", "grade", table="grade_corrections", grade=grade)
        return None
    adjustment = correction.adjustment
    if r.figure_high:
        r.review_required = True
        if correction.high_adjustment is None:
            adjustment = ZERO
            r.note("figure_high_no_adjustment", "figure_high", grade=grade, adjustment=correction.adjustment)
        else:
            adjustment = correction.high_adjustment
            r.note("figure_high_applied", "figure_high", grade=grade, adjustment=adjustment)
    factor = (HUNDRED + adjustment) / HUNDRED
    sign = "+" if adjustment >= 0 else ""
    r.grade_factor = r.step("grade_factor", factor, "factor", f"{grade}: {sign}{pct(adjustment)}", subject=grade)
    return limit * factor


def sales_volume_method(*, quarter_orders: Decimal, credit_days: int, tables: SalesVolumeTables,
                        grade: str | None = None, overdue_amount_days: Decimal | None = None,
                        caps: Caps | None = None) -> SalesVolumeResult:
    """SPEC §5.6 method 2 (销售量法): limit = quarter orders × credit days / 90; credit line = limit × the
    factor of table 3-10 (grade), 3-11 (credit record), or both (their product) — whichever inputs are given."""
    r = SalesVolumeResult(quarter_orders=quarter_orders, credit_days=credit_days, grade=grade,
                          overdue_amount_days=overdue_amount_days)
    with localcontext(CONTEXT):
        r.step("quarter_orders", quarter_orders, "money", amount(quarter_orders))
        r.step("credit_days", credit_days, "days", str(credit_days))
        limit = r.limit = r.step("limit", quarter_orders * credit_days / 90, "money",
                                 f"{amount(quarter_orders)} × {credit_days} ÷ 90")
        factors = []
        if grade is not None:
            if grade == NOT_RATED:
                return r.fail("grade_not_rated", "grade")
            if grade not in tables.grade_factors:
                return r.fail("table_row_missing", "grade", table="grade_factors", grade=grade)
            r.grade_factor = tables.grade_factors[grade] / HUNDRED
            factors.append(r.step("grade_factor", r.grade_factor, "factor", f"{grade}: {pct(tables.grade_factors[grade])}",
                                  subject=grade))
        if overdue_amount_days is not None:
            if not tables.record.rows:
                return r.fail("table_missing", "record_factors", table="record_factors")
            r.step("overdue_amount_days", overdue_amount_days, "amount_days", amount(overdue_amount_days))
            row = tables.record.find(overdue_amount_days)
            r.record_row = tables.record.row_text(row, "x")
            r.record_factor = tables.record.rows[row].value / HUNDRED
            factors.append(r.step("record_factor", r.record_factor, "factor",
                                  f"{r.record_row}: {pct(tables.record.rows[row].value)}", subject=r.record_row))
        if not factors:
            r.note("no_risk_correction")
        risk = Decimal(1)
        for f in factors:
            risk *= f
        r.risk_factor = r.step("risk_factor", risk, "factor", " × ".join(plain(f) for f in factors) or "1")
        line = _apply_caps(r, limit * risk, caps)
        r.credit_line = r.step("credit_line", line, "money", f"{amount(limit)} × {plain(risk)}" if r.capped_by is None
                               else _min_working(r, limit * risk))
    return r


def collections_method(*, monthly: Sequence[Decimal], credit_days: int, weights: Sequence[Decimal],
                       caps: Caps | None = None) -> CollectionsResult:
    """SPEC §5.6 method 3 (回款额法): weighted average of the monthly collections (newest first) × days / 30."""
    if len(monthly) != len(weights) or not weights:
        raise ValueError("one weight per month")
    r = CollectionsResult(monthly=tuple(monthly), weights=tuple(weights), credit_days=credit_days)
    with localcontext(CONTEXT):
        for n, (m, w) in enumerate(zip(monthly, weights, strict=True), start=1):
            r.step("monthly_collection", m, "money", f"{amount(m)} × {plain(w)}", subject=str(n))
        total_w = r.weight_total = r.step("weight_total", sum(weights, ZERO), "weight",
                                          " + ".join(plain(w) for w in weights))
        if total_w <= 0:
            return r.fail("weights_zero", "weights")
        ws = r.weighted_sum = r.step("weighted_sum", sum((m * w for m, w in zip(monthly, weights, strict=True)), ZERO),
                                     "money", " + ".join(f"{amount(m)} × {plain(w)}" for m, w in zip(monthly, weights,
                                                                                                     strict=True)))
        avg = r.weighted_average = r.step("weighted_average", ws / total_w, "money",
                                          f"{amount(ws)} ÷ {plain(total_w)}")
        r.step("credit_days", credit_days, "days", str(credit_days))
        limit = r.limit = r.step("limit", avg * credit_days / 30, "money", f"{amount(avg)} × {credit_days} ÷ 30")
        if not any(monthly):
            r.note("no_collections", "monthly")
        line = _apply_caps(r, limit, caps)
        r.credit_line = r.step("credit_line", line, "money",
                               amount(limit) if r.capped_by is None else _min_working(r, limit))
    return r


def revenue_tier_method(*, revenue: Decimal | None, levels: dict[str, int], tables: RevenueTierTables,
                        caps: Caps | None = None) -> RevenueTierResult:
    """SPEC §5.6 method 4 (基础信用额度法): base limit of the revenue tier × the weighted average of the
    assessment items' level percentages. Refuses until the company has set up its revenue tiers."""
    r = RevenueTierResult(revenue=revenue, levels=dict(levels))
    with localcontext(CONTEXT):
        if not tables.tiers.rows:
            return r.fail("revenue_tiers_empty", "revenue_tiers")
        if not tables.items or sum((i.weight for i in tables.items), ZERO) <= 0:
            return r.fail("table_missing", "assessment_items", table="assessment_items")
        if revenue is None:
            return r.fail("revenue_missing", "revenue")
        r.step("revenue", revenue, "money", amount(revenue))
        row = tables.tiers.find(revenue)
        r.revenue_tier_row = tables.tiers.row_text(row, "x")
        base = r.base_limit = r.step("base_limit", tables.tiers.rows[row].value, "money", r.revenue_tier_row,
                                     subject=r.revenue_tier_row)
        weighted, total_w = ZERO, ZERO
        for item in tables.items:
            level = levels.get(item.code)
            if level is None:
                return r.fail("assessment_missing", f"level_{item.code}", item=item.code, label=item.label)
            if level not in tables.level_percentages:
                return r.fail("level_unknown", f"level_{item.code}", item=item.code, level=level, label=item.label)
            p = tables.level_percentages[level]
            r.step("item_percentage", p, "percentage", f"level {level} → {pct(p)} × {plain(item.weight)}",
                   subject=item.label or item.code)
            weighted += p * item.weight
            total_w += item.weight
        wp = r.weighted_percentage = r.step("weighted_percentage", weighted / total_w, "percentage",
                                            f"{plain(weighted)} ÷ {plain(total_w)}")
        limit = r.limit = r.step("limit", base * wp / HUNDRED, "money", f"{amount(base)} × {pct(wp.quantize(Decimal('0.01')))}")
        line = _apply_caps(r, limit, caps)
        r.credit_line = r.step("credit_line", line, "money",
                               amount(limit) if r.capped_by is None else _min_working(r, limit))
    return r
