"""The campaign API: every action, 422 naming the field, 403 without the permission, 404 out of scope."""

import pytest

from credo.servqual.models import Campaign, Response

from .campaign_helpers import contacts

pytestmark = pytest.mark.django_db
BASE = "/api/servqual/campaigns"


def _client(client, user):
    client.force_login(user)
    return client


def test_the_whole_campaign_through_the_api(client, world, settings):
    settings.CREDO_BASE_URL = "https://credo.example.com"
    people = contacts(world)
    api = _client(client, world.service)
    made = api.post(BASE, {"name": "Q2", "period_start": "2026-04-01", "period_end": "2026-06-30"},
                    content_type="application/json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert api.patch(f"{BASE}/{pk}", {"link_days": 7}, content_type="application/json").json()["link_days"] == 7
    assert api.post(f"{BASE}/{pk}/status", {"to": "open"}, content_type="application/json").json()["status"] == "open"
    issued = api.post(f"{BASE}/{pk}/distribute", {"customer": world.east_customer.pk},
                      content_type="application/json").json()
    assert sorted(r["contact_id"] for r in issued) == sorted([people["east_a"].pk, people["east_b"].pk])
    assert all(r["url"].startswith("https://credo.example.com/s/") for r in issued)
    token = issued[0]["url"].rstrip("/").rsplit("/", 1)[1]
    assert client.get(f"/s/{token}/").status_code == 200
    entered = api.post(f"{BASE}/{pk}/answers", {"customer": world.north_customer.pk, "channel": "phone",
                                                "scores": {"T1": [5, 3], "R1": [None, 4]}},
                       content_type="application/json")
    assert entered.status_code == 201 and entered.json()["items"] == 2
    links = api.get(f"{BASE}/{pk}/links").json()
    assert {r["state"] for r in links} == {"sent"} and len(links) == 2
    sections = {s["report"]: s for s in api.get(f"{BASE}/{pk}/results").json()["sections"]}
    assert sections["summary"]["rows"][0]["value"] == "-2.0000"
    assert [r["key"] for r in sections["items"]["rows"]] == ["T1"]
    assert "customers" in sections
    assert api.get(BASE).json()[0]["id"] == pk


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "", "period_start": "2026-04-01", "period_end": "2026-06-30"}, "name"),
    ({"name": "x", "period_start": "2026-04-01", "period_end": "2026-03-30"}, "period_end"),
    ({"name": "x", "period_start": "bad", "period_end": "2026-03-30"}, "period_start"),
    ({"name": "x", "period_start": "2026-04-01", "period_end": "2026-06-30", "link_days": 999}, "link_days"),
])
def test_bad_bodies_are_422_naming_the_field(client, world, body, field):
    response = _client(client, world.service).post(BASE, body, content_type="application/json")
    assert response.status_code == 422
    assert field in [e["loc"][-1] for e in response.json()["detail"]]
    assert not Campaign.objects.exists()


def test_a_customer_out_of_scope_or_an_unknown_campaign_is_404_and_a_salesperson_403(client, world):
    api = _client(client, world.manager_east)
    pk = api.post(BASE, {"name": "Q2", "period_start": "2026-04-01", "period_end": "2026-06-30"},
                  content_type="application/json").json()["id"]
    api.post(f"{BASE}/{pk}/status", {"to": "open"}, content_type="application/json")
    body = {"customer": world.north_customer.pk, "scores": {"T1": [5, 5]}}
    assert api.post(f"{BASE}/{pk}/answers", body, content_type="application/json").status_code == 404
    assert api.get(f"{BASE}/99999/results").status_code == 404
    bad = api.post(f"{BASE}/{pk}/answers", {"customer": world.east_customer.pk, "scores": {"T1": [9, 5]}},
                   content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "scores"
    assert api.post(f"{BASE}/{pk}/status", {"to": "analysed"}, content_type="application/json").status_code == 422
    assert not Response.objects.exists()
    seller = _client(client, world.sales_east)
    assert seller.post(f"{BASE}/{pk}/status", {"to": "closed"}, content_type="application/json").status_code == 403
