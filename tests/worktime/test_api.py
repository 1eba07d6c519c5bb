"""REST API of the business calendar: every role reads, the administrator writes; 401, 403, 404 and 422 naming
the field; the what-if with its working."""

import pytest
from django.test import Client

from credo.core.auth import create_token
from credo.worktime.models import Holiday, MakeUpDay, WorkWeek

pytestmark = pytest.mark.django_db
JSON = "application/json"


def api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {create_token(user, 'test')}"})


def test_every_call_needs_a_user():
    anonymous = Client()
    assert anonymous.get("/api/calendar/").status_code == 401
    assert anonymous.post("/api/calendar/holidays", {"date": "2026-10-01"}, content_type=JSON).status_code == 401
    assert anonymous.post("/api/calendar/due", {"from": "2026-06-15 10:00", "hours": 1},
                          content_type=JSON).status_code == 401
    assert anonymous.delete("/api/calendar/holidays/2026-10-01").status_code == 401


def test_every_role_reads_the_calendar(world):
    admin = api(world.admin)
    admin.post("/api/calendar/holidays", {"date": "2026-10-01", "name": "国庆节"}, content_type=JSON)
    admin.post("/api/calendar/workdays", {"date": "2026-10-10"}, content_type=JSON)
    body = api(world.sales_east).get("/api/calendar/?year=2026").json()
    assert body["zone"] == "Asia/Shanghai"
    assert body["week"]["monday"] == [["09:00", "12:00"], ["13:30", "18:00"]] and body["week"]["saturday"] == []
    assert body["holidays"] == [{"date": "2026-10-01", "name": "国庆节"}]
    assert body["make_up_days"] == [{"date": "2026-10-10", "name": "", "hours": [],
                                     "worked_hours": [["09:00", "12:00"], ["13:30", "18:00"]]}]
    assert body["year"] == {"year": 2026, "working_days": 261, "working_hours": "1,957.5", "holidays": 1,
                            "make_up_days": 1}
    assert api(world.sales_east).get("/api/calendar/?year=1800").status_code == 422


def test_only_the_administrator_writes(world):
    for user in (world.executive, world.sales_east, world.credit):
        client = api(user)
        assert client.post("/api/calendar/holidays", {"date": "2026-10-01"}, content_type=JSON).status_code == 403
        assert client.post("/api/calendar/workdays", {"date": "2026-10-10"}, content_type=JSON).status_code == 403
        assert client.put("/api/calendar/week", {"monday": "09:00-17:00"}, content_type=JSON).status_code == 403
    assert not Holiday.objects.exists() and not MakeUpDay.objects.exists() and WorkWeek.objects.count() == 1


def test_holidays_created_found_and_removed(world):
    admin = api(world.admin)
    response = admin.post("/api/calendar/holidays", {"date": "2026-10-01", "name": "国庆节"}, content_type=JSON)
    assert response.status_code == 201 and response.json() == {"date": "2026-10-01", "name": "国庆节"}
    assert admin.post("/api/calendar/holidays", {"date": "2026-10-01"}, content_type=JSON).status_code == 200
    assert admin.delete("/api/calendar/holidays/2026-10-01").status_code == 204
    assert admin.delete("/api/calendar/holidays/2026-10-01").status_code == 404
    assert api(world.executive).delete("/api/calendar/holidays/2026-10-01").status_code == 403


@pytest.mark.parametrize("path, payload, field", [
    ("/api/calendar/holidays", {"date": "2026-02-30"}, "date"),
    ("/api/calendar/holidays", {"date": "2026-10-01", "name": "x" * 51}, "name"),
    ("/api/calendar/workdays", {"date": "2026-10-12"}, "date"),                    # a Monday
    ("/api/calendar/workdays", {"date": "2026-10-10", "hours": "18:00-09:00"}, "hours"),
    ("/api/calendar/workdays", {"date": "2026-10-10", "hours": [["09:00"]]}, "hours"),
])
def test_bad_input_is_422_naming_the_field(world, path, payload, field):
    response = api(world.admin).post(path, payload, content_type=JSON)
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == [field]


