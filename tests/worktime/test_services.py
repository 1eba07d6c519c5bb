"""Writes of the business calendar: permissions, bad input naming the field (in the user's language), nothing
changed on a refusal, the audit trail with before and after, and the cached calendar following every change."""

import datetime

import pytest
from django.db import transaction
from django.utils import translation

from credo.core.errors import PermissionDenied, ValidationError
from credo.core.models import AuditEntry
from credo.worktime import queries, rules, services
from credo.worktime.models import Holiday, MakeUpDay, WorkingInterval, WorkWeek

from .conftest import at

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_default_hours_come_with_the_migration():
    week = WorkWeek.objects.get()
    assert week.valid_from == D(2000, 1, 1)
    assert services.week_texts(week) == {**{day: "09:00–12:00, 13:30–18:00" for day in rules.WEEKDAY_KEYS[:5]},
                                         "saturday": "", "sunday": ""}
    calendar = queries.company_calendar()
    assert calendar.add_business_time(at("2026-06-15 17:00"), rules.parse_hours("1.5")) == at("2026-06-16 09:30")
    assert not Holiday.objects.exists()


@pytest.mark.parametrize("who", ["executive", "sales_east", "credit", "finance", "service", "manager_east"])
def test_only_the_administrator_changes_the_calendar(world, who):
    user = getattr(world, who)
    for call in (lambda: services.add_holidays(user, [D(2026, 10, 1)]),
                 lambda: services.add_make_up_days(user, [D(2026, 10, 10)]),
                 lambda: services.set_week(user, {"monday": "09:00-17:00"}),
                 lambda: services.remove_holiday(user, D(2026, 10, 1))):
        with pytest.raises(PermissionDenied):
            call()
    assert not Holiday.objects.exists() and not MakeUpDay.objects.exists() and WorkWeek.objects.count() == 1


def test_adding_holidays_is_audited_and_idempotent(world):
    days = [D(2026, 10, 1), D(2026, 10, 2)]
    changed = services.add_holidays(world.admin, days, name="国庆节")
    assert changed.added == days and not changed.unchanged
    entry = AuditEntry.objects.filter(object_type="worktime.holiday", action="create").order_by("id").first()
    assert entry.after == {"date": "2026-10-01", "name": "国庆节"} and entry.username == "admin"
    again = services.add_holidays(world.admin, days + [D(2026, 10, 3)], name="")
    assert again.added == [D(2026, 10, 3)] and again.unchanged == days
    renamed = services.add_holidays(world.admin, [D(2026, 10, 3)], name="国庆节")
    assert renamed.renamed == [D(2026, 10, 3)]
    change = AuditEntry.objects.filter(object_type="worktime.holiday", action="update").get()
    assert (change.before, change.after) == ({"name": ""}, {"name": "国庆节"})
    assert Holiday.objects.count() == 3
    assert services.remove_holiday(world.admin, "2026-10-03") and not services.remove_holiday(world.admin, "2026-10-03")
    assert AuditEntry.objects.filter(object_type="worktime.holiday", action="delete").get().before["date"] == "2026-10-03"


def test_the_system_may_change_the_calendar():
    services.add_holidays(None, [D(2026, 1, 1)], name="元旦")
    assert AuditEntry.objects.get(object_type="worktime.holiday").username == "system"


@pytest.mark.parametrize("dates, field", [
    (["2026-02-30"], "date"), (["tomorrow"], "date"), ([D(1999, 12, 31)], "date"), ([], "date"),
])
def test_bad_dates_name_the_field(world, dates, field):
    with pytest.raises(ValidationError) as error:
        services.add_holidays(world.admin, dates)
    assert field in error.value.message_dict
    assert not Holiday.objects.exists()


def test_bad_names_are_refused(world):
    for name in ("x" * 51, "国庆\x00节"):
        with pytest.raises(ValidationError) as error:
            services.add_holidays(world.admin, [D(2026, 10, 1)], name=name)
        assert "name" in error.value.message_dict
    assert not Holiday.objects.exists()


