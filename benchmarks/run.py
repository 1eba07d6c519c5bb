"""Run every benchmark on SQLite and/or PostgreSQL and print one table (`make bench`).

    .venv/bin/python benchmarks/run.py [--customers N] [--db sqlite|postgres|both] [--repeat R] [--reuse]

Each benchmark runs in its own process per database (settings are read once per process), generates
its data with the demo generator into a database of its own:

  SQLite      sqlite:////tmp/credo_bench.sqlite3          (--sqlite-url)
  PostgreSQL  postgres://postgres@127.0.0.1/credo_bench   (--postgres-url; created if missing)

and reports median and p95 times with their ratio to a baseline query measured in the same run.
Absolute times depend on the machine; compare the ratios. Exit status 1 if a benchmark failed.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["customer_list", "aging", "posting", "credit_check", "classification", "sla_scan"]
# Benchmarks that report a p99 need more timed runs than the default.
MIN_REPEAT = {"credit_check": 1000}
# Repeats capped where one run takes seconds (snapshots of 100,000 customers).
MAX_REPEAT = {"classification": 5, "sla_scan": 3}
# Benchmarks that generate data of another shape get a database of their own (the URL with this suffix).
OWN_DATABASE = {"classification": "_classification"}
DEFAULT_URLS = {
    "sqlite": "sqlite:////tmp/credo_bench.sqlite3",
    "postgres": "postgres://postgres@127.0.0.1/credo_bench",
}


def own_url(url: str, suffix: str) -> str:
    """sqlite:////tmp/credo_bench.sqlite3 → sqlite:////tmp/credo_bench_x.sqlite3; postgres://…/credo_bench → …_x."""
    stem, dot, ext = url.rpartition(".") if url.startswith("sqlite") else (url, "", "")
    return f"{stem}{suffix}{dot}{ext}"


def run_one(name: str, db: str, url: str, args) -> dict:
    repeat = min(max(args.repeat, MIN_REPEAT.get(name, 0)), MAX_REPEAT.get(name, 1_000_000))
    if name in OWN_DATABASE:
        url = own_url(url, OWN_DATABASE[name])
    command = [sys.executable, str(HERE / f"{name}.py"), "--json", "--customers", str(args.customers),
               "--repeat", str(repeat), "--seed", str(args.seed)]
    if args.reuse:
        command.append("--reuse")
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0"}
    print(f"· {name} on {db} ({url}) …", file=sys.stderr, flush=True)
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        return {"benchmark": name, "db": db, "error": f"exit status {done.returncode}"}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["benchmark"] = name
    return result


def table(results: list[dict]) -> str:
    header = (f"{'benchmark':<14} {'db':<11} {'user':<14} {'case':<16} {'median ms':>10} {'p95 ms':>9} "
              f"{'× baseline':>11}")
    lines = [header, "-" * len(header)]
    for result in results:
        if "error" in result:
            lines.append(f"{result['benchmark']:<14} {result['db']:<11} failed: {result['error']}")
            continue
        base = result["baseline"]
        if "median_ms" not in base:  # one baseline per method (classification: DuckDB's pyramid and ABC)
            base = {"median_ms": result["baseline_median_ms"], "p95_ms": float("nan")}
        lines.append(f"{result['benchmark']:<14} {result['db']:<11} {'—':<14} {'baseline':<16} "
                     f"{base['median_ms']:>10.3f} {base['p95_ms']:>9.3f} {1:>11}")
        for case in result["cases"]:
            if "median_ms" not in case:
                lines.append(f"{result['benchmark']:<14} {result['db']:<11} {case['user']:<14} {case['case']:<16} "
                             f"{'HTTP ' + str(case.get('status')):>10}")
                continue
            ratio = f"{case['ratio']:.2f}" if case["ratio"] < 10 else f"{case['ratio']:.0f}"
            lines.append(f"{result['benchmark']:<14} {result['db']:<11} {case['user']:<14} {case['case']:<16} "
                         f"{case['median_ms']:>10.2f} {case['p95_ms']:>9.2f} {ratio:>11}")
    notes = []
    for result in results:
        if result.get("demo_seconds"):
            notes.append(f"{result['db']}: demo data for {result['customers']:,} customers generated in "
                         f"{result['demo_seconds']} s")
        for case in result.get("cases") or []:
            if "p99_ms" in case:
                notes.append(f"{result['db']}: {result['benchmark']} {case['case']}: p99 {case['p99_ms']:.2f} ms")
        if result.get("aim_met") is not None:
            notes.append(f"{result['db']}: {result['benchmark']} aim (median < 2 ms, p99 < 10 ms) "
                         f"{'met' if result['aim_met'] else 'not met'}; outcome {result.get('outcome')}")
        if result.get("receipts_per_second"):
            notes.append(f"{result['db']}: {result['receipts_per_second']} receipts posted per second through the services")
        if result.get("benchmark") == "sla_scan" and "open" in result:
            first = result["cases"][0]
            notes.append(f"{result['db']}: SLA scan of {result['open']:,} open clocks, {first['escalations']:,} "
                         f"escalations recorded and told in {first['median_ms'] / 1000:.2f} s (aim on PostgreSQL: < 5 s)")
        for user, scope in (result.get("scope") or {}).items():
            notes.append(f"{result.get('db')}: {user} sees {scope['customers']:,} customers; search term "
                         f"{scope['search_term']!r}")
    return "\n".join(lines + [""] + notes)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run Credo's benchmarks.")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per case (after 3 warm-up runs)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reuse", action="store_true",
                        help="reuse a benchmark database that already holds N customers instead of regenerating")
    parser.add_argument("--only", choices=BENCHMARKS, action="append", help="run only these benchmarks")
    parser.add_argument("--sqlite-url", default=DEFAULT_URLS["sqlite"])
    parser.add_argument("--postgres-url", default=DEFAULT_URLS["postgres"])
    parser.add_argument("--json", metavar="FILE", help="also write all results to FILE as JSON")
    args = parser.parse_args(argv)
    if args.customers < 1:
        parser.error("--customers must be at least 1")
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    urls = {"sqlite": args.sqlite_url, "postgres": args.postgres_url}
    results = [run_one(name, db, urls[db], args) for name in (args.only or BENCHMARKS) for db in dbs]
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2))
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
