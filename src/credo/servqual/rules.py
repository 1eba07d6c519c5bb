"""SERVQUAL scoring, pure: no Django. Figures are exact (fractions.Fraction) and rounded only to show them.

The pinned rules (issue 13, SPEC §8.1):
- every item asks expectation (E) and perception (P) on 1–7; an answer counts only when both are given;
- item gap = mean over the respondents who answered the item of (P − E);
- dimension gap = mean of the gaps of its items that somebody answered (items nobody answered are left out);
- unweighted score = mean of the dimension gaps;
- weighted score = Σ weight × dimension gap, the weights of the five dimensions summing to exactly 1.

A dimension none of whose items was answered has no gap (None). It is left out of the unweighted mean (the
mean of the dimensions that have a gap), and the weighted score is then None: its weight cannot be given to the
other dimensions without changing what the weights say. With no answer at all both scores are None.

Counts: `respondents` are those with at least one counted answer (a respondent who gave only E is not counted),
`items` the items with at least one counted answer.

Bad input is reported by code (the callers translate): see ANSWER_CODES and WEIGHT_CODES.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

DIMENSIONS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
SCALE_MIN, SCALE_MAX = 1, 7
PLACES = 4

# Codes of a bad answer: (code, field) — field is "respondent", "dimension", "item", "expectation", "perception".
ANSWER_CODES = ("required", "unknown_dimension", "not_integer", "out_of_range", "duplicate")
# Codes of bad weights or importance points.
WEIGHT_CODES = ("missing", "unknown", "duplicate", "not_number", "negative", "too_large", "sum")


class AnswerError(ValueError):
    def __init__(self, code: str, field: str, detail: str = ""):
        super().__init__(f"{field}: {code}")
        self.code, self.field, self.detail = code, field, detail


class WeightError(ValueError):
    """Bad weights (or points); `dimension` names the one at fault when there is one, `total` the sum found."""

    def __init__(self, code: str, dimension: str = "", total: Decimal | None = None):
        super().__init__(f"{code} {dimension}".strip())
        self.code, self.dimension, self.total = code, dimension, total


@dataclass(frozen=True)
class Answer:
    respondent: str
    dimension: str
    item: str
    expectation: int | None
    perception: int | None

    @property
    def counted(self) -> bool:
        return self.expectation is not None and self.perception is not None


# --- answers --------------------------------------------------------------------------------------

def parse_score(value, field: str) -> int | None:
    """A score as given (text, int or None): None when empty; else an integer 1–7 or AnswerError."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise AnswerError("not_integer", field)
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not text:
            return None
        if not text.lstrip("+-").isdigit():
            raise AnswerError("not_integer", field)
        number = int(text)
    if not SCALE_MIN <= number <= SCALE_MAX:
        raise AnswerError("out_of_range", field)
    return number


def make_answer(respondent, dimension, item, expectation, perception) -> Answer:
    """One checked answer from raw values; AnswerError names the first field at fault."""
    respondent = str(respondent or "").strip()
    if not respondent:
        raise AnswerError("required", "respondent")
    code = str(dimension or "").strip().lower()
    if not code:
        raise AnswerError("required", "dimension")
    if code not in DIMENSIONS:
        raise AnswerError("unknown_dimension", "dimension", str(dimension).strip())
    item = str(item or "").strip()
    if not item:
        raise AnswerError("required", "item")
    return Answer(respondent, code, item, parse_score(expectation, "expectation"),
                  parse_score(perception, "perception"))


def check_answers(answers: Iterable[Answer]) -> list[tuple[int, AnswerError]]:
    """Problems of a list of answers that each answer alone cannot show: the same respondent answering the
    same item twice. (index, error) pairs, in order; the error's detail is the index of the first answer."""
    seen: dict[tuple[str, str, str], int] = {}
    problems = []
    for index, a in enumerate(answers):
        key = (a.respondent, a.dimension, a.item)
        if key in seen:
            problems.append((index, AnswerError("duplicate", "item", str(seen[key]))))
        else:
            seen[key] = index
    return problems


# --- weights --------------------------------------------------------------------------------------

def _number(value, dimension: str) -> Decimal:
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            raise WeightError("not_number", dimension) from None
    if not number.is_finite():
        raise WeightError("not_number", dimension)
    if number < 0:
        raise WeightError("negative", dimension)
    return number