def test_make_up_days_and_holidays_exclude_each_other(world):
    services.add_make_up_days(world.admin, [D(2026, 10, 10)], name="国庆节调休上班")
    with pytest.raises(ValidationError) as error:
        services.add_holidays(world.admin, [D(2026, 10, 9), D(2026, 10, 10)], name="国庆节")
    assert "2026-10-10" in error.value.message_dict["date"][0]
    assert not Holiday.objects.exists()                          # nothing changed, not even 9 October
    services.add_holidays(world.admin, [D(2026, 10, 1)])
    with pytest.raises(ValidationError) as error:
        services.add_make_up_days(world.admin, [D(2026, 10, 1)])
    assert "2026-10-01" in error.value.message_dict["date"][0]


def test_a_make_up_day_is_a_rest_day(world):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.add_make_up_days(world.admin, [D(2026, 10, 12)])    # a Monday
    assert "Monday" in error.value.message_dict["date"][0]
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as error:
            services.add_make_up_days(world.admin, [D(2026, 10, 12)])
    assert "星期一" in error.value.message_dict["date"][0]


def test_make_up_day_with_its_own_hours(world):
    services.add_make_up_days(world.admin, [D(2026, 9, 20)], name="国庆节调休上班", hours="09:00-12:00")
    row = MakeUpDay.objects.get()
    assert row.hours == [["09:00", "12:00"]]
    assert rules.day_text(queries.company_calendar().hours_on(D(2026, 9, 20))) == "09:00–12:00"
    with pytest.raises(ValidationError) as error:
        services.add_make_up_days(world.admin, [D(2026, 9, 20)], hours="12:00-09:00")
    assert list(error.value.message_dict) == ["hours"]
    changed = services.add_make_up_days(world.admin, [D(2026, 9, 20)], hours=[["13:00", "17:00"]])
    assert changed.renamed == [D(2026, 9, 20)] and MakeUpDay.objects.get().hours == [["13:00", "17:00"]]
    entry = AuditEntry.objects.filter(object_type="worktime.makeupday", action="update").get()
    assert entry.before == {"hours": [["09:00", "12:00"]]} and entry.after == {"hours": [["13:00", "17:00"]]}
    assert services.remove_make_up_day(world.admin, D(2026, 9, 20)) and not MakeUpDay.objects.exists()


def test_a_new_version_of_the_week_applies_from_its_date(world):
    summer = {day: "08:30-12:00, 13:00-17:00" for day in rules.WEEKDAY_KEYS[:5]}
    version = services.set_week(world.admin, summer, valid_from=D(2026, 7, 1), note="夏季作息")
    assert WorkWeek.objects.count() == 2 and version.intervals.count() == 10
    calendar = queries.company_calendar()
    assert calendar.add_business_time(at("2026-06-30 17:30"), rules.parse_hours(1)) == at("2026-07-01 09:00")
    assert rules.day_text(calendar.hours_on(D(2026, 6, 29))) == "09:00–12:00, 13:30–18:00"
    entry = AuditEntry.objects.get(object_type="worktime.workweek", action="create")
    assert entry.before["monday"] == "09:00–12:00, 13:30–18:00" and entry.after["monday"] == "08:30–12:00, 13:00–17:00"
    assert entry.after["valid_from"] == "2026-07-01" and entry.reason == "夏季作息"
    # The same date again replaces that version.
    services.set_week(world.admin, {**summer, "saturday": "09:00-12:00"}, valid_from="2026-07-01")
    assert WorkWeek.objects.count() == 2 and WorkWeek.objects.get(valid_from=D(2026, 7, 1)).intervals.count() == 11
    update = AuditEntry.objects.get(object_type="worktime.workweek", action="update")
    assert update.before["saturday"] == "" and update.after["saturday"] == "09:00–12:00"
    assert services.remove_week(world.admin, D(2026, 7, 1)) and WorkWeek.objects.count() == 1
    with pytest.raises(ValidationError) as error:
        services.remove_week(world.admin, D(2000, 1, 1))
    assert "valid_from" in error.value.message_dict


