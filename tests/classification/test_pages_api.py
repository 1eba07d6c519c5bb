"""Pages and API: pyramid page scoped to the user, override form, export, policy, card tab, REST endpoints."""

import datetime
import json

import pytest
from django.conf import settings
from django.utils import translation

from credo.classification import services
from credo.classification.models import ClassificationRun, ClassResult

from .conftest import DAY, add_invoices

FROM, TO = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)
JSON = {"content_type": "application/json"}


@pytest.fixture
def run(world):
    add_invoices([(world.east_customer, 80, DAY), (world.east2_customer, 15, DAY), (world.north_customer, 5, DAY)])
    return services.compute_snapshot(world.admin, "pyramid", FROM, TO)


def test_pyramid_page_is_scoped(client, world, run):
    client.force_login(world.sales_east)
    page = client.get("/classification/").content.decode()
    assert "E001" in page and "N001" not in page and "E002" not in page and 'id="class-chart"' in page
    client.force_login(world.admin)
    page = client.get(f"/classification/?run={run.pk}&klass=D").content.decode()
    assert "E002" in page and "N001" in page and "E001" not in page


def test_compute_and_override_pages(client, world, run):
    client.force_login(world.manager_east)
    response = client.post("/classification/compute/", {"method": "abc", "period_from": "2026-01-01",
                                                         "period_to": "2026-06-30"})
    assert response.status_code == 302 and ClassificationRun.objects.filter(method="abc").exists()
    row = ClassResult.objects.get(run=run, customer=world.east2_customer)
    client.post(f"/classification/results/{row.pk}/override/", {"klass": "B", "reason": "growing fast"})
    row.refresh_from_db()
    assert row.effective_class == "B" and row.override_reason == "growing fast"
    client.force_login(world.sales_east)
    assert client.post(f"/classification/results/{row.pk}/override/", {"klass": "A", "reason": "x"}).status_code == 403


def test_movement_export_policy_and_tab(client, world, run):
    client.force_login(world.admin)
    services.compute_snapshot(world.admin, "pyramid", FROM, TO)
    assert client.get("/classification/movement/").status_code == 200
    response = client.get(f"/classification/export/?run={run.pk}")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    with translation.override("en"):
        client.post("/classification/policy/", {"klass": "A", "text": "Visit monthly."})
        assert "Visit monthly." in client.get("/classification/policy/").content.decode()
    tab = client.get(f"/customers/{world.east_customer.pk}/?tab=classification").content.decode()
    assert 'data-testid="current-class"' in tab and "Visit monthly." in tab


def test_api(client, world, run):
    client.force_login(world.sales_east)
    assert [s["id"] for s in client.get("/api/classification/snapshots").json()] == [run.pk]
    doc = client.get(f"/api/classification/snapshots/{run.pk}").json()
    assert doc["totals"] == {"A": 1, "B": 0, "C": 0, "D": 2}
    assert [r["customer_code"] for r in doc["results"]] == ["E001"]
    history = client.get(f"/api/classification/customers/{world.east_customer.pk}/history").json()
    assert history["history"][0]["class"] == "A"
    assert client.get(f"/api/classification/customers/{world.north_customer.pk}/history").status_code == 404
    assert client.post("/api/classification/snapshots", {"period_from": "2026-01-01", "period_to": "2026-06-30"},
                       **JSON).status_code == 403
    client.force_login(world.manager_east)
    made = client.post("/api/classification/snapshots", {"method": "abc", "period_from": "2026-01-01",
                                                         "period_to": "2026-06-30"}, **JSON)
    assert made.status_code == 201 and made.json()["totals"] == {"A": 1, "B": 1, "C": 1}
    bad = client.post("/api/classification/snapshots", {"method": "abc", "period_from": "2026-02-01",
                                                        "period_to": "2026-01-01"}, **JSON)
    assert bad.status_code == 422 and "period_to" in bad.content.decode()
    row = ClassResult.objects.get(run=run, customer=world.east_customer)
    assert client.post(f"/api/classification/results/{row.pk}/override", {"klass": "B", "reason": "r"},
                       **JSON).json()["class"] == "B"


