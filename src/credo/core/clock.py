"""The one place Credo reads the time of day.

Business dates are dates in the company's time zone (settings.TIME_ZONE, default Asia/Shanghai): an
invoice posted at 00:30 in Shanghai belongs to that Shanghai day although it is still yesterday in UTC.
Every "today" in the code comes from `business_today()`, so that tests (and a demo) can fix the clock
in one place: the test suite travels the whole process with time-machine (see tests/conftest.py and
CREDO_TEST_NOW in the README).
"""

import datetime

from django.utils import timezone


def business_now() -> datetime.datetime:
    """Now, aware, in the company's time zone."""
    return timezone.localtime()


def business_today() -> datetime.date:
    """Today's business date in the company's time zone."""
    return timezone.localdate()


def day_bounds(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The instants that bound business days `first` … `last`: the first's midnight and the midnight after the
    last (exclusive), in the company's time zone, for filtering timestamps by business date."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return start, end
