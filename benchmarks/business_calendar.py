"""Times of the business calendar's rules (credo.worktime.rules), no database: what an SLA scan over many open
items costs. Not part of `make bench` (no baseline to compare with); run it by hand:

    .venv/bin/python benchmarks/business_calendar.py [--calls 100000]

The calendar is the default week with the demo's 2026 and 2027 holidays and make-up days.
"""

import argparse
import datetime
import random
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from credo.worktime import demo, rules  # noqa: E402

SH = ZoneInfo("Asia/Shanghai")


def demo_calendar() -> rules.Calendar:
    holidays, workdays = {}, {}
    for schedule in (demo.SCHEDULE_2026, demo.SCHEDULE_2027_ESTIMATE):
        for name, days_off, make_up in schedule:
            holidays.update(dict.fromkeys(days_off, name))
            workdays.update(dict.fromkeys(make_up))
    return rules.Calendar(holidays=holidays, workdays=workdays)


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=100_000)
    args = parser.parse_args()
    calendar = demo_calendar()
    rng = random.Random(7)
    base = datetime.datetime(2026, 1, 1, tzinfo=SH)
    starts = [base + datetime.timedelta(minutes=rng.randrange(365 * 24 * 60)) for _ in range(args.calls)]
    budgets = [datetime.timedelta(hours=rng.choice((2, 4, 8, 16, 24, 40, 80))) for _ in range(args.calls)]
    long_start = datetime.datetime(2026, 9, 30, 17, tzinfo=SH)        # just before 国庆节
    long_budget = datetime.timedelta(hours=2000)

    one = timed(lambda: calendar.add_business_time(long_start, long_budget), 200)
    print(f"add_business_time, 2,000 h before a 7-day holiday: median {statistics.median(one) * 1e6:.0f} µs")
    many = timed(lambda: [calendar.add_business_time(s, b) for s, b in zip(starts, budgets, strict=True)], 3)
    print(f"add_business_time × {args.calls:,} (2–80 h, starts over 2026): {min(many):.2f} s "
          f"({min(many) / args.calls * 1e6:.1f} µs a call)")
    dues = [calendar.add_business_time(s, b) for s, b in zip(starts, budgets, strict=True)]
    now = base + datetime.timedelta(days=200)
    between = timed(lambda: [calendar.business_time_between(s, now) for s in starts], 3)
    print(f"business_time_between × {args.calls:,} (elapsed up to a fixed now): {min(between):.2f} s")
    paused = [(s + datetime.timedelta(hours=1), s + datetime.timedelta(hours=20)) for s in starts]
    with_pause = timed(lambda: [calendar.add_business_time(s, b, [p]) for s, b, p in
                                zip(starts, budgets, paused, strict=True)], 3)
    print(f"add_business_time × {args.calls:,} with one pause each: {min(with_pause):.2f} s")
    assert all(calendar.business_time_between(s, d) == b for s, d, b in zip(starts[:2000], dues, budgets,
                                                                         strict=False))


if __name__ == "__main__":
    main()
