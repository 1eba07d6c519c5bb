"""credo sla due and credo calendar: the issue's JSON, exit status 2 naming the argument, idempotent adds."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from credo.cli import translate
from credo.core.models import AuditEntry
from credo.worktime.models import Holiday, MakeUpDay

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def refused(*args) -> str:
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 2
    return str(error.value)


@pytest.mark.parametrize("start, hours, due", [
    ("2026-06-15 10:00", "1.5", "2026-06-15 11:30"),
    ("2026-06-15 17:00", "1", "2026-06-15 18:00"),          # runs out at 18:00: due 18:00 that day
    ("2026-06-15 17:00", "1.5", "2026-06-16 09:30"),
    ("2026-06-15 12:15", "0.5", "2026-06-15 14:00"),        # a start in the lunch break
    ("2026-06-19 19:00", "0", "2026-06-22 09:00"),          # zero hours: the next working minute
    ("2026-06-15 10:00", "0.01", "2026-06-15 10:00:36"),    # not a whole minute: the seconds are kept
])
def test_sla_due_json(start, hours, due):
    assert json.loads(run("sla", "due", "--from", start, "--hours", hours, "--format", "json")) == {"due": due}


def test_sla_due_counts_holidays_and_make_up_days():
    run("calendar", "holiday", *[f"2026-10-0{d}" for d in range(1, 8)], "--name", "国庆节")
    run("calendar", "workday", "2026-10-10")
    assert json.loads(run("sla", "due", "--from", "2026-09-30 17:00", "--hours", "2", "--format", "json")) == {
        "due": "2026-10-08 10:00"}
    assert json.loads(run("sla", "due", "--from", "2026-10-09 17:30", "--hours", "8", "--format", "json")) == {
        "due": "2026-10-10 18:00"}                           # the make-up Saturday's close
    assert json.loads(run("sla", "due", "--from", "2026-10-09 17:30", "--hours", "8.5", "--format", "json")) == {
        "due": "2026-10-12 09:30"}


def test_sla_due_text_is_a_readable_line():
    assert run("sla", "due", "--from", "2026-06-20 10:00", "--hours", "2") == (
        "due 2026-06-22 11:00 (Monday): 2 business hours from 2026-06-20 10:00, counted from 2026-06-22 09:00")


@pytest.mark.parametrize("args, named", [
    (["--from", "2026-06-15 25:00", "--hours", "1"], "--from"),
    (["--from", "15/06/2026 10:00", "--hours", "1"], "--from"),
    (["--from", "2026-06-15 10:00", "--hours", "-1"], "--hours"),
    (["--from", "2026-06-15 10:00", "--hours", "abc"], "--hours"),
    (["--from", "2026-06-15 10:00", "--hours", "nan"], "--hours"),
    (["--from", "2026-06-15 10:00"], "--hours"),
    (["--hours", "1"], "--from"),
    (["--from", "2026-06-15 10:00", "--hours", "1", "--format", "xml"], "--format"),
])
def test_sla_due_bad_input_exits_2_naming_the_option(args, named):
    assert named in refused("sla", "due", *args)


def test_calendar_holiday_is_idempotent_and_audited():
    out = run("calendar", "holiday", "2026-10-01", "2026-10-02", "--name", "国庆节")
    assert out.startswith("holidays: added 2")
    again = json.loads(run("calendar", "holiday", "2026-10-02", "2026-10-03", "--format", "json"))
    assert again == {"added": ["2026-10-03"], "renamed": [], "unchanged": ["2026-10-02"]}
    assert Holiday.objects.count() == 3 and Holiday.objects.get(date=datetime.date(2026, 10, 3)).name == ""
    assert AuditEntry.objects.filter(object_type="worktime.holiday", username="system").count() == 3


@pytest.mark.parametrize("args, named", [
    (["holiday", "2026-10-01", "2026-02-30"], "'2026-02-30'"),
    (["holiday", "tomorrow"], "'tomorrow'"),
    (["holiday"], "DATE"),
    (["workday", "2026-10-12"], "2026-10-12"),              # a Monday: a working day already
    (["workday", "2026-10-10", "--hours", "18:00-09:00"], "--hours"),
    (["holiday", "2026-10-01", "--name", "x" * 51], "--name"),
    (["holiday", "2026-10-01", "--user", "nobody"], "--user"),
    (["show", "--year", "20x6"], "--year"),
    (["show", "--year", "1999"], "--year"),
])
def test_calendar_bad_input_exits_2_naming_the_argument(args, named):
    assert named in refused("calendar", *args)
    assert not Holiday.objects.exists() and not MakeUpDay.objects.exists()


def test_calendar_refuses_a_holiday_on_a_make_up_day():
    run("calendar", "workday", "2026-10-10", "--name", "国庆节调休上班")
    message = refused("calendar", "holiday", "2026-10-09", "2026-10-10")
    assert "DATE 2026-10-10" in message and not Holiday.objects.exists()


def test_calendar_user_needs_the_permission(world):
    assert "--user 'executive'" in refused("calendar", "holiday", "2026-10-01", "--user", "executive")
    run("calendar", "holiday", "2026-10-01", "--user", "admin")
    assert AuditEntry.objects.get(object_type="worktime.holiday").username == "admin"


def test_calendar_workday_remove_and_show():
    run("calendar", "workday", "2026-10-10", "--name", "国庆节调休上班")
    run("calendar", "workday", "2026-09-20", "--hours", "09:00-12:00")
    run("calendar", "holiday", "2026-10-01", "--name", "国庆节")
    shown = json.loads(run("calendar", "show", "--year", "2026", "--format", "json"))
    assert shown["holidays"] == [{"date": "2026-10-01", "name": "国庆节"}]
    assert shown["make_up_days"] == [
        {"date": "2026-09-20", "name": "", "hours": [["09:00", "12:00"]]},
        {"date": "2026-10-10", "name": "国庆节调休上班", "hours": [["09:00", "12:00"], ["13:30", "18:00"]]}]
    assert shown["week"]["monday"] == [["09:00", "12:00"], ["13:30", "18:00"]] and shown["week"]["sunday"] == []
    assert shown["working_days"] == 261 - 1 + 2
    text = run("calendar", "show", "--year", "2026")
    assert "2026-10-01 Thu 国庆节" in text and "Saturday   rest day" in text
    removed = json.loads(run("calendar", "remove", "2026-10-01", "2026-10-10", "2026-10-11", "--format", "json"))
    assert removed == {"holidays": ["2026-10-01"], "make_up_days": ["2026-10-10"], "not_found": ["2026-10-11"]}


def test_the_commands_need_no_mapping_in_the_entry_point():
    assert translate(["sla", "due", "--from", "2026-06-15 10:00", "--hours", "1"])[0] == "sla"
    assert translate(["calendar", "holiday", "2026-10-01"])[:2] == ["calendar", "holiday"]
