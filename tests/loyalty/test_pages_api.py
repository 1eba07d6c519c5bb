import io

import openpyxl
import pytest

pytestmark = pytest.mark.django_db
RANGE = "date_from=2026-01-01&date_to=2026-06-30"


def test_card_tab_shows_stage_rfm_and_definitions(client, loyalty_world):
    w = loyalty_world
    client.force_login(w.sales_east)
    page = client.get(f"/customers/{w.east_customer.pk}/?tab=loyalty").content.decode()
    assert 'data-testid="loyalty-stage"' in page and "RFM" in page
    # The card's period is the twelve months up to today (2025-07-16 … 2026-07-15): 3250 of a year's 9125.
    assert 'data-indicator="share_of_wallet"' in page and "9,125.00" in page and "35.6 %" in page
    assert client.get(f"/customers/{w.north_customer.pk}/?tab=loyalty").status_code == 404


def test_card_tab_of_a_customer_without_activity(client, loyalty_world):
    from tests.factories import CustomerFactory

    quiet = CustomerFactory(code="Q001", account_manager=loyalty_world.sales_east)
    client.force_login(loyalty_world.sales_east)
    page = client.get(f"/customers/{quiet.pk}/?tab=loyalty").content.decode()
    assert 'data-testid="loyalty-empty"' in page
    assert client.get(f"/api/loyalty/customers/{quiet.pk}").json()["figures"] is None


def test_card_tab_in_chinese(client, loyalty_world):
    w = loyalty_world
    client.force_login(w.admin)
    page = client.get(f"/customers/{w.east_customer.pk}/?tab=loyalty", HTTP_ACCEPT_LANGUAGE="zh-hans").content
    assert "回头率" in page.decode() and "忠诚度" in page.decode()


def test_management_page_scoped(client, loyalty_world):
    client.force_login(loyalty_world.sales_east)
    page = client.get(f"/loyalty/?{RANGE}").content.decode()
    assert 'data-section="by_month"' in page and 'data-section="rfm"' in page
    assert "E001" in page and "N001" not in page and "E002" not in page
    assert 'id="definitions"' in page and 'href="/loyalty/"' in page  # the menu entry


def test_management_page_bad_filter(client, loyalty_world):
    client.force_login(loyalty_world.admin)
    assert client.get("/loyalty/?date_from=2026-07-01&date_to=2026-01-01").status_code == 400


def test_export(client, loyalty_world):
    client.force_login(loyalty_world.admin)
    response = client.get(f"/loyalty/?{RANGE}&export=xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.sheetnames) == 5


def test_rules_editor(client, loyalty_world):
    client.force_login(loyalty_world.manager_east)
    assert client.get("/loyalty/rules/").status_code == 200
    assert client.post("/loyalty/rules/", {"emotional.invoices": "3"}).status_code == 403
    client.force_login(loyalty_world.admin)
    bad = client.post("/loyalty/rules/", {"emotional.repeat_rate": "1.5"})
    assert bad.status_code == 400 and "is-invalid" in bad.content.decode()
    good = client.post("/loyalty/rules/", {"behavioural.invoices": "3", "emotional.invoices": "2",
                                           "cognitive.invoices": "1", "note": "looser"})
    assert good.status_code == 302
    assert client.get("/api/loyalty/stage-rules").json()["thresholds"]["behavioural"] == {"invoices": "3"}


def test_api_indicators(client, loyalty_world):
    client.force_login(loyalty_world.sales_east)
    body = client.get(f"/api/loyalty/indicators?group=customer&{RANGE}").json()
    assert [r["code"] for r in body["rows"]] == ["E001"]
    assert body["rows"][0]["share_of_wallet"] == "0.4972" and body["definitions"]
    month = client.get(f"/api/loyalty/indicators?group=month&{RANGE}").json()
    assert len(month["rows"]) == 6
    assert client.get(f"/api/loyalty/indicators?group=class&{RANGE}").status_code == 200
    bad = client.get(f"/api/loyalty/indicators?group=planet&{RANGE}")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "group"
    assert client.get("/api/loyalty/indicators?date_from=2026-07-01&date_to=2026-01-01").status_code == 422
    assert client.get(f"/api/loyalty/rfm?{RANGE}").json()["rows"][0]["rfm"] == "333"


def test_api_customer(client, loyalty_world):
    w = loyalty_world
    client.force_login(w.sales_east)
    body = client.get(f"/api/loyalty/customers/{w.east_customer.pk}?{RANGE}").json()
    assert body["figures"]["stage_code"] == "emotional" and body["figures"]["sales"] == "2250.00"
    assert client.get(f"/api/loyalty/customers/{w.north_customer.pk}?{RANGE}").status_code == 404


def test_api_stage_rules(client, loyalty_world):
    client.force_login(loyalty_world.sales_east)
    assert client.get("/api/loyalty/stage-rules").json()["valid_from"] is None
    assert client.put("/api/loyalty/stage-rules", {"thresholds": {}}, content_type="application/json"
                      ).status_code == 403
    client.force_login(loyalty_world.admin)
    bad = client.put("/api/loyalty/stage-rules", {"thresholds": {"emotional": {"invoices": "x"}}},
                     content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "emotional.invoices"]
    missing = client.put("/api/loyalty/stage-rules", {}, content_type="application/json")
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == ["body", "thresholds"]
    ok = client.put("/api/loyalty/stage-rules", {"thresholds": {"cognitive": {"invoices": "1"}}, "note": "n"},
                    content_type="application/json")
    assert ok.status_code == 200 and ok.json()["valid_from"] == "2026-07-15"
