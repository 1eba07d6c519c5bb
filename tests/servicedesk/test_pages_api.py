"""Pages through the test client and the REST API: scope, permissions, bad input as 422 naming the field."""

import json

import pytest

from credo.servicedesk import services
from credo.servicedesk.models import Article, ServiceContract, Ticket

from .conftest import open_ticket

pytestmark = pytest.mark.django_db
JSON = {"content_type": "application/json"}


def post_json(client, url, body):
    return client.post(url, data=json.dumps(body), **JSON)


@pytest.fixture
def kb(desk):
    services.save_article(desk.service, title="打印机无法开机的排查步骤", body="先检查电源线和保险丝，再检查电源板。",
                          tags="打印机, 开机, 电源", category="maintenance", published=True)
    services.save_article(desk.service, title="发票开具与寄送说明", body="增值税专用发票在月底统一开具。",
                          tags="发票, 开票", category="billing", published=True)
    return desk


def test_queue_filters_intake_and_ticket_pages(client, kb):
    ticket = open_ticket(kb)
    open_ticket(kb, customer=kb.north_customer, product=None, subject="咨询发票")
    client.force_login(kb.service)
    page = client.get("/service/").content.decode()
    assert ticket.number in page and 'id="ticket-table"' in page and "咨询发票" in page
    filtered = client.get("/service/?covered=yes").content.decode()
    assert ticket.number in filtered and "咨询发票" not in filtered
    assert "没有符合筛选条件的服务请求" in client.get("/service/?q=nothing-like-this").content.decode()
    assert "customer-search" in client.get("/service/new/").content.decode()
    assert kb.east_customer.name in client.get("/service/new/?q=东方").content.decode()
    intake = client.get(f"/service/new/?customer={kb.east_customer.pk}").content.decode()
    assert 'id="intake-form"' in intake and "SC-2026-001" in intake
    bad = client.post("/service/new/", {"customer": kb.east_customer.pk, "subject": "", "type": "question",
                                        "severity": "normal", "description": "打印机无法开机"})
    html = bad.content.decode()
    assert bad.status_code == 200 and "is-invalid" in html and "打印机无法开机的排查步骤" in html  # kept, suggested
    done = client.post("/service/new/", {"customer": kb.east_customer.pk, "subject": "无法开机", "type": "maintenance",
                                         "severity": "normal", "product": kb.printer.pk,
                                         "description": "打印机无法开机", "owner": kb.service.pk})
    new = Ticket.objects.get(subject="无法开机")
    assert done.status_code == 302 and done["Location"] == f"/service/{new.pk}/" and new.covered
    detail = client.get(f"/service/{new.pk}/").content.decode()
    assert new.number in detail and 'id="ticket-clocks"' in detail and "打印机无法开机的排查步骤" in detail
    assert client.post(f"/service/{new.pk}/pause/", {"reason": ""}).status_code == 200
    assert client.post(f"/service/{new.pk}/reply/", {"body": "已安排工程师", "kind": "reply"}).status_code == 302
    assert client.post(f"/service/{new.pk}/pause/", {"reason": "等客户确认时间"}).status_code == 302
    assert client.post(f"/service/{new.pk}/resume/").status_code == 302
    assert client.post(f"/service/{new.pk}/resolve/", {"resolution": "更换电源板"}).status_code == 302
    new.refresh_from_db()
    assert new.status == "resolved" and new.first_response_at
    assert "from_ticket" in client.get(f"/service/{new.pk}/").content.decode()
    form = client.get(f"/service/kb/new/?from_ticket={new.pk}").content.decode()
    assert "更换电源板" in form
    fragment = client.get("/service/suggestions/?description=发票什么时候开").content.decode()
    assert "发票开具与寄送说明" in fragment and "打印机" not in fragment


def test_salesperson_sees_own_tickets_only_and_cannot_work_them(client, kb):
    mine = open_ticket(kb)
    other = open_ticket(kb, customer=kb.north_customer, product=None)
    client.force_login(kb.sales_east)
    assert mine.number in client.get("/service/").content.decode()
    assert client.get(f"/service/{other.pk}/").status_code == 404
    page = client.get(f"/service/{mine.pk}/").content.decode()
    assert 'id="reply-form"' not in page
    assert client.post(f"/service/{mine.pk}/resolve/", {"resolution": "x"}).status_code == 403
    assert client.get("/service/kb/new/").status_code == 403
    client.force_login(kb.finance)
    assert client.get("/service/").status_code == 403


