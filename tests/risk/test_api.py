"""The risk API: watch list (scoped, filtered), a customer's class and signals, record, clear, check."""

import json

from credo.core.auth import create_token
from credo.risk import scan
from credo.risk.models import RiskSignal

from .conftest import ago

JSON = {"content_type": "application/json"}


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), **JSON)


def test_record_read_and_clear_through_the_api(client, world):
    scan.run_scan()
    client.force_login(world.sales_east)
    url = f"/api/risk/customers/{world.east_customer.pk}"
    made = post(client, f"{url}/signals", {"kind": "owner_conflict", "evidence": "股东之间为分红争吵，总经理辞职",
                                           "detected_on": ago(2).isoformat()})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["kind"] == "owner_conflict" and body["source"] == "recorded" and body["status"] == "active"
    risk = client.get(url).json()
    assert risk["risk_class"]["risk_class"] == "CA5" and "现金" in risk["risk_class"]["policy"]
    assert risk["risk_class"]["inputs"]["completeness"] == 0
    assert [s["kind"] for s in risk["active"]] == ["owner_conflict"] and risk["cleared"] == []
    cleared = post(client, f"/api/risk/signals/{body['id']}/clear", {"note": "矛盾已解决"})
    assert cleared.status_code == 200 and cleared.json()["status"] == "cleared"
    assert client.get(url).json()["cleared"][0]["clear_note"] == "矛盾已解决"


def test_bad_input_and_permissions(client, world):
    client.force_login(world.sales_east)
    url = f"/api/risk/customers/{world.east_customer.pk}/signals"
    bad = post(client, url, {"kind": "paying_later", "evidence": ""})
    assert bad.status_code == 422
    assert {d["loc"][-1] for d in bad.json()["detail"]} == {"kind", "evidence"}
    assert not RiskSignal.objects.exists()
    client.force_login(world.sales_north)
    assert post(client, url, {"kind": "lawsuits", "evidence": "x"}).status_code == 404
    assert client.get(f"/api/risk/customers/{world.east_customer.pk}").status_code == 404
    client.force_login(world.executive)
    assert post(client, url, {"kind": "lawsuits", "evidence": "x"}).status_code == 403
    client.force_login(world.service)
    assert client.get("/api/risk/watchlist").status_code == 403
    client.logout()
    assert client.get("/api/risk/watchlist").status_code == 401


def test_watch_list_scoped_and_filtered_with_a_token(client, world):
    for customer, kind in ((world.east_customer, "lawsuits"), (world.north_customer, "not_answering")):
        RiskSignal.objects.create(customer=customer, kind=kind, source="recorded", evidence="…", detected_on=ago(1))
    RiskSignal.objects.create(customer=world.north_customer, kind="bounced_cheques", source="computed",
                              detected_on=ago(5))
    headers = {"Authorization": f"Bearer {create_token(world.credit, 'test')}"}
    rows = client.get("/api/risk/watchlist", headers=headers).json()
    assert [(r["customer_code"], r["signals"]) for r in rows] == [("N001", 2), ("E001", 1)]
    assert rows[0]["kinds"] == ["not_answering", "bounced_cheques"] and rows[0]["exposure"] == "0.00"
    only = client.get("/api/risk/watchlist?kind=lawsuits", headers=headers).json()
    assert [r["customer_code"] for r in only] == ["E001"]
    assert len(client.get("/api/risk/watchlist?limit=1&offset=1", headers=headers).json()) == 1
    mine = {"Authorization": f"Bearer {create_token(world.sales_east, 'test')}"}
    assert [r["customer_code"] for r in client.get("/api/risk/watchlist", headers=mine).json()] == ["E001"]


def test_check_a_customer_now(client, world):
    client.force_login(world.credit)
    checked = post(client, f"/api/risk/customers/{world.north_customer.pk}/check")
    assert checked.status_code == 200 and checked.json()["risk_class"] == "CA5"


def test_computed_signal_cannot_be_cleared_through_the_api(client, world):
    signal = RiskSignal.objects.create(customer=world.east_customer, kind="bounced_cheques", source="computed",
                                       detected_on=ago(1), figures={"bounced": 1, "months": 12, "minimum": 1})
    client.force_login(world.credit)
    refused = post(client, f"/api/risk/signals/{signal.pk}/clear", {"note": "误报"})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][-1] == "status"
    shown = client.get(f"/api/risk/customers/{world.east_customer.pk}").json()["active"][0]
    assert shown["figures"]["bounced"] == 1 and "12" in shown["evidence"]
