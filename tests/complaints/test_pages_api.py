"""Pages, the public form (rate-limited, answers with a reference number) and the REST API, with scope."""

import json

import pytest
from django.core.cache import cache

from credo.complaints import services, views
from credo.complaints.models import Complaint
from tests.complaints.test_services import take

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_intake_page_queue_detail_and_card_tab(client, world, monday):
    client.force_login(world.service)
    assert client.get("/complaints/new/").status_code == 200
    bad = client.post("/complaints/new/", {"customer": "NOPE", "channel": "phone", "category": "quality",
                                           "severity": "major", "contact_name": "王", "description": "x"})
    assert bad.status_code == 200 and 'data-field="customer"' in bad.content.decode()
    done = client.post("/complaints/new/", {"customer": "E001", "channel": "phone", "category": "quality",
                                            "severity": "major", "contact_name": "王经理", "description": "漏水",
                                            "order_number": "SO-NOT-THERE"})
    assert done.status_code == 200 and 'data-field="order_number"' in done.content.decode()
    done = client.post("/complaints/new/", {"customer": "E001", "channel": "phone", "category": "quality",
                                            "severity": "major", "contact_name": "王经理", "description": "漏水"})
    complaint = Complaint.objects.get()
    assert done.status_code == 302 and done.url == f"/complaints/{complaint.pk}/"
    queue = client.get("/complaints/?category=quality").content.decode()
    assert complaint.number in queue
    assert complaint.number not in client.get("/complaints/?category=price").content.decode()
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'id="close-step-form"' in page and "漏水" in page
    tab = client.get(f"/customers/{world.east_customer.pk}/?tab=service").content.decode()
    assert complaint.number in tab
    home = client.get("/").content.decode()
    assert 'data-testid="complaints-due-panel"' in home and complaint.number in home


def test_detail_actions_through_the_page(client, world, monday):
    complaint = take(world)
    client.force_login(world.service)
    url = f"/complaints/{complaint.pk}/"
    empty = client.post(url, {"action": "close", "step": "1", "record": ""})
    assert empty.status_code == 200 and 'data-field="record"' in empty.content.decode()
    assert client.post(url, {"action": "close", "step": "1", "record": "听完了"}).status_code == 302
    assert client.post(url, {"action": "measure", "text": "先换货"}).status_code == 302
    assert client.post(url, {"action": "pause", "reason": "等照片"}).status_code == 302
    assert client.post(url, {"action": "resume"}).status_code == 302
    assert client.post(url, {"action": "assign", "owner": world.sales_east.pk}).status_code == 302
    bad = client.post(url, {"action": "reopen", "to_step": "1", "reason": ""})
    assert 'data-field="reason"' in bad.content.decode()
    complaint.refresh_from_db()
    assert complaint.current_step == 2 and complaint.measures.count() == 1
    client.force_login(world.sales_east)          # the owner on a phone: the same page with the close form
    assert 'id="close-step-form"' in client.get(url).content.decode()
    no_cause = client.post(url, {"action": "close", "step": "2", "record": "密封圈老化"})
    assert no_cause.status_code == 200 and 'data-field="cause"' in no_cause.content.decode()
    assert client.post(url, {"action": "close", "step": "2", "record": "密封圈老化", "cause": "material",
                             "department": "质量部"}).status_code == 302
    assert "质量部" in client.get(url).content.decode()


def test_out_of_scope_is_404(client, world, monday):
    complaint = take(world)
    client.force_login(world.sales_north)
    assert client.get(f"/complaints/{complaint.pk}/").status_code == 404
    assert complaint.number not in client.get("/complaints/").content.decode()


