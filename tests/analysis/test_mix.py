"""Each customer's product mix (SPEC §4.3) on a hand-computed ledger (period 2026-01-01 … 2026-03-31).

  the ledger of conftest.py:  E001 P1 1500, P2 200 (1700)   E002 P3 300   N001 P2 500
  plus:                       E002 a line without a product 100 (cost 40)   N001 P4 2 × 50 = 100
                              E003 (sales_east) with no sales at all
  company  2700: P1 1500 (0.5556), P2 700 (0.2593), P3 300 (0.1111), P4 100 (0.0370), no product 100 (0.0370)
  E001 1700: P1 0.8824, P2 0.1176        E002 400: P3 0.75, no product 0.25        N001 600: P2 0.8333, P4 0.1667
"""

import io
import json
from decimal import Decimal as D

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from credo.analysis import queries
from credo.analysis.queries import AnalysisFilter
from credo.customers.models import Customer
from credo.sales.models import Product
from tests.factories import CustomerFactory

from .conftest import PERIOD, _invoice

pytestmark = pytest.mark.django_db
ARGS = ["--from", PERIOD["date_from"], "--to", PERIOD["date_to"]]


@pytest.fixture
def mix_ledger(ledger):
    p4 = Product.objects.create(code="P4", name="滤芯", list_price=50, cost=20)
    _invoice(ledger.east2_customer, "I-5", "2026-02-11", [(None, 1, 100, 40)])
    _invoice(ledger.north_customer, "I-6", "2026-03-02", [(p4, 2, 50, 40)])
    ledger.quiet_customer = CustomerFactory(code="E003", name="无锡静安五金有限公司", account_manager=ledger.sales_east)
    ledger.p4 = p4
    return ledger


def flt(**extra):
    return AnalysisFilter.from_mapping({**PERIOD, **{k: str(v) for k, v in extra.items()}})


def ids(world):
    p1, p2, p3 = world.products
    return {"P1": p1.pk, "P2": p2.pk, "P3": p3.pk, "P4": world.p4.pk, "other": "other"}


def cell(world, row, product, what="share"):
    key = ids(world)[product]
    return row[f"{what}_{key}"]


# customer, product, share, gap to the company mix (top 8: P1…P4 columns, "other" = the line without a product)
TOP8 = [
    ("E001", "P1", D("0.8824"), D("0.3268")),
    ("E001", "P2", D("0.1176"), D("-0.1417")),
    ("E001", "P3", D("0.0000"), D("-0.1111")),
    ("E001", "P4", D("0.0000"), D("-0.0370")),
    ("E001", "other", D("0.0000"), D("-0.0370")),
    ("E002", "P1", D("0.0000"), D("-0.5556")),
    ("E002", "P3", D("0.7500"), D("0.6389")),
    ("E002", "other", D("0.2500"), D("0.2130")),
    ("N001", "P2", D("0.8333"), D("0.5740")),
    ("N001", "P4", D("0.1667"), D("0.1297")),
    ("N001", "other", D("0.0000"), D("-0.0370")),
]


@pytest.mark.parametrize(("code", "product", "share", "gap"), TOP8)
def test_mix_shares_and_gaps(mix_ledger, code, product, share, gap):
    report = queries.mix(mix_ledger.executive, flt())
    row = {r["code"]: r for r in report.rows}[code]
    assert cell(mix_ledger, row, product) == share
    assert cell(mix_ledger, row, product, "gap") == gap


def test_mix_layout_totals_and_note(mix_ledger):
    with translation.override("en"):
        report = queries.mix(mix_ledger.executive, flt())
    assert [(r["code"], r["sales"]) for r in report.rows] == [
        ("E001", D("1700.00")), ("N001", D("600.00")), ("E002", D("400.00"))]  # by sales; E003 left out
    keys = ids(mix_ledger)
    assert [c.key for c in report.columns][3:] == [
        f"{what}_{keys[p]}" for p in ("P1", "P2", "P3", "P4", "other") for what in ("share", "gap")]
    assert [c.title for c in report.columns if c.key.startswith("share_")] == [
        "P1 液压泵", "P2 密封圈", "P3 阀门", "P4 滤芯", "Other / no product"]
    assert report.totals["sales"] == D("2700.00")
    assert [report.totals[f"share_{keys[p]}"] for p in ("P1", "P2", "P3", "P4", "other")] == [
        D("0.5556"), D("0.2593"), D("0.1111"), D("0.0370"), D("0.0370")]
    assert "1 customer in these filters had no sales in the period" in report.note
    chart = report.chart
    assert chart["yAxis"]["data"] == [mix_ledger.east_customer.name, mix_ledger.north_customer.name,
                                      mix_ledger.east2_customer.name]
    assert [s["stack"] for s in chart["series"]] == ["mix"] * 5
    assert chart["series"][0]["data"] == [88.24, 0.0, 0.0]  # P1
    assert chart["xAxis"]["max"] == 100


