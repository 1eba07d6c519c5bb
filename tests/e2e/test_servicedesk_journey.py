"""A service agent takes a service request from intake to resolved: finds the customer, types the description and
sees the knowledge base suggest the right article, logs the request (covered by the customer's contract), replies,
waits for the customer, resumes and resolves; the request page on a phone too."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_no_horizontal_overflow, login, shot, visit

pytestmark = pytest.mark.e2e


@pytest.fixture
def desk(world):
    from credo.sales.models import Product
    from credo.servicedesk import services

    world.motor = Product.objects.create(code="P-M15", name="减速电机 1.5kW", list_price=Decimal("2800.00"),
                                         cost=Decimal("2000.00"))
    services.save_contract(world.service, world.east_customer, number="SC-E001", terms="上门维修，4个工作小时响应",
                           starts_on=datetime.date(2026, 1, 1), expires_on=datetime.date(2099, 12, 31),
                           product_ids=[world.motor.pk])
    services.save_article(world.service, title="减速电机异常发热的排查", category="maintenance",
                          tags="减速电机, 发热", body="先确认负载，再检查润滑油油位和牌号。", published=True)
    services.save_article(world.service, title="增值税专用发票的开具时间", category="billing", tags="发票",
                          body="每月25日统一开具。", published=True)
    return world


def test_agent_takes_a_request_from_intake_to_resolved(page, desk):
    from credo.servicedesk.models import Ticket

    login(page, "service", name="servicedesk-01-login")
    expect(page.get_by_test_id("tickets-due-panel")).to_have_count(0)     # nothing due yet
    visit(page, "/service/", "servicedesk-02-empty-queue")
    page.get_by_test_id("new-ticket").first.click()
    page.wait_for_load_state()
    page.fill("#c-q", "东方")
    with page.expect_navigation():
        page.locator("#customer-search button[type=submit]").click()
    with page.expect_navigation():
        page.locator("#customer-results a").first.click()
    form = page.locator("#intake-form")
    form.locator("input[name=subject]").fill("减速电机发热")
    form.locator("select[name=type]").select_option("maintenance")
    form.locator("select[name=severity]").select_option("major")
    form.locator("select[name=product]").select_option(str(desk.motor.pk))
    form.locator("textarea[name=description]").press_sequentially("2号线的减速电机外壳很烫，运行发热严重", delay=10)
    suggestion = page.get_by_test_id("suggestion").first
    expect(suggestion).to_contain_text("减速电机异常发热的排查")
    expect(page.get_by_test_id("suggestion")).to_have_count(1)          # the invoice article is not suggested
    shot(page, "servicedesk-03-intake-with-suggestion")
    with page.expect_navigation():
        page.get_by_test_id("intake-submit").click()
    ticket = Ticket.objects.get(subject="减速电机发热")
    expect(page).to_have_url(re.compile(rf"/service/{ticket.pk}/$"))
    expect(page.get_by_test_id("ticket-number")).to_have_text(ticket.number)
    expect(page.get_by_test_id("covered")).to_be_visible()
    expect(page.locator("#ticket-clocks tbody tr")).to_have_count(2)
    shot(page, "servicedesk-04-ticket-new")

    page.fill("#reply-form textarea[name=body]", "已安排工程师明天上门检查")
    with page.expect_navigation():
        page.locator("#reply-form button[type=submit]").click()
    expect(page.locator("#ticket-clocks tr[data-metric=first_response]")).to_contain_text("已达标")
    with page.expect_navigation():
        page.locator("#pause-form button[type=submit]").click()        # no reason: refused inline
    expect(page.locator("#pause-form [data-field=reason] .invalid-feedback")).to_be_visible()
    page.fill("#pause-form input[name=reason]", "等客户提供电机铭牌照片")
    with page.expect_navigation():
        page.locator("#pause-form button[type=submit]").click()
    expect(page.get_by_test_id("ticket-status")).to_have_text("等待客户")
    shot(page, "servicedesk-05-waiting")
    with page.expect_navigation():
        page.locator("#resume-form button[type=submit]").click()
    page.fill("#resolve-form textarea[name=resolution]", "更换变质润滑油并重新对中，温度恢复正常")
    with page.expect_navigation():
        page.locator("#resolve-form button[type=submit]").click()
    expect(page.get_by_test_id("ticket-status")).to_have_text("已解决")
    expect(page.get_by_test_id("resolution")).to_contain_text("更换变质润滑油")
    expect(page.locator("#ticket-entries [data-kind]")).to_have_count(4)
    shot(page, "servicedesk-06-resolved")
    ticket.refresh_from_db()
    assert ticket.status == "resolved" and ticket.first_response_at is not None
    visit(page, f"/customers/{desk.east_customer.pk}/?tab=servicedesk", "servicedesk-07-customer-tab")
    expect(page.locator("#customer-tickets")).to_contain_text(ticket.number)
    visit(page, "/service/kb/?q=发热", "servicedesk-08-kb-search")
    expect(page.get_by_test_id("article-row")).to_have_count(1)
    assert page.js_errors == []


def test_the_request_page_on_a_phone(phone_page, desk):
    from credo.servicedesk import services

    ticket = services.intake(desk.service, desk.east_customer, subject="减速电机发热", description="外壳很烫，发热严重",
                             type="maintenance", severity="major", product=desk.motor.pk)
    login(phone_page, "service", name="servicedesk-phone-01-login")
    expect(phone_page.get_by_test_id("tickets-due-panel")).to_contain_text(ticket.number)
    visit(phone_page, f"/service/{ticket.pk}/", "servicedesk-phone-02-ticket")
    expect(phone_page.get_by_test_id("suggestion").first).to_contain_text("减速电机异常发热的排查")
    assert_no_horizontal_overflow(phone_page, "ticket page on a phone")
    visit(phone_page, "/service/", "servicedesk-phone-03-queue")
    assert_no_horizontal_overflow(phone_page, "queue on a phone")
