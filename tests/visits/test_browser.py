"""Browser check (Playwright + Debian chromium, like tests/e2e) on a 390 px phone: a salesperson opens her plan,
taps today's visit and records it done with an outcome and a next step."""

import os

import pytest

from credo.core.clock import business_today
from tests.e2e.helpers import in_own_thread

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"),
                                                  reason="needs Debian's chromium")]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def world(transactional_db):
    from tests.factories import World

    return World()


def test_quick_entry_on_a_phone(live_server, world):
    from credo.visits import services

    visit = services.plan_visit(world.sales_east, world.east_customer, planned_date=business_today())
    in_own_thread(_journey, live_server.url, world)
    visit.refresh_from_db()
    assert visit.status == "done" and visit.outcome == "客户同意下周试用"


def _journey(base_url, world):
    from playwright.sync_api import expect, sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE
    from tests.e2e.helpers import login, shot, visit

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport=PHONE, base_url=base_url, locale="zh-CN")
            context.set_default_timeout(10_000)
            page = context.new_page()
            login(page, "sales_east", name="visits-01-login")
            visit(page, "/visits/", "visits-02-my-plan")
            tap = page.locator("[data-testid=visit-tap]").first
            box = tap.bounding_box()
            assert box["height"] >= 56 and box["width"] >= 300  # a big tap target
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll
            tap.click()
            page.wait_for_load_state()
            page.click("label[for=st-done]")
            page.fill("#id_outcome", "客户同意下周试用")
            page.fill("#id_next_step", "送样品")
            shot(page, "visits-03-result-form")
            page.click("#result-form button[type=submit]")
            page.wait_for_load_state()
            expect(page.locator("[data-testid=visit-tap]").first).to_contain_text(world.east_customer.name)
            shot(page, "visits-04-after")
        finally:
            browser.close()


def test_caring_reminder_recorded_with_one_tap_on_a_phone(live_server, world):
    """A contact of the salesperson's customer has a birthday today: the reminder is on her caring page; one tap
    on "已致电" records a done caring call for that customer and contact, and the row shows it greeted."""
    from credo.visits.models import Visit
    from tests.factories import ContactFactory

    today = business_today()
    contact = ContactFactory(customer=world.east_customer, name="李明", birthday=today.replace(year=1980))  # a leap year
    in_own_thread(_caring_journey, live_server.url)
    done = Visit.objects.get(customer=world.east_customer, status="done")
    assert done.purpose == "caring" and done.kind == "call" and list(done.contacts.all()) == [contact]


def _caring_journey(base_url):
    from playwright.sync_api import expect, sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE
    from tests.e2e.helpers import login, shot, visit

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport=PHONE, base_url=base_url, locale="zh-CN")
            context.set_default_timeout(10_000)
            page = context.new_page()
            login(page, "sales_east", name="caring-01-login")
            visit(page, "/visits/caring/", "caring-02-reminders")
            row = page.locator("#caring-table tr", has_text="李明")
            expect(row).to_have_count(1)
            with page.expect_navigation():
                row.get_by_test_id("caring-record").click()
            expect(page.locator("#caring-table tr", has_text="李明").get_by_test_id("caring-done")).to_have_count(1)
            shot(page, "caring-03-greeted")
        finally:
            browser.close()
