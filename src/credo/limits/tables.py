"""The limit tables as the company edits them (JSON on LimitPolicy) → the typed tables rules.py computes with.

parse_*() check a table and raise ValidationError({table_field: [message]}) naming the table and the row;
LimitPolicy.clean() runs them all, so a bad table is refused in the admin with the row to fix.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import rules

TABLE_LABELS = {
    "evaluation_table": gettext_lazy("Evaluation value → percentage (table 3-7)"),
    "grade_corrections": gettext_lazy("Grade corrections (table 3-8)"),
    "grade_fit": gettext_lazy("Limits that fit each grade"),
    "grade_factors": gettext_lazy("Risk factors by grade (table 3-10)"),
    "record_factors": gettext_lazy("Risk factors by credit record (table 3-11)"),
    "collection_weights": gettext_lazy("Weights of the monthly collections"),
    "revenue_tiers": gettext_lazy("Revenue tiers and base limits"),
    "assessment_items": gettext_lazy("Assessment items and weights"),
    "level_percentages": gettext_lazy("Credit percentage per assessment level"),
}
ASSESSMENT_CODES = ("revenue", "goodwill", "years_in_business", "management", "professional")


class _Table:
    """Collects the first problem of a table as "<table>, row n: <problem>"."""

    def __init__(self, name: str):
        self.name = name

    def error(self, message: str, row: int | None = None):
        where = str(TABLE_LABELS[self.name])
        if row is not None:
            where = _("%(table)s, row %(row)d") % {"table": where, "row": row}
        raise ValidationError({self.name: [f"{where}: {message}"]})

    def rows(self, data, *, allow_empty=False) -> list:
        if not isinstance(data, list):
            self.error(_("write the table as a JSON list of rows."))
        if not data and not allow_empty:
            self.error(_("the table has no rows."))
        return data

    def row(self, item, n: int, keys: tuple[str, ...]) -> dict:
        if not isinstance(item, dict):
            self.error(_("write the row as an object with %(keys)s.") % {"keys": ", ".join(keys)}, n)
        missing = [k for k in keys if k not in item]
        if missing:
            self.error(_("%(key)s is missing.") % {"key": missing[0]}, n)
        return item

    def number(self, value, n: int, key: str, *, low=None, high=None, nullable=False) -> Decimal | None:
        if value is None and nullable:
            return None
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            number = Decimal(str(value).strip())
            if not number.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            self.error(_("%(key)s must be a number, not %(value)r.") % {"key": key, "value": value}, n)
        if low is not None and number < low:
            self.error(_("%(key)s must be at least %(low)s.") % {"key": key, "low": low}, n)
        if high is not None and number > high:
            self.error(_("%(key)s must be at most %(high)s.") % {"key": key, "high": high}, n)
        return number

    def grade(self, value, n: int, grades=rules.GRADES) -> str:
        if value not in grades:
            self.error(_("grade must be one of %(grades)s, not %(value)r.") % {
                "grades": ", ".join(grades), "value": value}, n)
        return value


def _brackets(name: str, data, value_key: str, *, allow_empty=False, rising=None, low=None,
              high=None) -> rules.BracketTable:
    """Rows {"up_to", value_key}: bounds strictly rising, only the last row open (null). rising: "up"/"down"
    — the values may not fall (or rise) from row to row."""
    t = _Table(name)
    rows, previous = [], None
    data = t.rows(data, allow_empty=allow_empty)
    for n, item in enumerate(data, start=1):
        item = t.row(item, n, ("up_to", value_key))
        last = n == len(data)
        bound = t.number(item["up_to"], n, "up_to", nullable=last)
        if last and bound is not None:
            t.error(_("the last row must be open: set up_to to null."), n)
        value = t.number(item[value_key], n, value_key, low=low, high=high)
        if rows and bound is not None and bound <= rows[-1].up_to:
            t.error(_("up_to must be greater than the row before (%(bound)s).") % {
                "bound": rules.plain(rows[-1].up_to)}, n)
        if previous is not None and rising == "up" and value < previous:
            t.error(_("%(key)s may not fall as the bound rises.") % {"key": value_key}, n)
        if previous is not None and rising == "down" and value > previous:
            t.error(_("%(key)s may not rise as the bound rises.") % {"key": value_key}, n)
        rows.append(rules.Bracket(bound, value))
        previous = value
    return rules.BracketTable(tuple(rows))


def parse_evaluation_table(data) -> rules.BracketTable:
    return _brackets("evaluation_table", data, "percentage", rising="up", low=0, high=100)


def parse_record_factors(data) -> rules.BracketTable:
    return _brackets("record_factors", data, "percentage", rising="down", low=0, high=100)


def parse_revenue_tiers(data) -> rules.BracketTable:
    return _brackets("revenue_tiers", data, "base_limit", allow_empty=True, rising="up", low=0)


def parse_grade_corrections(data) -> dict[str, rules.GradeCorrection]:
    t = _Table("grade_corrections")
    found = {}
    for n, item in enumerate(t.rows(data), start=1):
        item = t.row(item, n, ("grade", "adjustment"))
        grade = t.grade(item["grade"], n, ("AA", "A", "BB", "B", "C"))
        if grade in found:
            t.error(_("grade %(grade)s appears twice.") % {"grade": grade}, n)
        found[grade] = rules.GradeCorrection(
            grade, t.number(item["adjustment"], n, "adjustment", low=-100, high=1000),
            t.number(item.get("high_adjustment"), n, "high_adjustment", low=-100, high=1000, nullable=True))
    return found


def parse_grade_fit(data) -> dict[str, rules.GradeFit]:
    t = _Table("grade_fit")
    found = {}
    for n, item in enumerate(t.rows(data, allow_empty=True), start=1):
        item = t.row(item, n, ("grade", "min_percentage", "max_percentage"))
        grade = t.grade(item["grade"], n, ("AA", "A", "BB", "B", "C"))
        if grade in found:
            t.error(_("grade %(grade)s appears twice.") % {"grade": grade}, n)
        low = t.number(item["min_percentage"], n, "min_percentage", low=0, high=100)
        high = t.number(item["max_percentage"], n, "max_percentage", low=0, high=100)
        if low > high:
            t.error(_("min_percentage may not exceed max_percentage."), n)
        found[grade] = rules.GradeFit(grade, low, high,
                                      t.number(item.get("max_limit"), n, "max_limit", low=0, nullable=True))
    return found


def parse_grade_factors(data) -> dict[str, Decimal]:
    t = _Table("grade_factors")
    found = {}
    for n, item in enumerate(t.rows(data), start=1):
        item = t.row(item, n, ("grade", "percentage"))
        grade = t.grade(item["grade"], n)
        if grade in found:
            t.error(_("grade %(grade)s appears twice.") % {"grade": grade}, n)
        found[grade] = t.number(item["percentage"], n, "percentage", low=0, high=100)
    missing = [g for g in rules.GRADES if g not in found]
    if missing:
        t.error(_("grade %(grade)s has no row.") % {"grade": missing[0]})
    return found


def parse_collection_weights(data) -> tuple[Decimal, ...]:
    t = _Table("collection_weights")
    data = t.rows(data)
    if len(data) > 24:
        t.error(_("at most 24 months."))
    weights = tuple(t.number(w, n, "weight", low=0) for n, w in enumerate(data, start=1))
    if sum(weights) <= 0:
        t.error(_("the weights must add up to more than 0."))
    return weights


def parse_assessment_items(data) -> tuple[rules.AssessmentItem, ...]:
    t = _Table("assessment_items")
    items = []
    for n, item in enumerate(t.rows(data), start=1):
        item = t.row(item, n, ("code", "weight"))
        code = str(item["code"]).strip()
        if not code.isidentifier():
            t.error(_("code must be a short name in letters, digits and _, not %(value)r.") % {"value": code}, n)
        if code in {i.code for i in items}:
            t.error(_("item %(code)s appears twice.") % {"code": code}, n)
        if code not in ASSESSMENT_CODES and not str(item.get("label", "")).strip():
            t.error(_("give the item %(code)s a label.") % {"code": code}, n)
        items.append(rules.AssessmentItem(code, t.number(item["weight"], n, "weight", low=0),
                                          str(item.get("label", "")).strip()))
    if sum(i.weight for i in items) <= 0:
        t.error(_("the weights must add up to more than 0."))
    return tuple(items)


def parse_level_percentages(data) -> dict[int, Decimal]:
    t = _Table("level_percentages")
    found = {}
    for n, item in enumerate(t.rows(data), start=1):
        item = t.row(item, n, ("level", "percentage"))
        level = item["level"]
        if isinstance(level, bool) or not isinstance(level, int) or level < 1:
            t.error(_("level must be a whole number from 1, not %(value)r.") % {"value": level}, n)
        if level in found:
            t.error(_("level %(level)s appears twice.") % {"level": level}, n)
        found[level] = t.number(item["percentage"], n, "percentage", low=0, high=100)
    return found


PARSERS = {
    "evaluation_table": parse_evaluation_table,
    "grade_corrections": parse_grade_corrections,
    "grade_fit": parse_grade_fit,
    "grade_factors": parse_grade_factors,
    "record_factors": parse_record_factors,
    "collection_weights": parse_collection_weights,
    "revenue_tiers": parse_revenue_tiers,
    "assessment_items": parse_assessment_items,
    "level_percentages": parse_level_percentages,
}


def validate_all(values: dict) -> None:
    """Every table's problems at once, keyed by the table's field."""
    errors = {}
    for name, parse in PARSERS.items():
        try:
            parse(values.get(name))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


def working_capital_tables(policy) -> rules.WorkingCapitalTables:
    return rules.WorkingCapitalTables(parse_evaluation_table(policy.evaluation_table),
                                      parse_grade_corrections(policy.grade_corrections),
                                      parse_grade_fit(policy.grade_fit))


def sales_volume_tables(policy) -> rules.SalesVolumeTables:
    return rules.SalesVolumeTables(parse_grade_factors(policy.grade_factors),
                                   parse_record_factors(policy.record_factors))


def revenue_tier_tables(policy) -> rules.RevenueTierTables:
    return rules.RevenueTierTables(parse_revenue_tiers(policy.revenue_tiers),
                                   parse_assessment_items(policy.assessment_items),
                                   parse_level_percentages(policy.level_percentages))
