"""Benchmark: aging as of today over N open invoices for M customers, next to DuckDB on the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1/credo_bench_aging .venv/bin/python benchmarks/aging.py \
        --customers 100000 --invoices 1000000

Generates the customers (with the demo organisation's managers and territories) and the open invoices by
bulk insert (COPY on PostgreSQL, executemany on SQLite), unless --reuse and the database already holds
them. Then, median (and p95) of --repeat runs after one warm-up:

  sql:page         queries.aging(): company totals + first page of customers worst first (what the page runs)
  sql:grouped      the bare grouped CASE query per customer (no ranking), for reference
  http:page        GET /receivables/aging/ as the finance clerk (view, template, middleware)
  sql:page(team)   queries.aging() as a sales manager (team scope)

Baseline: DuckDB computing the same aging (per-customer buckets, top 50 worst first, totals) over the same
rows, copied from the database into DuckDB in the same run. The ratio is case ÷ DuckDB.
Prints a table, or JSON with --json (used by run.py).
"""

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from bench_data import dump_csv, insert_customers  # noqa: E402
from customer_list import case_lines, prepare_database, timed  # noqa: E402

CHUNK = 50_000


def generate(customers: int, invoices: int, seed: int, today: datetime.date) -> float:
    from django.db import transaction
    from django.utils import timezone

    from credo.core.demo import analyze, bulk_session, insert, new
    from credo.customers.models import Customer
    from credo.sales.models import Invoice

    started = time.perf_counter()
    rng = random.Random(seed)
    now = timezone.now()
    with bulk_session(), transaction.atomic():
        customer_ids = insert_customers(customers, rng, now)
        for offset in range(0, invoices, CHUNK):
            size = min(CHUNK, invoices - offset)
            rows = []
            for i in range(size):
                issued = today - datetime.timedelta(days=rng.randrange(0, 420))
                due = issued + datetime.timedelta(days=rng.choice((30, 45, 60, 90)))
                amount = Decimal(rng.randrange(10_000, 5_000_000)) / 100
                open_amount = amount if rng.random() < 0.8 else (amount / 2).quantize(Decimal("0.01"))
                rows.append(new(Invoice, customer_id=customer_ids[rng.randrange(len(customer_ids))],
                                number=f"BI{offset + i + 1:09d}", invoice_date=issued, due_date=due, amount=amount,
                                open_amount=open_amount, posted_at=now))
            insert(Invoice, rows)
    analyze(Customer, Invoice)
    return round(time.perf_counter() - started, 1)


DUCK_SQL = """
WITH g AS (
  SELECT customer_id AS gkey,
    {cases},
    SUM(open_amount) AS total,
    SUM(CASE WHEN due_date < DATE '{as_of}' THEN open_amount ELSE 0 END) AS overdue
  FROM invoices WHERE open_amount > 0 GROUP BY customer_id)
SELECT g.*, COUNT(*) OVER (), {sums}, SUM(total) OVER ()
FROM g ORDER BY overdue DESC, total DESC, gkey LIMIT 50
"""


def duck_cases(as_of: datetime.date, bounds) -> tuple[str, str]:
    from credo.receivables import rules

    limits = [d.isoformat() for d in rules.due_date_limits(as_of, bounds)]
    cases = [f"SUM(CASE WHEN due_date >= DATE '{limits[0]}' THEN open_amount ELSE 0 END) AS b0"]
    for i in range(1, len(bounds)):
        cases.append(f"SUM(CASE WHEN due_date < DATE '{limits[i - 1]}' AND due_date >= DATE '{limits[i]}' "
                     f"THEN open_amount ELSE 0 END) AS b{i}")
    cases.append(f"SUM(CASE WHEN due_date < DATE '{limits[-1]}' THEN open_amount ELSE 0 END) AS b{len(bounds)}")
    sums = ", ".join(f"SUM(b{i}) OVER ()" for i in range(len(bounds) + 1))
    return ",\n    ".join(cases), sums


def load_duckdb(path: Path):
    """Copy the open invoices (customer, due date, open amount) from the database into DuckDB."""
    import duckdb

    dump_csv("SELECT customer_id, due_date, open_amount FROM sales_invoice WHERE open_amount > 0",
             ["customer_id", "due_date", "open_amount"], path)
    duck = duckdb.connect()
    duck.execute(f"CREATE TABLE invoices AS SELECT customer_id::BIGINT AS customer_id, due_date::DATE AS due_date, "
                 f"open_amount::DECIMAL(16,2) AS open_amount FROM read_csv('{path}', header=true)")
    return duck


