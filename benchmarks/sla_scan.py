"""The SLA scan over many open clocks (complaints and service requests): `credo sla scan` finding the clocks
that passed their warning share or their due time, recording each escalation once and notifying the owners and
managers, next to a baseline measured in the same run: one query reading the id and due time of every open
clock (what any scan must at least look at).

    DATABASE_URL=postgres://postgres@127.0.0.1/credo_bench .venv/bin/python benchmarks/sla_scan.py \
        [--open 100000] [--repeat 3] [--json]

The clocks are spread over 5,000 customers of the demo organisation; 3 % are past due and 7 % past their
warning share at the moment of the scan. Cases: the first scan (records and notifies ~10,000 escalations) and
the scan again at the same moment (finds nothing new: the idempotent steady state every few minutes costs).
The aim (issue 12): the first scan of 100,000 open clocks in under 5 s on PostgreSQL.
"""

import argparse
import datetime
import json
import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from customer_list import prepare_database, summarise  # noqa: E402

CUSTOMERS = 5000


def load(open_clocks: int, seed: int, now: datetime.datetime) -> None:
    from bench_data import insert_customers
    from django.db import transaction

    from credo.core.demo import analyze, bulk_session, ensure_organisation, insert, new
    from credo.sla.models import SlaClock

    rng = random.Random(seed)
    with bulk_session(), transaction.atomic():
        customers = insert_customers(CUSTOMERS, rng, now)
        org = ensure_organisation(rng)
        owners = [p.pk for region in org.regions for p in region.salespeople]
        rows = []
        for n in range(open_clocks):
            kind = "complaint" if n % 2 else "ticket"
            metric = rng.choice(("step_2", "step_3", "resolution")) if kind == "complaint" else "resolution"
            draw = rng.random()
            if draw < 0.03:
                due, warn = now - datetime.timedelta(hours=rng.randint(1, 48)), now - datetime.timedelta(days=3)
            elif draw < 0.10:
                due, warn = now + datetime.timedelta(hours=rng.randint(1, 24)), now - datetime.timedelta(minutes=30)
            else:
                due = now + datetime.timedelta(hours=rng.randint(2, 400))
                warn = due - datetime.timedelta(hours=1)
            rows.append(new(SlaClock, kind=kind, subject_id=n + 1, metric=metric,
                            customer_id=customers[rng.randrange(len(customers))],
                            severity=rng.choice(("critical", "major", "normal", "minor")),
                            customer_class=rng.choice(("", "", "", "A")), owner_id=rng.choice(owners),
                            target_hours=24, started_at=now - datetime.timedelta(days=5), warn_at=warn, due_at=due))
        insert(SlaClock, rows)
    analyze(SlaClock)


def reset() -> None:
    from django.db import transaction

    from credo.core.models import Notification
    from credo.sla.models import SlaClock, SlaEscalation

    with transaction.atomic():
        SlaEscalation.objects.all().delete()
        Notification.objects.all().delete()
        SlaClock.objects.update(warned_at=None, breached_at=None)


def run(open_clocks: int, repeat: int, seed: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credo.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from credo.sla import services
    from credo.sla.models import SlaClock

    call_command("migrate", verbosity=0)
    now = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC)
    if not SlaClock.objects.exists():
        load(open_clocks, seed, now)

    def baseline_query():
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, due_at FROM sla_slaclock WHERE stopped_at IS NULL")
            return len(cursor.fetchall())

    base = []
    for _ in range(max(repeat, 5)):
        started = time.perf_counter()
        assert baseline_query() == open_clocks
        base.append(time.perf_counter() - started)
    baseline = summarise(base)

    first, again, escalated = [], [], 0
    for _ in range(repeat):
        reset()
        started = time.perf_counter()
        result = services.scan(now)
        first.append(time.perf_counter() - started)
        escalated = result.warned + result.breached
        started = time.perf_counter()
        second = services.scan(now)
        again.append(time.perf_counter() - started)
        assert second.warned == second.breached == 0
    cases = []
    for name, samples in (("first scan", first), ("scan again (nothing new)", again)):
        case = {"user": "—", "case": name, "rows": open_clocks, **summarise(samples)}
        case["ratio"] = case["median_ms"] / baseline["median_ms"]
        cases.append(case)
    cases[0]["escalations"] = escalated
    return {"db": connection.vendor, "open": open_clocks, "baseline": baseline, "cases": cases}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=CUSTOMERS, help="ignored: 5,000 customers")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL") or "sqlite:////tmp/credo_bench.sqlite3"
    url = url.removesuffix(".sqlite3") + "_sla.sqlite3" if url.startswith("sqlite:") else url.rstrip("/") + "_sla"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "0")
    prepare_database(url, fresh=not args.reuse)
    result = run(args.open, max(1, min(args.repeat, 5)), args.seed)
    if args.json:
        print(json.dumps(result))
        return
    print(f"{result['db']}: {result['open']:,} open clocks; baseline (read every open clock) "
          f"{result['baseline']['median_ms']:.0f} ms")
    for c in result["cases"]:
        extra = f", {c['escalations']:,} escalations" if "escalations" in c else ""
        print(f"  {c['case']}: median {c['median_ms'] / 1000:.2f} s (× {c['ratio']:.1f} the baseline){extra}")


if __name__ == "__main__":
    main()
