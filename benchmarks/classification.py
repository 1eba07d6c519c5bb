"""Benchmark: classification snapshots (pyramid and ABC, SPEC §2) over N goods invoices for M customers, next to
DuckDB computing the same classes over the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1/credo_bench_classification .venv/bin/python \
        benchmarks/classification.py --customers 100000 --invoices 5000000

Generates the customers and the goods invoices of the last 12 months (plus 5 % penalty-interest invoices, which
must be left out) by bulk insert, unless --reuse and the database already holds them. Then median (and p95) of
--repeat runs after one warm-up:

  sql:grouped       queries.period_sales(): the one grouped query (sum per customer) + the active customer ids
  rules:pyramid     rules.pyramid() on those sums (pure Python, exact fractions)
  rules:abc         rules.abc() on those sums
  snapshot:pyramid  services.compute_snapshot(): query + rules + bulk insert of one result per customer + audit
  snapshot:abc      the same for ABC

Baseline: DuckDB computing both classifications (grouped sum, window ranks / cumulative shares, counts per
class) over the same invoice rows copied from the database in the same run; the ratio is case ÷ DuckDB (the
mean of its pyramid and ABC times). The check compares the class totals of both.
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
        # Skewed buyers (a few buy a lot), a tail that buys nothing, as in a real pyramid.
        weights = [rng.paretovariate(1.2) for _ in customer_ids]
        buyers = rng.choices(customer_ids, weights=weights, k=invoices)
        for offset in range(0, invoices, CHUNK):
            size = min(CHUNK, invoices - offset)
            rows = []
            for i in range(size):
                issued = today - datetime.timedelta(days=rng.randrange(0, 365))
                amount = Decimal(rng.randrange(10_000, 5_000_000)) / 100
                kind = Invoice.Kind.INTEREST if rng.random() < 0.05 else Invoice.Kind.GOODS
                rows.append(new(Invoice, customer_id=buyers[offset + i], number=f"BI{offset + i + 1:09d}",
                                invoice_date=issued, due_date=issued + datetime.timedelta(days=30), amount=amount,
                                open_amount=amount, kind=kind, posted_at=now))
            insert(Invoice, rows)
    analyze(Customer, Invoice)
    return round(time.perf_counter() - started, 1)


DUCK_PYRAMID = """
WITH s AS (SELECT customer_id, SUM(amount) AS sales FROM invoices
           WHERE kind = 'goods' AND invoice_date BETWEEN DATE '{start}' AND DATE '{end}' GROUP BY customer_id),
r AS (SELECT COALESCE(s.sales, 0) AS sales,
             RANK() OVER (ORDER BY COALESCE(s.sales, 0) DESC) AS pos, COUNT(*) OVER () AS n
      FROM customers c LEFT JOIN s ON s.customer_id = c.id)
SELECT CASE WHEN sales <= 0 THEN 'D' WHEN pos <= CEIL(n * 0.01) THEN 'A' WHEN pos <= CEIL(n * 0.05) THEN 'B'
            WHEN pos <= CEIL(n * 0.20) THEN 'C' ELSE 'D' END AS k, COUNT(*) FROM r GROUP BY k ORDER BY k
"""

DUCK_ABC = """
WITH s AS (SELECT customer_id, SUM(amount) AS sales FROM invoices
           WHERE kind = 'goods' AND invoice_date BETWEEN DATE '{start}' AND DATE '{end}' GROUP BY customer_id),
