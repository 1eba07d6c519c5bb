"""A sales manager opens the value segments: sees the 80/20 check and the whale curve, filters the below-zero
customers of the team, opens the review list, records a decision, then records a cost on a customer's Value
tab. Only the team's customers appear."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import login, shot, visit
from tests.segments.conftest import make_ledger_world

pytestmark = pytest.mark.e2e


def test_manager_reviews_below_zero_customers(page, world):
    from credo.segments import services
    from credo.segments.models import CustomerCost, ReviewDecision

    make_ledger_world(world)
    services.compute_segments(world.admin, datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))

    login(page, "manager_east", name="value-01-login")
    visit(page, "/segments/", "value-02-segments")
    expect(page.locator("#whale-chart canvas")).to_have_count(1)
    expect(page.get_by_test_id("eighty-twenty")).to_contain_text("66.7 %")
    expect(page.locator("#segment-summary tr[data-segment=BZ] td").nth(1)).to_have_text("1")  # N001: other team
    page.locator("#segment-summary tr[data-segment=BZ] a").click()
    page.wait_for_load_state()
    rows = page.locator("#segment-table tbody tr[data-code]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-code", "E002")

    page.locator("a[href^='/segments/review/']").first.click()
    page.wait_for_load_state()
    row = page.locator("#review-table tr[data-code=E002]")
    row.locator("select[name=decision]").select_option("reprice")
    row.locator("input[name=note]").fill("运费改由客户承担")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    expect(page.locator("#review-table tr[data-code=E002]").get_by_test_id("decision")).to_contain_text("运费")
    shot(page, "value-03-review")
    assert ReviewDecision.objects.get().decision == "reprice"

    page.locator("#review-table tr[data-code=E002] a").first.click()
    page.wait_for_load_state()
    expect(page.locator("#value-working")).to_contain_text("-¥2,072.70")
    page.select_option("#id_kind", "collection")
    page.fill("#id_cost_date", "2026-06-15")
    page.fill("#id_amount", "800")
    page.fill("#id_description", "律师咨询费")
    with page.expect_navigation():
        page.get_by_role("button", name="记录费用").click()
    expect(page.locator("#recorded-costs")).to_contain_text("律师咨询费")
    shot(page, "value-04-card-tab")
    assert CustomerCost.objects.filter(customer=world.east2_customer, amount=800).exists()
