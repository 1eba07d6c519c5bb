"""The one reading of numbers and text that the API, the forms and the imports share."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from credo.core.forms import DecimalInputField, MoneyField, StyledMixin
from credo.core.money import parse_decimal, parse_money
from credo.core.text import text_problem
from credo.customers.forms import ContactForm
from credo.sales.forms import ReceiptForm


@pytest.mark.parametrize(("value", "expected"), [
    ("10.12", "10.12"), ("10.1", "10.10"), ("10.100", "10.10"), (10, "10.00"), (Decimal("3"), "3.00"),
    (0.1, "0.10"), ("¥1,234.5", "1234.50"), ("１２３．４", "123.40"), (" 1 234 ", "1234.00"), ("1e3", "1000.00"),
    ("-99999999999999.99", "-99999999999999.99"), ("500元", "500.00"),
])
def test_money_is_read_exactly(value, expected):
    assert str(parse_money(value)) == expected


@pytest.mark.parametrize("value", ["10.123", 10.123, "1e30", 1e30, "-1.767e130", -1.767e130, "100000000000000",
                                   "NaN", "sNaN", "Infinity", float("inf"), float("nan"), "", "abc", "1,2,3.4.5",
                                   None, True, [1], "1e-3"])
def test_money_refuses_what_the_column_cannot_keep(value):
    with pytest.raises(ValueError):
        parse_money(value)


def test_wider_columns_and_rates_keep_their_own_precision():
    assert parse_money("9999999999999999.99", max_digits=18) == Decimal("9999999999999999.99")
    assert parse_decimal("0.0005", max_digits=8, decimal_places=6) == Decimal("0.000500")
    with pytest.raises(ValueError):
        parse_decimal("0.0000005", max_digits=8, decimal_places=6)
    with pytest.raises(ValueError):
        parse_decimal("100", max_digits=8, decimal_places=6)


def test_reasons_are_translated():
    with translation.override("en"):
        with pytest.raises(ValueError, match="at most 2 decimal places"):
            parse_money("1.234")
        with pytest.raises(ValueError, match="99,999,999,999,999.99"):
            parse_money("1e30")
    with translation.override("zh-hans"), pytest.raises(ValueError, match="小数"):
        parse_money("1.234")


@pytest.mark.parametrize(("text", "multiline", "bad"), [
    ("普通文字 plain", False, False), ("a\x00b", False, True), ("a\nb", False, True), ("a\tb", False, True),
    ("a\x1fb", False, True), ("a\x7fb", False, True), ("a\nb\r\n\tc", True, False), ("a\x00b", True, True),
    ("a\x0bb", True, True),
])
def test_text_problem(text, multiline, bad):
    assert (text_problem(text, multiline=multiline) is not None) == bad


class _Form(StyledMixin, forms.Form):
    amount = MoneyField(label="amount")
    rate = DecimalInputField(label="rate", max_digits=8, decimal_places=6, required=False)
    title = forms.CharField(required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["added"] = forms.CharField(required=False)


@pytest.mark.parametrize(("data", "errors"), [
    ({"amount": "10.12", "rate": "0.0005", "notes": "一\n二\t三"}, set()),
    ({"amount": "10.123"}, {"amount"}),
    ({"amount": "1e30"}, {"amount"}),
    ({"amount": "NaN"}, {"amount"}),
    ({"amount": "1", "rate": "0.0000001"}, {"rate"}),
    ({"amount": "1", "title": "a\x00b"}, {"title"}),
    ({"amount": "1", "title": "a\nb"}, {"title"}),
    ({"amount": "1", "notes": "a\x00b"}, {"notes"}),
    ({"amount": "1", "added": "a\x01"}, {"added"}),
])
def test_forms_share_the_reading(data, errors):
    form = _Form(data)
    assert not form.is_valid() or not errors
    assert set(form.errors) == errors


def test_a_nul_gets_one_message_not_two():
    form = _Form({"amount": "1", "title": "a\x00"})
    assert not form.is_valid() and len(form.errors["title"]) == 1


@pytest.mark.django_db
def test_app_forms_use_it():
    form = ReceiptForm({"number": "R1", "receipt_date": "2026-03-02", "amount": "10.123", "method": "transfer"})
    assert not form.is_valid() and set(form.errors) == {"amount"}
    contact = ContactForm({"name": "王\x00经理", "notes": "第一行\n第二行"})
    assert not contact.is_valid() and "name" in contact.errors and "notes" not in contact.errors
