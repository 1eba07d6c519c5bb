"""A finance clerk opens the aging, drills into the worst customer and records a payment on its ledger."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import login, shot, visit

pytestmark = pytest.mark.e2e


def test_finance_clerk_from_aging_to_payment(page, world):
    from credo.sales import services
    from credo.sales.models import CustomerBalance

    today = timezone.localdate()
    services.post_invoice(world.finance, world.east_customer, number="INV-E1", amount="12000.00",
                          invoice_date=today - datetime.timedelta(days=90), due_date=today - datetime.timedelta(days=60))
    services.post_invoice(world.finance, world.north_customer, number="INV-N1", amount="800.00",
                          invoice_date=today - datetime.timedelta(days=10))

    login(page, "finance", name="ledger-01-login")
    visit(page, "/receivables/aging/", "ledger-02-aging")
    first_customer = page.locator("table a[href^='/customers/']").first
    expect(first_customer).to_contain_text(world.east_customer.name)
    first_customer.click()
    page.wait_for_load_state()
    page.locator("a[data-tab=ledger]").click()
    page.wait_for_load_state()
    shot(page, "ledger-03-customer-ledger")
    expect(page.locator("a[data-tab=overview]")).to_have_text("概况")
    expect(page.locator("#open-invoices")).to_contain_text("INV-E1")

    page.get_by_role("link", name="登记收款").click()
    page.fill("input[name=number]", "R-E1")
    page.fill("input[name=amount]", "-5")
    page.click("#posting-form button[type=submit]")
    expect(page.locator(".invalid-feedback[data-field=amount]")).to_be_visible()
    shot(page, "ledger-04-bad-amount")
    page.fill("input[name=amount]", "5000.00")
    page.select_option("select[name=method]", "draft")
    page.click("#posting-form button[type=submit]")
    page.wait_for_load_state()
    shot(page, "ledger-05-after-payment")
    expect(page.locator("[data-testid=receivable]")).to_have_text("¥7,000.00")
    expect(page.locator("#receipts")).to_contain_text("R-E1")
    assert CustomerBalance.objects.get(customer=world.east_customer).receivable == 7000
