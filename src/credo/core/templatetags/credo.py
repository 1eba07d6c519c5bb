from decimal import Decimal

from django import template
from django.utils.http import urlencode

from credo.core.money import format_money

register = template.Library()


@register.filter
def money(value):
    return format_money(value)


@register.filter
def percent(value, places=1):
    """A fraction as a percentage: 0.2549 -> "25.5 %"; empty for None."""
    if value in (None, ""):
        return ""
    return f"{Decimal(str(value)) * 100:.{int(places)}f} %"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (None or '' removes them)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted(params.items()), doseq=False) if params else "?"


@register.filter
def hours_minutes(value):
    """A duration as hours and minutes, "26:30" (business time); empty for None."""
    if value is None:
        return ""
    from credo.worktime.rules import duration_text

    return duration_text(value)


@register.filter
def hours(value):
    """Decimal hours without trailing zeros: 1.50 -> "1.5", 24.00 -> "24"; "—" for None."""
    if value in (None, ""):
        return "—"
    return f"{Decimal(str(value)).normalize():f}"
