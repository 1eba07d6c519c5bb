"""The calendar page: both languages, read-only for everyone but the administrator, forms with inline errors in
the user's language, the year's month grid, and the what-if (whole page or the htmx panel)."""

import re

import pytest

from credo.worktime import services
from credo.worktime.models import Holiday, MakeUpDay, WorkWeek

pytestmark = pytest.mark.django_db


@pytest.fixture
def national_day(world):
    services.add_holidays(world.admin, [f"2026-10-0{d}" for d in range(1, 8)], name="国庆节")
    services.add_make_up_days(world.admin, ["2026-09-20", "2026-10-10"], name="国庆节调休上班")
    return world


def errors(response) -> dict:
    page = response.content.decode()
    return dict(re.findall(r'class="invalid-feedback d-block" data-field="(\w+)">([^<]*)<', page))


@pytest.mark.parametrize("language, words", [
    ("zh-hans", ["工作日历", "每周工作时间", "国庆节", "试算：何时到期？", "2026年10月", "调休上班日"]),
    ("en", ["Business calendar", "Working hours per weekday", "国庆节", "What if: when is it due?", "October 2026",
            "Make-up working days in 2026"]),
])
def test_page_in_both_languages(client, national_day, language, words):
    client.force_login(national_day.admin)
    client.cookies["django_language"] = language
    page = client.get("/calendar/?year=2026").content.decode()
    for word in words:
        assert word in page, word
    assert 'data-date="2026-10-01" data-kind="holiday"' in page
    assert 'data-date="2026-10-10" data-kind="makeup"' in page
    assert 'data-date="2026-10-12" data-kind="work"' in page and 'data-date="2026-10-11" data-kind="rest"' in page
    assert 'id="holiday-form"' in page and 'id="week-form"' in page


def test_others_see_it_read_only_and_not_in_the_menu(client, national_day):
    client.force_login(national_day.sales_east)
    page = client.get("/calendar/?year=2026").content.decode()
    assert "国庆节" in page and 'id="holiday-form"' not in page and 'id="week-form"' not in page
    assert 'action="/calendar/holidays/2026-10-01/delete/"' not in page
    assert 'href="/calendar/"' not in page                                  # the menu is the administrator's
    assert client.post("/calendar/holidays/", {"date": "2026-10-08"}).status_code == 403
    assert client.post("/calendar/holidays/2026-10-01/delete/").status_code == 403
    assert Holiday.objects.count() == 7
    client.force_login(national_day.admin)
    assert 'href="/calendar/"' in client.get("/").content.decode()


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get("/calendar/").status_code == 302


def test_adding_a_run_of_holidays_and_removing_it(client, world):
    client.force_login(world.admin)
    response = client.post("/calendar/holidays/", {"date": "2027-02-05", "until": "2027-02-13", "name": "春节"})
    assert response.status_code == 302 and response.url.startswith("/calendar/?year=2027")
    assert Holiday.objects.filter(name="春节").count() == 9
    page = client.get("/calendar/?year=2027").content.decode()
    assert page.count('action="/calendar/holidays/2027-02-05/delete/"') == 1          # one row for the run
    client.post("/calendar/holidays/2027-02-05/delete/", {"until": "2027-02-13"})
    assert not Holiday.objects.exists()


def test_form_errors_are_inline_and_in_the_users_language(client, national_day):
    client.force_login(national_day.admin)
    response = client.post("/calendar/holidays/", {"date": "2026-10-10", "name": "国庆节"})
    assert response.status_code == 400 and "调休上班日" in errors(response)["date"]
    client.cookies["django_language"] = "en"
    response = client.post("/calendar/workdays/", {"date": "2026-10-12"})
    assert response.status_code == 400 and "a working day already" in errors(response)["date"]
    response = client.post("/calendar/week/", {"monday": "09:00-12:00, 11:00-13:00", "tuesday": "18:00-09:00",
                                               "valid_from": "2026-07-01"})
    assert response.status_code == 400
    assert set(errors(response)) == {"monday", "tuesday"} and "overlap" in errors(response)["monday"]
    assert 'value="09:00-12:00, 11:00-13:00"' in response.content.decode()          # kept as typed
    assert WorkWeek.objects.count() == 1 and MakeUpDay.objects.count() == 2


def test_saving_the_week_and_a_make_up_day_with_own_hours(client, world):
    client.force_login(world.admin)
    days = {day: "08:30-12:00, 13:00-17:00" for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}
    response = client.post("/calendar/week/", {**days, "valid_from": "2026-07-01", "note": "夏季作息"})
    assert response.status_code == 302 and WorkWeek.objects.count() == 2
    assert client.post("/calendar/workdays/", {"date": "2026-07-04", "hours": "09:00-12:00"}).status_code == 302
    page = client.get("/calendar/?year=2026").content.decode()
    assert 'data-valid-from="2026-07-01"' in page and "夏季作息" in page
    assert "09:00–12:00" in page
    client.post("/calendar/workdays/2026-07-04/delete/")
    client.post("/calendar/week/2026-07-01/delete/")
    assert not MakeUpDay.objects.exists() and WorkWeek.objects.count() == 1


def test_what_if_shows_its_working(client, national_day):
    client.force_login(national_day.finance)
    page = client.get("/calendar/due/?start=2026-09-30T17:00&hours=2").content.decode()
    assert 'data-testid="due">2026-10-08 10:00<' in page and 'id="due-working"' in page
    assert "2026-10-01 国庆节" in page                                     # the holidays skipped
    panel = client.get("/calendar/due/?start=2026-09-30T17:00&hours=2", headers={"HX-Request": "true"})
    assert panel.status_code == 200 and panel.content.decode().startswith('<div id="due-result"')
    bad = client.get("/calendar/due/?start=2026-09-30T17:00&hours=-1", headers={"HX-Request": "true"})
    assert bad.status_code == 400 and 'data-field="hours"' in bad.content.decode()
    assert client.get("/calendar/due/?start=soon&hours=1").status_code == 400
