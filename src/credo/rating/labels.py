"""How rating values read on pages and in the API: the unit of each source, why a value is missing, the
colour of a grade (UI.md: AAA–A green, BBB–B amber, CCC–D red)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from credo.core.money import format_money

from .models import FinancialStatement

PERCENT = {"fin.debt_ratio", "fin.net_margin", "fin.return_on_equity", "ledger.overdue_share"}
MONEY = {"fin.net_assets"}
DAYS = {"ledger.avg_days_late", "ledger.oldest_overdue_days"}
COUNT = {"ledger.broken_promises", "checklist.warning_signs", "checklist.warnings_operations",
         "checklist.warnings_finances", "checklist.warnings_payment"}


def grade_colour(grade: str | None) -> str:
    if grade in ("AAA", "AA", "A"):
        return "green"
    if grade in ("BBB", "BB", "B"):
        return "yellow"
    if grade in ("CCC", "CC", "C", "D"):
        return "red"
    return "secondary"


def _field(name: str) -> str:
    try:
        return str(FinancialStatement._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - any unknown name is shown as it is
        return name


def missing_text(code: str) -> str:
    if not code:
        return ""
    kind, _sep, name = code.partition(":")
    texts = {
        "no_statement": _("no financial statement"),
        "no_evaluation": _("no 5C evaluation"),
        "no_investigation": _("no completed investigation"),
        "no_ledger": _("no invoices or payments"),
        "no_payments": _("no payments in the last 12 months"),
        "unknown_source": _("unknown source"),
        "blank": _("not given"),
    }
    if kind == "zero":
        return _("%(field)s is zero") % {"field": _field(name)}
    if kind == "not_positive":
        return _("%(field)s is zero or negative") % {"field": _field(name)}
    if kind == "blank" and name:
        return _("%(field)s not given") % {"field": _field(name)}
    return texts.get(kind, code)


def format_raw(source: str, raw) -> str:
    """A raw value as a person reads it: 12.5 %, 1.40, ¥1,234.00, 12 days, 3."""
    if raw in (None, ""):
        return "—"
    value = Decimal(str(raw))
    if source in PERCENT:
        return f"{value * 100:.1f} %"
    if source in MONEY:
        return format_money(value)
    if source in DAYS:
        return _("%(n)s days") % {"n": f"{value:.1f}".removesuffix(".0")}
    if source in COUNT:
        return f"{value:.0f}"
    if source.startswith("fivec."):
        return f"{value:.2f}"
    return f"{value:.2f}"
