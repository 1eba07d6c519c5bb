"""Authentication of every customer endpoint: 401 without it, Bearer tokens, the session with CSRF."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from credo.core.auth import user_for_token
from credo.core.models import ApiToken
from credo.customers.models import Customer
from tests.factories import PASSWORD

ENDPOINTS = [
    ("get", "/api/customers/"),
    ("post", "/api/customers/"),
    ("get", "/api/customers/duplicates?name=x"),
    ("get", "/api/customers/{id}"),
    ("patch", "/api/customers/{id}"),
    ("get", "/api/customers/{id}/contacts"),
    ("post", "/api/customers/{id}/contacts"),
    ("patch", "/api/customers/{id}/contacts/{contact}"),
    ("get", "/api/customers/{id}/assignments"),
    ("post", "/api/customers/{id}/reassign"),
    ("get", "/api/customers/{id}/audit"),
]
NEW_CUSTOMER = {"code": "S001", "name": "会话测试有限公司"}


def _call(client, method, template, world, **headers):
    contact = world.east_customer.contacts.create(name="张三")
    path = template.format(id=world.east_customer.pk, contact=contact.pk)
    body = {} if method == "get" else {"data": json.dumps({"name": "x"}), "content_type": "application/json"}
    return getattr(client, method)(path, headers=headers, **body)


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_needs_authentication(world, method, path):
    assert _call(Client(), method, path, world).status_code == 401
    assert _call(Client(), method, path, world, Authorization="Bearer credo_wrong").status_code == 401


def test_bearer_token_authenticates(world):
    key = call_token(world.sales_east.username)
    response = Client().get("/api/customers/", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert [c["code"] for c in response.json()["items"]] == ["E001"]


def test_revoked_token_is_refused(world):
    key = call_token("sales_east")
    ApiToken.objects.update(revoked_at=timezone.now())
    assert Client().get("/api/customers/", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def _session_client(world):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=world.sales_east.username, password=PASSWORD)
    return client


def test_session_reads_without_csrf(world):
    assert _session_client(world).get("/api/customers/").status_code == 200


def test_session_write_without_csrf_token_is_refused(world):
    client = _session_client(world)
    response = client.post("/api/customers/", json.dumps(NEW_CUSTOMER), content_type="application/json")
    assert response.status_code == 403
    patch = client.patch(f"/api/customers/{world.east_customer.pk}", json.dumps({"phone": "021-12345678"}),
                         content_type="application/json")
    assert patch.status_code == 403
    assert not Customer.objects.filter(code="S001").exists()
    world.east_customer.refresh_from_db()
    assert world.east_customer.phone == ""


def test_session_write_with_csrf_token_is_accepted(world):
    client = _session_client(world)
    secret = "abcdefghijklmnopqrstuvwxyzABCDEF"
    client.cookies["csrftoken"] = secret
    response = client.post("/api/customers/", json.dumps(NEW_CUSTOMER), content_type="application/json",
                           headers={"X-CSRFToken": secret})
    assert response.status_code == 201, response.content
    assert Customer.objects.get(code="S001").account_manager == world.sales_east


def test_openapi_schema_and_docs(db):
    schema = Client().get("/api/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/customers/" in paths and "/api/customers/{customer_id}/reassign" in paths
    assert Client().get("/api/docs").status_code == 200


def call_token(username, *args):
    from io import StringIO

    out = StringIO()
    call_command("token", username, *args, stdout=out)
    return out.getvalue().strip()


def test_token_command_prints_a_working_token(world):
    key = call_token("sales_east", "--name", "erp")
    assert user_for_token(key) == world.sales_east
    assert ApiToken.objects.get(user=world.sales_east).name == "erp"


def test_token_command_refuses_unknown_user(db):
    with pytest.raises(CommandError, match="nobody") as exc:
        call_token("nobody")
    assert exc.value.returncode == 2
    assert not ApiToken.objects.exists()
