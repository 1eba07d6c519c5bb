"""The limit pages: the what-if calculator with its worked table, the card's "Credit limits" tab, proposing
from the card, a stored computation; permissions and scope."""

from decimal import Decimal as D

import pytest

from credo.limits import rules, services, views
from credo.limits.models import LimitComputation
from credo.rating.models import FinancialStatement

from .test_services import Q_START, day

SECTION_11 = {"current_assets": "5,000,000", "inventory": "1500000", "current_liabilities": "2500000",
              "total_liabilities": "4000000", "net_assets": "6000000", "grade": "A", "supplier_share": "40%"}


@pytest.fixture
def with_statement(world):
    FinancialStatement.objects.create(customer=world.east_customer, period_end=day(Q_START, -1),
                                      current_assets=D(5_000_000), inventory=D(1_500_000),
                                      current_liabilities=D(2_500_000), total_liabilities=D(4_000_000),
                                      net_assets=D(6_000_000))
    return world.east_customer


def test_calculator_shows_the_working_of_section_11(client, world):
    client.force_login(world.sales_east)
    empty = client.get("/limits/")
    assert empty.status_code == 200 and "Enter the figures and compute" in empty.text
    assert "v &gt; 1.7" in empty.text and "data-testid=\"no-tiers\"" in empty.text  # the tables in force
    page = client.get("/limits/", {"method": rules.WORKING_CAPITAL, "run": "1", **SECTION_11})
    html = page.text
    assert page.status_code == 200 and 'data-testid="credit-line">¥510,000.00' in html
    for shown in ("2.31667", "0.41667", "¥4,250,000.00", "¥1,062,500.00", "¥1,275,000.00", "4,250,000.00 × 25.0 %"):
        assert shown in html, shown
    assert 'class="limit-chart"' in html and "echarts.min.js" in html


def test_calculator_other_methods_and_errors_on_the_fields(client, world):
    client.force_login(world.credit)
    page = client.get("/limits/", {"method": rules.SALES_VOLUME, "run": "1", "quarter_orders": "900000",
                                   "credit_days": "30", "grade": "BB", "overdue_amount_days": "360000"})
    assert 'data-testid="credit-line">¥75,000.00' in page.text
    months = {f"month_{n}": str(70_000 - n * 10_000) for n in range(1, 7)}
    page = client.get("/limits/", {"method": rules.COLLECTIONS, "run": "1", **months})
    assert 'data-testid="credit-line">¥43,333.33' in page.text
    page = client.get("/limits/", {"method": rules.REVENUE_TIER, "run": "1", "revenue": "100"})
    assert 'data-testid="cannot-compute"' in page.text and "set up the revenue tiers first" in page.text
    bad = client.get("/limits/", {"method": rules.WORKING_CAPITAL, "run": "1", **SECTION_11, "inventory": "9000000",
                                  "net_assets": "x"})
    assert 'data-field="inventory"' in bad.text and 'data-field="net_assets"' in bad.text
    assert 'value="9000000"' in bad.text  # kept as typed
    assert "credit-line" not in bad.text


def test_calculator_needs_credit_view(client, world):
    client.force_login(world.service)
    assert client.get("/limits/").status_code == 403
    client.force_login(world.credit)
    nav = client.get("/")
    assert 'href="/limits/"' in nav.text


def test_card_tab_propose_and_the_working(client, world, with_statement):
    customer = with_statement
    client.force_login(world.credit)
    tab = client.get(f"/customers/{customer.pk}/", {"tab": "limits"})
    assert tab.status_code == 200 and "Compute now" in tab.text and "No computation yet" in tab.text
    response = client.post(f"/limits/customers/{customer.pk}/propose/", {"supplier_share": "0.4", "tables": "both"})
    assert response.status_code == 302 and response["Location"].endswith("?tab=limits")
    assert LimitComputation.objects.filter(customer=customer).count() == 4
    tab = client.get(f"/customers/{customer.pk}/", {"tab": "limits"})
    assert 'data-testid="proposal-working_capital">¥425,000.00' in tab.text  # NR: no grade correction
    assert "the financial statement" not in tab.text
    assert "no confirmed or invoiced orders" in tab.text  # sales volume says why
    computation = LimitComputation.objects.get(customer=customer, method=rules.WORKING_CAPITAL)
    page = client.get(f"/limits/computations/{computation.pk}/")
    assert page.status_code == 200 and "2.31667" in page.text and "¥425,000.00" in page.text


def test_apply_link_only_when_the_credit_app_provides_it(client, world, with_statement, monkeypatch):
    [computation] = services.propose_limits(world.credit, with_statement, only=(rules.WORKING_CAPITAL,))
    client.force_login(world.credit)
    assert views.apply_url(world.credit, computation) is None or "computation=" in views.apply_url(
        world.credit, computation)
    monkeypatch.setattr(views, "reverse", lambda name, args: f"/credit/customers/{args[0]}/limit/apply/")
    url = views.apply_url(world.credit, computation)
    assert url == f"/credit/customers/{with_statement.pk}/limit/apply/?amount=1062500.00&computation={computation.pk}"
    tab = client.get(f"/customers/{with_statement.pk}/", {"tab": "limits"})
    assert 'data-testid="apply-working_capital"' in tab.text and "amount=1062500.00" in tab.text
    assert views.apply_url(world.service, computation) is None


def test_pages_scope_and_permissions(client, world, with_statement):
    [computation] = services.propose_limits(world.credit, with_statement, only=(rules.WORKING_CAPITAL,))
    client.force_login(world.sales_east)  # sees the tab, may not compute
    tab = client.get(f"/customers/{with_statement.pk}/", {"tab": "limits"})
    assert tab.status_code == 200 and "¥1,062,500.00" in tab.text and "Compute now" not in tab.text
    assert client.post(f"/limits/customers/{with_statement.pk}/propose/", {}).status_code == 403
    client.force_login(world.manager_north)
    assert client.post(f"/limits/customers/{with_statement.pk}/propose/", {}).status_code == 404
    client.force_login(world.sales_north)
    assert client.get(f"/limits/computations/{computation.pk}/").status_code == 404
    client.force_login(world.service)
    tab = client.get(f"/customers/{with_statement.pk}/", {"tab": "limits"})
    assert "data-tab=\"limits\"" not in tab.text
    assert LimitComputation.objects.count() == 1


def test_bad_propose_input_stays_on_the_card_with_the_error_under_the_field(client, world, with_statement):
    client.force_login(world.credit)
    page = client.post(f"/limits/customers/{with_statement.pk}/propose/", {"supplier_share": "2", "tables": "both",
                                                                          "forecast_orders": "lots"})
    assert page.status_code == 200
    assert 'data-field="supplier_share"' in page.text and 'data-field="forecast_orders"' in page.text
    assert 'value="2"' in page.text and 'id="propose-limits" open' in page.text
    assert not LimitComputation.objects.exists()
