"""The service-levels page and API: every role reads (scoped to its customers), the administrator saves a
version of the targets; bad input names the field and changes nothing; the scan on demand."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from credo.core.auth import create_token
from credo.core.models import AuditEntry
from credo.sla import registry, services
from credo.sla.models import Kind, SlaPolicy

pytestmark = pytest.mark.django_db
JSON = "application/json"
SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SH)


def api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {create_token(user, 'test')}"})


@pytest.fixture
def running(world, clock, monkeypatch):
    clock.set(at("2026-06-15 10:30"), tick=False)
    monkeypatch.setattr(registry, "_kinds", dict(registry._kinds))   # the real kinds come back after the test
    registry.register("complaint", describe=lambda ids: {i: f"TS-{i:06d}" for i in ids},
                      url=lambda i: f"/complaints/{i}/")
    east = services.start(Kind.COMPLAINT, 1, "step_4", customer_id=world.east_customer.pk, severity="critical",
                          owner=world.service, started_at=at("2026-06-15 09:00"))     # due 11:00, warned 10:30
    north = services.start(Kind.COMPLAINT, 2, "resolution", customer_id=world.north_customer.pk, severity="minor",
                           owner=world.service, started_at=at("2026-06-15 09:00"))
    late = services.start(Kind.COMPLAINT, 3, "step_1", customer_id=world.east_customer.pk, severity="critical",
                          owner=world.service, started_at=at("2026-06-12 09:00"))
    services.stop(Kind.COMPLAINT, 3, at=at("2026-06-12 14:00"))         # 1 h target, 3.5 h used: 2:30 over
    return world, east, north, late


@pytest.mark.parametrize("language, words", [
    ("zh-hans", ["服务水平", "达标率", "最先到期", "目标（工作小时）", "TS-000001"]),
    ("en", ["Service levels", "Compliance", "Due soonest", "Targets (business hours)", "TS-000001"]),
])
def test_the_page_in_both_languages(client, running, language, words):
    world = running[0]
    client.force_login(world.admin)
    client.cookies["django_language"] = language
    page = client.get("/sla/?kind=complaint").content.decode()
    for word in words:
        assert word in page, word
    assert 'id="policy-form"' in page
    assert 'data-severity="critical" data-class="A"' in page


def test_a_salesperson_sees_only_their_customers_clocks_and_no_editor(client, running):
    world = running[0]
    client.force_login(world.sales_east)
    page = client.get("/sla/").content.decode()
    assert "TS-000001" in page and "TS-000002" not in page
    assert 'id="policy-form"' not in page
    assert client.post("/sla/targets/", {"kind": "complaint", "warn_percent": "80"}).status_code == 403


def test_compliance_counts_the_late_stop(client, running):
    world = running[0]
    rows = {r["metric"]: r for r in api(world.service).get("/api/sla/compliance?kind=complaint&days=30").json()}
    assert rows["step_1"] == {**rows["step_1"], "closed": 1, "late": 1, "on_time": 0, "share": "0.0000"}
    assert rows["step_4"]["running"] == 1 and rows["step_4"]["closed"] == 0 and rows["step_4"]["share"] is None
    breaches = api(world.service).get("/api/sla/breaches?kind=complaint").json()
    assert [(b["clock"]["subject"], b["over"]) for b in breaches] == [("TS-000003", "2:30")]


def test_the_clocks_due_soonest_with_level_and_time_left(running):
    world = running[0]
    rows = api(world.service).get("/api/sla/clocks?kind=complaint").json()
    assert [(r["subject"], r["level"], r["left"]) for r in rows] == [
        ("TS-000001", "warning", "0:30"), ("TS-000002", "ok", "118:30")]
    assert [r["subject"] for r in api(world.sales_north).get("/api/sla/clocks").json()] == ["TS-000002"]
    assert api(world.service).get("/api/sla/clocks?mine=true").json()[0]["owner"] == "service"


def test_the_administrator_saves_a_version_on_the_page(client, running):
    world = running[0]
    client.force_login(world.admin)
    form = {"kind": "complaint", "warn_percent": "80", "valid_from": "2026-07-01", "note": "2026 下半年",
            "h_critical_any_first_response": "0.5", "h_critical_any_resolution": "20", "h_critical_A_resolution": "12"}
    response = client.post("/sla/targets/", form)
    assert response.status_code == 302
    policy = SlaPolicy.objects.get(kind="complaint", valid_from=datetime.date(2026, 7, 1))
    assert {(t.customer_class, t.metric, str(t.hours)) for t in policy.targets.all()} == {
        ("", "first_response", "0.50"), ("", "resolution", "20.00"), ("A", "resolution", "12.00")}
    assert policy.warn_percent == 80
    assert AuditEntry.objects.filter(action="sla.policy").count() == 1
    page = client.get(f"/sla/?kind=complaint&version={policy.pk}").content.decode()
    assert "2026 下半年" in page and "2026-07-01" in page


@pytest.mark.parametrize("form, message", [
    ({"h_critical_any_resolution": "abc"}, "is not a number"),
    ({"h_critical_any_resolution": "0"}, "must be more than 0"),
    ({}, "at least one target"),
    ({"h_critical_any_resolution": "4", "warn_percent": "100"}, "less than or equal to 99"),
])
def test_a_bad_form_says_what_is_wrong_and_saves_nothing(client, running, form, message):
    world = running[0]
    client.force_login(world.admin)
    client.cookies["django_language"] = "en"
    response = client.post("/sla/targets/", {"kind": "complaint", "warn_percent": "75", **form})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SlaPolicy.objects.exists()


def test_the_api_saves_and_lists_versions(running):
    world = running[0]
    admin = api(world.admin)
    body = {"kind": "ticket", "warn_percent": "70", "valid_from": "2026-07-01",
            "targets": [{"severity": "major", "metric": "first_response", "hours": "1.5"},
                        {"severity": "major", "customer_class": "A", "metric": "resolution", "hours": 12}]}
    response = admin.put("/api/sla/targets", body, content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json()["warn_percent"] == "70.0"
    assert api(world.service).put("/api/sla/targets", body, content_type=JSON).status_code == 403
    assert [v["valid_from"] for v in admin.get("/api/sla/versions?kind=ticket").json()] == ["2026-07-01"]
    today = admin.get("/api/sla/targets?kind=ticket").json()
    assert today["id"] is None and len(today["targets"]) == 8            # the defaults until 1 July
    july = admin.get("/api/sla/targets?kind=ticket&on=2026-07-02").json()
    assert {(t["customer_class"], t["metric"], t["hours"]) for t in july["targets"]} == {
        ("", "first_response", "1.50"), ("A", "resolution", "12.00")}


@pytest.mark.parametrize("body, field", [
    ({"kind": "bogus", "targets": [{"severity": "major", "metric": "resolution", "hours": 4}]}, "kind"),
    ({"kind": "ticket", "targets": [{"severity": "major", "metric": "step_2", "hours": 4}]}, "targets"),
    ({"kind": "ticket", "targets": [{"severity": "major", "metric": "resolution", "hours": "x"}]}, "targets"),
    ({"kind": "ticket", "warn_percent": "0", "targets": [{"severity": "major", "metric": "resolution", "hours": 4}]},
     "warn_percent"),
])
def test_bad_api_input_is_422_naming_the_field(running, body, field):
    response = api(running[0].admin).put("/api/sla/targets", body, content_type=JSON)
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == [field]
    assert not SlaPolicy.objects.exists()


def test_the_scan_on_demand(running):
    world = running[0]
    assert api(world.service).post("/api/sla/scan", {}, content_type=JSON).status_code == 403
    response = api(world.admin).post("/api/sla/scan", {"as_of": "2026-06-15 11:00"}, content_type=JSON)
    assert response.json() == {"as_of": "2026-06-15 11:00", "warned": 0, "breached": 1, "notifications": 2}
    bad = api(world.admin).post("/api/sla/scan", {"as_of": "soon"}, content_type=JSON)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "as_of"
    assert api(world.service).get("/api/sla/breaches?days=0").status_code == 422
