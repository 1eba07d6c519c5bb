"""Pages, API, export and command of customer value, each scoped to the user."""

import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from credo.segments import services
from credo.segments.models import CustomerCost, ReviewDecision, SegmentRun

from .conftest import FROM, TO

pytestmark = pytest.mark.django_db
JSON = {"content_type": "application/json"}


@pytest.fixture
def run(ledger_world):
    return services.compute_segments(ledger_world.admin, FROM, TO)


def test_index_is_scoped_and_shows_the_working(client, ledger_world, run):
    client.force_login(ledger_world.sales_east)
    page = client.get("/segments/").content.decode()
    assert 'data-code="E001"' in page and 'data-code="E002"' not in page and 'id="whale-chart"' in page
    assert 'data-testid="eighty-twenty"' in page
    client.force_login(ledger_world.admin)
    page = client.get(f"/segments/?run={run.pk}&segment=BZ").content.decode()
    assert 'data-code="E002"' in page and 'data-code="N001"' in page and 'data-code="E001"' not in page


def test_compute_page_names_bad_fields(client, ledger_world):
    client.force_login(ledger_world.manager_east)
    response = client.post("/segments/compute/", {"period_from": "2026-06-30", "period_to": "2026-01-01",
                                                  "most_valuable_percent": "20", "most_growable_percent": "20",
                                                  "review_c_percent": "5"})
    assert response.status_code == 400 and not SegmentRun.objects.exists()
    assert "period_to" in response.context["compute_form"].errors
    response = client.post("/segments/compute/", {"period_from": "2026-01-01", "period_to": "2026-06-30",
                                                  "most_valuable_percent": "10", "most_growable_percent": "20",
                                                  "review_c_percent": "5"})
    assert response.status_code == 302 and SegmentRun.objects.get().params["most_valuable_percent"] == "10"
    client.force_login(ledger_world.sales_east)
    assert client.post("/segments/compute/", {}).status_code == 403


def test_export_holds_only_the_users_customers(client, ledger_world, run):
    client.force_login(ledger_world.manager_east)
    response = client.get(f"/segments/export/?run={run.pk}")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    codes = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] and row[1]]
    assert codes == ["E001", "E002"]
    assert [c.value for c in sheet[3]][10] == pytest.approx(3554.25)


def test_card_tab_costs_and_potential(client, ledger_world, run):
    w = ledger_world
    client.force_login(w.manager_east)
    page = client.get(f"/customers/{w.east_customer.pk}/?tab=value").content.decode()
    assert 'data-testid="value-segment"' in page and 'id="value-working"' in page and "3,554.25" in page
    response = client.post(f"/segments/customers/{w.east_customer.pk}/costs/",
                           {"kind": "service", "cost_date": "2026-05-01", "amount": "abc", "description": "x"})
    assert response.status_code == 302 and not CustomerCost.objects.filter(customer=w.east_customer).exists()
    client.post(f"/segments/customers/{w.east_customer.pk}/costs/",
                {"kind": "service", "cost_date": "2026-05-01", "amount": "88.50", "description": "样品"})
    assert CustomerCost.objects.get(customer=w.east_customer).amount == 88.5
    assert client.post(f"/segments/customers/{w.north_customer.pk}/costs/",
                       {"kind": "service", "cost_date": "2026-05-01", "amount": "1", "description": "x"}
                       ).status_code == 404
    client.force_login(w.sales_north)
    assert client.get(f"/customers/{w.east_customer.pk}/?tab=value").status_code == 404


def test_review_page_and_decision(client, ledger_world, run):
    w = ledger_world
    client.force_login(w.manager_east)
    page = client.get("/segments/review/").content.decode()
    assert 'data-code="E002"' in page and 'data-code="N001"' not in page
    client.post(f"/segments/review/{w.east2_customer.pk}/", {"run": run.pk, "decision": "cash", "note": "现款"})
    assert ReviewDecision.objects.get().decision == "cash"
    client.post(f"/segments/review/{w.north_customer.pk}/", {"run": run.pk, "decision": "end", "note": "x"})
    assert ReviewDecision.objects.count() == 1


def test_rates_page(client, world):
    client.force_login(world.sales_east)
    assert client.get("/segments/rates/").status_code == 200
    assert client.post("/segments/rates/", {}).status_code == 403
    client.force_login(world.finance)
    data = {"visit": "150", "call": "8", "mail": "3", "notice_letter": "20", "warning_letter": "40",
            "lawyer_letter": "-1", "capital_rate": "4"}
    response = client.post("/segments/rates/", data)
    assert response.status_code == 400 and "lawyer_letter" in response.context["form"].errors
    client.post("/segments/rates/", {**data, "lawyer_letter": "900"})
    assert client.get("/api/segments/rates").json()["lawyer_letter"] == "900.00"


def test_api(client, ledger_world, run):
    w = ledger_world
    client.force_login(w.sales_east)
    body = client.get(f"/api/segments/snapshots/{run.pk}").json()
    assert [r["customer_code"] for r in body["results"]] == ["E001"]
    assert body["results"][0]["costs"] == {"service": "410.00", "complaint": "0.00", "collection": "35.75",
                                           "bad_debt": "0.00"}
    assert client.get(f"/api/segments/customers/{w.north_customer.pk}").status_code == 404
    response = client.put(f"/api/segments/customers/{w.east_customer.pk}/potential",
                          {"annual_purchases": "-3"}, **JSON)
    assert response.status_code == 422 and "annual_purchases" in response.content.decode()
    assert client.put(f"/api/segments/customers/{w.east_customer.pk}/potential", {"annual_purchases": "50000"},
                      **JSON).json()["annual_purchases"] == "50000.00"
    assert client.post("/api/segments/snapshots", {"period_from": "2026-01-01", "period_to": "2026-06-30"},
                       **JSON).status_code == 403
    client.force_login(w.finance)
    response = client.post(f"/api/segments/customers/{w.east_customer.pk}/costs",
                           {"kind": "collection", "cost_date": "2026-03-01", "amount": "300", "description": "律师费"},
                           **JSON)
    assert response.status_code == 201
    client.force_login(w.admin)
    review = client.get(f"/api/segments/snapshots/{run.pk}/review").json()
    assert [r["customer_code"] for r in review] == ["E002", "N001"]


def test_command_json(ledger_world, capsys):
    call_command("segments", "--from", "2026-01-01", "--to", "2026-06-30", "--format", "json")
    doc = json.loads(capsys.readouterr().out)
    assert doc["customers"] == {"E001": "MV", "E002": "BZ", "N001": "BZ"}
    assert doc["totals"]["BZ"] == 2 and doc["review"] == ["E002", "N001"]
    assert doc["top20"]["sales_share"] == "0.66666667"


def test_command_bad_dates(ledger_world):
    with pytest.raises(CommandError, match="--from") as exc:
        call_command("segments", "--from", "2026-13-01", "--to", "2026-06-30")
    assert exc.value.returncode == 2 and not SegmentRun.objects.exists()