def test_public_form_gives_a_reference_number_and_is_rate_limited(client, world, monday):
    page = client.get("/public/complaint/")
    assert page.status_code == 200 and 'id="public-form"' in page.content.decode()
    data = {"company_name": "某某公司", "contact_name": "赵", "contact_phone": "13900000000", "category": "delivery",
            "description": "货到晚了三天"}
    bad = client.post("/public/complaint/", {**data, "contact_phone": ""})
    assert bad.status_code == 200 and 'data-field="contact_phone"' in bad.content.decode()
    done = client.post("/public/complaint/", data, follow=True)
    complaint = Complaint.objects.get()
    assert complaint.number in done.content.decode() and complaint.current_step == 1
    for _ in range(views.PUBLIC_LIMIT - 1):
        client.post("/public/complaint/", data)
    refused = client.post("/public/complaint/", data)
    assert refused.status_code == 429
    assert Complaint.objects.count() == views.PUBLIC_LIMIT
    robot = client.post("/public/complaint/", {**data, "website": "http://spam"}, REMOTE_ADDR="10.9.9.9")
    assert robot.status_code == 302 and Complaint.objects.count() == views.PUBLIC_LIMIT


def _api(client, method, path, body=None):
    call = getattr(client, method)
    if body is None:
        return call(path)
    return call(path, data=json.dumps(body), content_type="application/json")


def test_api_end_to_end(client, world, monday):
    client.force_login(world.service)
    made = _api(client, "post", "/api/complaints", {"customer_id": world.east_customer.pk, "channel": "email",
                                                     "category": "billing", "contact_name": "钱",
                                                     "description": "发票金额错了"})
    assert made.status_code == 201, made.content
    cid = made.json()["id"]
    assert made.json()["current_step"] == 1 and made.json()["steps"][0]["owner"] == "service"
    skipped = _api(client, "post", f"/api/complaints/{cid}/steps/3/close", {"record": "x"})
    assert skipped.status_code == 422 and skipped.json()["detail"][0]["loc"] == ["body", "step"]
    empty = _api(client, "post", f"/api/complaints/{cid}/steps/1/close", {"record": " "})
    assert empty.status_code == 422 and empty.json()["detail"][0]["loc"] == ["body", "record"]
    assert _api(client, "post", f"/api/complaints/{cid}/measures", {"text": "先冲红"}).status_code == 201
    assert _api(client, "post", f"/api/complaints/{cid}/pause", {"reason": "等客户盖章"}).json()["waiting"]
    assert not _api(client, "post", f"/api/complaints/{cid}/resume").json()["waiting"]
    for n in range(1, 7):
        out = _api(client, "post", f"/api/complaints/{cid}/steps/{n}/close", {"record": f"r{n}", "cause": "transport"})
        assert out.status_code == 200, out.content
    assert out.json()["status"] == "closed"
    reopened = _api(client, "post", f"/api/complaints/{cid}/reopen", {"to_step": 5, "reason": "又错了"})
    assert reopened.json()["current_step"] == 5 and reopened.json()["round"] == 2
    assert _api(client, "post", f"/api/complaints/{cid}/owner", {"owner_id": world.sales_east.pk}).status_code == 200
    listed = _api(client, "get", "/api/complaints?category=billing").json()
    assert [r["id"] for r in listed] == [cid]
    assert _api(client, "get", f"/api/complaints/{cid}").json()["measures"][0]["text"] == "先冲红"


def test_api_scope_and_permissions(client, world, monday):
    complaint = take(world)
    client.force_login(world.sales_north)
    assert _api(client, "get", f"/api/complaints/{complaint.pk}").status_code == 404
    assert _api(client, "get", "/api/complaints").json() == []
    client.force_login(world.finance)
    made = _api(client, "post", "/api/complaints", {"customer_id": world.east_customer.pk, "channel": "phone",
                                                     "category": "quality", "contact_name": "x", "description": "y"})
    assert made.status_code == 403
    client.force_login(world.sales_east)
    assert _api(client, "post", f"/api/complaints/{complaint.pk}/reopen",
                {"to_step": 1, "reason": "x"}).status_code == 403
    client.logout()
    assert _api(client, "get", "/api/complaints").status_code == 401


def test_the_sla_scan_names_complaints(world, monday):
    from credo.sla import registry

    complaint = take(world)
    assert registry.describe("complaint", [complaint.pk]) == {complaint.pk: f"{complaint.number} "
                                                                          f"{world.east_customer.name}"}
    assert registry.url("complaint", complaint.pk) == f"/complaints/{complaint.pk}/"
    assert services.repeat_window(monday.today) == 90
