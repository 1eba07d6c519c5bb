"""Money: Decimal with two places, one rounding rule (half up), for the whole project; and the one reading
of a number a person typed or a client sent (`parse_money`, `parse_decimal`), used by the API schemas, the
forms and the imports alike."""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
# Every money column that takes input is DecimalField(max_digits=16, decimal_places=2) or wider.
MONEY_DIGITS = 16
_GROUPING = re.compile(r"[,，\s¥￥]|元$")


def money(value) -> Decimal:
    """Round to cents. Accepts Decimal, int or str; refuses float so binary fractions never enter."""
    if isinstance(value, float):
        raise TypeError("money() refuses float; pass a str or Decimal")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_decimal(value, *, max_digits: int, decimal_places: int) -> Decimal:
    """A number that fits DecimalField(max_digits, decimal_places), from a str ('¥1,234.5', '１２３',
    '1 234.50'), an int, a Decimal or a JSON number (float, read by its shortest repr, so 0.1 is 0.1).

    Refuses, with ValueError carrying a translated reason: what is not a number, NaN and Infinity, more
    decimals than decimal_places (10.123 is never rounded to 10.12) and numbers too large for the column."""
    if isinstance(value, bool) or value is None:
        raise ValueError(_("Enter a number."))
    text = repr(value) if isinstance(value, float) else value
    if isinstance(text, str):
        text = _GROUPING.sub("", unicodedata.normalize("NFKC", text).strip())
    try:
        number = Decimal(text)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": str(value)[:40]}) from None
    if not number.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": str(value)[:40]})
    if abs(number) >= Decimal(10) ** (max_digits - decimal_places):
        largest = Decimal(10) ** (max_digits - decimal_places) - Decimal(1).scaleb(-decimal_places)
        raise ValueError(_("Enter a number between -%(max)s and %(max)s.") % {"max": f"{largest:,}"})
    step = Decimal(1).scaleb(-decimal_places)
    if number != number.quantize(step):
        raise ValueError(_("Enter a number with at most %(places)d decimal places.") % {"places": decimal_places})
    return number.quantize(step)


def parse_money(value, *, max_digits: int = MONEY_DIGITS) -> Decimal:
    """An amount in yuan with at most two decimals; see parse_decimal."""
    return parse_decimal(value, max_digits=max_digits, decimal_places=2)


def format_money(value, symbol: str = "¥") -> str:
    if value is None or value == "":
        return ""
    value = money(value)
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol}{abs(value):,.2f}"