def test_a_make_up_day_on_a_holiday_is_refused(world):
    admin = api(world.admin)
    admin.post("/api/calendar/holidays", {"date": "2026-10-03"}, content_type=JSON)
    response = admin.post("/api/calendar/workdays", {"date": "2026-10-03"}, content_type=JSON)
    assert response.status_code == 422 and "2026-10-03" in response.json()["detail"][0]["msg"]
    assert admin.delete("/api/calendar/workdays/2026-10-03").status_code == 404


def test_the_week_in_versions(world):
    admin = api(world.admin)
    payload = {"valid_from": "2026-07-01", "note": "夏季", "monday": [["08:30", "12:00"], ["13:00", "17:00"]],
               "tuesday": "08:30-12:00, 13:00-17:00"}
    response = admin.put("/api/calendar/week", payload, content_type=JSON)
    assert response.status_code == 200
    assert response.json()["monday"] == response.json()["tuesday"] == [["08:30", "12:00"], ["13:00", "17:00"]]
    assert response.json()["wednesday"] == []
    versions = admin.get("/api/calendar/").json()["versions"]
    assert [v["valid_from"] for v in versions] == ["2000-01-01", "2026-07-01"]
    bad = admin.put("/api/calendar/week", {"monday": "09:00-12:00, 11:00-13:00", "friday": "x"}, content_type=JSON)
    assert bad.status_code == 422 and {e["loc"][-1] for e in bad.json()["detail"]} == {"monday", "friday"}
    assert admin.delete("/api/calendar/week/2026-07-01").status_code == 204
    assert admin.delete("/api/calendar/week/2026-07-01").status_code == 404
    assert admin.delete("/api/calendar/week/2000-01-01").status_code == 422


def test_what_if_due_with_its_working(world):
    api(world.admin).post("/api/calendar/holidays", {"date": "2026-10-01"}, content_type=JSON)
    response = api(world.service).post("/api/calendar/due", {"from": "2026-09-30 17:00", "hours": "2"},
                                       content_type=JSON)
    assert response.status_code == 200
    body = response.json()
    assert body["due"] == "2026-10-02 10:00" and body["hours"] == "2" and body["segments_complete"]
    assert [(s["start"], s["end"], s["total"]) for s in body["segments"]] == [
        ("2026-09-30 17:00", "2026-09-30 18:00", "1:00"), ("2026-10-02 09:00", "2026-10-02 10:00", "2:00")]
    assert body["days_off"] == [{"date": "2026-10-01", "name": ""}]
    assert api(world.service).post("/api/calendar/due", {"from": "2026-06-15 17:00", "hours": 1.5},
                                   content_type=JSON).json()["due"] == "2026-06-16 09:30"


@pytest.mark.parametrize("payload, fields", [
    ({"from": "2026-06-15 25:00", "hours": 1}, {"from"}),
    ({"from": "2026-06-15 10:00", "hours": -1}, {"hours"}),
    ({"from": "2026-06-15 10:00", "hours": "1.5h"}, {"hours"}),
    ({"from": "x", "hours": "y"}, {"from", "hours"}),
    ({"hours": 1}, {"from"}),
])
def test_what_if_bad_input(world, payload, fields):
    response = api(world.service).post("/api/calendar/due", payload, content_type=JSON)
    assert response.status_code == 422
    assert {e["loc"][-1] for e in response.json()["detail"]} == fields


def test_the_operations_are_documented(world):
    schema = api(world.admin).get("/api/openapi.json").json()
    paths = schema["paths"]
    assert {"/api/calendar/", "/api/calendar/holidays", "/api/calendar/holidays/{date}", "/api/calendar/workdays",
            "/api/calendar/workdays/{date}", "/api/calendar/week", "/api/calendar/week/{valid_from}",
            "/api/calendar/due"} <= set(paths)
    assert "from" in schema["components"]["schemas"]["WorktimeDueIn"]["properties"]