def test_contract_pages_and_card_tab(client, kb):
    open_ticket(kb)
    client.force_login(kb.service)
    listing = client.get("/service/contracts/").content.decode()
    assert "SC-2026-001" in listing
    expiring = client.get("/service/contracts/?state=expiring").content.decode()
    assert "SC-2026-001" not in expiring                            # expires 2026-12-31, far off in June
    assert client.get(f"/service/contracts/{kb.contract.pk}/").status_code == 200
    bad = client.post(f"/service/contracts/new/?customer={kb.north_customer.pk}",
                      {"customer": kb.north_customer.pk, "number": "SC-N", "status": "active", "terms": "维保",
                       "starts_on": "2026-07-01", "expires_on": "2026-06-01", "all_products": "on"})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    ok = client.post("/service/contracts/new/", {"customer": kb.north_customer.pk, "number": "SC-N", "status": "active",
                                                 "terms": "维保", "starts_on": "2026-06-01", "expires_on": "2026-07-01",
                                                 "all_products": "on"})
    assert ok.status_code == 302
    assert "SC-N" in client.get("/service/contracts/?state=expiring").content.decode()
    card = client.get(f"/customers/{kb.east_customer.pk}/?tab=servicedesk").content.decode()
    assert 'id="customer-tickets"' in card and "SC-2026-001" in card
    home = client.get("/").content.decode()
    assert 'data-testid="tickets-due-panel"' in home


def test_kb_pages_search_in_chinese(client, kb):
    client.force_login(kb.sales_east)
    found = client.get("/service/kb/?q=发票").content.decode()
    assert "发票开具与寄送说明" in found and "打印机无法开机的排查步骤" not in found
    article = Article.objects.get(title="发票开具与寄送说明")
    assert "增值税" in client.get(f"/service/kb/{article.pk}/").content.decode()
    client.force_login(kb.service)
    bad = client.post("/service/kb/new/", {"title": "", "category": "billing", "body": ""})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    ok = client.post("/service/kb/new/", {"title": "对账单说明", "category": "billing", "body": "每月5日前寄出对账单",
                                          "tags": "对账", "published": "on"})
    assert ok.status_code == 302 and Article.objects.filter(title="对账单说明", published=True).exists()


def test_api_tickets_end_to_end(client, kb):
    client.force_login(kb.service)
    bad = post_json(client, "/api/servicedesk/tickets", {"customer_id": kb.east_customer.pk, "subject": "",
                                                         "description": "x", "type": "repair"})
    assert bad.status_code == 422
    assert {e["loc"][-1] for e in bad.json()["detail"]} == {"subject", "type"}
    made = post_json(client, "/api/servicedesk/tickets", {
        "customer_id": kb.east_customer.pk, "subject": "无法开机", "description": "打印机无法开机",
        "type": "maintenance", "severity": "critical", "product_id": kb.printer.pk})
    assert made.status_code == 201
    body = made.json()
    assert body["covered"] and body["contract_number"] == "SC-2026-001" and body["number"].startswith("FW-2026-")
    assert {c["metric"] for c in body["clocks"]} == {"first_response", "resolution"}
    pk = body["id"]
    assert post_json(client, f"/api/servicedesk/tickets/{pk}/reply", {"body": "收到"}).json()["status"] == "in_progress"
    paused = post_json(client, f"/api/servicedesk/tickets/{pk}/pause", {"reason": "等序列号"}).json()
    assert paused["status"] == "waiting_customer" and all(c["paused"] for c in paused["clocks"] if not c["stopped_at"])
    assert post_json(client, f"/api/servicedesk/tickets/{pk}/pause", {"reason": "again"}).status_code == 422
    assert post_json(client, f"/api/servicedesk/tickets/{pk}/resume", {}).json()["status"] == "in_progress"
    resolved = post_json(client, f"/api/servicedesk/tickets/{pk}/resolve", {"resolution": "更换电源"}).json()
    assert resolved["status"] == "resolved" and [e["kind"] for e in resolved["entries"]] == [
        "reply", "pause", "resume", "resolve"]
    assert client.get("/api/servicedesk/tickets?status=resolved").json()[0]["id"] == pk
    assert client.get(f"/api/servicedesk/tickets/{pk}").json()["resolution"] == "更换电源"


def test_api_scope_and_permissions(client, kb):
    north = open_ticket(kb, customer=kb.north_customer, product=None)
    client.force_login(kb.sales_east)
    assert client.get(f"/api/servicedesk/tickets/{north.pk}").status_code == 404
    assert client.get("/api/servicedesk/tickets").json() == []
    assert post_json(client, "/api/servicedesk/tickets", {"customer_id": kb.north_customer.pk, "subject": "s",
                                                          "description": "d"}).status_code == 404
    mine = post_json(client, "/api/servicedesk/tickets", {"customer_id": kb.east_customer.pk, "subject": "s",
                                                          "description": "d"})
    assert mine.status_code == 201 and mine.json()["owner"] is None
    assert post_json(client, f"/api/servicedesk/tickets/{mine.json()['id']}/reply", {"body": "x"}).status_code == 403
    assert post_json(client, "/api/servicedesk/articles", {"title": "t", "body": "b"}).status_code == 403
    client.logout()
    assert client.get("/api/servicedesk/tickets").status_code == 401