@pytest.mark.parametrize(("code", "product", "share", "gap"), [
    # top 2: P1 and P2 get columns; P3, P4 and the line without a product are "other" (500 of 2700 = 0.1852)
    ("E001", "P1", D("0.8824"), D("0.3268")),
    ("E001", "other", D("0.0000"), D("-0.1852")),
    ("E002", "P2", D("0.0000"), D("-0.2593")),
    ("E002", "other", D("1.0000"), D("0.8148")),
    ("N001", "P2", D("0.8333"), D("0.5740")),
    ("N001", "other", D("0.1667"), D("-0.0185")),
])
def test_mix_other_bucket_beyond_top_n(mix_ledger, code, product, share, gap):
    report = queries.mix(mix_ledger.executive, flt(top=2))
    keys = ids(mix_ledger)
    assert [c.key for c in report.columns if c.key.startswith("share_")] == [
        f"share_{keys['P1']}", f"share_{keys['P2']}", "share_other"]
    assert report.totals["share_other"] == D("0.1852")
    row = {r["code"]: r for r in report.rows}[code]
    assert cell(mix_ledger, row, product) == share
    assert cell(mix_ledger, row, product, "gap") == gap


@pytest.mark.parametrize("top", ["0", "31", "x"])
def test_mix_top_is_checked(top):
    with pytest.raises(ValueError, match="top"):
        AnalysisFilter.from_mapping({**PERIOD, "top": top})


def test_customer_mix_rows(mix_ledger):
    with translation.override("en"):
        report = queries.mix(mix_ledger.executive, flt(customer=mix_ledger.east2_customer.pk))
    assert report.customer == {"id": mix_ledger.east2_customer.pk, "code": "E002",
                               "name": mix_ledger.east2_customer.name}
    got = [(r["code"], r["name"], r["quantity"], r["sales"], r["profit"], r["share"], r["company_share"], r["gap"])
           for r in report.rows]
    assert got == [
        ("P3", "阀门", D("2"), D("300.00"), D("0.00"), D("0.7500"), D("0.1111"), D("0.6389")),
        # not bought: share 0, the gap is the cross-selling opportunity
        ("P1", "液压泵", D("0"), D("0.00"), D("0.00"), D("0.0000"), D("0.5556"), D("-0.5556")),
        ("P2", "密封圈", D("0"), D("0.00"), D("0.00"), D("0.0000"), D("0.2593"), D("-0.2593")),
        ("P4", "滤芯", D("0"), D("0.00"), D("0.00"), D("0.0000"), D("0.0370"), D("-0.0370")),
        ("", "Other / no product", D("1"), D("100.00"), D("60.00"), D("0.2500"), D("0.0370"), D("0.2130")),
    ]
    assert report.totals == {"sales": D("400.00"), "profit": D("60.00"), "share": D("1.0000"),
                             "company_share": D("1.0000")}
    assert [label for label in report.chart["yAxis"]["data"]] == [mix_ledger.east2_customer.name,
                                                                 "All customers in these filters"]


def test_customer_mix_without_sales(mix_ledger):
    with translation.override("en"):
        report = queries.mix(mix_ledger.executive, flt(customer=mix_ledger.quiet_customer.pk))
    assert "no sales in the period" in report.note
    assert {r["code"]: (r["share"], r["company_share"]) for r in report.rows}["P1"] == (None, D("0.5556"))


def test_mix_scope(mix_ledger):
    own = queries.mix(mix_ledger.sales_east, flt())
    assert [r["code"] for r in own.rows] == ["E001"]
    assert own.totals["sales"] == D("1700.00")  # compared with the customers the user may see
    team = queries.mix(mix_ledger.manager_east, flt())
    assert [r["code"] for r in team.rows] == ["E001", "E002"]
    with pytest.raises(Customer.DoesNotExist):
        queries.mix(mix_ledger.sales_east, flt(customer=mix_ledger.east2_customer.pk))
    with pytest.raises(Customer.DoesNotExist):
        queries.mix(mix_ledger.executive, flt(customer=999999))
    mine = queries.mix(mix_ledger.manager_east, flt(customer=mix_ledger.east2_customer.pk))
    assert {r["code"]: r["company_share"] for r in mine.rows} == {
        "P1": D("0.7143"), "P2": D("0.0952"), "P3": D("0.1429"), "": D("0.0476")}  # 1500, 200, 300, 100 of 2100


def test_mix_filters(mix_ledger):
    report = queries.mix(mix_ledger.executive, flt(manager=mix_ledger.sales_north.pk))
    assert [r["code"] for r in report.rows] == ["N001"]
    assert report.totals["sales"] == D("600.00")


def test_mix_is_a_few_grouped_queries(mix_ledger, django_assert_num_queries):
    # products; one row per customer (conditional sums per top product); the count of customers without sales
    with django_assert_num_queries(3):
        queries.mix(mix_ledger.sales_east, flt())
    # the customer (scope); one row per product with the customer's sums beside all customers'
    with django_assert_num_queries(2):
        queries.mix(mix_ledger.sales_east, flt(customer=mix_ledger.east_customer.pk))


