"""Rating calculations, pure (no Django): financial ratios, the 5C score, score tables, the scorecard
Y = Σ aᵢ·xᵢ (Σ aᵢ = 1), grade cut-offs and the quarter. Plain inputs, Decimal out.

Errors are RuleError(code, **params); the policy module turns them into messages in the user's language.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal("0")
HUNDRED = Decimal("100")
ONE = Decimal("1")
CENT = Decimal("0.01")
RATIO = Decimal("0.0001")

GRADES = ("AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C", "D")
RISK_LEVELS = ("AA", "A", "BB", "B", "C", "D")
NOT_RATED = "NR"


class RuleError(ValueError):
    def __init__(self, code: str, **params):
        super().__init__(code, params)
        self.code, self.params = code, params

    def __str__(self):
        return f"{self.code} {self.params}"


def decimal(value) -> Decimal:
    """A Decimal from a Decimal, int or str (never float, so no binary fractions enter)."""
    if isinstance(value, bool) or value is None:
        raise RuleError("not_a_number", value=value)
    if isinstance(value, float):
        value = repr(value)  # JSON numbers arrive as floats: their shortest repr is what was typed
    try:
        result = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise RuleError("not_a_number", value=value) from exc
    if not result.is_finite():
        raise RuleError("not_a_number", value=value)
    return result


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(day: datetime.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


# ---------------------------------------------------------------------------------------------- score tables


def validate_mapping(rows) -> list[list]:
    """A score table [[from, score], …]: the first "from" is null (−∞), the others ascend strictly; scores are
    0–100. Empty means "the raw value is already a 0–100 score". Returns it normalised to strings."""
    if rows in (None, "", []):
        return []
    if not isinstance(rows, list | tuple):
        raise RuleError("mapping_not_list")
    result, previous = [], None
    for i, row in enumerate(rows):
        if not isinstance(row, list | tuple) or len(row) != 2:
            raise RuleError("mapping_row_shape", row=i + 1)
        bound, score = row
        if i == 0:
            if bound is not None:
                raise RuleError("mapping_first_open", row=1)
        else:
            if bound is None:
                raise RuleError("mapping_bound_missing", row=i + 1)
            bound = decimal(bound)
            if previous is not None and bound <= previous:
                raise RuleError("mapping_not_ascending", row=i + 1)
            previous = bound
        score = decimal(score)
        if not ZERO <= score <= HUNDRED:
            raise RuleError("mapping_score_range", row=i + 1)
        result.append([None if bound is None else _plain(bound), _plain(score)])
    return result


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def map_score(raw: Decimal | None, mapping: list, missing_score) -> Decimal:
    """The 0–100 score of a raw value: the last row whose "from" it reaches (a boundary belongs to the row it
    starts); no table: the raw value itself, kept within 0–100; no raw value: the missing score."""
    if raw is None:
        return round2(decimal(missing_score))
    if not mapping:
        return round2(min(max(raw, ZERO), HUNDRED))
    score = mapping[0][1]
    for bound, row_score in mapping[1:]:
        if raw >= decimal(bound):
            score = row_score
        else:
            break
    return round2(decimal(score))


# ---------------------------------------------------------------------------------------------- weights


def weights_total(weights) -> Decimal:
    return sum((decimal(w) for w in weights), ZERO)


def check_weights(named_weights: list[tuple[str, object]]) -> list[tuple[str, Decimal]]:
    """Each weight 0–1, together exactly 1 (else RuleError naming the weights and their total)."""
    parsed = []
    for name, weight in named_weights:
        value = decimal(weight)
        if not ZERO <= value <= ONE:
            raise RuleError("weight_range", name=name, weight=_plain(value))
        parsed.append((name, value))
    total = sum((w for _n, w in parsed), ZERO)
    if total != ONE:
        listed = " + ".join(f"{name} {_plain(w)}" for name, w in parsed)
        raise RuleError("weights_sum", total=_plain(total), listed=listed)
    return parsed


# ---------------------------------------------------------------------------------------------- scorecard


@dataclass(frozen=True)
class ItemDef:
    source: str
    weight: Decimal
    mapping: list = field(default_factory=list)
    missing_score: Decimal = ZERO
    name: str = ""


@dataclass(frozen=True)
class ItemScore:
    source: str
    name: str
    raw: Decimal | None
    missing: str  # why there is no raw value ("" when there is one)
    score: Decimal
    weight: Decimal
    contribution: Decimal

    def as_dict(self) -> dict:
        """As a rating stores it (the item's name comes from the scorecard version it points at)."""
        return {"source": self.source, "raw": None if self.raw is None else str(self.raw), "missing": self.missing,
                "score": str(self.score), "weight": str(self.weight), "contribution": str(self.contribution)}


def score_card(items: list[ItemDef], values: dict[str, tuple[Decimal | None, str]]) -> tuple[list[ItemScore], Decimal]:
    """Y = Σ aᵢ·xᵢ over the items, rounded to cents and kept within 0–100."""
    scored = []
    for item in items:
        raw, missing = values.get(item.source, (None, "unknown_source"))
        score = map_score(raw, item.mapping, item.missing_score)
        scored.append(ItemScore(item.source, item.name, raw, "" if raw is not None else missing, score,
                                item.weight, item.weight * score))
    total = round2(sum((s.contribution for s in scored), ZERO))
    return scored, min(max(total, ZERO), HUNDRED)


# ---------------------------------------------------------------------------------------------- grades


def validate_cutoffs(cutoffs: list[tuple[str, object]]) -> list[tuple[str, Decimal]]:
    """Grades best first with their lowest score: strictly descending, within 0–100, the last one from 0."""
    parsed, previous = [], None
    for grade, minimum in cutoffs:
        value = decimal(minimum)
        if not ZERO <= value <= HUNDRED:
            raise RuleError("cutoff_range", grade=grade)
        if previous is not None and value >= previous:
            raise RuleError("cutoff_not_descending", grade=grade)
        parsed.append((grade, value))
        previous = value
    if parsed and parsed[-1][1] != ZERO:
        raise RuleError("cutoff_last_not_zero", grade=parsed[-1][0])
    return parsed


def grade_for(score: Decimal, cutoffs: list[tuple[str, Decimal]]) -> str:
    """The best grade whose cut-off the score reaches (cut-offs best first, as validated)."""
    for grade, minimum in cutoffs:
        if score >= minimum:
            return grade
    return cutoffs[-1][0]


def validate_risk_mapping(levels: list[tuple[str, str]]) -> None:
    """grade → risk level, grades best first: each level one of the six, never better than the grade above's."""
    previous = -1
    for grade, level in levels:
        if level not in RISK_LEVELS:
            raise RuleError("risk_level_unknown", grade=grade)
        rank = RISK_LEVELS.index(level)
        if rank < previous:
            raise RuleError("risk_level_not_monotone", grade=grade)
        previous = rank


# ---------------------------------------------------------------------------------------------- raw values


def _ratio(numerator, denominator, field_name: str, positive: bool = False) -> tuple[Decimal | None, str]:
    if numerator is None:
        return None, "blank"
    if denominator is None:
        return None, f"blank:{field_name}"
    if positive and denominator <= 0:
        return None, f"not_positive:{field_name}"
    if denominator == 0:
        return None, f"zero:{field_name}"
    return (Decimal(numerator) / Decimal(denominator)).quantize(RATIO, rounding=ROUND_HALF_UP), ""


def financial_values(st: dict | None) -> dict[str, tuple[Decimal | None, str]]:
    """The ratios of a statement (amounts as Decimal, optional ones None). Undefined ones say why."""
    codes = ("current_ratio", "quick_ratio", "cash_ratio", "debt_ratio", "debt_to_equity", "short_debt_to_equity",
             "net_margin", "return_on_equity", "net_assets")
    if st is None:
        return {f"fin.{c}": (None, "no_statement") for c in codes}
    ca, cl, na = st["current_assets"], st["current_liabilities"], st["net_assets"]
    total_assets = st.get("total_assets")
    if total_assets is None:
        total_assets = st["total_liabilities"] + na  # assets = liabilities + equity
    cash = st.get("cash")
    profit = st.get("net_profit")
    values = {
        "current_ratio": _ratio(ca, cl, "current_liabilities"),
        "quick_ratio": _ratio(ca - (st.get("inventory") or ZERO), cl, "current_liabilities"),
        "cash_ratio": _ratio(cash, cl, "current_liabilities") if cash is not None else (None, "blank:cash"),
        "debt_ratio": _ratio(st["total_liabilities"], total_assets, "total_assets", positive=True),
        "debt_to_equity": _ratio(st["total_liabilities"], na, "net_assets", positive=True),
        "short_debt_to_equity": _ratio(cl, na, "net_assets", positive=True),
        "net_margin": (_ratio(profit, st.get("revenue"), "revenue", positive=True) if profit is not None
                       else (None, "blank:net_profit")),
        "return_on_equity": (_ratio(profit, na, "net_assets", positive=True) if profit is not None
                             else (None, "blank:net_profit")),
        "net_assets": (Decimal(na), ""),
    }
    return {f"fin.{code}": value for code, value in values.items()}


def fivec_values(ev: dict | None) -> dict[str, tuple[Decimal | None, str]]:
    keys = ("score", "character", "capacity", "capital", "collateral", "condition")
    if ev is None:
        return {f"fivec.{k}": (None, "no_evaluation") for k in keys}
    return {f"fivec.{k}": (Decimal(ev[k]), "") for k in keys}


def ledger_values(ledger: dict | None) -> dict[str, tuple[Decimal | None, str]]:
    """ledger: receivable, overdue, paid (money received in the window), late_money_days (Σ amount × days
    late of that money), oldest_overdue_days, broken_promises; None when the customer has no ledger."""
    keys = ("avg_days_late", "overdue_share", "oldest_overdue_days", "broken_promises")
    if ledger is None:
        return {f"ledger.{k}": (None, "no_ledger") for k in keys}
    paid = ledger["paid"]
    avg = ((Decimal(ledger["late_money_days"]) / paid).quantize(CENT, rounding=ROUND_HALF_UP), "") if paid > 0 \
        else (None, "no_payments")
    receivable = ledger["receivable"]
    share = (min(Decimal(ledger["overdue"]) / receivable, ONE).quantize(RATIO, rounding=ROUND_HALF_UP)
             if receivable > 0 else ZERO)
    return {
        "ledger.avg_days_late": avg,
        "ledger.overdue_share": (share, ""),
        "ledger.oldest_overdue_days": (Decimal(ledger["oldest_overdue_days"]), ""),
        "ledger.broken_promises": (Decimal(ledger["broken_promises"]), ""),
    }


def checklist_values(checklist: dict | None) -> dict[str, tuple[Decimal | None, str]]:
    groups = ("operations", "finances", "payment")
    if checklist is None:
        return {"checklist.warning_signs": (None, "no_investigation"),
                **{f"checklist.warnings_{g}": (None, "no_investigation") for g in groups}}
    warnings = checklist["warnings"]
    return {"checklist.warning_signs": (Decimal(sum(warnings.get(g, 0) for g in groups)), ""),
            **{f"checklist.warnings_{g}": (Decimal(warnings.get(g, 0)), "") for g in groups}}


def raw_values(statement=None, fivec=None, ledger=None, checklist=None) -> dict[str, tuple[Decimal | None, str]]:
    return {**financial_values(statement), **fivec_values(fivec), **ledger_values(ledger),
            **checklist_values(checklist)}


# ---------------------------------------------------------------------------------------------- 5C


def dimension_score(sub_scores: dict) -> Decimal | None:
    """The mean of the assessed sub-items (None when none was); each must be 0–100."""
    assessed = []
    for name, value in sub_scores.items():
        if value in (None, ""):
            continue
        score = decimal(value)
        if not ZERO <= score <= HUNDRED:
            raise RuleError("subscore_range", name=name)
        assessed.append(score)
    if not assessed:
        return None
    return round2(sum(assessed, ZERO) / len(assessed))


def fivec_score(dimensions: dict[str, Decimal], weights: dict[str, Decimal]) -> Decimal:
    return round2(sum((Decimal(weights[d]) * dimensions[d] for d in dimensions), ZERO))
