"""Today comes from one function, and the tests govern it."""

import datetime
import re
from pathlib import Path

from django.utils import timezone

from credo.core.clock import business_now, business_today
from tests.conftest import COMPANY_ZONE, SUITE_NOW

ROOT = Path(__file__).resolve().parents[2]
# localdate(x) / localtime(x) only convert a given instant; without an argument they read the clock.
READS_OF_TODAY = re.compile(r"\b(?:timezone\.localdate\(\)|timezone\.localtime\(\)|date\.today\(|datetime\.now\(|"
                            r"datetime\.today\()")


def _offenders(folder: Path, allowed: set[str]) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in allowed or "/migrations/" in rel:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if READS_OF_TODAY.search(line):
                found.append(f"{rel}:{n}: {line.strip()}")
    return found


def test_business_code_reads_today_only_through_the_clock():
    assert _offenders(ROOT / "src" / "credo", {"src/credo/core/clock.py"}) == []


def test_tests_never_read_the_real_date():
    assert _offenders(ROOT / "tests", {"tests/conftest.py", "tests/core/test_clock.py"}) == []


def test_every_test_starts_at_the_suite_instant():
    assert business_today() == SUITE_NOW.astimezone(COMPANY_ZONE).date()
    assert abs(timezone.now() - SUITE_NOW) < datetime.timedelta(minutes=1)


def test_a_date_means_mid_morning_company_time(clock):
    clock.set(datetime.date(2028, 2, 29))
    assert business_today() == clock.today == datetime.date(2028, 2, 29)
    assert business_now().hour == 10


def test_business_date_is_the_company_day_not_the_utc_day(clock):
    clock.set("2028-01-01T00:30+08:00")
    assert timezone.now().date() == datetime.date(2027, 12, 31)  # still the old year in UTC
    assert business_today() == datetime.date(2028, 1, 1)
    clock.set("2027-12-31T23:30")  # naive = company time
    assert business_today() == datetime.date(2027, 12, 31)


def test_advance_moves_on_from_the_set_instant(clock):
    clock.set("2027-12-31T23:30+08:00", tick=False)
    clock.advance(hours=1)
    assert business_today() == datetime.date(2028, 1, 1)
