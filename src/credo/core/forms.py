"""What every form shares: Tabler styling, text without control characters, amounts read by the one parser.

StyledMixin gives each CharField the text check of credo.core.text (multi-line where the widget is a
Textarea); MoneyField and DecimalInputField read numbers with credo.core.money.parse_decimal, as the API
and the imports do. Imports parse rows with the forms' own fields, so they get both."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

from .money import MONEY_DIGITS, parse_decimal
from .text import text_problem


class DateInput(forms.DateInput):
    """A browser date picker; its value must be ISO whatever the language's date format."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 - Django's argument name
        super().__init__(attrs, format=format)


class TextValidator:
    """Refuses control characters; tabs and line breaks only in multi-line text."""

    def __init__(self, *, multiline: bool):
        self.multiline = multiline

    def __call__(self, value):
        problem = text_problem(value, multiline=self.multiline) if isinstance(value, str) else None
        if problem:
            raise ValidationError(problem, code="control_character")


def guard_text(fields) -> None:
    """Give every text field the TextValidator (once); it replaces Django's NUL-only check."""
    for field in fields.values():
        if isinstance(field, forms.CharField) and not any(isinstance(v, TextValidator) for v in field.validators):
            field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
            field.validators.append(TextValidator(multiline=isinstance(field.widget, forms.Textarea)))


class StyledMixin:
    """Tabler classes on every widget, 'is-invalid' on fields with errors, and the text check on every text
    field (also on fields a form adds in its __init__: they are guarded again before cleaning)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text(self.fields)

    def _style(self):
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if self.is_bound and name in self.errors:
                css += " is-invalid"
            widget.attrs["class"] = css
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 3)

    def full_clean(self):
        guard_text(self.fields)
        super().full_clean()
        self._style()


class DecimalInputField(forms.DecimalField):
    """forms.DecimalField(max_digits, decimal_places) that reads its value with core.money.parse_decimal:
    '¥1,234.5' is read, 10.123 for two places is refused (never rounded), so is anything too large."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_decimal(value, max_digits=self.max_digits, decimal_places=self.decimal_places)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from None


class MoneyField(DecimalInputField):
    """An amount in yuan: two decimals, at most MONEY_DIGITS digits unless the column allows more."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", MONEY_DIGITS)
        kwargs["decimal_places"] = 2
        super().__init__(**kwargs)
