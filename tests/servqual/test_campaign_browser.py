"""Browser journey (Playwright + Debian chromium): a contact answers the SERVQUAL survey on a phone through a
one-time link (the page in Chinese, big tap targets, no sideways scrolling), the link then says it was used; the
service manager opens the campaign's results and the radar chart of the five dimensions is drawn."""

import os

import pytest

from tests.e2e.helpers import JOURNEY_NOW, in_own_thread

pytestmark = [pytest.mark.e2e, pytest.mark.fixed_clock(JOURNEY_NOW),
              pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="needs Debian's chromium")]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ANSWERS = {"T1": (6, 4), "R1": (7, 5), "S1": (6, 3), "A1": (5, 6), "E1": (6, 5)}


def test_a_contact_answers_on_a_phone_and_the_manager_reads_the_radar(live_server, transactional_db):
    from credo.servqual import campaign_services as services
    from credo.servqual.models import Response
    from tests.factories import World

    from .campaign_helpers import campaign, contacts, tokens

    world = World()
    people = contacts(world)
    made = campaign(world)
    token = tokens(services.distribute(world.service, made))[people["east_a"].pk]
    in_own_thread(_journey, live_server.url, token, made.pk)
    response = Response.objects.get()
    assert sorted(response.scores.values_list("item__key", "expectation", "perception")) == sorted(
        (key, e, p) for key, (e, p) in ANSWERS.items())


def _journey(base_url, token, campaign_pk):
    from playwright.sync_api import expect, sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE
    from tests.e2e.helpers import assert_no_horizontal_overflow, login, shot, visit

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            phone = browser.new_context(viewport=PHONE, base_url=base_url, locale="zh-CN", has_touch=True)
            phone.set_default_timeout(10_000)
            page = phone.new_page()
            visit(page, f"/s/{token}/", "servqual-01-answer-page")
            expect(page.locator("h1")).to_have_text("服务质量调查")
            assert_no_horizontal_overflow(page, "the answer page on a phone")
            choice = page.locator("label.sq-choice:has(input[name=e_T1][value='6'])")
            box = choice.bounding_box()
            assert box and box["height"] >= 40 and box["width"] >= 40, box
            for key, (e, p) in ANSWERS.items():
                page.locator(f"label.sq-choice:has(input[name=e_{key}][value='{e}'])").tap()
                page.locator(f"label.sq-choice:has(input[name=p_{key}][value='{p}'])").tap()
            expect(page.locator("input[name=e_T1][value='6']")).to_be_checked()
            shot(page, "servqual-02-answered")
            with page.expect_navigation():
                page.locator("#answer-form button[type=submit]").tap()
            expect(page.locator("#answer-done h1")).to_have_text("谢谢")
            shot(page, "servqual-03-thanks")
            again = phone.new_page()
            phone.clear_cookies()
            visit(again, f"/s/{token}/", "servqual-04-used", status=410)
            expect(again.locator("#link-state h1")).to_have_text("此链接已使用")
            phone.close()

            desk = browser.new_context(viewport=DESKTOP, base_url=base_url, locale="zh-CN")
            desk.set_default_timeout(10_000)
            manager = desk.new_page()
            login(manager, "service", name="servqual-05-login")
            visit(manager, f"/servqual/campaigns/{campaign_pk}/", "servqual-06-campaign")
            expect(manager.locator("#link-table tr[data-state=answered]")).to_have_count(1)
            with manager.expect_navigation():
                manager.click("#results-link")
            radar = manager.locator("#section-dimensions .report-chart")
            expect(radar.locator("canvas")).to_have_count(1)
            drawn = manager.evaluate("""() => {
                const chart = echarts.getInstanceByDom(document.querySelector('#section-dimensions .report-chart'));
                const option = chart.getOption();
                return [option.radar[0].indicator.length, option.series[0].type, option.series[0].data[1].value[0]];
            }""")
            assert drawn == [5, "radar", 4.0], drawn
            expect(manager.locator("#section-items tbody tr").first).to_contain_text("S1")
            shot(manager, "servqual-07-results")
            desk.close()
        finally:
            browser.close()