def test_grid_and_behavioural_d(client, world, run):
    from credo.classification import queries

    world.east_customer.importance = "key"
    world.east_customer.first_order_date = datetime.date(2020, 1, 1)
    world.east_customer.save()
    cells = queries.grid(world.admin, run)
    assert cells[0][0]["count"] == 1 and cells[0][0]["sales"] == 80  # old × key
    assert sum(c["count"] for row in cells for c in row) == 3
    assert sum(c["count"] for row in queries.grid(world.sales_east, run) for c in row) == 1
    # due on 2026-06-30, unpaid: overdue at the end of a period ending in July
    behaviour = {b.customer_id: b for b in queries.behaviour(world.admin, FROM, datetime.date(2026, 7, 31))}
    assert set(behaviour) == {world.east_customer.pk, world.east2_customer.pk, world.north_customer.pk}
    assert behaviour[world.east2_customer.pk].overdue == 15 and behaviour[world.east2_customer.pk].orders == 1
    client.force_login(world.admin)
    response = client.get("/classification/grid/")
    page = response.content.decode()
    assert 'id="grid-table"' in page and 'data-cell="old-key"' in page and 'id="grid-chart"' in page
    heat = json.loads(response.context["heatmap_json"])
    assert len(heat["cells"]) == 9 and sum(c[2] for c in heat["cells"]) == 3


def test_pages_without_snapshot_and_abc_page(client, world):
    client.force_login(world.manager_east)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        assert "No snapshot yet." in client.get("/classification/").content.decode()
        assert "Not classified yet." in client.get(
            f"/customers/{world.east_customer.pk}/?tab=classification").content.decode()
        assert client.get("/classification/grid/").status_code == 200
    add_invoices([(world.east_customer, 80, DAY)])
    services.compute_snapshot(world.manager_east, "abc", FROM, TO)
    page = client.get("/classification/?method=abc&klass=A").content.decode()
    assert 'data-code="E001"' in page and 'data-code="E002"' not in page
    client.force_login(world.service)
    assert client.post("/classification/compute/", {"method": "abc", "period_from": "2026-01-01",
                                                    "period_to": "2026-06-30"}).status_code == 403


def test_movement_page_has_the_transition_matrix_and_filters_one_transition(client, world, run):
    add_invoices([(world.north_customer, 500, DAY)], prefix="MORE")
    second = services.compute_snapshot(world.admin, "pyramid", FROM, TO)
    client.force_login(world.admin)
    response = client.get(f"/classification/movement/?run={second.pk}")
    page = response.content.decode()
    assert 'id="transition-matrix"' in page and 'id="movement-chart"' in page
    assert 'id="transition-matrix"' not in client.get(f"/classification/movement/?run={run.pk}").content.decode()
    # 3 customers: before A E001 / D E002, N001; now A N001 / D E001, E002 (1 % of 3 → 1 A)
    matrix = {(row["before"], c["after"]): c["count"] for row in response.context["matrix"] for c in row["cells"]}
    assert matrix[("A", "D")] == 1 and matrix[("D", "A")] == 1 and matrix[("D", "D")] == 1
    sankey = json.loads(response.context["sankey_json"])
    assert sorted((link["from"], link["to"], link["value"]) for link in sankey["links"]) == [("A", "D", 1), ("D", "A", 1)]
    response = client.get(f"/classification/movement/?run={second.pk}&from=D&to=A")
    assert [m["customer"].code for m in response.context["moved"]] == ["N001"] and response.context["count"] == 1
    client.force_login(world.sales_east)
    response = client.get(f"/classification/movement/?run={second.pk}")
    assert [m["customer"].code for m in response.context["moved"]] == ["E001"]


@pytest.mark.parametrize(("period", "field"), [(("0001-01-01", "0001-01-01"), "period_from"),
                                               (("2026-01-01", "9999-12-31"), "period_to")])
@pytest.mark.parametrize("url", ["/api/classification/snapshots", "/api/segments/snapshots"])
def test_periods_far_from_the_calendar_edges_are_refused(client, world, period, field, url):
    """Found by the schema fuzzer: the first day of year 1 overflowed when the period's month edges were read."""
    client.force_login(world.admin)
    response = client.post(url, {"period_from": period[0], "period_to": period[1]}, **JSON)
    assert response.status_code == 422, response.content
    assert [e["loc"] for e in response.json()["detail"]] == [["body", field]]
