"""What every endpoint accepts, declared once (credo.core.api_inputs): amounts, text, pages. Bad input is a
422 naming the field, in the user's language, and changes nothing."""

import json

import pytest
from django.conf import settings

from credo.api.api import api
from credo.core.auth import create_token
from credo.sales.models import Invoice, Receipt

JSON = {"content_type": "application/json"}


def client_for(client, user, language=None):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {create_token(user, 'test')}"
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def problems(response) -> dict:
    assert response.status_code == 422, response.content
    return {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}


RECEIPT = {"number": "R1", "receipt_date": "2026-03-02", "method": "transfer"}


@pytest.mark.parametrize("amount", [1e30, "1e30", -1.767e130, "-1.767e130", "NaN", "Infinity", "-inf", "10.123",
                                    10.123, "100000000000000", "12元3角", True, [], {}])
def test_receipt_amount_is_refused_naming_the_field(client, world, amount):
    client_for(client, world.finance)
    url = f"/api/ledger/customers/{world.east_customer.pk}/receipts"
    response = client.post(url, json.dumps({**RECEIPT, "amount": amount}), **JSON)
    assert set(problems(response)) == {("body", "amount")}
    assert not Receipt.objects.exists()


@pytest.mark.parametrize(("amount", "stored"), [("10.12", "10.12"), (10.1, "10.10"), ("¥1,234.5", "1234.50"),
                                                 ("9999999999999.99", "9999999999999.99"), ("1e3", "1000.00")])
def test_receipt_amounts_are_read_exactly(client, world, amount, stored):
    client_for(client, world.finance)
    url = f"/api/ledger/customers/{world.east_customer.pk}/receipts"
    response = client.post(url, json.dumps({**RECEIPT, "amount": amount}), **JSON)
    assert response.status_code == 201, response.content
    assert str(Receipt.objects.get().amount) == stored


@pytest.mark.parametrize(("language", "words"), [(None, "小数"), ("en", "decimal places")])
def test_money_messages_are_in_the_users_language(client, world, language, words):
    client_for(client, world.finance, language)
    url = f"/api/ledger/customers/{world.east_customer.pk}/invoices"
    response = client.post(url, json.dumps({"number": "F1", "invoice_date": "2026-03-01", "amount": "10.123"}), **JSON)
    assert words in problems(response)[("body", "amount")]
    assert not Invoice.objects.exists()


def test_nul_in_a_query_is_refused_naming_the_parameter(client, world):
    client_for(client, world.sales_east)
    response = client.get("/api/customers/duplicates", {"name": "\x00a"})
    assert set(problems(response)) == {("query", "name")}


@pytest.mark.parametrize(("data", "field"), [
    ({"name": "a\x00b"}, "name"),
    ({"name": "a\nb"}, "name"),
    ({"name": "甲", "title": "经理\t"}, "title"),
    ({"name": "甲", "notes": "第一行\x07"}, "notes"),
])
def test_control_characters_in_a_body_are_refused_naming_the_field(client, world, data, field):
    client_for(client, world.sales_east)
    response = client.post(f"/api/customers/{world.east_customer.pk}/contacts", json.dumps(data), **JSON)
    assert set(problems(response)) == {("body", field)}
    assert not world.east_customer.contacts.exists()


def test_multi_line_text_keeps_its_line_breaks_and_tabs(client, world):
    client_for(client, world.sales_east)
    data = {"name": "王经理", "notes": "第一行\n第二行\r\n\t缩进"}
    response = client.post(f"/api/customers/{world.east_customer.pk}/contacts", json.dumps(data), **JSON)
    assert response.status_code == 201, response.content
    assert world.east_customer.contacts.get().notes == data["notes"]


def test_control_characters_in_nested_and_listed_text_are_refused(client, world):
    client_for(client, world.sales_east)
    response = client.patch(f"/api/customers/{world.east_customer.pk}", json.dumps({"tags": ["好", "坏\x00"]}), **JSON)
    assert set(problems(response)) == {("body", "tags")}


@pytest.mark.parametrize("url", ["/api/risk/watchlist", "/api/collection/cases", "/api/rating/due",
                                 "/api/receivables/aging"])
@pytest.mark.parametrize(("params", "name"), [({"offset": "99999999999999999999"}, "offset"),
                                              ({"offset": "-1"}, "offset"), ({"limit": "0"}, "limit"),
                                              ({"limit": "100000"}, "limit")])
def test_pages_are_bounded_naming_the_parameter(client, world, url, params, name):
    client_for(client, world.admin)
    assert set(problems(client.get(url, params))) == {("query", name)}


def _operations():
    for path, item in api.get_openapi_schema(path_prefix="/api")["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def test_every_paginated_list_declares_its_bounds():
    """limit and offset come from credo.core.api_inputs (Limit, Offset) everywhere: a new list that takes
    a bare int fails here."""
    pages = 0
    for name, operation in _operations():
        for parameter in operation.get("parameters", []):
            if parameter["name"] in ("limit", "offset"):
                pages += 1
                schema = parameter["schema"]
                assert schema.get("type") == "integer", name
                assert {"minimum", "maximum"} <= set(schema), f"{name}: {parameter['name']} is unbounded"
    assert pages > 10


def test_an_amount_that_would_overflow_the_balance_is_refused(client, world):
    """Found by the schema fuzzer: each amount fits its column, their running total on the balance row did not."""
    client_for(client, world.finance)
    url = f"/api/ledger/customers/{world.east_customer.pk}/invoices"
    first = {"number": "F1", "invoice_date": "2026-03-01", "amount": "1000.00"}
    assert client.post(url, json.dumps(first), **JSON).status_code == 201
    huge = {"number": "F2", "invoice_date": "2026-03-01", "amount": "99999999999999.97"}
    assert set(problems(client.post(url, json.dumps(huge), **JSON))) == {("body", "amount")}
    assert list(Invoice.objects.values_list("number", flat=True)) == ["F1"]
    assert str(world.east_customer.balance.receivable) == "1000.00"
