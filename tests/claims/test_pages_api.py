"""The claims list, the Claims card on the complaint page, the ledger tab's references and the REST API."""

import json

import pytest

from credo.claims import services
from credo.claims.models import Claim
from credo.sales.models import CreditNote
from tests.claims.conftest import complaint, invoice

pytestmark = pytest.mark.django_db


def _api(client, method, path, body=None):
    call = getattr(client, method)
    if body is None:
        return call(path)
    return call(path, data=json.dumps(body), content_type="application/json")


def _fields(response):
    return {tuple(item["loc"])[-1] for item in response.json()["detail"]}


def test_card_create_and_every_step_through_the_pages(client, world, case):
    c = case["complaint"]
    page = f"/complaints/{c.pk}/"
    client.force_login(world.service)
    body = client.get(page).content.decode()
    assert 'data-testid="claims-card"' in body and 'id="claim-form"' in body
    bad = client.post(f"/claims/new/{c.pk}/", {"amount_claimed": "abc", "reason": "", "invoice_1": ""})
    text = bad.content.decode()
    assert bad.status_code == 200 and 'data-field="amount_claimed"' in text and 'data-field="reason"' in text
    assert Claim.objects.count() == 0
    wrong_sum = client.post(f"/claims/new/{c.pk}/", {"amount_claimed": "1500", "reason": "漏水",
                                                     "invoice_1": case["inv1"].pk, "amount_1": "1000"})
    assert 'data-field="lines"' in wrong_sum.content.decode() and Claim.objects.count() == 0
    done = client.post(f"/claims/new/{c.pk}/", {"amount_claimed": "1500", "amount_agreed": "1200", "reason": "漏水",
                                                "invoice_1": case["inv1"].pk, "amount_1": "1000",
                                                "invoice_2": case["inv2"].pk, "amount_2": "200"})
    claim = Claim.objects.get()
    assert done.status_code == 302 and done.url == f"{page}#claim-{claim.pk}"
    assert 'data-testid="submit-claim"' in client.get(page).content.decode()
    assert client.post(f"/claims/{claim.pk}/submit/").status_code == 302
    assert 'data-testid="approve-claim"' not in client.get(page).content.decode()   # own claim
    client.force_login(world.credit)
    follow = client.post(f"/claims/{claim.pk}/reject/", {"reason": ""}, follow=True).content.decode()
    assert "驳回原因" in follow and "请说明驳回索赔的原因。" in follow      # names the field, in Chinese
    assert client.post(f"/claims/{claim.pk}/approve/", {"note": "同意"}).status_code == 302
    client.force_login(world.finance)
    assert 'data-testid="settle-claim"' in client.get(page).content.decode()
    assert client.post(f"/claims/{claim.pk}/settle/", {"settled_on": ""}).status_code == 302
    claim.refresh_from_db()
    assert claim.status == "settled" and claim.credit_note.amount == 1200
    card = client.get(page).content.decode()
    assert claim.credit_note.number in card
    tab = client.get(f"/customers/{world.east_customer.pk}/?tab=ledger").content.decode()
    assert 'id="credit-notes"' in tab and claim.number in tab and c.number in tab
    client.force_login(world.service)
    assert client.post(f"/claims/{claim.pk}/return/", {"returned_on": case_today(), "description": "阀门",
                                                       "quantity": "3"}).status_code == 302
    assert claim.returns.count() == 1


def case_today():
    from credo.core.clock import business_today

    return business_today().isoformat()


def test_list_filters_count_scope_and_empty_state(client, world, case):
    claim = services.create(world.service, case["complaint"], amount_claimed="100", reason="x",
                            lines=[(case["inv1"], "100")])
    client.force_login(world.sales_east)
    body = client.get("/claims/").content.decode()
    assert claim.number in body and 'data-testid="count">1<' in body
    assert claim.number not in client.get("/claims/?status=settled").content.decode()
    assert claim.number in client.get(f"/claims/?customer={world.east_customer.pk}&status=open").content.decode()
    client.force_login(world.sales_north)
    empty = client.get("/claims/").content.decode()
    assert claim.number not in empty and "还没有索赔" in empty
    nav = client.get("/").content.decode()
    assert 'href="/claims/"' in nav
    assert client.post(f"/claims/{claim.pk}/submit/").status_code == 404


