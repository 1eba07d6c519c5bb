import datetime
from zoneinfo import ZoneInfo

import pytest

SH = ZoneInfo("Asia/Shanghai")
MONDAY = "2026-06-15T10:00+08:00"


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture
def monday(clock):
    clock.set(MONDAY, tick=False)
    return clock
