"""Money: Decimal with two places, one rounding rule (half up), for the whole project."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def money(value) -> Decimal:
    """Round to cents. Accepts Decimal, int or str; refuses float so binary fractions never enter."""
    if isinstance(value, float):
        raise TypeError("money() refuses float; pass a str or Decimal")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_money(text) -> Decimal:
    """Parse user input like '¥1,234.5' or '1 234.50'; raises ValueError with a plain reason."""
    if isinstance(text, Decimal | int):
        return money(text)
    cleaned = str(text).strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").replace(" ", "")
    try:
        return money(Decimal(cleaned))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not an amount: {text!r}") from exc


def format_money(value, symbol: str = "¥") -> str:
    if value is None or value == "":
        return ""
    value = money(value)
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol}{abs(value):,.2f}"
