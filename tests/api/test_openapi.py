"""The OpenAPI document tells the truth: one schema per name, every operation's error answers documented with
the shapes the exception handlers really return, every request body an InputSchema."""

import json
import typing

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from ninja import Schema
from pydantic import BaseModel

from credo.api.api import api
from credo.core.api_errors import ErrorOut, ValidationErrorOut, operations
from credo.core.api_inputs import InputSchema
from credo.core.auth import create_token

DOC = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api"), cls=DjangoJSONEncoder))
COMPONENTS = DOC["components"]["schemas"]


def _models(annotation, found: set) -> set:
    """Every pydantic model an annotation reaches, through unions, lists, dicts and fields."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and annotation not in found:
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, found)
    for arg in typing.get_args(annotation):
        _models(arg, found)
    return found


def _operation_models(operation, *, inputs: bool) -> set:
    found: set = set()
    sources = operation.models if inputs else operation.response_models.values()
    for model in sources:
        if model is not None and isinstance(model, type):
            for field in model.model_fields.values():
                _models(field.annotation, found)
    return found


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_schema_names_are_unique():
    """Two classes with one name share one entry in the document: the second's operations are documented with
    the first's fields (credit's check was shown as the risk check). Any clash among the project's schemas or
    the models the operations reach fails here."""
    classes = {cls for cls in _subclasses(Schema) if cls.__module__.startswith("credo.")}
    for _path, operation in operations(api):
        classes |= _operation_models(operation, inputs=True) | _operation_models(operation, inputs=False)
    by_name: dict[str, set] = {}
    for cls in classes:
        by_name.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: owners for name, owners in by_name.items() if len(owners) > 1} == {}


def test_each_documented_schema_is_its_own_class():
    for _path, operation in operations(api):
        for cls in _operation_models(operation, inputs=False):
            documented = COMPONENTS[cls.__name__]
            assert set(documented["properties"]) == {f.alias or n for n, f in cls.model_fields.items()}, cls


def test_credit_check_is_documented_with_its_own_schema():
    ref = DOC["paths"]["/api/credit/customers/{customer_id}/check"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]["$ref"]
    assert {"passed", "exposure_after", "excess"} <= set(COMPONENTS[ref.rsplit("/", 1)[1]]["properties"])


def test_every_request_body_is_an_input_schema():
    """InputSchema refuses control characters in every text a body carries; a body model that is not one
    would let a NUL through to the database."""
    for path, operation in operations(api):
        for model in operation.models:
            if model.__ninja_param_source__ == "body":
                for field in model.model_fields.values():
                    assert isinstance(field.annotation, type) and issubclass(field.annotation, InputSchema), path
        for cls in _operation_models(operation, inputs=True):
            assert issubclass(cls, InputSchema), (path, cls)


def _schema(ref_or_schema):
    ref = ref_or_schema.get("$ref")
    return COMPONENTS[ref.rsplit("/", 1)[1]] if ref else ref_or_schema


def test_every_operation_documents_its_error_answers():
    count = 0
    for path, item in DOC["paths"].items():
        for method, operation in item.items():
            count += 1
            responses = operation["responses"]
            wanted = {"401", "403", "404", "422"} | ({"400"} if "requestBody" in operation else set())
            assert wanted <= set(responses), f"{method.upper()} {path}"
            for status in wanted:
                schema = _schema(responses[status]["content"]["application/json"]["schema"])
                assert schema["required"] == ["detail"], f"{method.upper()} {path} {status}"
                detail = schema["properties"]["detail"]
                assert detail.get("type") == ("array" if status == "422" else "string"), f"{path} {status}"
    assert count > 80


@pytest.fixture
def token_client(world):
    def make(user):
        return Client(headers={"Authorization": f"Bearer {create_token(user, 'test')}"})
    return make


def _matches(response, model):
    body = response.json()
    assert set(body) <= set(model.model_fields), body
    model.model_validate(body)


def test_error_answers_have_the_documented_shapes(token_client, world):
    customer = world.east_customer.pk
    anonymous = Client()
    _matches(anonymous.get("/api/customers/"), ErrorOut)
    assert anonymous.get("/api/customers/").status_code == 401
    sales = token_client(world.sales_east)
    forbidden = sales.post(f"/api/ledger/customers/{customer}/invoices", json.dumps(
        {"number": "F1", "invoice_date": "2026-03-01", "amount": "5"}), content_type="application/json")
    assert forbidden.status_code == 403
    _matches(forbidden, ErrorOut)
    missing = sales.get(f"/api/customers/{world.north_customer.pk}")
    assert missing.status_code == 404
    _matches(missing, ErrorOut)
    for bad in (sales.get("/api/customers/", {"limit": "x"}),
                sales.patch(f"/api/customers/{customer}", json.dumps({"name": ""}), content_type="application/json")):
        assert bad.status_code == 422
        _matches(bad, ValidationErrorOut)
    not_json = sales.patch(f"/api/customers/{customer}", "{", content_type="application/json")
    assert not_json.status_code == 400
    _matches(not_json, ErrorOut)
    session = Client(enforce_csrf_checks=True)
    session.force_login(world.sales_east)
    no_csrf = session.patch(f"/api/customers/{customer}", json.dumps({}), content_type="application/json")
    assert no_csrf.status_code == 403
    _matches(no_csrf, ErrorOut)


@pytest.mark.parametrize("url", ["/api/customers/-1", "/api/customers/%C2%84%0A/contacts", "/api/nothing"])
def test_unknown_api_urls_answer_json_404(token_client, world, url):
    client = token_client(world.sales_east)
    for response in (client.get(url), client.patch(url, "{}", content_type="application/json")):
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
        _matches(response, ErrorOut)


def test_both_kinds_of_422_of_customer_creation_match_its_documentation(token_client, world):
    from credo.customers.schemas import DuplicateWarningOut

    documented = DOC["paths"]["/api/customers/"]["post"]["responses"]["422"]["content"]["application/json"]
    assert documented["schema"]["$ref"].endswith("/DuplicateWarningOut")
    assert COMPONENTS["DuplicateWarningOut"]["required"] == ["detail"]
    client = token_client(world.sales_east)
    ordinary = client.post("/api/customers/", json.dumps({"code": "", "name": "甲"}), content_type="application/json")
    duplicate = client.post("/api/customers/", json.dumps({"code": "E100", "name": world.east_customer.name}),
                            content_type="application/json")
    for response in (ordinary, duplicate):
        assert response.status_code == 422
        _matches(response, DuplicateWarningOut)
    assert duplicate.json()["duplicates"] and "duplicates" not in ordinary.json()
