"""Browser journey (Playwright + Debian chromium, like tests/e2e): a customer sends a complaint through the public
form and gets its reference number; the service agent finds it in the queue and takes it through the six steps,
handing step 4 (tell the customer) to the account manager, who closes it on a phone."""

import os

import pytest

from tests.e2e.helpers import in_own_thread

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"),
                                                  reason="needs Debian's chromium")]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def world(transactional_db):
    from tests.factories import World

    world = World()
    world.east_customer.phone = "021-6666 8888"
    world.east_customer.refresh_keys()
    world.east_customer.save()
    _invoices(world)
    return world


def _invoices(world):
    """Two open invoices of E001 that the claim credits."""
    import datetime
    from decimal import Decimal

    from credo.core.clock import business_today
    from credo.sales import services as ledger

    day = business_today() - datetime.timedelta(days=20)
    for number, amount in (("INV-A", "800.00"), ("INV-B", "600.00")):
        ledger.post_invoice(world.finance, world.east_customer, number=number, invoice_date=day,
                            due_date=day + datetime.timedelta(days=30), amount=Decimal(amount))


def test_public_form_to_closed_complaint(live_server, world):
    from credo.complaints.models import Complaint

    in_own_thread(_journey, live_server.url)
    complaint = Complaint.objects.get()
    assert complaint.customer == world.east_customer and complaint.status == "closed"
    steps = list(complaint.steps.order_by("number").values_list("number", "closed_by__username"))
    assert steps == [(1, "service"), (2, "service"), (3, "service"), (4, "sales_east"), (5, "service"),
                     (6, "service")]
    assert complaint.measures.get().text == "先寄一个备用阀门"
    claim = complaint.claims.get()
    assert claim.status == "settled" and claim.decided_by == world.manager_east and claim.credit_note.amount == 1200
    assert sorted(claim.credit_note.allocations.values_list("invoice__number", "amount")) == [
        ("INV-A", 800), ("INV-B", 400)]


RECORDS = {1: "客户说新装的阀门漏水，停线两小时", 2: "质检部核实：该批次密封圈不合格", 3: "免费更换整批阀门",
           4: "已电话告知王经理，客户同意周三更换", 5: "周三已更换 20 只阀门，客户签收", 6: "回访：不再漏水；质检部加严来料检验"}


def _close(page, number, name):
    from playwright.sync_api import expect

    from tests.e2e.helpers import shot

    form = page.locator("#close-step-form")
    expect(form.locator("input[name=step]")).to_have_value(str(number))
    form.locator("#id_record").fill(RECORDS[number])
    if number == 2:                                  # step 2 names where the cause lies
        form.locator("#id_cause").select_option("production")
        form.locator("#id_department").fill("生产部")
    with page.expect_navigation():
        form.get_by_test_id("close-step").click()
    expect(page.locator(f"#step-1-{number} [data-testid=record]")).to_have_text(RECORDS[number])
    shot(page, name)


def _approve_and_settle(browser, base_url, complaint_url):
    """The sales manager approves the claim (tier 1), finance settles it; the ledger tab shows the credit note."""
    from playwright.sync_api import expect

    from tests.e2e.conftest import DESKTOP
    from tests.e2e.helpers import login, shot, visit

    for user, button, name in (("manager_east", "approve-claim", "complaint-08c-claim-approved"),
                               ("finance", "settle-claim", "complaint-08d-claim-settled")):
        context = browser.new_context(viewport=DESKTOP, base_url=base_url, locale="zh-CN")
        context.set_default_timeout(10_000)
        page = context.new_page()
        login(page, user, name=f"{name}-login")
        visit(page, complaint_url, f"{name}-before")
        with page.expect_navigation():
            page.get_by_test_id(button).click()
        shot(page, name)
        if user == "finance":
            expect(page.get_by_test_id("claim-credit-note")).to_contain_text("CN-SP-")
            with page.expect_navigation():
                page.get_by_test_id("claim-credit-note").locator("a").click()
            expect(page.locator("body")).to_contain_text("CN-SP-")
            shot(page, "complaint-08e-ledger-credit-note")
        context.close()