def run(customers: int, invoices: int, repeat: int, reuse: bool, seed: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credo.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from credo.customers.models import Customer
    from credo.receivables import queries, rules
    from credo.sales.models import Invoice

    call_command("migrate", verbosity=0)
    today = queries.business_today()
    result: dict = {"db": connection.vendor, "customers": customers, "invoices": invoices, "repeat": repeat,
                    "as_of": today.isoformat()}
    have_c, have_i = Customer.objects.count(), Invoice.objects.count()
    if reuse and have_c == customers and have_i == invoices:
        result["demo_seconds"] = None
    else:
        if have_c or have_i:
            raise SystemExit(f"{connection.settings_dict['NAME']} already holds data; run fresh (without --reuse).")
        result["demo_seconds"] = generate(customers, invoices, seed, today)

    flt = queries.AgingFilter(as_of=today)
    users = get_user_model().objects
    finance = users.get(username="finance")
    manager = users.get(username="huadong_mgr")
    bounds = rules.validate_bounds(queries.policies(today)[0].bounds)

    cases = []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the visibility map, for index-only scans after the bulk load
            cursor.execute("VACUUM ANALYZE sales_invoice")
    page = queries.aging(finance, flt, with_cost=False)
    cases.append({"user": "finance", "case": "sql:page", "rows": page.count,
                  **timed(lambda: queries.aging(finance, flt, with_cost=False), repeat, warmup=1)})
    cases.append({"user": "finance", "case": "sql:page+cost",
                  **timed(lambda: queries.aging(finance, flt), repeat, warmup=1)})
    grouped, params = queries._grouped_sql(finance, flt, bounds, with_cost=False)

    def bare():
        with connection.cursor() as cursor:
            cursor.execute(grouped, params)
            cursor.fetchall()

    cases.append({"user": "finance", "case": "sql:grouped", **timed(bare, repeat, warmup=1)})
    cases.append({"user": "sales_manager", "case": "sql:page(team)",
                  **timed(lambda: queries.aging(manager, flt, with_cost=False), repeat, warmup=1)})
    client = Client()
    client.force_login(finance)
    status = client.get("/receivables/aging/").status_code
    case = {"user": "finance", "case": "http:page", "status": status}
    if status == 200:
        case.update(timed(lambda: client.get("/receivables/aging/"), repeat, warmup=1))
    cases.append(case)

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        duck = load_duckdb(Path(tmp) / "invoices.csv")
        result["duckdb_load_seconds"] = round(time.perf_counter() - started, 1)
        case_sql, sums = duck_cases(today, bounds)
        sql = DUCK_SQL.format(cases=case_sql, sums=sums, as_of=today.isoformat())
        duck_rows = duck.execute(sql).fetchall()
        result["baseline"] = timed(lambda: duck.execute(sql).fetchall(), repeat, warmup=1)
        # Same answer: the DuckDB total equals the database's.
        duck_total = Decimal(duck_rows[0][-1]).quantize(Decimal("0.01")) if duck_rows else Decimal("0.00")
        result["check"] = {"db_total": str(page.totals["total"]), "duckdb_total": str(duck_total),
                           "same": abs(duck_total - page.totals["total"]) <= Decimal("0.05"),
                           "same_first_customer": bool(duck_rows) and page.rows[0].key == duck_rows[0][0]}
    base = result["baseline"]["median_ms"]
    for case in cases:
        if "median_ms" in case:
            case["ratio"] = case["median_ms"] / base if base else None
    result["cases"] = cases
    return result


def format_table(result: dict) -> str:
    lines = [f"aging as of {result['as_of']} — {result['db']}, {result['invoices']:,} invoices, "
             f"{result['customers']:,} customers"
             + (f", generated in {result['demo_seconds']} s" if result.get("demo_seconds") else ""),
             f"baseline DuckDB (same aging, same rows): median {result['baseline']['median_ms']:.1f} ms "
             f"(loaded in {result['duckdb_load_seconds']} s); check {result['check']}",
             f"{'user':<14} {'case':<16} {'median ms':>10} {'p95 ms':>10} {'× DuckDB':>9}"]
    return "\n".join(lines + case_lines(result["cases"], decimals=1, ratio_width=9, ratio_decimals=1))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--invoices", type=int, default=None, help="default: 10 per customer")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reuse", action="store_true", help="keep the database if it already holds the data")
    parser.add_argument("--json", action="store_true", help="print the result as JSON (for run.py)")
    args = parser.parse_args(argv)
    if args.customers < 1:
        parser.error("--customers must be at least 1")
    invoices = args.invoices if args.invoices is not None else args.customers * 10
    if invoices < 1:
        parser.error("--invoices must be at least 1")
    url = os.environ.get("DATABASE_URL") or "sqlite:////tmp/credo_bench_aging.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "0")
    prepare_database(url, fresh=not args.reuse)
    result = run(args.customers, invoices, args.repeat, args.reuse, args.seed)
    print(json.dumps(result, ensure_ascii=False) if args.json else format_table(result))


if __name__ == "__main__":
    main()
