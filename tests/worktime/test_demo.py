"""The demo's holidays: the State Council's 2026 schedule and an estimate of 2027, loaded once."""

import datetime

import pytest
from django.core.management import call_command

from credo.worktime import queries
from credo.worktime.models import Holiday, MakeUpDay

pytestmark = pytest.mark.django_db


def test_demo_loads_the_2026_schedule_and_an_estimate_of_2027():
    call_command("demo", customers=0, verbosity=0)
    assert Holiday.objects.filter(date__year=2026).count() == 33
    assert list(MakeUpDay.objects.filter(date__year=2026).values_list("date", flat=True)) == [
        datetime.date(2026, 1, 4), datetime.date(2026, 2, 14), datetime.date(2026, 2, 28), datetime.date(2026, 5, 9),
        datetime.date(2026, 9, 20), datetime.date(2026, 10, 10)]
    assert all("演示估计" in h.name for h in Holiday.objects.filter(date__year=2027))
    calendar = queries.company_calendar()
    assert calendar.year_counts(2026)["working_days"] == 248
    before = (Holiday.objects.count(), MakeUpDay.objects.count())
    call_command("demo", customers=0, verbosity=0)
    assert (Holiday.objects.count(), MakeUpDay.objects.count()) == before
