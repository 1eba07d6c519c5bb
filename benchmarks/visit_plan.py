"""Benchmark: `credo visits plan` for P salespeople (teams of 10 under a manager) and N customers.

    DATABASE_URL=sqlite:////tmp/credo_bench_visits.sqlite3 .venv/bin/python benchmarks/visit_plan.py \
        --customers 100000 --salespeople 200

Generates users, territories and customers (importance key 10 %, general 60 %, scattered 30 %; half with
coordinates) by bulk insert into a fresh database, then times: the first plan of a month (all rows created),
a regeneration (nothing changes), and the plan for one salesperson (sp0000). Prints a table, or JSON.

--reuse keeps the database when it already holds exactly --customers customers and --salespeople salespeople
(else it regenerates); the month's plan rows are deleted before the first plan either way, so "first plan"
always creates every row. --profile FILE writes a cProfile of the first plan; --dump FILE writes the month's
plan rows (person, customer, kind, sequence, planned_date, route_order, rank, purpose, class) sorted, one a
line, to compare two versions of the planner on the same data (diff the files).
"""

import argparse
import json
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from customer_list import prepare_database  # noqa: E402


def generate(customers: int, salespeople: int, seed: int) -> float:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from credo.core.models import Profile, Team, Territory
    from credo.customers.models import Customer

    started = time.perf_counter()
    rng = random.Random(seed)
    User = get_user_model()
    with transaction.atomic():
        territories = Territory.objects.bulk_create([Territory(code=f"T{i:03d}", name=f"区域{i}") for i in range(40)])
        teams, people = [], []
        for t in range(max(1, salespeople // 10)):
            manager = User.objects.create(username=f"mgr{t:03d}")
            team = Team.objects.create(name=f"team{t:03d}", manager=manager)
            Profile.objects.create(user=manager, role="sales_manager", team=team, display_name=manager.username)
            teams.append(team)
        users = User.objects.bulk_create([User(username=f"sp{i:04d}") for i in range(salespeople)])
        Profile.objects.bulk_create([Profile(user=u, role="salesperson", team=teams[i % len(teams)],
                                             display_name=u.username) for i, u in enumerate(users)])
        people = [u.pk for u in users]
        rows = []
        for i in range(customers):
            importance = rng.choices(["key", "general", "scattered"], [10, 60, 30])[0]
            located = rng.random() < 0.5
            rows.append(Customer(
                code=f"B{i:07d}", name=f"客户{i}", importance=importance, account_manager_id=people[i % len(people)],
                territory=territories[(i // 25) % len(territories)], office_address=f"路{rng.randint(1, 999)}号",
                latitude=Decimal(f"{31 + rng.random():.6f}") if located else None,
                longitude=Decimal(f"{121 + rng.random():.6f}") if located else None))
            if len(rows) == 20000:
                Customer.objects.bulk_create(rows)
                rows = []
        Customer.objects.bulk_create(rows)
    return time.perf_counter() - started


def _holds(customers: int, salespeople: int) -> bool:
    """Does the database already hold the generated data of this size?"""
    from django.contrib.auth import get_user_model

    from credo.core.models import Profile
    from credo.customers.models import Customer

    return (Customer.objects.count() == customers
            and Profile.objects.filter(role="salesperson").count() == salespeople
            and get_user_model().objects.filter(username="sp0000").exists())


def _dump(month, path: str) -> None:
    from credo.visits.models import Visit

    rows = Visit.objects.filter(plan_month=month).values_list(
        "person__username", "customer__code", "kind", "sequence", "planned_date", "route_order", "rank", "purpose",
        "customer_class", "status")
    with open(path, "w") as out:
        for row in sorted(tuple("" if v is None else str(v) for v in r) for r in rows):
            out.write("\t".join(row) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--salespeople", type=int, default=200)
    parser.add_argument("--month", default="2026-12")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database when it holds exactly these customers and salespeople")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the first plan to FILE")
    parser.add_argument("--dump", metavar="FILE", help="write the month's plan rows, sorted, to FILE")
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/credo_bench_visits.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credo.settings")
    prepare_database(url, fresh=not args.reuse)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from credo.visits import rules
    from credo.visits.models import Visit
    from credo.visits.planning import generate_plan

    month = rules.parse_month(args.month)
    results = {"customers": args.customers, "salespeople": args.salespeople}
    if args.reuse and _holds(args.customers, args.salespeople):
        results["generate_s"] = "reused"
    else:
        if args.reuse:
            from django.db import connection

            connection.close()
            prepare_database(url, fresh=True)
            call_command("migrate", verbosity=0)
        results["generate_s"] = round(generate(args.customers, args.salespeople, args.seed), 2)
    Visit.objects.filter(plan_month=month).delete()
    for label in ("first_plan", "regenerate"):
        profiler = None
        if label == "first_plan" and args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        started = time.perf_counter()
        result = generate_plan(month)
        results[f"{label}_s"] = round(time.perf_counter() - started, 2)
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(args.profile)
        results[f"{label}_created"] = result.created
    if args.dump:
        _dump(month, args.dump)
    from django.contrib.auth import get_user_model

    one = get_user_model().objects.get(username="sp0000")
    started = time.perf_counter()
    generate_plan(month, person_ids=[one.pk])
    results["one_person_s"] = round(time.perf_counter() - started, 2)
    results["rows"] = Visit.objects.count()
    results["database"] = url.split(":", 1)[0]
    if args.json:
        print(json.dumps(results))
    else:
        for key, value in results.items():
            print(f"{key:20} {value}")


if __name__ == "__main__":
    main()