def test_the_week_defaults_to_today(world, clock):
    clock.set(datetime.date(2026, 6, 15))
    assert services.set_week(world.admin, {"monday": "09:00-17:00"}).valid_from == D(2026, 6, 15)


@pytest.mark.parametrize("days, field, words", [
    ({"monday": "09:00-12:00, 11:00-13:00"}, "monday", "overlap"),
    ({"tuesday": "18:00-09:00"}, "tuesday", "after the start"),
    ({"friday": "9 to 5"}, "friday", "09:00-12:00"),
    ({"sunday": "09:00-25:00"}, "sunday", "HH:MM"),
    ({"monday": "09:00-24:00"}, "monday", "HH:MM"),
    ({"monday": "", "tuesday": ""}, "week", "at least one day"),
    ({"funday": "09:00-12:00"}, "funday", "weekday"),
])
def test_bad_hours_name_the_weekday(world, days, field, words):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.set_week(world.admin, days, valid_from=D(2026, 7, 1))
    assert field in error.value.message_dict and words in " ".join(error.value.message_dict[field])
    assert WorkWeek.objects.count() == 1 and WorkingInterval.objects.count() == 10


def test_bad_hours_are_explained_in_chinese(world):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        services.set_week(world.admin, {"monday": "09:00-12:00, 11:00-13:00", "tuesday": "18:00-09:00"})
    assert "重叠" in error.value.message_dict["monday"][0]
    assert "结束时间" in error.value.message_dict["tuesday"][0]


def test_the_cached_calendar_follows_every_change(world):
    first = queries.company_calendar()
    assert queries.company_calendar() is first                          # unchanged: the same object
    services.add_holidays(world.admin, [D(2026, 6, 15)])
    second = queries.company_calendar()
    assert second is not first and not second.is_working_day(D(2026, 6, 15))
    Holiday.objects.filter(date=D(2026, 6, 15)).delete()               # outside the services (admin, shell)
    assert queries.company_calendar().is_working_day(D(2026, 6, 15))
    Holiday.objects.create(date=D(2026, 6, 16), name="公司假日")
    assert not queries.company_calendar().is_working_day(D(2026, 6, 16))


def test_a_rolled_back_change_leaves_no_stale_calendar(world):
    before = queries.company_calendar()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.add_holidays(world.admin, [D(2026, 6, 17)])
        assert not queries.company_calendar().is_working_day(D(2026, 6, 17))
        raise RuntimeError
    after = queries.company_calendar()
    assert after.is_working_day(D(2026, 6, 17)) and after is not before


def test_what_if_names_its_fields():
    for start, hours, fields in [("2026-06-15 25:00", "1", {"from"}), ("2026-06-15 10:00", "-1", {"hours"}),
                                 ("", "x", {"from", "hours"})]:
        with pytest.raises(ValidationError) as error:
            queries.what_if(start, hours)
        assert set(error.value.message_dict) == fields
    working = queries.what_if("2026-06-15 17:00", "1.5")
    assert working.due == at("2026-06-16 09:30")


def test_company_calendar_on_a_date_uses_that_version(world):
    services.set_week(world.admin, {day: "08:00-16:00" for day in rules.WEEKDAY_KEYS[:5]}, valid_from=D(2026, 7, 1))
    june = queries.company_calendar(on=D(2026, 6, 1))
    assert rules.day_text(june.hours_on(D(2026, 7, 6))) == "09:00–12:00, 13:30–18:00"
    assert rules.day_text(queries.company_calendar().hours_on(D(2026, 7, 6))) == "08:00–16:00"
