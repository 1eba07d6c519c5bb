"""The admin: changes audited, overlapping intervals refused, the cached calendar reloaded."""

import datetime

import pytest

from credo.core.models import AuditEntry
from credo.worktime import queries
from credo.worktime.models import WorkWeek

pytestmark = pytest.mark.django_db


def _inline(week, rows):
    data = {"valid_from": week.valid_from.isoformat(), "note": week.note,
            "intervals-TOTAL_FORMS": str(len(rows)), "intervals-INITIAL_FORMS": str(week.intervals.count()),
            "intervals-MIN_NUM_FORMS": "0", "intervals-MAX_NUM_FORMS": "1000"}
    for i, (pk, weekday, start, end, delete) in enumerate(rows):
        data.update({f"intervals-{i}-id": str(pk or ""), f"intervals-{i}-week": str(week.pk),
                     f"intervals-{i}-weekday": str(weekday), f"intervals-{i}-start": start,
                     f"intervals-{i}-end": end})
        if delete:
            data[f"intervals-{i}-DELETE"] = "on"
    return data


def test_admin_changes_are_audited_and_checked(client, world):
    world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    week = WorkWeek.objects.get()
    url = f"/admin/worktime/workweek/{week.pk}/change/"
    assert client.get(url).status_code == 200
    rows = [(i.pk, i.weekday, i.start.strftime("%H:%M"), i.end.strftime("%H:%M"), False) for i in week.intervals.all()]
    overlapping = rows + [(None, 0, "11:00", "14:00", False)]
    response = client.post(url, _inline(week, overlapping))
    assert response.status_code == 200 and week.intervals.count() == 10                # refused, nothing saved
    calendar = queries.company_calendar()
    saturday = rows + [(None, 5, "09:00", "12:00", False)]
    assert client.post(url, _inline(week, saturday)).status_code == 302
    entry = AuditEntry.objects.get(object_type="worktime.workweek", action="update")
    assert entry.before["saturday"] == "" and entry.after["saturday"] == "09:00–12:00"
    assert queries.company_calendar() is not calendar
    assert queries.company_calendar().is_working_day(datetime.date(2026, 6, 20))
    response = client.post("/admin/worktime/holiday/add/", {"date": "2026-06-22", "name": "公司假日"})
    assert response.status_code == 302
    assert not queries.company_calendar().is_working_day(datetime.date(2026, 6, 22))
    assert AuditEntry.objects.filter(object_type="worktime.holiday", action="create").exists()