def _journey(base_url):
    from playwright.sync_api import expect, sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE
    from tests.e2e.helpers import assert_no_horizontal_overflow, login, shot, visit

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            public = browser.new_context(viewport=PHONE, base_url=base_url, locale="zh-CN")
            public.set_default_timeout(10_000)
            page = public.new_page()
            visit(page, "/public/complaint/", "complaint-01-public-form")
            assert_no_horizontal_overflow(page, "public form on a phone")
            page.fill("#id_company_name", "东方贸易")
            page.fill("#id_contact_name", "王经理")
            page.fill("#id_contact_phone", "02166668888")
            page.select_option("#id_category", "quality")
            page.fill("#id_product_text", "DN50 球阀")
            page.fill("#id_description", "新装的阀门漏水，停线两小时")
            with page.expect_navigation():
                page.click("#public-form button[type=submit]")
            reference = page.get_by_test_id("reference").inner_text().strip()
            assert reference.startswith("TS-")
            shot(page, "complaint-02-reference")

            desk = browser.new_context(viewport=DESKTOP, base_url=base_url, locale="zh-CN")
            desk.set_default_timeout(10_000)
            agent = desk.new_page()
            login(agent, "service", name="complaint-03-agent-login")
            expect(agent.get_by_test_id("complaints-due-panel")).to_contain_text(reference)
            visit(agent, "/complaints/", "complaint-04-queue")
            with agent.expect_navigation():
                agent.locator(f"tr[data-number='{reference}'] a", has_text=reference).click()
            expect(agent.get_by_test_id("complaint-number")).to_have_text(reference)
            shot(agent, "complaint-05-detail")
            # A step can't be closed without its record: the error stands under the field.
            with agent.expect_navigation():
                agent.get_by_test_id("close-step").click()
            expect(agent.locator("[data-field=record]")).to_be_visible()
            _close(agent, 1, "complaint-06-step-1")
            agent.fill("#measure-form textarea", "先寄一个备用阀门")
            with agent.expect_navigation():
                agent.click("#measure-form button[type=submit]")
            expect(agent.locator("#measures")).to_contain_text("先寄一个备用阀门")
            _close(agent, 2, "complaint-07-step-2")
            _close(agent, 3, "complaint-08-step-3")
            # The solution includes money back: a claim over two invoices, sent for approval.
            claim = agent.locator("#claim-form")
            claim.locator("[name=amount_claimed]").fill("1500")
            claim.locator("[name=amount_agreed]").fill("1200")
            claim.locator("[name=reason]").fill("停线两小时的损失，协商赔偿 1200 元")
            for n, number in ((1, "INV-A"), (2, "INV-B")):
                value = claim.locator(f"[name=invoice_{n}] option", has_text=number).get_attribute("value")
                claim.locator(f"[name=invoice_{n}]").select_option(value)
            claim.locator("[name=amount_1]").fill("800")
            claim.locator("[name=amount_2]").fill("400")
            with agent.expect_navigation():
                claim.get_by_test_id("create-claim").click()
            with agent.expect_navigation():
                agent.get_by_test_id("submit-claim").click()
            expect(agent.get_by_test_id("approve-claim")).to_have_count(0)     # not the agent's to approve
            shot(agent, "complaint-08b-claim-submitted")
            complaint_url = agent.url.replace(base_url, "")
            _approve_and_settle(browser, base_url, complaint_url)
            agent.select_option("#assign-form select[name=owner]", label="sales_east (sales_east, 业务员)")
            with agent.expect_navigation():
                agent.click("#assign-form button[type=submit]")
            expect(agent.locator("#step-1-4 [data-testid=owner]")).to_have_text("sales_east")

            phone = browser.new_context(viewport=PHONE, base_url=base_url, locale="zh-CN")
            phone.set_default_timeout(10_000)
            owner = phone.new_page()
            login(owner, "sales_east", name="complaint-09-owner-login")
            agent_url = agent.url.replace(base_url, "")
            visit(owner, agent_url, "complaint-10-owner-phone")
            assert_no_horizontal_overflow(owner, "complaint on a phone")
            button = owner.get_by_test_id("close-step")
            box = button.bounding_box()
            assert box["height"] >= 44 and box["width"] >= 300          # a big tap target
            _close(owner, 4, "complaint-11-owner-closed-step-4")

            agent.reload()
            _close(agent, 5, "complaint-12-step-5")
            _close(agent, 6, "complaint-13-closed")
            expect(agent.locator("#close-step-form")).to_have_count(0)
            visit(agent, "/complaints/?status=closed", "complaint-14-closed-list")
            expect(agent.locator(f"tr[data-number='{reference}']")).to_have_count(1)
            # The management view counts it: by cause (found in step 2), with its charts drawn.
            visit(agent, "/complaints/report/?by=cause", "complaint-15-management-view")
            expect(agent.get_by_test_id("received")).to_have_text("1")
            expect(agent.locator("#section-by_cause")).to_contain_text("生产工艺")
            expect(agent.locator("#section-by_cause .report-chart canvas")).to_have_count(1)
            expect(agent.locator("#section-step_times tbody tr")).to_have_count(6)
        finally:
            browser.close()
