"""Benchmark: classification snapshots (pyramid and ABC, SPEC §2) over N goods invoices for M customers, next to
DuckDB computing the same classes over the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1/credo_bench_classification .venv/bin/python \
        benchmarks/classification.py --customers 100000 --invoices 5000000 [--reuse] [--rebuild]

Generates the customers and the goods invoices of the last 12 months (plus 5 % penalty-interest invoices, which
must be left out) by bulk insert, then the per-customer month summary (sales.services.rebuild_month_sales, one
INSERT … SELECT; timed), unless --reuse and the database already holds them (the summary is rebuilt when it is
missing or --rebuild). Then median (and p95) of --repeat runs after one warm-up:

  sql:raw-grouped   the former period_sales(): one grouped query over the raw goods invoices + active ids
  sql:summary       the bare grouped query over CustomerMonthSales for the full months of the period
  sql:edges         the bare grouped queries over the invoices of the partial months at either end
  sql:period_sales  queries.period_sales(): summary + edges + "bought before" + the active customer ids
  sql:period_cents  queries.period_cents(), what the snapshot reads: the same sums in fen, the pieces unioned
                    and grouped in one statement, "never bought" looked up only for customers without sales
  rules:pyramid     rules.classify_cents() on those sums (pure Python, integers)
  rules:abc         the same for ABC
  classes:pyramid   period_cents + rules: every active customer's class from the invoices — the figure to set
                    next to DuckDB's sum / rank / cut
  classes:abc       the same for ABC
  snapshot:pyramid  services.compute_snapshot(): classes + bulk insert of one result per customer + audit (the
                    write share is the rest: snapshot − classes, reported as write:pyramid / write:abc)
  snapshot:abc      the same for ABC
  snapshot:value    segments.compute_segments(): every customer's profit after costs (sales and cost of goods,
                    contacts, letters, recorded costs, bad debt, the opportunity cost of all it owed) and value
                    segment, stored (once; no DuckDB counterpart — the ratio is only for scale)

Baseline: DuckDB computing both classifications (grouped sum, window ranks / cumulative shares, counts per
class) over the same raw invoice rows copied from the database in the same run; the ratio is case ÷ DuckDB (the
mean of its pyramid and ABC times). The check compares the class totals of both, and the summary-based sums
with the raw grouped ones.
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


def raw_period_sales(period_from, period_to):
    """The former classification.queries.period_sales(): one grouped query over the raw goods invoices up to `to`
    (sum in the period per customer) + the active customer ids."""
    from django.db.models import Q, Sum

    from credo.customers.models import Customer
    from credo.sales.models import Invoice

    grouped = (Invoice.objects.filter(kind=Invoice.Kind.GOODS, invoice_date__lte=period_to)
               .values("customer_id")
               .annotate(sales=Sum("amount", filter=Q(invoice_date__gte=period_from)))
               .values_list("customer_id", "sales").order_by())
    bought = {cid: (amount or Decimal(0)) for cid, amount in grouped}
    ids = Customer.objects.filter(is_active=True).values_list("id", flat=True)
    sales = {cid: bought.get(cid, Decimal(0)) for cid in ids}
    return sales, {cid for cid in sales if cid not in bought}


def run(customers: int, invoices: int, repeat: int, reuse: bool, seed: int, rebuild: bool = False) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credo.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Sum

    from credo.classification import queries, rules, services
    from credo.core.demo import analyze, no_gc_pauses
    from credo.core.money import money
    from credo.customers.models import Customer
    from credo.sales import queries as sales_queries
    from credo.sales.models import CustomerMonthSales, Invoice
    from credo.sales.services import rebuild_month_sales

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
        rebuild = True
    if rebuild or not CustomerMonthSales.objects.exists():
        started = time.perf_counter()
        rebuild_month_sales()
        result["summary_seconds"] = round(time.perf_counter() - started, 1)
        analyze(CustomerMonthSales)
    result["summary_rows"] = CustomerMonthSales.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE sales_invoice")
            cursor.execute("VACUUM ANALYZE sales_customermonthsales")

    months, edges = sales_queries._split(start, end)
    result["months"] = [months[0].isoformat(), months[1].isoformat()] if months else None
    result["edges"] = [[a.isoformat(), b.isoformat()] for a, b in edges]

    def bare_summary():
        if months:
            list(CustomerMonthSales.objects.filter(month__gte=months[0], month__lt=months[1]).values("customer_id")
                 .annotate(s=Sum("sales")).order_by().values_list("customer_id", "s"))

    def bare_edges():
        for a, b in edges:
            list(Invoice.objects.filter(kind=Invoice.Kind.GOODS, invoice_date__range=(a, b)).values("customer_id")
                 .annotate(s=Sum("amount")).order_by().values_list("customer_id", "s"))

    cases = [{"user": "system", "case": "sql:raw-grouped",
              **timed(lambda: raw_period_sales(start, end), repeat, warmup=1)},
             {"user": "system", "case": "sql:summary", **timed(bare_summary, repeat, warmup=1)},
             {"user": "system", "case": "sql:edges", **timed(bare_edges, repeat, warmup=1)},
             {"user": "system", "case": "sql:period_sales",
              **timed(lambda: queries.period_sales(start, end), repeat, warmup=1)},
             {"user": "system", "case": "sql:period_cents",
              **timed(lambda: queries.period_cents(start, end), repeat, warmup=1)}]
    sales, never = queries.period_sales(start, end)
    raw_sales, raw_never = raw_period_sales(start, end)
    # SQLite sums decimals as floats: the raw grouped sums can come back as e.g. 7990140.28999999, which the
    # rules refuse (more than 2 decimals); the summary-based ones are rounded to the cent. Compare in cents.
    result["same_sums"] = never == raw_never and sales.keys() == raw_sales.keys() and all(
        money(sales[cid]) == money(raw_sales[cid]) for cid in sales)
    result["raw_sums_not_in_cents"] = sum(1 for v in raw_sales.values() if v != money(v))
    cents, never_c = queries.period_cents(start, end)
    result["same_sums"] = result["same_sums"] and never_c == never and cents == {
        cid: int(money(v) * 100) for cid, v in sales.items()}

    def classes(method):
        c, n = queries.period_cents(start, end)
        with no_gc_pauses():
            return rules.classify_cents(method, c, None, n)

    def ranked(method):
        with no_gc_pauses():
            return rules.classify_cents(method, cents, None, never_c)

    for method in rules.METHODS:
        cases.append({"user": "system", "case": f"rules:{method}",
                      **timed(lambda m=method: ranked(m), repeat, warmup=1)})
        cases.append({"user": "system", "case": f"classes:{method}",
                      **timed(lambda m=method: classes(m), repeat, warmup=1)})
    totals = {}

    def snapshot(method):
        # Rolled back each time, so that every run writes into the same (empty) result table.
        with transaction.atomic():
            run_ = services.compute_snapshot(None, method, start, end)
            totals[method] = run_.totals
            transaction.set_rollback(True)

    by_case = {c["case"]: c for c in cases}
    for method in rules.METHODS:
        case = {"user": "system", "case": f"snapshot:{method}", **timed(lambda m=method: snapshot(m),
                                                                       max(1, repeat // 2), warmup=1)}
        cases.append(case)
        rest = case["median_ms"] - by_case[f"classes:{method}"]["median_ms"]
        cases.append({"user": "(derived)", "case": f"write:{method}", "median_ms": rest, "p95_ms": float("nan")})

    from credo.segments import services as segments

    def value_snapshot():
        with transaction.atomic():
            segments.compute_segments(None, start, end)
            transaction.set_rollback(True)

    cases.append({"user": "system", "case": "snapshot:value", **timed(value_snapshot, 1, warmup=0)})

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
             f"summary: {result['summary_rows']:,} customer-months"
             + (f", built in {result['summary_seconds']} s" if result.get("summary_seconds") else "")
             + f"; full months {result['months']}, edge days {result['edges']}",
             f"check {result['check']}, summary sums = raw sums (in cents): {result['same_sums']} "
             f"(raw sums not in whole cents: {result['raw_sums_not_in_cents']})",
             f"{'user':<14} {'case':<16} {'median ms':>10} {'p95 ms':>10} {'× DuckDB':>9}"]
    return "\n".join(lines + case_lines(result["cases"], decimals=1, ratio_width=9, ratio_decimals=1))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--invoices", type=int, default=None, help="default: 50 per customer")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reuse", action="store_true", help="keep the database if it already holds the data")
    parser.add_argument("--rebuild", action="store_true", help="rebuild (and time) the month summary")
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
    result = run(args.customers, invoices, args.repeat, args.reuse, args.seed, args.rebuild)
    print(json.dumps(result, ensure_ascii=False, default=str) if args.json else format_table(result))


if __name__ == "__main__":
    main()
