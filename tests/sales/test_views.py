import datetime
from decimal import Decimal as D

from credo.core.clock import business_today
from credo.sales import services
from credo.sales.models import CustomerBalance, Receipt

DAY = datetime.date(2026, 3, 1)


def test_finance_clerk_records_payment_from_the_card(client, world):
    services.post_invoice(world.finance, world.east_customer, number="INV1", invoice_date=DAY, amount="500")
    client.force_login(world.finance)
    card = client.get(f"/customers/{world.east_customer.pk}/?tab=ledger").content.decode()
    assert "INV1" in card and 'data-tab="ledger"' in card
    url = f"/ledger/customers/{world.east_customer.pk}/receipts/new/"
    form = {"number": "R1", "receipt_date": "2026-03-05", "amount": "-1", "method": "transfer", "invoice": ""}
    html = client.post(url, form).content.decode()
    assert 'data-field="amount"' in html and not Receipt.objects.exists()
    response = client.post(url, {**form, "amount": "200.00"})
    assert response.status_code == 302 and response.url.endswith("?tab=ledger")
    assert CustomerBalance.objects.get(customer=world.east_customer).receivable == D("300.00")


def test_salesperson_sees_ledger_but_cannot_post(client, world):
    client.force_login(world.sales_east)
    assert client.get(f"/customers/{world.east_customer.pk}/?tab=ledger").status_code == 200
    assert client.get(f"/ledger/customers/{world.east_customer.pk}/receipts/new/").status_code == 403
    assert client.get(f"/ledger/customers/{world.north_customer.pk}/receipts/new/").status_code == 404


def test_bounced_cheque_page(client, world):
    services.post_invoice(world.finance, world.east_customer, number="INV1", invoice_date=DAY, amount="500")
    receipt = services.post_receipt(world.finance, world.east_customer, number="R1", receipt_date=DAY,
                                    amount="500", method="cheque")
    client.force_login(world.finance)
    url = f"/ledger/customers/{world.east_customer.pk}/receipts/{receipt.pk}/reverse/"
    response = client.post(url, {"kind": "bounced_cheque", "reversal_date": "2026-03-10", "reason": "余额不足"})
    assert response.status_code == 302
    receipt.refresh_from_db()
    assert receipt.is_reversed


def test_home_panel_shows_overdue_customers_in_scope(client, world):
    services.post_invoice(world.finance, world.east_customer, number="INV1", invoice_date=DAY, amount="500",
                          due_date=DAY)
    services.post_invoice(world.finance, world.north_customer, number="INV2", invoice_date=DAY, amount="700",
                          due_date=DAY)
    client.force_login(world.finance)
    html = client.get("/").content.decode()
    assert 'data-testid="receivables-panel"' in html and "¥1,200.00" in html
    client.force_login(world.sales_east)
    html = client.get("/").content.decode()
    assert "¥500.00" in html and world.north_customer.name not in html


def test_due_soon_panel_and_delivery_page(client, world):
    import datetime as dt


    today = business_today()
    inv = services.post_invoice(world.finance, world.east_customer, number="INV-S", invoice_date=today,
                                amount="300", due_date=today + dt.timedelta(days=3))
    client.force_login(world.sales_east)
    html = client.get("/").content.decode()
    assert 'data-testid="due-soon-panel"' in html and "INV-S" in html
    url = f"/ledger/customers/{world.east_customer.pk}/invoices/{inv.pk}/delivery/"
    assert client.post(url, {"sent_on": today.isoformat(), "confirmed_on": ""}).status_code == 302
    inv.refresh_from_db()
    assert inv.sent_on == today
    client.force_login(world.sales_north)
    assert client.get(url).status_code == 404


def test_write_off_request_and_decision_pages(client, world):
    inv = services.post_invoice(world.finance, world.east_customer, number="INV-W", invoice_date=DAY, amount="900",
                                due_date=DAY)
    client.force_login(world.finance)
    url = f"/ledger/customers/{world.east_customer.pk}/invoices/{inv.pk}/write-off/"
    assert client.post(url, {"amount": "900", "reason": "客户已注销"}).status_code == 302
    client.force_login(world.credit)
    home = client.get("/").content.decode()
    assert 'data-testid="write-offs-panel"' in home and "客户已注销" in home
    from credo.sales.models import WriteOff

    write_off = WriteOff.objects.get()
    decide = f"/ledger/customers/{world.east_customer.pk}/write-offs/{write_off.pk}/decide/"
    response = client.post(decide, {"decision": "approve", "note": "同意", "posting_date": "2026-04-01"})
    assert response.status_code == 302
    assert CustomerBalance.objects.get(customer=world.east_customer).receivable == 0
    client.force_login(world.finance)
    assert client.get(decide).status_code == 403
    recover = f"/ledger/customers/{world.east_customer.pk}/write-offs/{write_off.pk}/recover/"
    tab = client.get(f"/customers/{world.east_customer.pk}/?tab=ledger").content.decode()
    assert recover in tab
    bad = client.post(recover, {"number": "RC-1", "receipt_date": "2026-04-02", "amount": "901", "method": "transfer"})
    assert bad.status_code == 200 and 'name="amount"' in bad.content.decode() and "is-invalid" in bad.content.decode()
    assert not Receipt.objects.filter(number="RC-1").exists()
    assert client.post(recover, {"number": "RC-1", "receipt_date": "2026-04-02", "amount": "400",
                                 "method": "transfer", "note": "破产分配"}).status_code == 302
    assert "400.00" in client.get(f"/customers/{world.east_customer.pk}/?tab=ledger").content.decode()
    client.force_login(world.credit)
    assert client.get(recover).status_code == 403
