"""Browser journey (Playwright + Debian chromium, like tests/e2e): a salesperson's order goes on credit hold and she
sees why in figures; she asks for a release; her sales manager reviews it and the credit controller checks the
figures and approves; the order is confirmed."""

import os
import re

import pytest

from credo.sales.models import SalesOrder
from tests.e2e.helpers import JOURNEY_NOW, in_own_thread

from .conftest import approved_profile, days_ago, invoice

# fixed_clock: see tests/e2e/helpers.py (credit holds by the business date are unit-tested under every clock).
pytestmark = [pytest.mark.e2e, pytest.mark.fixed_clock(JOURNEY_NOW), pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"),
                                                  reason="needs Debian's chromium")]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def world(transactional_db):
    from tests.factories import World

    return World()


def test_held_order_is_explained_and_released(live_server, world):
    in_own_thread(_journey, live_server.url, world)


def _journey(base_url, world):
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport=DESKTOP, base_url=base_url, locale="zh-CN")
            context.set_default_timeout(10_000)
            _steps(context.new_page(), world)
        finally:
            browser.close()


def _steps(page, world):
    from playwright.sync_api import expect

    from credo.sales.models import Product
    from tests.e2e.helpers import login, shot, visit

    customer = world.east_customer
    Product.objects.create(code="P1", name="螺丝", list_price="1000.00", cost="600.00")
    approved_profile(customer, "50000")
    invoice(world, customer, "INV1", "42000", on=days_ago(5))

    login(page, "sales_east", name="credit-01-login")
    visit(page, f"/customers/{customer.pk}/?tab=credit", "credit-02-tab")
    expect(page.locator("[data-testid=headroom]")).to_have_text("¥8,000.00")
    page.click("a[href$='/orders/new/']")
    page.select_option("select[name=product_0]", label="P1 螺丝")
    page.fill("input[name=quantity_0]", "10")
    page.click("#save-and-confirm")
    page.wait_for_load_state()
    shot(page, "credit-03-order-held")
    reason = page.locator("[data-testid=hold-reason]")
    expect(reason).to_contain_text("¥50,000.00")
    expect(reason).to_contain_text("¥42,000.00")
    expect(reason).to_contain_text("¥10,000.00")
    expect(reason).to_contain_text("¥2,000.00")
    page.click("#request-release")
    page.fill("textarea[name=reason]", "客户周五回款 ¥20,000，先发货")
    page.click("#application-form button[type=submit]")
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/credit/applications/\d+/"))
    shot(page, "credit-04-application")

    page.context.clear_cookies()
    login(page, "manager_east", name="credit-05-manager-login")
    expect(page.locator("[data-testid=credit-approvals-panel]")).to_be_visible()
    page.locator("[data-testid=credit-approvals-panel] a[href^='/credit/applications/']").first.click()
    page.wait_for_load_state()
    page.check("input[name=decision][value=recommend]")
    page.fill("textarea[name=comment]", "同意，客户信誉好")
    page.click("#decision-form button[type=submit]")
    page.wait_for_load_state()
    shot(page, "credit-06-reviewed")

    page.context.clear_cookies()
    login(page, "credit", name="credit-07-controller-login")
    visit(page, "/credit/approvals/", "credit-08-approvals")
    page.locator("#waiting a[href^='/credit/applications/']").first.click()
    page.wait_for_load_state()
    expect(page.locator("[data-testid=hold-reason]")).to_contain_text("¥2,000.00")
    expect(page.locator("[data-testid=exposure-total]")).to_have_text("¥42,000.00")
    shot(page, "credit-09-decision")
    page.check("input[name=decision][value=approve]")
    page.fill("textarea[name=comment]", "核对数字后放行")
    page.click("#decision-form button[type=submit]")
    page.wait_for_load_state()
    shot(page, "credit-10-approved")
    assert SalesOrder.objects.get().status == "confirmed"
    visit(page, f"/credit/orders/{SalesOrder.objects.get().pk}/", "credit-11-order-confirmed")
    expect(page.locator("[data-testid=order-status]")).not_to_contain_text("冻结")
