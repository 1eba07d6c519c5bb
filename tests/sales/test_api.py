from decimal import Decimal as D

from credo.sales.models import CustomerBalance, Receipt


def test_post_invoice_and_receipt_through_the_api(client, world):
    client.force_login(world.finance)
    base = f"/api/ledger/customers/{world.east_customer.pk}"
    response = client.post(f"{base}/invoices", {"number": "INV1", "invoice_date": "2026-03-01", "amount": "800.00"},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["due_date"] == "2026-03-31"
    receipt = {"number": "R1", "receipt_date": "2026-03-02", "amount": "300", "method": "transfer",
               "invoice_number": "INV1", "idempotency_key": "k1"}
    assert client.post(f"{base}/receipts", receipt, content_type="application/json").status_code == 201
    assert client.post(f"{base}/receipts", receipt, content_type="application/json").status_code == 200
    assert Receipt.objects.count() == 1
    assert client.get(f"{base}/balance").json()["receivable"] == "500.00"
    assert [i["number"] for i in client.get(f"{base}/invoices?open_only=true").json()] == ["INV1"]


def test_api_errors_and_scope(client, world):
    client.force_login(world.finance)
    base = f"/api/ledger/customers/{world.east_customer.pk}"
    bad = client.post(f"{base}/invoices", {"number": "INV1", "invoice_date": "2026-03-01", "amount": "-5"},
                      content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "amount"]
    bad = client.post(f"{base}/receipts", {"number": "R1", "receipt_date": "2026-03-02", "amount": "3",
                                           "method": "transfer", "invoice_number": "NOPE"},
                      content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "invoice_number"]
    client.force_login(world.sales_east)
    assert client.post(f"{base}/invoices", {"number": "INV2", "invoice_date": "2026-03-01", "amount": "5"},
                       content_type="application/json").status_code == 403
    assert client.get(f"/api/ledger/customers/{world.north_customer.pk}/balance").status_code == 404
    assert client.get(f"{base}/balance").json()["receivable"] == "0.00"
    assert not CustomerBalance.objects.exclude(receivable=D("0")).exists()
