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
