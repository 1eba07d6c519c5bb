"""The default working hours: Monday to Friday 09:00–12:00 and 13:30–18:00, valid from 2000-01-01 (and so for
every date). No holidays: each year's public holidays are added as the State Council announces them."""

import datetime
import uuid

from django.db import migrations


def seed(apps, schema_editor):
    from credo.worktime.rules import DEFAULT_WEEK

    WorkWeek = apps.get_model("worktime", "WorkWeek")
    WorkingInterval = apps.get_model("worktime", "WorkingInterval")
    CalendarStamp = apps.get_model("worktime", "CalendarStamp")
    if not WorkWeek.objects.exists():
        week = WorkWeek.objects.create(valid_from=datetime.date(2000, 1, 1), note="默认工作时间 default hours",
                                       created_by="system")
        WorkingInterval.objects.bulk_create([
            WorkingInterval(week=week, weekday=weekday, start=datetime.time.fromisoformat(start),
                            end=datetime.time.fromisoformat(end))
            for weekday, intervals in DEFAULT_WEEK.items() for start, end in intervals])
    CalendarStamp.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


def unseed(apps, schema_editor):
    apps.get_model("worktime", "WorkWeek").objects.filter(created_by="system").delete()


class Migration(migrations.Migration):
    dependencies = [("worktime", "0001_calendar")]
    operations = [migrations.RunPython(seed, unseed)]
