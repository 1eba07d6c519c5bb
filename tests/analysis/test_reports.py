import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.utils import translation

from credo.analysis import queries
from credo.analysis.queries import AnalysisFilter

from .conftest import PERIOD

pytestmark = pytest.mark.django_db


def flt(**extra):
    return AnalysisFilter.from_mapping({**PERIOD, **extra})


def by(rows, key):
    return {r[key]: r for r in rows}


def test_composition_by_kind(ledger):
    with translation.override("en"):
        report = queries.composition(ledger.executive, flt(by="kind"))
    rows = by(report.rows, "group")
    assert rows["Dealer / agent"]["sales"] == D("1700.00")
    assert rows["Dealer / agent"]["customers"] == 1
    assert rows["Dealer / agent"]["share"] == D("0.6800")
    assert rows["Business customer"]["sales"] == D("800.00")
    assert rows["Business customer"]["customers"] == 2
    assert rows["Business customer"]["buyers"] == 2
    assert report.totals["sales"] == D("2500.00")
    assert report.chart["series"][0]["type"] == "pie"


def test_composition_by_lifecycle_and_territory(ledger):
    with translation.override("en"):
        life = by(queries.composition(ledger.executive, flt(by="lifecycle")).rows, "group")
        terr = by(queries.composition(ledger.executive, flt(by="territory")).rows, "group")
    assert life["New"]["sales"] == D("1700.00")  # first order 2025-12-20
    assert life["Potential"]["customers"] == 2
    assert terr["上海"]["sales"] == D("1700.00")
    assert terr["(none)"]["sales"] == D("800.00")


def test_transactions_monthly_share_expected(ledger):
    report = queries.transactions(ledger.executive, flt(expected="25"))
    rows = by(report.rows, "code")
    assert [r["code"] for r in report.rows] == ["E001", "N001", "E002"]
    assert (rows["E001"]["2026-01"], rows["E001"]["2026-02"], rows["E001"]["2026-03"]) == (
        D("1200.00"), D("500.00"), D("0.00"))
    assert rows["E001"]["sales"] == D("1700.00")
    assert rows["E001"]["share"] == D("0.6800")
    assert rows["E001"]["gap"] == D("0.4300")
    assert rows["E002"]["gap"] == D("-0.1300")
    assert report.totals["2026-03"] == D("500.00")  # the penalty interest is not sales
    assert report.totals["sales"] == D("2500.00")


def test_transactions_years_for_long_periods(ledger):
    report = queries.transactions(ledger.executive, flt(date_from="2024-01-01", date_to="2026-12-31"))
    rows = by(report.rows, "code")
    assert rows["E001"]["2025"] == D("1000.00")
    assert rows["E001"]["2026"] == D("1700.00")


def test_products_pareto(ledger):
    report = queries.products(ledger.executive, flt())
    assert [(r["code"], r["sales"], r["share"], r["cumulative"], r["cumulative_share"], r["abc"])
            for r in report.rows] == [
        ("P1", D("1500.00"), D("0.6000"), D("1500.00"), D("0.6000"), "A"),
        ("P2", D("700.00"), D("0.2800"), D("2200.00"), D("0.8800"), "A"),
        ("P3", D("300.00"), D("0.1200"), D("2500.00"), D("1.0000"), "B"),
    ]
    assert report.rows[0]["quantity"] == D("15")
    assert [s["type"] for s in report.chart["series"]] == ["bar", "line"]


def test_margin_by_product_and_customer(ledger):
    prod = by(queries.margin(ledger.executive, flt()).rows, "code")
    assert (prod["P1"]["profit"], prod["P1"]["rate"]) == (D("600.00"), D("0.4000"))
    assert (prod["P2"]["profit"], prod["P2"]["rate"]) == (D("300.00"), D("0.4286"))
    assert (prod["P3"]["profit"], prod["P3"]["rate"]) == (D("0.00"), D("0.0000"))
    report = queries.margin(ledger.executive, flt(by="customer"))
    cust = by(report.rows, "code")
    assert cust["E001"]["rate"] == D("0.3824")
    assert cust["N001"]["rate"] == D("0.5000")
    assert report.totals == {"sales": D("2500.00"), "cost": D("1600.00"), "profit": D("900.00"), "rate": D("0.3600")}


def test_turnover_at_dealers(ledger):
    report = queries.turnover(ledger.executive, flt())
    rows = by(report.rows, "product_code")
    assert (rows["P1"]["opening"], rows["P1"]["closing"], rows["P1"]["average"]) == (
        D("400.00"), D("600.00"), D("500.00"))
    assert rows["P1"]["sales"] == D("1500.00")
    assert rows["P1"]["turnover"] == D("3.0000")
    assert rows["P2"]["opening"] is None
    assert rows["P2"]["turnover"] == D("1.0000")


def test_cross_and_contribution(ledger):
    rows = by(queries.cross(ledger.executive, flt()).rows, "code")
    assert (rows["P1"]["turnover"], rows["P1"]["cross"], rows["P1"]["contribution"]) == (
        D("3.0000"), D("1.2000"), D("0.7200"))
    assert (rows["P2"]["cross"], rows["P2"]["contribution"]) == (D("0.4286"), D("0.1200"))
    assert rows["P3"]["cross"] is None  # no dealer stock: cannot compute