def test_api_contracts_crud(client, kb):
    client.force_login(kb.service)
    bad = post_json(client, "/api/servicedesk/contracts", {"customer_id": kb.north_customer.pk, "number": "SC-N",
                                                           "terms": "维保", "starts_on": "2026-07-01",
                                                           "expires_on": "2026-06-01", "product_ids": [999]})
    assert bad.status_code == 422 and {e["loc"][-1] for e in bad.json()["detail"]} == {"expires_on", "products"}
    made = post_json(client, "/api/servicedesk/contracts", {"customer_id": kb.north_customer.pk, "number": "SC-N",
                                                            "terms": "维保", "starts_on": "2026-01-01",
                                                            "expires_on": "2026-07-10", "all_products": True})
    assert made.status_code == 201 and made.json()["state"] == "active" and made.json()["days_to_expiry"] == 25
    pk = made.json()["id"]
    assert [c["number"] for c in client.get("/api/servicedesk/contracts?state=expiring").json()] == ["SC-N"]
    changed = client.put(f"/api/servicedesk/contracts/{pk}", data=json.dumps({
        "number": "SC-N", "terms": "维保", "starts_on": "2026-01-01", "expires_on": "2027-07-10",
        "product_ids": [kb.scanner.pk]}), **JSON)
    assert changed.status_code == 200 and changed.json()["product_ids"] == [kb.scanner.pk]
    assert client.delete(f"/api/servicedesk/contracts/{pk}").status_code == 204
    assert not ServiceContract.objects.filter(pk=pk).exists()
    open_ticket(kb)
    assert client.delete(f"/api/servicedesk/contracts/{kb.contract.pk}").status_code == 422


def test_api_kb_search_suggest_and_create(client, kb):
    client.force_login(kb.service)
    made = post_json(client, "/api/servicedesk/articles", {"title": "扫描仪安装指南", "body": "拆箱后先安装驱动",
                                                           "category": "installation", "tags": ["安装", "扫描仪"],
                                                           "published": True})
    assert made.status_code == 201 and made.json()["tags"] == ["安装", "扫描仪"]
    assert [a["title"] for a in client.get("/api/servicedesk/articles?q=安装").json()] == ["扫描仪安装指南"]
    suggested = client.get("/api/servicedesk/articles/suggest?text=新买的扫描仪怎么安装").json()
    assert suggested[0]["title"] == "扫描仪安装指南"
    bad = post_json(client, "/api/servicedesk/articles", {"title": "", "body": "b", "category": "x"})
    assert bad.status_code == 422 and {e["loc"][-1] for e in bad.json()["detail"]} == {"title", "category"}


def test_api_reopen_close_assign_and_article_update(client, kb):
    from tests.factories import make_user

    other = make_user("service2", "service_agent")
    ticket = open_ticket(kb)
    client.force_login(kb.service)
    assert post_json(client, f"/api/servicedesk/tickets/{ticket.pk}/assign", {"owner_id": other.pk}).json()[
        "owner"] == "service2"
    assert post_json(client, f"/api/servicedesk/tickets/{ticket.pk}/assign", {"owner_id": kb.finance.pk}
                     ).status_code == 422
    assert client.post(f"/api/servicedesk/tickets/{ticket.pk}/close").status_code == 422      # not resolved yet
    post_json(client, f"/api/servicedesk/tickets/{ticket.pk}/resolve", {"resolution": "更换电源板"})
    reopened = post_json(client, f"/api/servicedesk/tickets/{ticket.pk}/reopen", {"reason": "又坏了"})
    assert reopened.json()["status"] == "in_progress"
    post_json(client, f"/api/servicedesk/tickets/{ticket.pk}/resolve", {"resolution": "更换主板"})
    assert client.post(f"/api/servicedesk/tickets/{ticket.pk}/close").json()["status"] == "closed"
    article = Article.objects.get(title="发票开具与寄送说明")
    changed = client.put(f"/api/servicedesk/articles/{article.pk}", data=json.dumps({
        "title": "发票开具与寄送说明", "body": "每月25日开具", "category": "billing", "tags": ["发票"],
        "published": True}), **JSON)
    assert changed.status_code == 200 and changed.json()["body"] == "每月25日开具"

