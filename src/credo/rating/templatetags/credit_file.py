from decimal import Decimal

from django import template

from credo.rating import labels

register = template.Library()


@register.filter
def grade_colour(grade):
    return labels.grade_colour(grade)


@register.filter
def missing_text(code):
    return labels.missing_text(code)


@register.simple_tag
def raw_value(source, raw):
    return labels.format_raw(source, raw)


@register.filter
def percent(value):
    if value in (None, ""):
        return "—"
    return f"{Decimal(str(value)) * 100:.1f} %"


@register.filter
def ratio(value):
    return "—" if value in (None, "") else f"{Decimal(str(value)):.2f}"


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def question_text(question, language):
    return question.text(language or "") if question is not None else ""