def test_scope_salesperson_sees_only_own_customers(ledger):
    report = queries.transactions(ledger.sales_east, flt())
    assert [r["code"] for r in report.rows] == ["E001"]
    assert report.totals["sales"] == D("1700.00")
    assert report.rows[0]["share"] == D("1.0000")
    assert queries.products(ledger.sales_north, flt()).totals["sales"] == D("500.00")
    assert queries.turnover(ledger.sales_north, flt()).rows == []
    team = queries.margin(ledger.manager_east, flt(by="customer"))
    assert sorted(r["code"] for r in team.rows) == ["E001", "E002"]


def test_filters_territory_manager_kind(ledger):
    assert queries.products(ledger.executive, flt(territory=str(ledger.territory.pk))).totals["sales"] == D("1700.00")
    assert queries.products(ledger.executive, flt(manager=str(ledger.sales_north.pk))).totals["sales"] == D("500.00")
    assert queries.products(ledger.executive, flt(kind="business")).totals["sales"] == D("800.00")


@pytest.mark.parametrize("data", [{"date_from": "2026-13-01"}, {"kind": "nope"}, {"expected": "150"},
                                  {"territory": "x"}, {"date_from": "2026-05-01", "date_to": "2026-04-01"}])
def test_filter_rejects_bad_values(data):
    with pytest.raises(ValueError):
        AnalysisFilter.from_mapping(data)


@pytest.mark.parametrize("name", queries.REPORTS)
def test_pages_exports_and_api(client, ledger, name):
    client.force_login(ledger.executive)
    page = client.get(f"/analysis/{name}/", PERIOD)
    assert page.status_code == 200
    assert b"analysis-chart" in page.content
    export = client.get(f"/analysis/{name}/export/", PERIOD)
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert sheet.max_row >= 3
    data = client.get(f"/api/analysis/{name}", PERIOD).json()
    assert data["report"] == name
    assert data["rows"]


def test_export_figures(client, ledger):
    client.force_login(ledger.executive)
    export = client.get("/analysis/products/export/", PERIOD)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3, max_row=5)]
    assert values[0][1:5] == ["P1", "液压泵", 15, 1500]
    assert values[2][8] == "B"


def test_api_amounts_are_strings(client, ledger):
    client.force_login(ledger.sales_east)
    data = client.get("/api/analysis/margin", {**PERIOD, "by": "customer"}).json()
    assert data["rows"] == [{"code": "E001", "name": ledger.east_customer.name, "sales": "1700.00",
                             "cost": "1050.00", "profit": "650.00", "rate": "0.3824"}]
    assert data["totals"]["sales"] == "1700.00"
    cross = client.get("/api/analysis/cross", PERIOD).json()
    assert {r["code"]: r["contribution"] for r in cross["rows"]} == {"P1": "1.0589", "P2": "0.0294"}
    # own sales only: P1 1500 of 1700 (0.8824) × 0.4 × 3; P2 200 of 1700 (0.1176) × 0.25 × 1


def test_api_bad_filter_and_permission(client, ledger):
    client.force_login(ledger.executive)
    assert client.get("/api/analysis/products", {"kind": "nope"}).status_code in (400, 422)
    client.force_login(ledger.service)
    assert client.get("/api/analysis/products", PERIOD).status_code == 403
    assert client.get("/analysis/products/", PERIOD).status_code == 403


def test_navigation_group(client, ledger):
    client.force_login(ledger.sales_east)
    page = client.get("/analysis/composition/", PERIOD)
    assert b"/analysis/turnover/" in page.content


def test_class_filter_uses_the_classification_provider(ledger, monkeypatch):
    classes = {ledger.east_customer.pk: "A", ledger.north_customer.pk: "B"}
    monkeypatch.setattr(queries, "class_provider", lambda: lambda ids: {i: classes[i] for i in ids if i in classes})
    assert queries.products(ledger.executive, flt(klass="A")).totals["sales"] == D("1700.00")
    assert queries.products(ledger.executive, flt(klass="B")).totals["sales"] == D("500.00")
    assert queries.products(ledger.executive, flt(klass="C")).totals["sales"] == D("0.00")


@pytest.mark.parametrize(("name", "extra", "count"), [
    ("composition", {"by": "kind"}, 1), ("composition", {"by": "lifecycle"}, 2), ("transactions", {}, 1),
    ("products", {}, 1), ("margin", {"by": "customer"}, 1), ("turnover", {}, 2), ("cross", {}, 3),
])
def test_reports_are_grouped_queries(ledger, django_assert_num_queries, name, extra, count):
    from credo.core.models import CompanyProfile

    CompanyProfile.current()  # created on first use
    user = ledger.sales_east  # scope costs no query: the filter is on the account manager column
    with django_assert_num_queries(count):
        queries.build(name, user, flt(**extra))
