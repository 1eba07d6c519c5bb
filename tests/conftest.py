"""Suite-wide fixtures: the named-users world and the clock.

The clock. Business code reads today through `credo.core.clock.business_today()`; tests never read the
real date. Two ways to fix it:

- `clock` (fixture): a test sets the instant it runs at, `clock.set(datetime.date(2026, 6, 30))` (10:00
  in the company's zone) or `clock.set("2027-12-31T23:30+08:00")`; `clock.today` is the business date;
  `clock.advance(days=3)` moves on.
- The suite clock: the whole run, collection included, happens at one instant, and every test starts
  there again (the clock then ticks), so a run never crosses a midnight half-way. The instant is
  CREDO_TEST_NOW when set (an ISO date or datetime; without an offset it is company time), else the real
  time at which the run began. `.ci/run` runs the suite again at a year end (2027-12-31 23:30
  Asia/Shanghai) and on a leap day, so a test that only passes on ordinary days fails in CI the day it is
  written, not months later.
- `@pytest.mark.fixed_clock("2026-06-15T10:00+08:00")`: the test starts at that instant instead of the
  suite clock, in every run (the browser journeys: slow, and about pages, not about the calendar).

The clock runs (CREDO_TEST_NOW set) leave out the tests that cannot see CREDO_TEST_NOW, as they would only
repeat the main run: `fixed_clock` tests (every in-process clock read is time-machine's, and it starts them
at their own instant) and `clock_independent` tests, whose work is in child processes (the suite clock is
time-machine inside this process; a child reads the real time, and nothing under src/ reads
CREDO_TEST_NOW) with in-process assertions that read no date. Everything else, and so every test that
reads the suite's today, runs under each clock.
"""

import datetime
import os
import re
import zoneinfo

import hypothesis
import pytest
import time_machine

from tests.factories import World

TEST_NOW_ENV = "CREDO_TEST_NOW"
COMPANY_ZONE = zoneinfo.ZoneInfo(os.environ.get("CREDO_TIME_ZONE", "Asia/Shanghai"))
# A date alone means mid-morning of that business day: far from both midnights.
DEFAULT_HOUR = 10


def instant(when) -> datetime.datetime:
    """An aware datetime from a date, a datetime (naive = company time) or an ISO string."""
    if isinstance(when, str):
        when = datetime.datetime.fromisoformat(when) if "T" in when or " " in when else (
            datetime.date.fromisoformat(when))
    if not isinstance(when, datetime.datetime):
        when = datetime.datetime.combine(when, datetime.time(DEFAULT_HOUR))
    if when.tzinfo is None:
        when = when.replace(tzinfo=COMPANY_ZONE)
    # A fixed offset, never a ZoneInfo: time-machine would otherwise change the process's TZ variable.
    return when.astimezone(datetime.timezone(when.utcoffset()))


SUITE_NOW = instant(os.environ.get(TEST_NOW_ENV) or datetime.datetime.now(datetime.UTC))
# xdist workers inherit the environment: all of them start their tests at the same instant.
os.environ.setdefault("CREDO_SUITE_NOW", SUITE_NOW.isoformat())
SUITE_NOW = instant(os.environ["CREDO_SUITE_NOW"])
_suite_traveller = time_machine.travel(SUITE_NOW, tick=True)


# Property tests are judged on their answers, not their speed: a loaded CI machine must not fail them.
hypothesis.settings.register_profile("credo", deadline=None)
hypothesis.settings.load_profile("credo")


def pytest_configure(config):
    from django.conf import settings

    # Tests create many users; the production hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    config._credo_suite_clock = _suite_traveller.start()


def pytest_unconfigure(config):
    if getattr(config, "_credo_suite_clock", None):
        _suite_traveller.stop()


def pytest_report_header(config):
    source = TEST_NOW_ENV if os.environ.get(TEST_NOW_ENV) else f"the run's start; set {TEST_NOW_ENV} to choose"
    header = f"clock: every test starts at {SUITE_NOW.astimezone(COMPANY_ZONE).isoformat()} ({source})"
    if os.environ.get(TEST_NOW_ENV):
        header += "; fixed_clock and clock_independent tests deselected (the main run has them)"
    if os.environ.get(DATABASE_ONLY_ENV) == "1":
        header += f"; {DATABASE_ONLY_ENV}: tests without the database deselected (the SQLite run has them)"
    return header


# CREDO_TEST_DATABASE_ONLY=1 (.ci/run's PostgreSQL run, after the SQLite run): only the tests that use the
# database. The others cannot reach it (pytest-django refuses a query from a test without the db fixture or
# mark), so they run the same code on either engine; but a module that names the connection, the database
# settings or child processes (which would inherit DATABASE_URL) keeps all its tests, to be safe.
DATABASE_ONLY_ENV = "CREDO_TEST_DATABASE_ONLY"
DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
               "live_server", "django_db_setup"}
ENGINE_WORDS = re.compile(r"\b(connection|connections|vendor|DATABASES?|DATABASE_URL|subprocess)\b")


def _uses_database(item, engine_aware_modules={}) -> bool:  # noqa: B006 - a cache per module
    if item.get_closest_marker("django_db") or DB_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        return True
    path = str(item.path)
    if path not in engine_aware_modules:
        engine_aware_modules[path] = bool(ENGINE_WORDS.search(item.path.read_text(encoding="utf-8")))
    return engine_aware_modules[path]


@pytest.hookimpl(trylast=True)  # after the folders' conftests have marked their tests
def pytest_collection_modifyitems(config, items):
    keep, skip = [], []
    for item in items:
        same_in_every_run = os.environ.get(TEST_NOW_ENV) and (
            item.get_closest_marker("fixed_clock") or item.get_closest_marker("clock_independent"))
        same_on_every_engine = os.environ.get(DATABASE_ONLY_ENV) == "1" and not _uses_database(item)
        (skip if same_in_every_run or same_on_every_engine else keep).append(item)
    if skip:
        config.hook.pytest_deselected(items=skip)
        items[:] = keep


@pytest.fixture(autouse=True)
def _suite_clock(request):
    fixed = request.node.get_closest_marker("fixed_clock")
    request.config._credo_suite_clock.move_to(instant(fixed.args[0]) if fixed else SUITE_NOW)


class Clock:
    """A test's own instant; stopped at the end of the test (the suite clock, if any, resumes)."""

    def __init__(self):
        self._travellers = []

    def set(self, when, *, tick: bool = True) -> datetime.datetime:
        at = instant(when)
        traveller = time_machine.travel(at, tick=tick)
        traveller.start()
        self._travellers.append(traveller)
        return at

    def advance(self, **delta) -> datetime.datetime:
        from django.utils import timezone

        return self.set(timezone.now() + datetime.timedelta(**delta))

    @property
    def today(self) -> datetime.date:
        from credo.core.clock import business_today

        return business_today()

    def stop(self):
        while self._travellers:
            self._travellers.pop().stop()


@pytest.fixture
def clock():
    c = Clock()
    yield c
    c.stop()


@pytest.fixture
def world(db):
    return World()
