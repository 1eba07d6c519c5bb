"""Pages through the test client and the REST API: scope (a salesperson sees only their customers'), 404 out of
scope, 403 without the role, 422 naming the field."""

import datetime
import json

import pytest

from credo.improvement import services
from credo.improvement.models import ImprovementAction, RecoveryAction, ServicePromise
from tests.improvement.conftest import take
from tests.improvement.test_services import new_action

pytestmark = pytest.mark.django_db


def _api(client, method, path, body=None):
    call = getattr(client, method)
    if body is None:
        return call(path)
    return call(path, data=json.dumps(body), content_type="application/json")


def test_list_detail_and_transitions_through_the_pages(client, world, monday):
    complaint = take(world)
    client.force_login(world.service)
    assert "data-testid=\"count\">0<" in client.get("/improvement/").content.decode().replace(" ", "")  # empty
    bad = client.post("/improvement/new/", {"kind": "corrective", "title": "", "cause": "x", "owner": world.sales_east.pk,
                                            "due_date": "2026-06-20", "complaints": "TS-NOPE"})
    assert bad.status_code == 200 and 'data-field="complaints"' in bad.content.decode()
    assert ImprovementAction.objects.count() == 0
    made = client.post("/improvement/new/", {"kind": "corrective", "title": "双人复核", "cause": "漏装",
                                             "owner": world.sales_east.pk, "due_date": "2026-06-20",
                                             "complaints": complaint.number})
    action = ImprovementAction.objects.get()
    assert made.status_code == 302 and made.url == f"/improvement/{action.pk}/"
    page = client.get(f"/improvement/{action.pk}/").content.decode()
    assert complaint.number in page and 'id="start-form"' in page
    assert client.post(f"/improvement/{action.pk}/", {"action": "start"}).status_code == 302
    failed = client.post(f"/improvement/{action.pk}/", {"action": "complete", "outcome": ""})
    assert 'data-field="outcome"' in failed.content.decode()
    client.post(f"/improvement/{action.pk}/", {"action": "complete", "outcome": "已复核"})
    client.post(f"/improvement/{action.pk}/", {"action": "verify", "effect": "再无漏装"})
    action.refresh_from_db()
    assert action.status == "verified" and action.verified_by == world.service
    listing = client.get("/improvement/?status=verified&kind=corrective").content.decode()
    assert action.reference in listing
    assert action.reference not in client.get("/improvement/?overdue=1").content.decode()
    card = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'id="improvement-card"' in card and action.reference in card and 'id="recovery-card"' in card


def test_overdue_filter_link_from_complaint_and_scope(client, world, monday):
    east, north = take(world), take(world, customer=world.north_customer)
    late = new_action(world, user=world.service, complaint_ids=[north.pk], owner=world.service)
    ImprovementAction.objects.filter(pk=late.pk).update(due_date=datetime.date(2026, 6, 1))
    mine = new_action(world, owner=world.service)
    client.force_login(world.service)
    assert late.reference in client.get("/improvement/?overdue=1").content.decode()
    assert mine.reference not in client.get("/improvement/?overdue=1").content.decode()
    client.post(f"/improvement/complaint/{east.pk}/link/", {"action_id": mine.pk})
    assert list(mine.complaints.all()) == [east]
    client.force_login(world.sales_east)
    listing = client.get("/improvement/").content.decode()
    assert mine.reference in listing and late.reference not in listing
    assert client.get(f"/improvement/{late.pk}/").status_code == 404
    assert client.get("/improvement/new/").status_code == 403


def test_promises_and_recovery_pages(client, world, monday):
    complaint = take(world)
    services.save_promise(world.admin, name="4 小时首次答复", customer_text="4 个工作小时内答复",
                          measure="complaint_first_response", budget="4", valid_from="2026-01-01")
    client.force_login(world.service)
    page = client.get("/improvement/promises/").content.decode()
    assert "4 小时首次答复" in page and 'data-days="30"' in page and 'data-days="365"' in page
    assert client.get("/improvement/promises/new/").status_code == 403
    bad = client.post("/improvement/recovery/new/", {"complaint": complaint.number, "failure": "complaint",
                                                     "kind": "gift", "cost": "abc"})
    assert 'data-field="cost"' in bad.content.decode() and RecoveryAction.objects.count() == 0
    done = client.post("/improvement/recovery/new/", {"complaint": complaint.number, "failure": "complaint",
                                                      "kind": "gift", "cost": "300"})
    assert done.status_code == 302 and RecoveryAction.objects.get().cost == 300
    listing = client.get("/improvement/recovery/").content.decode()
    assert complaint.number in listing and "300.00" in listing
    client.force_login(world.sales_north)
    assert complaint.number not in client.get("/improvement/recovery/").content.decode()
    client.force_login(world.admin)
    saved = client.post("/improvement/promises/new/", {"name": "3 天换货", "customer_text": "3 天内免费换货",
                                                       "measure": "complaint_resolution", "unit": "calendar_days",
                                                       "budget": "3", "valid_from": "2026-06-01", "active": "on"})
    assert saved.status_code == 302 and ServicePromise.objects.filter(unit="calendar_days").exists()