def test_api_end_to_end(client, world, case):
    cid = case["complaint"].pk
    client.force_login(world.service)
    bad = _api(client, "post", f"/api/claims/complaints/{cid}", {"amount_claimed": "x", "reason": "r", "lines": []})
    assert bad.status_code == 422 and "amount_claimed" in _fields(bad)
    bad = _api(client, "post", f"/api/claims/complaints/{cid}", {"amount_claimed": "100", "reason": "r", "lines": []})
    assert bad.status_code == 422 and _fields(bad) == {"lines"}
    bad = _api(client, "post", f"/api/claims/complaints/{cid}", {"amount_claimed": "100", "amount_agreed": "200",
                                                                 "reason": "r",
                                                                 "lines": [{"invoice_id": case["inv1"].pk,
                                                                            "amount": "200"}]})
    assert bad.status_code == 422 and "amount_agreed" in _fields(bad)
    made = _api(client, "post", f"/api/claims/complaints/{cid}", {
        "amount_claimed": "2000.00", "reason": "漏水", "lines": [{"invoice_id": case["inv1"].pk, "amount": "1000"},
                                                                {"invoice_id": case["inv2"].pk, "amount": 1000}]})
    assert made.status_code == 201, made.json()
    claim_id = made.json()["id"]
    assert [line["amount"] for line in made.json()["lines"]] == ["1000.00", "1000.00"]
    assert _api(client, "post", f"/api/claims/{claim_id}/submit").json()["status"] == "submitted"
    assert _api(client, "post", f"/api/claims/{claim_id}/approve", {}).status_code == 403   # own claim
    client.force_login(world.manager_east)
    rejected = _api(client, "post", f"/api/claims/{claim_id}/reject", {"reason": " "})
    assert rejected.status_code == 422 and _fields(rejected) == {"reason"}
    assert _api(client, "post", f"/api/claims/{claim_id}/approve", {"note": "ok"}).json()["status"] == "approved"
    client.force_login(world.finance)
    settled = _api(client, "post", f"/api/claims/{claim_id}/settle", {})
    assert settled.json()["status"] == "settled" and settled.json()["credit_note_number"].startswith("CN-SP-")
    assert _api(client, "post", f"/api/claims/{claim_id}/settle", {}).json()["credit_note_id"] == \
        settled.json()["credit_note_id"]
    assert CreditNote.objects.count() == 1
    client.force_login(world.service)
    bad = _api(client, "post", f"/api/claims/{claim_id}/returns", {"returned_on": "2026-06-15", "description": " ",
                                                                   "quantity": "0"})
    assert bad.status_code == 422 and _fields(bad) == {"description", "quantity"}
    assert _api(client, "post", f"/api/claims/{claim_id}/returns",
                {"returned_on": "2026-06-15", "description": "阀门", "quantity": "2.5"}).status_code == 201
    listed = _api(client, "get", f"/api/claims?status=settled&customer={world.east_customer.pk}").json()
    assert [row["id"] for row in listed] == [claim_id]
    assert _api(client, "get", f"/api/claims/{claim_id}").json()["returns"][0]["quantity"] == "2.500"


def test_api_scope_is_404(client, world, case):
    claim = services.create(world.service, case["complaint"], amount_claimed="100", reason="x",
                            lines=[(case["inv1"], "100")])
    north = complaint(world, customer=world.north_customer)
    client.force_login(world.sales_north)
    assert _api(client, "get", f"/api/claims/{claim.pk}").status_code == 404
    assert _api(client, "post", f"/api/claims/{claim.pk}/withdraw", {}).status_code == 404
    assert _api(client, "get", "/api/claims").json() == []
    client.force_login(world.manager_east)
    invoice(world, "N1", "10.00", customer=world.north_customer)
    assert _api(client, "post", f"/api/claims/complaints/{north.pk}", {
        "amount_claimed": "10", "reason": "x", "lines": []}).status_code == 404
