"""What a person typed (CLI options, API fields, form fields) → the typed inputs of a method.

parse(method, raw) returns a dict ready for methods.run(), or raises ValidationError({field: [message]}) with
every bad field at once. Fields are the SPEC quantities in snake_case; the CLI shows them as --options.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from credo.core.money import money, parse_money

from . import rules

AMOUNT_DIGITS = 17  # amounts below 10^15 yuan, in cents
MAX_AMOUNT = Decimal(10) ** (AMOUNT_DIGITS - 2)
MAX_CREDIT_DAYS = 3650
MAX_MONTHS = 24

FIELDS = {
    rules.WORKING_CAPITAL: ("current_assets", "inventory", "current_liabilities", "total_liabilities", "net_assets",
                            "grade", "supplier_share", "figure_high"),
    rules.SALES_VOLUME: ("quarter_orders", "credit_days", "grade", "overdue_amount_days"),
    rules.COLLECTIONS: ("monthly", "credit_days", "weights"),
    rules.REVENUE_TIER: ("revenue", "levels"),
}


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Parser:
    def __init__(self, raw: dict):
        self.raw = raw
        self.errors: dict[str, list[str]] = {}

    def fail(self, name: str, message: str):
        self.errors.setdefault(name, []).append(message)

    def decimal(self, name: str, value) -> Decimal | None:
        if isinstance(value, float):
            value = repr(value)
        text = str(value).strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
        try:
            number = Decimal(text)
            if not number.is_finite():
                raise InvalidOperation
            return number
        except (InvalidOperation, ValueError):
            self.fail(name, _("%(value)r is not a number.") % {"value": value})
            return None

    def amount(self, name: str, *, required=True, negative=False) -> Decimal | None:
        value = self.raw.get(name)
        if _blank(value):
            if required:
                self.fail(name, _("Enter an amount in yuan."))
            return None
        try:
            number = parse_money(value, max_digits=AMOUNT_DIGITS)
        except ValueError as exc:
            self.fail(name, str(exc))
            return None
        if not negative and number < 0:
            self.fail(name, _("The amount cannot be negative."))
            return None
        return number

    def days(self, name: str) -> int | None:
        value = self.raw.get(name)
        if _blank(value):
            return None
        number = self.decimal(name, value)
        if number is None:
            return None
        if number != number.to_integral_value() or not 1 <= number <= MAX_CREDIT_DAYS:
            self.fail(name, _("Enter a whole number of days from 1 to %(max)d.") % {"max": MAX_CREDIT_DAYS})
            return None
        return int(number)

    def grade(self, name: str = "grade") -> str | None:
        value = self.raw.get(name)
        if _blank(value):
            return None
        grade = str(value).strip().upper()
        if grade not in rules.ALL_GRADES:
            self.fail(name, _("Choose a grade: %(grades)s.") % {"grades": ", ".join(rules.ALL_GRADES)})
            return None
        return grade

    def share(self, name: str) -> Decimal | None:
        value = self.raw.get(name)
        if _blank(value):
            return None
        text = str(value).strip()
        percent = text.endswith("%")
        number = self.decimal(name, text.rstrip("%").strip())
        if number is None:
            return None
        if percent:
            number = number / 100
        if not 0 < number <= 1:
            self.fail(name, _("Give the share as a fraction above 0 and at most 1, e.g. 0.4 for 40 %."))
            return None
        return number

    def flag(self, name: str) -> bool:
        value = self.raw.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("1", "true", "yes", "on")
        return bool(value)

    def numbers(self, name: str, *, required=True) -> list[Decimal] | None:
        value = self.raw.get(name)
        if isinstance(value, str):
            value = value.replace(",", " ").replace("，", " ").split()
        if value is None or (isinstance(value, list | tuple) and not value):
            if required:
                self.fail(name, _("Enter the amounts, newest month first."))
            return None
        if not isinstance(value, list | tuple):
            self.fail(name, _("Enter a list of numbers."))
            return None
        found = []
        for item in value:
            number = self.decimal(name, item)
            if number is None:
                return None
            if number < 0:
                self.fail(name, _("The numbers cannot be negative."))
                return None
            if number >= MAX_AMOUNT:
                self.fail(name, _("The amount is too large."))
                return None
            found.append(number)
        if len(found) > MAX_MONTHS:
            self.fail(name, _("At most %(n)d months.") % {"n": MAX_MONTHS})
            return None
        return found

    def levels(self, items: tuple[rules.AssessmentItem, ...], known: dict) -> dict[str, int]:
        given = dict(self.raw.get("levels") or {})
        for item in items:
            if f"level_{item.code}" in self.raw and not _blank(self.raw[f"level_{item.code}"]):
                given[item.code] = self.raw[f"level_{item.code}"]
        levels = {}
        for item in items:
            name = f"level_{item.code}"
            value = given.get(item.code)
            if _blank(value):
                self.fail(name, _("Grade this item: choose a level (%(levels)s).") % {
                    "levels": ", ".join(str(n) for n in sorted(known))})
                continue
            number = self.decimal(name, value)
            if number is None:
                continue
            if number != number.to_integral_value() or int(number) not in known:
                self.fail(name, _("Choose a level: %(levels)s.") % {"levels": ", ".join(str(n) for n in sorted(known))})
                continue
            levels[item.code] = int(number)
        return levels

    def done(self, values: dict) -> dict:
        if self.errors:
            raise ValidationError(self.errors)
        return values


def parse(method: str, raw: dict, *, revenue_tables: rules.RevenueTierTables | None = None) -> dict:
    """Typed inputs of `method` from raw values; ValidationError naming every bad field."""
    p = Parser(raw)
    if method == rules.WORKING_CAPITAL:
        values = {name: p.amount(name) for name in ("current_assets", "inventory", "current_liabilities",
                                                    "total_liabilities")}
        values["net_assets"] = p.amount("net_assets", negative=True)
        values.update(grade=p.grade(), supplier_share=p.share("supplier_share"), figure_high=p.flag("figure_high"))
        ca, inv = values["current_assets"], values["inventory"]
        if ca is not None and inv is not None and inv > ca:
            p.fail("inventory", _("Inventory is part of the current assets: it cannot exceed them."))
        cl, tl = values["current_liabilities"], values["total_liabilities"]
        if cl is not None and tl is not None and cl > tl:
            p.fail("total_liabilities", _("Total liabilities include the current liabilities: they cannot be less."))
        return p.done(values)
    if method == rules.SALES_VOLUME:
        return p.done({"quarter_orders": p.amount("quarter_orders"), "credit_days": p.days("credit_days"),
                       "grade": p.grade(), "overdue_amount_days": p.amount("overdue_amount_days", required=False)})
    if method == rules.COLLECTIONS:
        monthly, weights = p.numbers("monthly"), p.numbers("weights", required=False)
        if weights is not None and not sum(weights):
            p.fail("weights", _("The weights must add up to more than 0."))
        values = {"monthly": [money(m) for m in monthly] if monthly else monthly, "weights": weights,
                  "credit_days": p.days("credit_days")}
        return p.done(values)
    if method == rules.REVENUE_TIER:
        tables = revenue_tables
        values = {"revenue": p.amount("revenue", required=tables is not None),
                  "levels": p.levels(tables.items, tables.level_percentages) if tables else {}}
        return p.done(values)
    raise ValueError(f"unknown method {method!r}")
