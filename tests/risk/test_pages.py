"""Risk pages: the watch list (scoped, filtered, worst first, export), the card's Risk tab with class and
policy, recording and clearing from the tab, the home panel and the navigation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credo.risk import scan, services
from credo.risk.models import RiskSignal

from .conftest import ago


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def signals(world):
    """East: two recorded signals (one a week old); north: one; the classes assigned by a scan."""
    scan.run_scan()
    services.record_signal(world.credit, world.east_customer, kind="lawsuits", evidence="被供应商起诉",
                           detected_on=ago(1))
    services.record_signal(world.credit, world.east_customer, kind="office_moved", evidence="搬到郊区仓库",
                           detected_on=ago(7))
    services.record_signal(world.credit, world.north_customer, kind="not_answering", evidence="一周不接电话",
                           detected_on=ago(3))
    RiskSignal.objects.create(customer=world.north_customer, kind="bounced_cheques", source="computed",
                              detected_on=ago(400), status="cleared", cleared_on=ago(300))


def test_watch_list_worst_first_for_the_credit_controller(client, world, signals):
    client.force_login(world.credit)
    page = client.get("/risk/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("E001") < html.index("N001")  # two signals before one
    assert 'data-kind="lawsuits"' in html and 'data-kind="bounced_cheques"' not in html  # cleared: not listed
    assert 'data-risk-class="CA5"' in html
    assert [r.customer.code for r in page.context["rows"]] == ["E001", "N001"]


def test_watch_list_is_scoped(client, world, signals):
    client.force_login(world.sales_east)
    rows = client.get("/risk/").context["rows"]
    assert [r.customer.code for r in rows] == ["E001"]
    client.force_login(world.sales_east2)
    assert client.get("/risk/").context["rows"] == []
    client.force_login(world.manager_north)
    assert [r.customer.code for r in client.get("/risk/").context["rows"]] == ["N001"]
    client.force_login(world.service)
    assert client.get("/risk/").status_code == 403


def test_watch_list_filters_and_export(client, world, signals):
    client.force_login(world.credit)
    assert [r.customer.code for r in client.get("/risk/?kind=not_answering").context["rows"]] == ["N001"]
    assert [r.customer.code for r in client.get(f"/risk/?territory={world.territory.pk}").context["rows"]] == ["E001"]
    assert [r.customer.code for r in client.get(f"/risk/?manager={world.sales_north.pk}").context["rows"]] == ["N001"]
    assert client.get("/risk/?risk_class=CA1").context["rows"] == []
    assert len(client.get("/risk/?risk_class=ca5").context["rows"]) == 2
    assert client.get("/risk/?q=nobody").context["rows"] == []
    export = client.get("/risk/?export=csv&kind=lawsuits")
    assert export["Content-Type"].startswith("text/csv")
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "E001" in text and "N001" not in text


def test_risk_tab_shows_class_policy_and_signals(client, world, signals):
    client.force_login(world.sales_east)
    page = client.get(f"/customers/{world.east_customer.pk}/?tab=risk")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-tab="risk"' in html and "交易以现金进行" in html  # the CA5 policy
    assert "被供应商起诉" in html and "搬到郊区仓库" in html and 'id="record-signal"' in html
    tabs = [code for code, _label in page.context["tabs"]]
    assert tabs.index("risk") == tabs.index("credit_file") + 1
    client.force_login(world.executive)  # may see, may not record
    html = client.get(f"/customers/{world.east_customer.pk}/?tab=risk").content.decode()
    assert "被供应商起诉" in html and 'id="record-signal"' not in html and "clear-signal" not in html
    client.force_login(world.service)  # no risk.view: no tab
    page = client.get(f"/customers/{world.east_customer.pk}/?tab=risk")
    assert "risk" not in [code for code, _label in page.context["tabs"]]


def test_record_from_the_tab_and_errors_keep_the_input(client, world):
    client.force_login(world.sales_east)
    url = f"/risk/customers/{world.east_customer.pk}/record/"
    bad = client.post(url, {"kind": "lawsuits", "detected_on": ago(-3).isoformat(), "evidence": "法院传票"})
    assert bad.status_code == 200 and "法院传票" in bad.content.decode()
    assert "detected_on" in bad.context["form"].errors and not RiskSignal.objects.exists()
    ok = client.post(url, {"kind": "lawsuits", "detected_on": ago(1).isoformat(), "evidence": "法院传票",
                           "file": SimpleUploadedFile("传票.jpg", b"jpeg", content_type="image/jpeg")})
    assert ok.status_code == 302 and ok["Location"].endswith("?tab=risk")
    signal = RiskSignal.objects.get()
    assert client.get(f"/risk/signals/{signal.pk}/file/").status_code == 200
    client.force_login(world.sales_north)
    assert client.get(f"/risk/signals/{signal.pk}/file/").status_code == 404
    assert client.post(url, {"kind": "lawsuits", "detected_on": ago(1).isoformat(),
                             "evidence": "x"}).status_code == 404
    client.force_login(world.executive)
    assert client.post(url, {"kind": "lawsuits", "detected_on": ago(1).isoformat(),
                             "evidence": "x"}).status_code == 403


def test_clear_and_check_from_the_tab(client, world, signals):
    signal = RiskSignal.objects.get(kind="lawsuits")
    client.force_login(world.sales_north)
    assert client.post(f"/risk/signals/{signal.pk}/clear/", {"note": "撤诉"}).status_code == 404
    client.force_login(world.sales_east)
    response = client.post(f"/risk/signals/{signal.pk}/clear/", {"note": ""}, follow=True)
    assert RiskSignal.objects.get(pk=signal.pk).status == "active" and response.status_code == 200
    client.post(f"/risk/signals/{signal.pk}/clear/", {"note": "已撤诉"})
    assert RiskSignal.objects.get(pk=signal.pk).status == "cleared"
    checked = client.post(f"/risk/customers/{world.east_customer.pk}/check/", follow=True)
    assert "CA5" in checked.content.decode()


def test_home_panel_for_own_customers_and_credit_controllers(client, world, signals):
    client.force_login(world.sales_east)
    html = client.get("/").content.decode()
    assert 'data-testid="new-risk-signals-panel"' in html and "被供应商起诉" in html and "一周不接电话" not in html
    client.force_login(world.credit)
    html = client.get("/").content.decode()
    assert "被供应商起诉" in html and "一周不接电话" in html
    client.force_login(world.sales_east2)
    assert 'data-testid="new-risk-signals-panel"' not in client.get("/").content.decode()


def test_navigation_has_the_watch_list_under_credit(client, world):
    from django.utils.translation import gettext

    from credo.core.context import NAVIGATION

    credit = [items for title, items in NAVIGATION if str(title) == gettext("Credit")]
    assert len(credit) == 1 and [i[1] for i in credit[0]].count("risk:watchlist") == 1
    client.force_login(world.sales_east)
    assert 'href="/risk/"' in client.get("/").content.decode()
    client.force_login(world.service)
    assert 'href="/risk/"' not in client.get("/").content.decode()


def test_tab_shows_the_investigations_warning_signs(client, world, monkeypatch):
    import sys
    import types

    import credo.rating

    question = types.SimpleNamespace(text_zh="是否发生过银行退票？", text_en="Has a cheque been refused by the bank?")
    fake = types.SimpleNamespace(checklist_warnings=lambda cid: [types.SimpleNamespace(question=question,
                                                                                       note="2026年3月一次")])
    monkeypatch.setattr(credo.rating, "queries", fake, raising=False)
    monkeypatch.setitem(sys.modules, "credo.rating.queries", fake)
    client.force_login(world.credit)
    html = client.get(f"/customers/{world.east_customer.pk}/?tab=risk").content.decode()
    assert 'id="investigation-warnings"' in html and "是否发生过银行退票" in html and "2026年3月一次" in html