def test_api_actions_promises_recoveries(client, world, monday):
    complaint, north = take(world), take(world, customer=world.north_customer)
    client.force_login(world.manager_east)
    bad = _api(client, "post", "/api/improvement/actions", {"title": "x", "cause": "c", "owner_id": 99999,
                                                            "due_date": "2026-06-30", "kind": "odd"})
    assert bad.status_code == 422
    assert {e["loc"][-1] for e in bad.json()["detail"]} == {"owner_id", "kind"}
    missing = _api(client, "post", "/api/improvement/actions", {"title": "x"})
    assert missing.status_code == 422 and "cause" in {e["loc"][-1] for e in missing.json()["detail"]}
    made = _api(client, "post", "/api/improvement/actions", {"title": "复核", "cause": "漏装",
                                                             "owner_id": world.service.pk, "due_date": "2026-06-30",
                                                             "complaint_ids": [complaint.pk]})
    assert made.status_code == 201 and made.json()["complaint_ids"] == [complaint.pk]
    aid = made.json()["id"]
    out = _api(client, "post", f"/api/improvement/actions/{aid}/complaints", {"complaint_ids": [north.pk]})
    assert out.status_code == 422 and out.json()["detail"][0]["loc"][-1] == "complaint_ids"
    assert _api(client, "patch", f"/api/improvement/actions/{aid}", {"due_date": "2026-07-10"}).json()[
        "due_date"] == "2026-07-10"
    client.force_login(world.service)
    assert _api(client, "post", f"/api/improvement/actions/{aid}/start").json()["status"] == "in_progress"
    assert _api(client, "post", f"/api/improvement/actions/{aid}/complete", {"outcome": "好了"}).status_code == 200
    selfcheck = _api(client, "post", f"/api/improvement/actions/{aid}/verify", {"effect": "有效"})
    assert selfcheck.status_code == 422 and selfcheck.json()["detail"][0]["loc"][-1] == "verified_by"
    client.force_login(world.manager_east)
    assert _api(client, "post", f"/api/improvement/actions/{aid}/verify", {"effect": "有效"}).json()[
        "status"] == "verified"
    client.force_login(world.sales_north)
    assert _api(client, "get", f"/api/improvement/actions/{aid}").status_code == 404
    assert _api(client, "get", "/api/improvement/actions").json() == []
    assert _api(client, "post", "/api/improvement/recoveries", {"complaint_id": north.pk, "kind": "gift"}
                ).status_code == 403
    assert _api(client, "post", "/api/improvement/promises", {"name": "p", "customer_text": "t",
                                                              "measure": "ticket_resolution", "budget": 8}
                ).status_code == 403
    client.force_login(world.admin)
    p = _api(client, "post", "/api/improvement/promises", {"name": "p", "customer_text": "t",
                                                           "measure": "complaint_first_response", "budget": "4",
                                                           "valid_from": "2026-01-01"})
    assert p.status_code == 201 and [x["days"] for x in p.json()["performance"]] == [30, 90, 365]
    bad = _api(client, "patch", f"/api/improvement/promises/{p.json()['id']}", {"budget": "abc"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "budget"
    listed = _api(client, "get", "/api/improvement/promises").json()
    assert listed[0]["performance"][0]["running"] + listed[0]["performance"][0]["kept"] >= 1
    client.force_login(world.service)
    bad = _api(client, "post", "/api/improvement/recoveries", {"complaint_id": complaint.pk, "kind": "gift",
                                                               "cost": "-1"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "cost"
    ok = _api(client, "post", "/api/improvement/recoveries", {"complaint_id": complaint.pk, "kind": "gift",
                                                              "cost": "88.80"})
    assert ok.status_code == 201 and ok.json()["cost"] == "88.80"
    assert [r["id"] for r in _api(client, "get", "/api/improvement/recoveries").json()] == [ok.json()["id"]]