a AS (SELECT COALESCE(s.sales, 0) AS sales FROM customers c LEFT JOIN s ON s.customer_id = c.id),
w AS (SELECT sales,
             SUM(sales) OVER (ORDER BY sales DESC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
               - sales * COUNT(*) OVER (PARTITION BY sales) AS before, SUM(sales) OVER () AS total FROM a)
SELECT CASE WHEN sales <= 0 THEN 'C' WHEN before < total * 0.75 THEN 'A' WHEN before < total * 0.95 THEN 'B'
            ELSE 'C' END AS k, COUNT(*) FROM w GROUP BY k ORDER BY k
"""


def load_duckdb(path: Path):
    """Copy the invoices (customer, date, amount, kind) and the active customer ids into DuckDB."""
    import duckdb

    inv, cus = path / "invoices.csv", path / "customers.csv"
    dump_csv("SELECT customer_id, invoice_date, amount, kind FROM sales_invoice",
             ["customer_id", "invoice_date", "amount", "kind"], inv)
    dump_csv("SELECT id FROM customers_customer WHERE is_active", ["id"], cus)
    duck = duckdb.connect()
    duck.execute(f"CREATE TABLE invoices AS SELECT customer_id::BIGINT AS customer_id, "
                 f"invoice_date::DATE AS invoice_date, amount::DECIMAL(18,2) AS amount, kind::VARCHAR AS kind "
                 f"FROM read_csv('{inv}', header=true)")
    duck.execute(f"CREATE TABLE customers AS SELECT id::BIGINT AS id FROM read_csv('{cus}', header=true)")
    return duck


def run(customers: int, invoices: int, repeat: int, reuse: bool, seed: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credo.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from credo.classification import queries, rules, services
    from credo.customers.models import Customer
    from credo.sales.models import Invoice

    call_command("migrate", verbosity=0)
    start, end = queries.default_period()
    result: dict = {"db": connection.vendor, "customers": customers, "invoices": invoices, "repeat": repeat,
                    "period": [start.isoformat(), end.isoformat()]}
    have_c, have_i = Customer.objects.count(), Invoice.objects.count()
    if reuse and have_c == customers and have_i == invoices:
        result["demo_seconds"] = None
    else:
        if have_c or have_i:
            raise SystemExit(f"{connection.settings_dict['NAME']} already holds data; run fresh (without --reuse).")
        result["demo_seconds"] = generate(customers, invoices, seed, end)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE sales_invoice")

    cases = [{"user": "system", "case": "sql:grouped",
              **timed(lambda: queries.period_sales(start, end), repeat, warmup=1)}]
    sales, never = queries.period_sales(start, end)
    for method in rules.METHODS:
        cases.append({"user": "system", "case": f"rules:{method}",
                      **timed(lambda m=method: rules.classify(m, sales, None, never), repeat, warmup=1)})
    totals = {}

    def snapshot(method):
        # Rolled back each time, so that every run writes into the same (empty) result table.
        with transaction.atomic():
            run_ = services.compute_snapshot(None, method, start, end)
            totals[method] = run_.totals
            transaction.set_rollback(True)

    for method in rules.METHODS:
        cases.append({"user": "system", "case": f"snapshot:{method}", **timed(lambda m=method: snapshot(m),
                                                                             max(1, repeat // 2), warmup=1)})

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        duck = load_duckdb(Path(tmp))
        result["duckdb_load_seconds"] = round(time.perf_counter() - started, 1)
        sqls = {m: q.format(start=start.isoformat(), end=end.isoformat())
                for m, q in ((rules.PYRAMID, DUCK_PYRAMID), (rules.ABC, DUCK_ABC))}
        duck_totals = {m: dict(duck.execute(sql).fetchall()) for m, sql in sqls.items()}
        result["baseline"] = {m: timed(lambda s=sql: duck.execute(s).fetchall(), repeat, warmup=1)
                              for m, sql in sqls.items()}
    result["check"] = {m: {"db": totals[m], "duckdb": duck_totals[m],
                           "same": all(totals[m][k] == duck_totals[m].get(k, 0) for k in totals[m])}
                       for m in rules.METHODS}
    base = (result["baseline"][rules.PYRAMID]["median_ms"] + result["baseline"][rules.ABC]["median_ms"]) / 2
    result["baseline_median_ms"] = base
    for case in cases:
        case["ratio"] = case["median_ms"] / base if base else None
    result["cases"] = cases
    return result


def format_table(result: dict) -> str:
    b = result["baseline"]
    lines = [f"classification {result['period'][0]}…{result['period'][1]} — {result['db']}, "
             f"{result['invoices']:,} invoices, {result['customers']:,} customers"
             + (f", generated in {result['demo_seconds']} s" if result.get("demo_seconds") else ""),
             f"baseline DuckDB (same classes, same rows): pyramid {b['pyramid']['median_ms']:.1f} ms, "
             f"abc {b['abc']['median_ms']:.1f} ms (loaded in {result['duckdb_load_seconds']} s)",
             f"check {result['check']}",
             f"{'user':<14} {'case':<16} {'median ms':>10} {'p95 ms':>10} {'× DuckDB':>9}"]
    return "\n".join(lines + case_lines(result["cases"], decimals=1, ratio_width=9, ratio_decimals=1))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--invoices", type=int, default=None, help="default: 50 per customer")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reuse", action="store_true", help="keep the database if it already holds the data")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    if args.customers < 1:
        parser.error("--customers must be at least 1")
    invoices = args.invoices if args.invoices is not None else args.customers * 50
    if invoices < 1:
        parser.error("--invoices must be at least 1")
    url = os.environ.get("DATABASE_URL") or "sqlite:////tmp/credo_bench_classification.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "0")
    prepare_database(url, fresh=not args.reuse)
    result = run(args.customers, invoices, args.repeat, args.reuse, args.seed)
    print(json.dumps(result, ensure_ascii=False, default=str) if args.json else format_table(result))


if __name__ == "__main__":
    main()
