"""The complaint management view: figures by dimension, time per step in business hours, SLA compliance, repeats,
the rate per 100 orders; the page, the Excel workbook and the API, within scope."""

import datetime
import io
import zipfile
from decimal import Decimal as D

import pytest

from credo.analysis.queries import AnalysisFilter
from credo.complaints import report, rules, services
from credo.sales import orders as sales_orders
from credo.sales.models import Product
from tests.complaints.test_services import take

pytestmark = pytest.mark.django_db
JUNE = AnalysisFilter(date_from=datetime.date(2026, 6, 1), date_to=datetime.date(2026, 6, 30))


@pytest.mark.parametrize("complaints, orders, rate", [(0, 0, None), (1, 0, None), (3, 200, D("1.50")),
                                                       (2, 3, D("66.67"))])
def test_rate_per_hundred_orders(complaints, orders, rate):
    assert rules.per_hundred_orders(complaints, orders) == rate


def test_shares_medians_and_months():
    assert rules.share(1, 3) == D("0.3333") and rules.share(1, 0) is None
    assert rules.median([D(3), D(1), D(2)]) == D(2) and rules.median([D(1), D(2)]) == D("1.50")
    assert rules.median([]) is None and rules.average([D(1), D(2)]) == D("1.50")
    assert rules.month_keys(datetime.date(2026, 11, 15), datetime.date(2027, 2, 1)) == [
        "2026-11", "2026-12", "2027-01", "2027-02"]


@pytest.fixture
def june(world, monday):
    """Monday 2026-06-15 10:00: E001 complains twice (the second a repeat), N001 once; E001 placed two orders,
    N001 four; E001's first complaint went through step 1 in an hour and step 2 over lunch."""
    product = Product.objects.create(code="V-1", name="阀门", list_price=D("10.00"), cost=D("5.00"))
    for customer, count in ((world.east_customer, 2), (world.north_customer, 4)):
        for n in range(count):
            sales_orders.create_order(world.admin, customer, number=f"SO-{customer.code}-{n}",
                                      order_date=datetime.date(2026, 6, 2 + n), lines=[(product, D("1"), D("10"))])
    first = take(world, product=product.pk)
    monday.advance(hours=1)                                       # 11:00
    services.close_step(world.service, first, 1, "听完了")
    monday.advance(hours=3)                                       # 14:00: 12:00–13:30 is lunch
    services.close_step(world.service, first, 2, "密封圈老化", cause="material", department="质量部")
    take(world, product=product.pk)                               # same customer, same product: a repeat
    take(world, customer=world.north_customer, category="delivery", severity="normal")
    return world


def test_by_dimension_and_scope(june):
    by_category = report.by_dimension(june.admin, JUNE, "category")
    assert [(r["key"], r["complaints"]) for r in by_category.rows] == [("quality", 2), ("delivery", 1)]
    assert by_category.totals["complaints"] == 3 and by_category.rows[0]["repeats"] == 1
    by_cause = {r["key"]: r["complaints"] for r in report.by_dimension(june.admin, JUNE, "cause").rows}
    assert by_cause == {"material": 1, "": 2}
    mine = report.by_dimension(june.sales_east, JUNE, "customer")
    assert [r["complaints"] for r in mine.rows] == [2] and "E001" in mine.rows[0]["name"]
    north = AnalysisFilter(date_from=JUNE.date_from, date_to=JUNE.date_to, manager=june.sales_north.pk)
    assert report.by_dimension(june.admin, north, "category").totals["complaints"] == 1
    july = AnalysisFilter(date_from=datetime.date(2026, 7, 1), date_to=datetime.date(2026, 7, 31))
    assert report.summary(june.admin, july)["received"] == 0


def test_time_per_step_in_business_hours(june):
    steps = {r["key"]: r for r in report.step_times(june.admin, JUNE).rows}
    assert steps[1]["closed"] == 1 and steps[1]["average"] == D("1.00")
    assert steps[2]["average"] == D("1.50")                       # 11:00–12:00 and 13:30–14:00
    assert steps[3]["closed"] == 0 and steps[3]["average"] is None


def test_compliance_repeats_and_rates(june):
    compliance = {r["key"]: r for r in report.compliance(june.admin, JUNE).rows}
    assert compliance["first_response"]["finished"] == 1 and compliance["resolution"]["running"] == 3
    repeats = report.repeats(june.admin, JUNE)
    assert [(r["complaints"], r["repeats"]) for r in repeats.rows] == [(2, 1)]
    by_customer = {r["name"][:4]: r["rate"] for r in report.rates(june.admin, JUNE, "customer").rows}
    assert by_customer == {"E001": D("100.00"), "N001": D("25.00")}
    month = report.rates(june.admin, JUNE, "month")
    assert [(r["key"], r["complaints"], r["orders"]) for r in month.rows] == [("2026-06", 3, 6)]
    assert month.totals["rate"] == D("50.00")
    assert report.rates(june.admin, JUNE, "product").rows[0]["rate"] == D("33.33")   # 2 on the 6 orders of it


def test_page_export_and_api(client, june):
    client.force_login(june.sales_east)
    assert client.get("/complaints/report/").status_code == 403          # salespeople have the queue, not this
    client.force_login(june.manager_east)
    page = client.get("/complaints/report/?date_from=2026-06-01&date_to=2026-06-30&by=cause&rate=customer")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-section="by_cause"' in html and 'data-section="rate_customer"' in html
    assert 'data-testid="received">2<' in html                          # the east manager's scope: E001 only
    assert client.get("/complaints/report/?date_from=nonsense").status_code == 400
    workbook = client.get("/complaints/report/?date_from=2026-06-01&date_to=2026-06-30&export=xlsx")
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    sheets = zipfile.ZipFile(io.BytesIO(b"".join(workbook.streaming_content))).read("xl/workbook.xml").decode()
    assert sheets.count("<sheet ") == 6                              # with the open improvement actions
    client.force_login(june.admin)
    api = client.get("/api/complaints/report?date_from=2026-06-01&date_to=2026-06-30&by=severity")
    body = api.json()
    assert api.status_code == 200 and body["summary"]["received"] == 3 and body["summary"]["rate"] == "50.0000"
    assert [s["report"] for s in body["sections"]] == ["by_severity", "step_times", "compliance", "repeats",
                                                        "rate_month", "open_actions"]
    bad = client.get("/api/complaints/report?by=weather&date_from=2026-07-01&date_to=2026-06-01")
    assert bad.status_code == 422 and "by" in bad.content.decode() and "date_from" in bad.content.decode()
