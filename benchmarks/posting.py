"""Posting throughput: receipts posted per second through the service layer (balance row lock, FIFO
allocation, audit row, timeline event, one transaction each), next to a bare one-row INSERT + COMMIT
measured in the same run as the baseline.

    DATABASE_URL=postgres://postgres@127.0.0.1/credo_bench_posting .venv/bin/python benchmarks/posting.py \
        [--customers 2000] [--repeat 500] [--json]
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from customer_list import prepare_database, summarise  # noqa: E402


def run(customers: int, repeat: int, seed: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credo.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from credo.customers.models import Customer
    from credo.sales import services

    call_command("migrate", verbosity=0)
    call_command("demo", customers=customers, invoices_per_customer=0, seed=seed, verbosity=0, stdout=open(os.devnull, "w"))
    clerk = get_user_model().objects.get(username="finance")
    targets = list(Customer.objects.order_by("?")[:repeat])
    day = datetime.date.today() - datetime.timedelta(days=30)  # noqa: DTZ011 - a business date for the bench
    for n, customer in enumerate(targets):
        services.post_invoice(clerk, customer, number=f"BENCH-I{n}", invoice_date=day, amount="1000.00")

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_baseline (id integer PRIMARY KEY, amount numeric(16,2))")
        cursor.execute("DELETE FROM bench_baseline")
    base = []
    for n in range(len(targets)):
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_baseline (id, amount) VALUES (%s, %s)", [n, "600.00"])
        base.append(time.perf_counter() - start)

    samples = []
    started = time.perf_counter()
    for n, customer in enumerate(targets):
        start = time.perf_counter()
        services.post_receipt(clerk, customer, number=f"BENCH-R{n}", receipt_date=day, amount="600.00",
                              method="transfer")
        samples.append(time.perf_counter() - start)
    elapsed = time.perf_counter() - started
    baseline = summarise(base)
    case = {"user": "finance", "case": "post_receipt", "rows": len(samples), **summarise(samples)}
    case["ratio"] = case["median_ms"] / baseline["median_ms"]
    return {"db": connection.vendor, "customers": customers, "baseline": baseline, "cases": [case],
            "receipts_per_second": round(len(samples) / elapsed, 1)}


def own_database(url: str) -> str:
    """A database of this benchmark's own next to the one given (it starts fresh, so never the shared one)."""
    if url.startswith("sqlite:"):
        return url.removesuffix(".sqlite3") + "_posting.sqlite3"
    return url.rstrip("/") + "_posting"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reuse", action="store_true", help="ignored: this benchmark always starts fresh")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    url = own_database(os.environ.get("DATABASE_URL") or "sqlite:////tmp/credo_bench.sqlite3")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "0")
    prepare_database(url, fresh=True)
    result = run(min(args.customers, 5000), max(args.repeat, 300), args.seed)
    if args.json:
        print(json.dumps(result))
    else:
        c = result["cases"][0]
        print(f"{result['db']}: {result['receipts_per_second']} receipts/s; post_receipt median {c['median_ms']:.2f} ms,"
              f" p95 {c['p95_ms']:.2f} ms (× {c['ratio']:.0f} a bare INSERT+COMMIT at {result['baseline']['median_ms']:.3f} ms)")


if __name__ == "__main__":
    main()
