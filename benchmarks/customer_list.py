"""Benchmark: the customer list page (/customers/) at N customers, server time measured in-process.

    DATABASE_URL=sqlite:////tmp/credo_bench.sqlite3 .venv/bin/python benchmarks/customer_list.py --customers 100000

Generates the data with the demo generator (`credo demo`) unless the database already holds exactly N
customers and --reuse is given, then times with django.test.Client, logged in as a sales manager
(team scope) and as an executive (all customers):

  page:first      first page, unfiltered
  page:search     ?q=<two characters of a brand name>
  page:search4    ?q=<four characters of a brand name> (trigram indexes on PostgreSQL need three or more)
  page:territory  ?territory=<a city>
  page:later      ?after=<cursor at 60 % of the user's customers> (keyset page)

and, without the view (template, middleware, session), the read queries it is built on:

  qs:*            queries.filtered_customers + queries.keyset_page for the same four cases
  qs:count        the total the list shows (qs.count())

Each case: 3 warm-up runs, then --repeat timed runs; median and p95 in milliseconds, and the ratio of
the median to a baseline measured in the same run on the same connection: a bare
`SELECT id, code, name FROM customers_customer ORDER BY code LIMIT 50`. Ratios, not absolute times,
are what to compare between machines. Prints a table, or JSON with --json (used by run.py).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

BASELINE_SQL = "SELECT id, code, name FROM customers_customer ORDER BY code LIMIT 50"


def prepare_database(url: str, fresh: bool) -> None:
    """Create the PostgreSQL database if needed (dropping it first when fresh); delete a fresh SQLite file."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = Path("/" + unquote(parsed.path).lstrip("/")) if url.startswith("sqlite:////") else Path(
            unquote(parsed.path).removeprefix("/"))
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        return
    import psycopg

    name = unquote(parsed.path.lstrip("/"))
    params = {"dbname": "postgres", "user": unquote(parsed.username or ""), "host": parsed.hostname or "",
              "port": parsed.port or 5432, "autocommit": True}
    if parsed.password:
        params["password"] = unquote(parsed.password)
    with psycopg.connect(**params) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def summarise(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000, "runs": len(ordered)}


def timed(fn, repeat: int, warmup: int = 3) -> dict:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return summarise(samples)


def run(customers: int, repeat: int, reuse: bool, seed: int = 0) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credo.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import prefetch_related_objects
    from django.test import Client

    from credo.core.models import Territory
    from credo.customers import queries
    from credo.customers.models import Customer

    call_command("migrate", verbosity=0)
    result: dict = {"db": connection.vendor, "customers": customers, "repeat": repeat}
    have = Customer.objects.count()
    if have != customers or not reuse:
        if have:
            raise SystemExit(f"{connection.settings_dict['NAME']} holds {have} customers; run fresh (without --reuse).")
        started = time.perf_counter()
        call_command("demo", customers=customers, seed=seed, verbosity=1, stdout=open(os.devnull, "w"))
        result["demo_seconds"] = round(time.perf_counter() - started, 1)
    else:
        result["demo_seconds"] = None

    cursor = connection.cursor()

    def baseline():
        cursor.execute(BASELINE_SQL)
        cursor.fetchall()

    result["baseline"] = timed(baseline, max(repeat, 50))
    base_ms = result["baseline"]["median_ms"]

    users = get_user_model().objects
    subjects = [("sales_manager", users.get(username="huadong_mgr")), ("executive", users.get(username="executive"))]
    city = Territory.objects.get(code="HD-SH")
    cases = []
    for label, user in subjects:
        scoped = queries.visible_customers(user).filter(is_active=True).order_by("code")
        total = scoped.count()
        middle = scoped.exclude(short_name="").values_list("short_name", flat=True)[total // 2]
        term, long_term = middle[:2], middle[:4]
        later_code = scoped.values_list("code", flat=True)[int(total * 0.6)]
        cursor_value = queries.encode_cursor([later_code])
        params = {
            "first": {},
            "search": {"q": term},
            "search4": {"q": long_term},
            "territory": {"territory": str(city.pk)},
            "later": {"after": cursor_value},
        }
        client = Client()
        client.force_login(user)
        for name, query in params.items():
            url = "/customers/" + ("?" + urlencode(query) if query else "")
            response = client.get(url)
            case = {"user": label, "case": f"page:{name}", "url": url, "status": response.status_code}
            if response.status_code == 200:
                case.update(timed(lambda url=url, client=client: client.get(url), repeat))
            cases.append(case)

        for name, query in params.items():
            flt = queries.CustomerFilter.from_mapping(query)

            def first_page(flt=flt, query=query, user=user):
                qs = queries.filtered_customers(user, flt).select_related("territory")
                page = queries.keyset_page(qs, queries.DEFAULT_SORT, after=query.get("after", ""), size=50)
                prefetch_related_objects(page.rows, "account_manager__profile")
                return page

            rows = len(first_page().rows)
            cases.append({"user": label, "case": f"qs:{name}", "rows": rows, **timed(first_page, repeat)})
        qs_all = queries.filtered_customers(user, queries.CustomerFilter())
        cases.append({"user": label, "case": "qs:count", "rows": total,
                      **timed(lambda qs_all=qs_all: qs_all.count(), repeat)})
        result.setdefault("scope", {})[label] = {"customers": total, "search_term": term, "long_search_term": long_term}
    for case in cases:
        if "median_ms" in case:
            case["ratio"] = case["median_ms"] / base_ms if base_ms else None
    result["cases"] = cases
    return result


def format_table(result: dict) -> str:
    lines = [f"customer list — {result['db']}, {result['customers']:,} customers"
             + (f", demo data generated in {result['demo_seconds']} s" if result.get("demo_seconds") else ""),
             f"baseline ({BASELINE_SQL}): median {result['baseline']['median_ms']:.3f} ms",
             f"{'user':<14} {'case':<16} {'median ms':>10} {'p95 ms':>10} {'× baseline':>11}"]
    return "\n".join(lines + case_lines(result["cases"], decimals=2, ratio_width=11, ratio_decimals=0))


def case_lines(cases: list[dict], *, decimals: int, ratio_width: int, ratio_decimals: int) -> list[str]:
    """One line per measured case (user, case, median, p95, ratio); HTTP status for a case that failed."""
    lines = []
    for case in cases:
        if "median_ms" in case:
            lines.append(f"{case['user']:<14} {case['case']:<16} {case['median_ms']:>10.{decimals}f} "
                         f"{case['p95_ms']:>10.{decimals}f} {case['ratio']:>{ratio_width}.{ratio_decimals}f}")
        else:
            lines.append(f"{case['user']:<14} {case['case']:<16} {'HTTP ' + str(case.get('status')):>10}")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reuse", action="store_true", help="keep the database if it already has N customers")
    parser.add_argument("--json", action="store_true", help="print the result as JSON (for run.py)")
    args = parser.parse_args(argv)
    if args.customers < 1:
        parser.error("--customers must be at least 1")
    url = os.environ.get("DATABASE_URL") or "sqlite:////tmp/credo_bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "0")  # no query log: time what production runs
    prepare_database(url, fresh=not args.reuse)
    result = run(args.customers, args.repeat, args.reuse, args.seed)
    print(json.dumps(result, ensure_ascii=False) if args.json else format_table(result))


if __name__ == "__main__":
    main()
