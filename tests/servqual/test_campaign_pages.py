"""Campaign pages and the public answer page: a phone-size form through the test client (Chinese by default),
the used, expired and unknown link pages, the CSV of links, staff entry, results and their workbook."""

import csv
import io

import pytest

from credo.servqual import campaign_services as services
from credo.servqual.models import Campaign, Response, SurveyLink

from .campaign_helpers import campaign, contacts, tokens

pytestmark = pytest.mark.django_db


def test_a_contact_answers_on_the_public_page_once(client, world):
    people = contacts(world)
    made = campaign(world)
    token = tokens(services.distribute(world.service, made))[people["east_a"].pk]
    page = client.get(f"/s/{token}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'lang="zh-CN"' in html and "服务质量调查" in html
    assert 'name="viewport"' in html and html.count('type="radio"') == 22 * 2 * 7
    answered = client.post(f"/s/{token}/", {"e_T1": "6", "p_T1": "4", "e_R2": "7", "p_R2": "7", "e_E1": "5"})
    assert answered.status_code == 302
    assert "感谢" in client.get(f"/s/{token}/").content.decode() or "谢谢" in client.get(f"/s/{token}/").content.decode()
    response = Response.objects.get()
    assert sorted(response.scores.values_list("item__key", "expectation", "perception")) == [
        ("E1", 5, None), ("R2", 7, 7), ("T1", 6, 4)]
    other = client.__class__()
    used = other.get(f"/s/{token}/")
    assert used.status_code == 410 and 'data-reason="used"' in used.content.decode()
    again = other.post(f"/s/{token}/", {"e_T1": "1", "p_T1": "1"})
    assert again.status_code == 410 and Response.objects.count() == 1


def test_an_empty_or_bad_answer_is_shown_again(client, world):
    people = contacts(world)
    token = tokens(services.distribute(world.service, campaign(world)))[people["north"].pk]
    assert client.post(f"/s/{token}/", {}).status_code == 400
    assert client.post(f"/s/{token}/", {"e_T1": "9"}).status_code == 400
    assert not Response.objects.exists() and SurveyLink.objects.get(contact=people["north"]).used_at is None


def test_expired_and_unknown_links_have_pages_of_their_own(client, world, clock):
    clock.set("2026-05-04T09:00+08:00")
    people = contacts(world)
    token = tokens(services.distribute(world.service, campaign(world, days=2)))[people["north"].pk]
    clock.set("2026-05-07T09:00+08:00")
    page = client.get(f"/s/{token}/")
    assert page.status_code == 410 and 'data-reason="expired"' in page.content.decode()
    assert "已过期" in page.content.decode()
    unknown = client.get("/s/abcdef/")
    assert unknown.status_code == 404 and 'data-reason="unknown"' in unknown.content.decode()


def test_the_manager_makes_links_as_csv_and_sees_their_state(client, world, settings):
    settings.CREDO_BASE_URL = "https://credo.example.com"
    contacts(world)
    made = campaign(world)
    client.force_login(world.service)
    download = client.post(f"/servqual/campaigns/{made.pk}/distribute/", {"send-territory": world.territory.pk})
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert len(rows) == 3 and rows[1][0] == "E001" and rows[1][5].startswith("https://credo.example.com/s/")
    token = rows[1][5].rstrip("/").rsplit("/", 1)[1]
    services.answer_by_token(token, {"T1": (5, 5)})
    page = client.get(f"/servqual/campaigns/{made.pk}/").content.decode()
    assert page.count('data-state="answered"') == 1 and page.count('data-state="sent"') == 1


def test_staff_enter_a_phone_answer_on_the_campaign_page(client, world):
    made = campaign(world)
    client.force_login(world.service)
    posted = client.post(f"/servqual/campaigns/{made.pk}/enter/", {"entry-customer": "N001", "entry-channel": "phone",
                                                                   "entry-e_T1": "4", "entry-p_T1": "6"})
    assert posted.status_code == 302
    assert Response.objects.get().channel == "phone"
    bad = client.post(f"/servqual/campaigns/{made.pk}/enter/", {"entry-customer": "NOPE", "entry-channel": "paper",
                                                                "entry-e_T1": "4"})
    assert bad.status_code == 400 and Response.objects.count() == 1


def test_pages_for_the_workflow_and_results(client, world):
    client.force_login(world.service)
    created = client.post("/servqual/campaigns/", {"name": "页面调查", "period_start": "2026-04-01",
                                                   "period_end": "2026-04-30", "link_days": "10"})
    made = Campaign.objects.get()
    assert created.status_code == 302 and made.link_days == 10
    client.post(f"/servqual/campaigns/{made.pk}/status/", {"to": "open"})
    made.refresh_from_db()
    assert made.status == "open"
    services.enter_answer(world.service, made, customer=world.east_customer, scores={"T1": (6, 3)})
    page = client.get(f"/servqual/campaigns/{made.pk}/results/")
    html = page.content.decode()
    assert page.status_code == 200 and "report-chart" in html and "-3.0000" in html
    workbook = client.get(f"/servqual/campaigns/{made.pk}/results/?export=xlsx")
    assert workbook.status_code == 200 and workbook["Content-Disposition"].endswith('.xlsx"')
    client.force_login(world.sales_east)
    assert client.post("/servqual/campaigns/", {"name": "x"}).status_code == 200   # no form for a salesperson
    assert Campaign.objects.count() == 1
