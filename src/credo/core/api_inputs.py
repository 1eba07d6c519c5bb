"""What the REST API accepts, declared once for every router: amounts and other decimals, text, pages.

- `Money` (and `decimal_input(max_digits, places)` for rates, scores, coordinates): read by
  credo.core.money.parse_decimal, the parser the forms and imports use too.
- Text: every str in an `InputSchema` (request bodies) and every query or form value (`InputParser`)
  refuses control characters; fields declared `MultilineText` keep tabs and line breaks.
- `Offset` and `Limit(maximum)`: the bounds of every paginated list.
A bad value is a 422 naming the field, in the user's language, before any view code runs.
"""

import functools
import typing
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import ValidationError as SchemaValidationError
from ninja.parser import Parser
from pydantic import AfterValidator, PlainValidator, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from .money import MONEY_DIGITS, parse_decimal
from .text import text_problem

MAX_OFFSET = 10_000_000


def _error(kind: str, reason: str) -> PydanticCustomError:
    # The reason goes in the context: it may quote the user's input, braces included.
    return PydanticCustomError(kind, "{reason}", {"reason": reason})


def decimal_input(max_digits: int, decimal_places: int):
    """A JSON number or a string, as DecimalField(max_digits, decimal_places) stores it."""

    def validate(value) -> Decimal:
        try:
            return parse_decimal(value, max_digits=max_digits, decimal_places=decimal_places)
        except ValueError as exc:
            raise _error("decimal", str(exc)) from None

    whole = max_digits - decimal_places
    largest = float(Decimal(10) ** whole - Decimal(1).scaleb(-decimal_places))
    pattern = rf"^-?\d{{1,{whole}}}(\.\d{{1,{decimal_places}}})?$" if decimal_places else rf"^-?\d{{1,{whole}}}$"
    schema = {"anyOf": [{"type": "number", "minimum": -largest, "maximum": largest},
                        {"type": "string", "pattern": pattern}]}
    return Annotated[Decimal, PlainValidator(validate), WithJsonSchema(schema)]


Money = decimal_input(MONEY_DIGITS, 2)


class _Multiline:
    """Marks a str field whose text may span lines."""


MULTILINE = _Multiline()
MultilineText = Annotated[str, MULTILINE]


def _marked(annotation) -> bool:
    return annotation is MULTILINE or any(_marked(arg) for arg in typing.get_args(annotation))


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple | set):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)


class InputSchema(Schema):
    """The base of every request body: no control characters in any text it carries."""

    @classmethod
    @functools.cache
    def multiline_fields(cls) -> frozenset[str]:
        return frozenset(name for name, field in cls.model_fields.items()
                         if MULTILINE in field.metadata or _marked(field.annotation))

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value, info):
        multiline = info.field_name in cls.multiline_fields()
        for text in _texts(value):
            problem = text_problem(text, multiline=multiline)
            if problem:
                raise _error("text", problem)
        return value


class InputParser(Parser):
    """Query and form values are single-line text: checked here once for every operation."""

    def parse_querydict(self, data, list_fields, request):
        source = "query" if data is request.GET else "form"
        errors = [{"loc": [source, key], "msg": problem, "type": "text"}
                  for key in data for value in data.getlist(key)
                  if isinstance(value, str) and (problem := text_problem(value))]
        if errors:
            raise SchemaValidationError(errors)
        return super().parse_querydict(data, list_fields, request)


def _bounded(low: int, high: int):
    def check(value: int) -> int:
        if not low <= value <= high:
            raise _error("range", _("Enter a whole number from %(low)s to %(high)s.") % {"low": f"{low:,}",
                                                                                        "high": f"{high:,}"})
        return value

    return Annotated[int, AfterValidator(check), WithJsonSchema({"type": "integer", "minimum": low,
                                                                 "maximum": high})]


Offset = _bounded(0, MAX_OFFSET)


def Limit(maximum: int):  # noqa: N802 - used as a type: `limit: Limit(500) = 100`
    return _bounded(1, maximum)
