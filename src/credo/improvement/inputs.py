"""Reading what a page, the API or the demo hands the services: text, dates, users, money, ids. Each reader
puts a translated message under the field's name in `errors` and returns None when the value is bad."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from credo.core.money import parse_decimal

MONEY_DIGITS, MONEY_PLACES = 14, 2


def text(errors: dict, name: str, value, limit: int, *, required: bool = False) -> str:
    value = ("" if value is None else str(value)).strip()
    if required and not value:
        errors[name] = [_("This field is required.")]
    elif len(value) > limit:
        errors[name] = [_("At most %(n)s characters.") % {"n": limit}]
    return value


def choice(errors: dict, name: str, value, choices) -> str | None:
    if value in choices.values:
        return value
    errors[name] = [_("Choose one of: %(values)s.") % {"values": ", ".join(str(v) for v in choices.values)}]
    return None


def date(errors: dict, name: str, value, *, required: bool = True) -> datetime.date | None:
    if value in (None, ""):
        if required:
            errors[name] = [_("This field is required.")]
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        errors[name] = [_("Write the date as YYYY-MM-DD.")]
        return None


def user(errors: dict, name: str, value, *, required: bool = True):
    if value in (None, ""):
        if required:
            errors[name] = [_("This field is required.")]
        return None
    pk = getattr(value, "pk", value)
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        errors[name] = [_("Not a number.")]
        return None
    found = get_user_model().objects.filter(pk=pk, is_active=True, profile__isnull=False).first()
    if found is None:
        errors[name] = [_("There is no active user with this id.")]
    return found


def money(errors: dict, name: str, value) -> Decimal | None:
    if value in (None, ""):
        return Decimal("0.00")
    try:
        amount = parse_decimal(value, max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    except ValueError as exc:
        errors[name] = [str(exc)]
        return None
    if amount < 0:
        errors[name] = [_("The cost may not be negative.")]
        return None
    return amount


def ids(errors: dict, name: str, values) -> list[int]:
    out = []
    for value in values or ():
        pk = getattr(value, "pk", value)
        try:
            out.append(int(pk))
        except (TypeError, ValueError):
            errors[name] = [_("Not a number: %(value)s.") % {"value": str(value)[:20]}]
            return []
    return sorted(set(out))