def check_weights(values: Mapping[str, object], *, total: Decimal = Decimal(1)) -> dict[str, Decimal]:
    """The five weights (or points when total is 100) as Decimals, each given once and summing to `total`
    exactly; WeightError otherwise."""
    unknown = [k for k in values if k not in DIMENSIONS]
    if unknown:
        raise WeightError("unknown", str(unknown[0]))
    missing = [d for d in DIMENSIONS if d not in values or str(values[d]).strip() == ""]
    if missing:
        raise WeightError("missing", missing[0])
    numbers = {d: _number(values[d], d) for d in DIMENSIONS}
    for d, number in numbers.items():
        if number > total:
            raise WeightError("too_large", d)
    found = sum(numbers.values(), Decimal(0))
    if found != total:
        raise WeightError("sum", total=found)
    return numbers


def points_to_weights(points: Mapping[str, object]) -> dict[str, Decimal]:
    """Importance points summing to 100 → weights summing to 1 (points / 100, exact)."""
    numbers = check_weights(points, total=Decimal(100))
    return {d: (p / 100).normalize() if p else Decimal(0) for d, p in numbers.items()}


def parse_weights_option(text: str) -> dict[str, Decimal]:
    """`tangibles=0.2,reliability=0.3,…` → checked weights; WeightError otherwise."""
    values: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        name = name.strip().lower()
        if not sep:
            raise WeightError("not_number", name)
        if name in values:
            raise WeightError("duplicate", name)
        values[name] = value.strip()
    return check_weights(values)


# --- scoring --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ItemGap:
    dimension: str
    item: str
    respondents: int
    expectation: Fraction   # mean E of the counted answers
    perception: Fraction    # mean P of the counted answers
    gap: Fraction           # mean (P − E)


@dataclass(frozen=True)
class Score:
    items: list[ItemGap]
    dimensions: dict[str, Fraction | None]
    unweighted: Fraction | None
    weighted: Fraction | None
    respondents: int
    weights: dict[str, Decimal] = field(default_factory=dict)

    @property
    def item_count(self) -> int:
        return len(self.items)


def score(answers: Iterable[Answer], weights: Mapping[str, Decimal] | None = None) -> Score:
    """The SERVQUAL figures of checked answers (see the module's docstring); weights None: no weighted score."""
    sums: dict[tuple[str, str], list[int]] = {}
    respondents: set[str] = set()
    for a in answers:
        if not a.counted:
            continue
        respondents.add(a.respondent)
        row = sums.setdefault((a.dimension, a.item), [0, 0, 0])
        row[0] += 1
        row[1] += a.expectation
        row[2] += a.perception
    items = [ItemGap(dim, item, n, Fraction(e, n), Fraction(p, n), Fraction(p - e, n))
             for (dim, item), (n, e, p) in sums.items()]
    dimensions: dict[str, Fraction | None] = {}
    for dim in DIMENSIONS:
        gaps = [i.gap for i in items if i.dimension == dim]
        dimensions[dim] = sum(gaps, Fraction(0)) / len(gaps) if gaps else None
    present = [g for g in dimensions.values() if g is not None]
    unweighted = sum(present, Fraction(0)) / len(present) if present else None
    weighted = None
    if weights is not None and len(present) == len(DIMENSIONS):
        weighted = sum((Fraction(weights[d]) * dimensions[d] for d in DIMENSIONS), Fraction(0))
    order = {d: n for n, d in enumerate(DIMENSIONS)}
    items.sort(key=lambda i: (order[i.dimension], i.item))
    return Score(items, dimensions, unweighted, weighted, len(respondents), dict(weights or {}))


def shown(value: Fraction | Decimal | int | None, places: int = PLACES) -> str | None:
    """A figure rounded half up (ties away from zero) to `places` decimals, exactly: "-0.6500"; None as None."""
    if value is None:
        return None
    exact = Fraction(value)
    scaled = abs(exact) * 10 ** places
    whole = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)   # floor(scaled + 1/2)
    sign = "-" if exact < 0 and whole else ""
    digits = str(whole).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}" if places else f"{sign}{digits}"


def figures(result: Score) -> dict:
    """The JSON figures of the CLI and the API: strings with 4 decimals (None when there is no figure)."""
    return {"dimensions": {d: shown(g) for d, g in result.dimensions.items()},
            "unweighted": shown(result.unweighted), "weighted": shown(result.weighted),
            "items": result.item_count, "respondents": result.respondents}
