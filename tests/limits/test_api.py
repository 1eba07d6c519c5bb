"""The limits API: what-if calculators (SPEC §11 exactly, 422 naming the field), the tables in force, and a
customer's proposals (scoped: 404 outside the user's scope, 403 without the permission)."""

from decimal import Decimal as D

import pytest

from credo.limits import rules
from credo.limits.models import LimitComputation
from credo.rating.models import FinancialStatement

from .test_services import Q_START, day

JSON = {"content_type": "application/json"}
SECTION_11 = {"current_assets": "5000000", "inventory": "1500000", "current_liabilities": "2500000",
              "total_liabilities": "4000000", "net_assets": "6000000"}


def test_what_if_working_capital_section_11(client, world):
    client.force_login(world.sales_east)
    response = client.post("/api/limits/what-if/working-capital", {**SECTION_11, "grade": "A", "supplier_share": 0.4},
                           **JSON)
    assert response.status_code == 200
    doc = response.json()
    assert (doc["working_capital"], doc["working_assets"], doc["current_ratio"], doc["quick_ratio"],
            doc["short_term_debt_ratio"], doc["debt_ratio"], doc["evaluation_value"], doc["percentage"],
            doc["limit"], doc["grade_corrected"], doc["supplier_corrected"], doc["credit_line"]) == (
        "2500000.00", "4250000.00", "2.00000", "1.40000", "0.41667", "0.66667", "2.31667", "25.0", "1062500.00",
        "1275000.00", "510000.00", "510000.00")
    assert not LimitComputation.objects.exists()  # a what-if keeps nothing unless asked


def test_what_if_sales_volume_and_collections(client, world):
    client.force_login(world.finance)
    doc = client.post("/api/limits/what-if/sales-volume", {"quarter_orders": 900000, "credit_days": 30, "grade": "BB",
                                                           "overdue_amount_days": 360000}, **JSON).json()
    assert (doc["limit"], doc["credit_line"]) == ("300000.00", "75000.00")
    doc = client.post("/api/limits/what-if/collections", {"monthly": [60000, 50000, 40000, 30000, 20000, 10000]},
                      **JSON).json()
    assert doc["credit_days"] == 30 and doc["credit_line"] == "43333.33"  # the policy's standard period


def test_what_if_cannot_compute_is_an_answer_not_an_error(client, world):
    client.force_login(world.credit)
    doc = client.post("/api/limits/what-if/working-capital", {**SECTION_11, "net_assets": "-1"}, **JSON).json()
    assert doc["outcome"] == "cannot_compute" and doc["input"] == "net_assets" and doc["credit_line"] is None
    doc = client.post("/api/limits/what-if/revenue-tier", {"revenue": 1000000}, **JSON).json()
    assert doc["reason_code"] == "revenue_tiers_empty"


@pytest.mark.parametrize("path, payload, fields", [
    ("working-capital", {**SECTION_11, "inventory": "6000000", "grade": "X"}, {"inventory", "grade"}),
    ("working-capital", {**SECTION_11, "supplier_share": "2"}, {"supplier_share"}),
    ("working-capital", {k: v for k, v in SECTION_11.items() if k != "net_assets"}, {"net_assets"}),
    ("working-capital", {**SECTION_11, "current_assets": "lots"}, {"current_assets"}),
    ("sales-volume", {"quarter_orders": "-1", "credit_days": 0}, {"quarter_orders", "credit_days"}),
    ("collections", {"monthly": [1, 2, 3]}, {"monthly"}),
])
def test_bad_input_is_422_naming_the_field(client, world, path, payload, fields):
    client.force_login(world.credit)
    response = client.post(f"/api/limits/what-if/{path}", payload, **JSON)
    assert response.status_code == 422
    assert {d["loc"][-1] for d in response.json()["detail"]} == fields


def test_saving_a_what_if_needs_the_permission(client, world):
    client.force_login(world.sales_east)
    assert client.post("/api/limits/what-if/sales-volume?save=true", {"quarter_orders": 900000}, **JSON
                       ).status_code == 403
    client.force_login(world.credit)
    doc = client.post("/api/limits/what-if/sales-volume?save=true", {"quarter_orders": 900000}, **JSON).json()
    saved = LimitComputation.objects.get(pk=doc["computation_id"])
    assert saved.customer is None and saved.credit_line == D("300000.00")
    assert client.get(f"/api/limits/computations/{saved.pk}").json()["credit_line"] == "300000.00"


def test_service_agent_and_anonymous_are_refused(client, world):
    assert client.post("/api/limits/what-if/sales-volume", {"quarter_orders": 1}, **JSON).status_code == 401
    client.force_login(world.service)
    assert client.post("/api/limits/what-if/sales-volume", {"quarter_orders": 1}, **JSON).status_code == 403
    assert client.get("/api/limits/policy").status_code == 403


def test_policy_in_force(client, world):
    client.force_login(world.sales_east)
    doc = client.get("/api/limits/policy").json()
    assert doc["standard_credit_days"] == 30 and doc["revenue_tiers"] == []
    assert doc["grade_factors"][2] == {"grade": "BB", "percentage": "50"}


def test_customer_proposals_scope_and_permission(client, world):
    customer = world.east_customer
    FinancialStatement.objects.create(customer=customer, period_end=day(Q_START, -1), current_assets=D(5_000_000),
                                      inventory=D(1_500_000), current_liabilities=D(2_500_000),
                                      total_liabilities=D(4_000_000), net_assets=D(6_000_000))
    url = f"/api/limits/customers/{customer.pk}/proposals"
    client.force_login(world.sales_east)  # in scope, may view but not compute
    assert client.post(url, {}, **JSON).status_code == 403
    client.force_login(world.manager_north)  # may compute, but not this customer
    assert client.post(url, {}, **JSON).status_code == 404
    assert client.get(url).status_code == 404
    client.force_login(world.manager_east)
    created = client.post(url, {"supplier_share": "40%", "methods": [rules.WORKING_CAPITAL]}, **JSON)
    assert created.status_code == 201
    [computation] = created.json()
    assert computation["limit"] == "1062500.00" and computation["credit_line"] == "425000.00"
    bad = client.post(url, {"supplier_share": "3"}, **JSON)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "supplier_share"
    client.force_login(world.sales_east)
    listed = client.get(url).json()
    assert listed["grade"] == "NR" and listed["proposals"][rules.WORKING_CAPITAL]["id"] == computation["id"]
    assert [c["id"] for c in listed["computations"]] == [computation["id"]]
    assert client.get(f"/api/limits/computations/{computation['id']}").status_code == 200
    client.force_login(world.sales_north)
    assert client.get(f"/api/limits/computations/{computation['id']}").status_code == 404
