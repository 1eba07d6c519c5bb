"""The administrator keeps the business calendar: adds 国庆节 as a run of days and a make-up Saturday, sees them in
the month grid, asks the what-if (answered in place by htmx, with the intervals counted); a salesperson sees the
calendar read-only, on a phone too."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import login, shot, visit

pytestmark = pytest.mark.e2e


def test_administrator_adds_holidays_and_asks_when_it_is_due(page, world):
    from credo.worktime.models import Holiday, MakeUpDay

    login(page, "admin", name="calendar-01-login")
    page.goto("/")
    page.locator("a.nav-link[href='/calendar/']").click()
    page.wait_for_load_state()
    visit(page, "/calendar/?year=2026", "calendar-02-page")
    form = page.locator("#holiday-form")
    form.locator("input[name=date]").fill("2026-10-01")
    form.locator("input[name=until]").fill("2026-10-07")
    form.locator("input[name=name]").fill("国庆节")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert Holiday.objects.filter(name="国庆节").count() == 7
    expect(page.locator("td[data-date='2026-10-03']")).to_have_attribute("data-kind", "holiday")
    make_up = page.locator("#make-up-form")
    make_up.locator("input[name=date]").fill("2026-10-12")                 # a Monday: refused inline
    with page.expect_navigation():
        make_up.locator("button[type=submit]").click()
    expect(page.locator("#make-up-form [data-field=date]")).to_contain_text("星期一")
    make_up = page.locator("#make-up-form")
    make_up.locator("input[name=date]").fill("2026-10-10")
    with page.expect_navigation():
        make_up.locator("button[type=submit]").click()
    assert MakeUpDay.objects.filter(date="2026-10-10").exists()
    expect(page.locator("td[data-date='2026-10-10']")).to_have_attribute("data-kind", "makeup")

    due = page.locator("#due-form")
    due.locator("input[name=start]").fill("2026-09-30T17:00")
    due.locator("input[name=hours]").fill("2")
    due.locator("button[type=submit]").click()
    expect(page.get_by_test_id("due")).to_have_text("2026-10-08 10:00")
    expect(page.locator("#due-working tbody tr")).to_have_count(2)
    expect(page.get_by_test_id("due-holidays")).to_contain_text("国庆节")
    assert "/due/" not in page.url                                        # answered in place
    shot(page, "calendar-03-what-if")
    assert page.js_errors == []


def test_salesperson_sees_the_calendar_read_only_on_a_phone(phone_page, world):
    from credo.worktime import services

    services.add_holidays(world.admin, ["2026-10-01"], name="国庆节")
    login(phone_page, "sales_east", name="calendar-phone-01-login")
    visit(phone_page, "/calendar/?year=2026", "calendar-phone-02-page")
    expect(phone_page.locator("td[data-date='2026-10-01']")).to_have_attribute("data-kind", "holiday")
    expect(phone_page.locator("#holiday-form")).to_have_count(0)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
