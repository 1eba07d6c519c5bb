"""Demo data of the business calendar: China's public holidays and make-up working days (调休上班) of 2026 and
2027, so that due times in the demo skip 春节 and 国庆节 as a company's would.

2026 follows the State Council's schedule (国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04). The 2027
schedule is not published yet: its rows are an estimate from the lunar dates and the 2025 rules (春节 4 days,
劳动节 2 days), named "（演示估计）" so that nobody takes them for the official ones; replace them when the
notice comes out. Everything here is idempotent: a second run adds nothing.
"""

import datetime
from dataclasses import dataclass

ESTIMATE = "（演示估计）"


def _days(first: str, last: str | None = None) -> list[datetime.date]:
    start = datetime.date.fromisoformat(first)
    end = datetime.date.fromisoformat(last or first)
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


# (name, days off, make-up working days)
SCHEDULE_2026 = [
    ("元旦", _days("2026-01-01", "2026-01-03"), _days("2026-01-04")),
    ("春节", _days("2026-02-15", "2026-02-23"), _days("2026-02-14") + _days("2026-02-28")),
    ("清明节", _days("2026-04-04", "2026-04-06"), []),
    ("劳动节", _days("2026-05-01", "2026-05-05"), _days("2026-05-09")),
    ("端午节", _days("2026-06-19", "2026-06-21"), []),
    ("中秋节", _days("2026-09-25", "2026-09-27"), []),
    ("国庆节", _days("2026-10-01", "2026-10-07"), _days("2026-09-20") + _days("2026-10-10")),
]
SCHEDULE_2027_ESTIMATE = [
    ("元旦", _days("2027-01-01", "2027-01-03"), []),
    ("春节", _days("2027-02-05", "2027-02-13"), _days("2027-01-31") + _days("2027-02-20")),
    ("清明节", _days("2027-04-03", "2027-04-05"), []),
    ("劳动节", _days("2027-05-01", "2027-05-05"), _days("2027-05-08")),
    ("端午节", _days("2027-06-09"), []),
    ("中秋节", _days("2027-09-15"), []),
    ("国庆节", _days("2027-10-01", "2027-10-07"), _days("2027-09-26") + _days("2027-10-09")),
]


@dataclass
class CalendarDemoResult:
    holidays: int = 0
    make_up_days: int = 0


def generate() -> CalendarDemoResult:
    from . import services  # the schedules above are plain data (benchmarks/business_calendar.py reads them)

    result = CalendarDemoResult()
    for schedule, suffix in ((SCHEDULE_2026, ""), (SCHEDULE_2027_ESTIMATE, ESTIMATE)):
        for name, days_off, make_up in schedule:
            result.holidays += len(services.add_holidays(None, days_off, name=name + suffix).added)
            if make_up:
                result.make_up_days += len(services.add_make_up_days(None, make_up,
                                                                     name=f"{name}调休上班{suffix}").added)
    return result