def test_mix_page_links_and_single_customer_page(client, mix_ledger):
    client.force_login(mix_ledger.executive)
    page = client.get("/analysis/mix/", PERIOD)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"customer={mix_ledger.east2_customer.pk}" in html  # the customer names drill into the customer's mix
    assert "E003" not in html
    single = client.get("/analysis/mix/", {**PERIOD, "customer": mix_ledger.east2_customer.pk})
    assert single.status_code == 200
    html = single.content.decode()
    assert f"/customers/{mix_ledger.east2_customer.pk}/" in html
    assert 'name="customer"' in html and "-55.56" in html


def test_customer_card_links_to_the_mix(client, mix_ledger):
    client.force_login(mix_ledger.sales_east)
    card = client.get(f"/customers/{mix_ledger.east_customer.pk}/")
    assert card.status_code == 200
    assert f"/analysis/mix/?customer={mix_ledger.east_customer.pk}" in card.content.decode()
    client.force_login(mix_ledger.service)  # may not view the analysis: no link
    card = client.get(f"/customers/{mix_ledger.east_customer.pk}/")
    assert card.status_code == 200
    assert "/analysis/mix/" not in card.content.decode()


@pytest.mark.parametrize("url", ["/analysis/mix/", "/analysis/mix/export/", "/api/analysis/mix"])
def test_another_salespersons_customer_is_404(client, mix_ledger, url):
    client.force_login(mix_ledger.sales_east)
    assert client.get(url, {**PERIOD, "customer": mix_ledger.north_customer.pk}).status_code == 404
    assert client.get(url, {**PERIOD, "customer": 999999}).status_code == 404
    assert client.get(url, {**PERIOD, "customer": mix_ledger.east_customer.pk}).status_code == 200


def _sheet(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_export_figures(client, mix_ledger):
    client.force_login(mix_ledger.executive)
    sheet = _sheet(client.get("/analysis/mix/export/", {**PERIOD, "top": "2"}))
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3, max_row=6)]
    # code, name, sales, P1 share, P1 gap (points), P2 share, P2 gap, other share, other gap
    assert values[0][0] == "E001"
    assert values[0][2:9] == [1700, 0.8824, 32.68, 0.1176, -14.17, 0, -18.52]
    assert [v[0] for v in values[:3]] == ["E001", "N001", "E002"]
    assert values[3][2] == 2700 and values[3][3] == 0.5556  # the total row: the mix of all customers
    single = _sheet(client.get("/analysis/mix/export/", {**PERIOD, "customer": mix_ledger.east2_customer.pk}))
    rows = [[c.value for c in row] for row in single.iter_rows(min_row=3, max_row=7)]
    assert rows[0][:8] == ["P3", "阀门", 2, 300, 0, 0.75, 0.1111, 63.89]
    assert rows[1][0] == "P1" and rows[1][7] == -55.56


def test_api(client, mix_ledger):
    client.force_login(mix_ledger.sales_east)
    data = client.get("/api/analysis/mix", PERIOD).json()
    assert [r["code"] for r in data["rows"]] == ["E001"]
    keys = ids(mix_ledger)
    assert data["rows"][0][f"share_{keys['P1']}"] == "0.8824"
    assert data["rows"][0][f"gap_{keys['P1']}"] == "0.0000"
    assert data["customer"] is None
    one = client.get("/api/analysis/mix", {**PERIOD, "customer": mix_ledger.east_customer.pk}).json()
    assert one["customer"]["code"] == "E001"
    assert {r["code"]: r["share"] for r in one["rows"]} == {"P1": "0.8824", "P2": "0.1176"}
    client.force_login(mix_ledger.executive)
    assert client.get("/api/analysis/mix", {**PERIOD, "top": "0"}).status_code in (400, 422)


def test_command_json(mix_ledger, capsys):
    call_command("analysis", "mix", *ARGS, "--top", "2")
    data = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in data["rows"]] == ["E001", "N001", "E002"]
    assert data["rows"][2]["share_other"] == "1.0000"
    assert data["totals"]["share_other"] == "0.1852"
    call_command("analysis", "mix", *ARGS, "--customer", "E002")
    data = json.loads(capsys.readouterr().out)
    assert data["customer"]["code"] == "E002"
    assert data["rows"][0] == {"code": "P3", "name": "阀门", "quantity": "2", "sales": "300.00", "profit": "0.00",
                               "share": "0.7500", "company_share": "0.1111", "gap": "0.6389"}
    call_command("analysis", "mix", *ARGS, "--user", "sales_east")
    assert [r["code"] for r in json.loads(capsys.readouterr().out)["rows"]] == ["E001"]


@pytest.mark.parametrize(("args", "option"), [
    (["--customer", "N001", "--user", "sales_east"], "--customer"),  # not among the user's customers
    (["--customer", "NOPE"], "--customer"),
    (["--top", "0"], "--top"),
])
def test_command_bad_options(mix_ledger, args, option):
    with pytest.raises(CommandError) as exc:
        call_command("analysis", "mix", *ARGS, *args)
    assert exc.value.returncode == 2
    assert option in str(exc.value)
