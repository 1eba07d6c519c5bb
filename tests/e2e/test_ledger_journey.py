"""A finance clerk opens the aging, drills into the worst customer, records a payment on its ledger and runs
the dunning, which issues a warning letter: the PDF opens and shows the customer's name and the amount."""

import datetime
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from credo.core.clock import business_today
from tests.e2e.helpers import SCREENSHOTS, login, shot, visit

pytestmark = pytest.mark.e2e


def test_finance_clerk_from_aging_to_payment(page, world):
    from credo.sales import services
    from credo.sales.models import CustomerBalance

    today = business_today()
    services.post_invoice(world.finance, world.east_customer, number="INV-E1", amount="12000.00",
                          invoice_date=today - datetime.timedelta(days=75), due_date=today - datetime.timedelta(days=45))
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

    # 45 days overdue: the schedule (+7 notice, +30 warning, +60 lawyer) makes the warning letter due.
    visit(page, "/collection/", "ledger-06-collection-empty")
    page.click("#run-dunning button[type=submit]")
    page.wait_for_load_state()
    shot(page, "ledger-07-after-dunning-run")
    case_link = page.locator("#case-table a[href^='/collection/']").first
    expect(page.locator("#case-table")).to_contain_text(world.east_customer.name)
    case_link.click()
    page.wait_for_load_state()
    expect(page.locator("#letter-table")).to_contain_text("警告")
    shot(page, "ledger-08-case")
    pdf_url = page.locator("#letter-table [data-testid=letter-pdf]").first.get_attribute("href")
    response = page.request.get(pdf_url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext, pdftoppm) not installed")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert world.east_customer.name in text and "¥7,000.00" in text and "催款警告函" in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "ledger-09-warning-letter.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(SCREENSHOTS / "ledger-09-warning-letter.pdf"), str(SCREENSHOTS / "ledger-09-warning-letter")],
                   check=True)
    assert (SCREENSHOTS / "ledger-09-warning-letter.png").stat().st_size > 10_000
