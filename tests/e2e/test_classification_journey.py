"""A sales manager opens the customer pyramid, sees the class counts and drills into class A: only the team's
customers are listed, the biggest buyer first."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import login, shot, visit
from tests.factories import CustomerFactory

pytestmark = pytest.mark.e2e


def test_manager_drills_into_class_a(page, world):
    from credo.classification import services
    from credo.sales.models import Invoice
    from credo.sales.services import rebuild_month_sales

    day = datetime.date(2026, 3, 1)
    extra = [CustomerFactory(code=f"P{i:03d}", account_manager=world.sales_east) for i in range(97)]
    customers = [world.east_customer, world.north_customer, *extra]  # 99 + E002 = 100 active customers
    Invoice.objects.bulk_create([
        Invoice(customer=c, number=f"INV{i:04d}", invoice_date=day, due_date=day, amount=Decimal(100000 - i * 500),
                open_amount=Decimal(100000 - i * 500)) for i, c in enumerate(customers)])
    rebuild_month_sales()  # bulk inserts bypass post_invoice, which keeps the month summary
    services.compute_snapshot(world.manager_east, "pyramid", datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))

    login(page, "manager_east", name="pyramid-01-login")
    visit(page, "/classification/", "pyramid-02-page")
    # 100 active customers: A is the top 1 (E001), B the next 4 — one of them (N001) is another team's.
    expect(page.locator("#class-summary tr[data-class=A] td").nth(1)).to_have_text("1")
    expect(page.locator("#class-summary tr[data-class=B] td").nth(1)).to_have_text("3")
    page.locator("#class-summary tr[data-class=A] a").first.click()
    page.wait_for_load_state()
    shot(page, "pyramid-03-class-a")
    rows = page.locator("#class-table tbody tr[data-code]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-code", "E001")
    expect(page.locator("#class-table")).not_to_contain_text(world.north_customer.name)
