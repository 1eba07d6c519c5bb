"""Benchmark: order confirmation with the credit check (SPEC §5.8), in-process, at N customers and M invoices.

    DATABASE_URL=postgres://postgres@127.0.0.1/credo_bench .venv/bin/python benchmarks/credit_check.py \
        --customers 100000 --invoices 2000000 [--repeat 2000] [--reuse] [--json]

Data: the customers and invoices of the aging benchmark's generator (demo organisation, 80 % of the invoices open,
spread over 14 months), then one balance row per customer computed from its invoices (as the ledger keeps it) and
one credit profile per customer with an approved limit of 1.1 × its receivable + ¥20,000, so that orders fall both
sides of the limit. The grade policy's grace days are set to 365 so that the limit test, not the overdue test,
decides most orders (both read the same row). --reuse keeps a database that already holds the data.

Cases, each on --repeat draft orders of random customers (1–5 lines), 50 warm-up runs first; the cases take turns
order by order so that machine load and database state fall on all of them alike:

  confirm+check   sales.orders.confirm_order with the credit check registered (what a salesperson's click runs)
  check only      credo.credit.control.evaluate with the balance row already locked (the check's own cost:
                  profile, grade, grade policy; timed without the lock and the commit)

Baselines in the same process on the same data:

  confirm, no check   the same confirm_order with CONFIRMATION_CHECKS emptied
  bare lock+update    BEGIN; SELECT … FOR UPDATE the balance row; UPDATE open_orders; COMMIT
  SELECT 1            one round trip to the database through Django's cursor (the check makes two: the rating
                      app's current grade, then profile and grade policy in one query)

Reported: median, p95 and p99 in ms and the ratio of each median to "confirm, no check". Aim: confirmation with
the check under 2 ms median and 10 ms p99. Prints a table, or JSON with --json (used by run.py).
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
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from customer_list import prepare_database  # noqa: E402

WARMUP = 50


def summarise(samples: list[float]) -> dict:
    ordered = sorted(samples)

    def pick(q):
        return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))] * 1000

    middle = len(ordered) // 2
    median = (ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2) * 1000
    return {"median_ms": median, "p95_ms": pick(0.95), "p99_ms": pick(0.99), "runs": len(ordered)}


BALANCES_SQL = """
INSERT INTO sales_customerbalance (customer_id, receivable, unapplied_credit, open_orders, oldest_open_due_date,
                                   last_invoice_date, invoiced_total, paid_total, updated_at)
SELECT c.id, COALESCE(SUM(i.open_amount), 0), 0, 0, MIN(CASE WHEN i.open_amount > 0 THEN i.due_date END),
       MAX(i.invoice_date), COALESCE(SUM(i.amount), 0), 0, %s
FROM customers_customer c LEFT JOIN sales_invoice i ON i.customer_id = c.id
GROUP BY c.id
"""

PROFILES_SQL = """
INSERT INTO credit_creditprofile (customer_id, "limit", credit_days, discount_percent, discount_days, settlement_mode,
    credit_standard, collection_plan, collection_note, status, status_reason, limit_approved_on, limit_valid_until,
    trade_started_on, created_at, updated_at)
SELECT customer_id, ROUND(receivable * 1.1 + 20000, 2), 30, 0, 0, 'monthly', '', 'standard', '', 'normal', '',
       %s, %s, %s, %s, %s
FROM sales_customerbalance
"""


def generate(customers: int, invoices: int, seed: int, today: datetime.date) -> float:
    from aging import generate as generate_ledger
    from django.db import connection, transaction
    from django.utils import timezone

    from credo.core.demo import analyze
    from credo.credit.models import CreditProfile
    from credo.sales.models import CustomerBalance

    started = time.perf_counter()
    generate_ledger(customers, invoices, seed, today)
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(BALANCES_SQL, [now])
        cursor.execute(PROFILES_SQL, [today - datetime.timedelta(days=30), today + datetime.timedelta(days=335),
                                      today - datetime.timedelta(days=400), now, now])
    analyze(CustomerBalance, CreditProfile)
    return round(time.perf_counter() - started, 1)


def bench_user(role):
    """An administrator (all customers in scope, may create and confirm orders)."""
    from django.contrib.auth import get_user_model

    from credo.core.models import Profile

    user = get_user_model().objects.filter(username="bench_admin").first()
    if user is None:
        user = get_user_model().objects.create_user(username="bench_admin", password=None)
        Profile.objects.create(user=user, role=role, display_name="bench")
    return user


def make_orders(user, customer_ids: list[int], count: int, rng: random.Random, prefix: str) -> list:
    from django.db import transaction

    from credo.customers.models import Customer
    from credo.sales import orders
    from credo.sales.models import Product, SalesOrder

    products = list(Product.objects.all()[:20]) or [Product.objects.create(
        code="BENCH-P", name="基准产品", list_price="1000.00", cost="600.00")]
    SalesOrder.objects.filter(number__startswith=prefix).delete()
    made, day = [], datetime.date.today()  # noqa: DTZ011 - a business date for the bench
    with transaction.atomic():
        for n in range(count):
            lines = [(rng.choice(products), rng.randint(1, 20), None) for _ in range(rng.randint(1, 5))]
            customer = Customer(pk=rng.choice(customer_ids))
            made.append(orders.create_order(user, customer, number=f"{prefix}{n}", order_date=day, lines=lines))
    return made


def run(customers: int, invoices: int, repeat: int, reuse: bool, seed: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credo.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from credo.core.roles import Role
    from credo.credit import control
    from credo.credit.models import CreditProfile, PolicyDefault
    from credo.customers.models import Customer
    from credo.sales import orders
    from credo.sales.models import CustomerBalance, Invoice, SalesOrder
    from credo.sales.services import lock_balance

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    result: dict = {"db": connection.vendor, "customers": customers, "invoices": invoices, "repeat": repeat}
    have_c, have_i = Customer.objects.count(), Invoice.objects.count()
    if reuse and have_c == customers and have_i == invoices and CreditProfile.objects.count() == customers:
        result["demo_seconds"] = None
    else:
        if have_c or have_i:
            raise SystemExit(f"{connection.settings_dict['NAME']} already holds data; run fresh (without --reuse).")
        result["demo_seconds"] = generate(customers, invoices, seed, today)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE sales_customerbalance")
            cursor.execute("VACUUM ANALYZE credit_creditprofile")
    PolicyDefault.objects.update(grace_days=365)
    user = bench_user(Role.ADMINISTRATOR)
    rng = random.Random(seed)
    ids = list(Customer.objects.values_list("pk", flat=True))
    runs = repeat + WARMUP
    with_check = make_orders(user, ids, runs, rng, "BENCH-C-")
    without = make_orders(user, ids, runs, rng, "BENCH-N-")
    check_only_ids = [rng.choice(ids) for _ in range(runs)]
    bare_ids = [rng.choice(ids) for _ in range(runs)]

    def bare(customer_id):
        with transaction.atomic():
            balance = CustomerBalance.objects.select_for_update().get(customer_id=customer_id)
            CustomerBalance.objects.filter(pk=balance.pk).update(open_orders=balance.open_orders)

    def check_only(customer_id) -> float:
        """The check's own time: the balance row is locked before the clock starts (as confirm_order has it)."""
        with transaction.atomic():
            balance = lock_balance(customer_id)
            start = time.perf_counter()
            control.evaluate(customer_id, 1000, balance)
            return time.perf_counter() - start

    def round_trip(_):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    def clocked(fn, *args) -> float:
        start = time.perf_counter()
        fn(*args)
        return time.perf_counter() - start

    saved = list(orders.CONFIRMATION_CHECKS)
    assert control.order_check in saved, "the credit app did not register its check"
    samples: dict[str, list[float]] = {"baseline": [], "confirm": [], "check": [], "bare": [], "trip": []}
    # The cases take turns, order by order, so that load on the machine and the database's state (caches, WAL
    # checkpoints) fall on all of them alike.
    try:
        for n in range(runs):
            orders.CONFIRMATION_CHECKS[:] = []
            baseline_time = clocked(orders.confirm_order, user, without[n])
            orders.CONFIRMATION_CHECKS[:] = saved
            times = {"baseline": baseline_time, "confirm": clocked(orders.confirm_order, user, with_check[n]),
                     "check": check_only(check_only_ids[n]), "bare": clocked(bare, bare_ids[n]),
                     "trip": clocked(round_trip, n)}
            if n >= WARMUP:
                for key, value in times.items():
                    samples[key].append(value)
    finally:
        orders.CONFIRMATION_CHECKS[:] = saved
    baseline, confirm, check, bare_result, trip = (summarise(samples[k])
                                                   for k in ("baseline", "confirm", "check", "bare", "trip"))
    measured = SalesOrder.objects.filter(number__startswith="BENCH-C-")
    result["outcome"] = {"confirmed": measured.filter(status="confirmed").count(),
                         "held": measured.filter(status="held").count()}
    result["baseline"] = baseline
    cases = [
        {"user": "admin", "case": "confirm+check", **confirm},
        {"user": "—", "case": "check only", **check},
        {"user": "—", "case": "bare lock+update", **bare_result},
        {"user": "—", "case": "SELECT 1", **trip},
    ]
    for case in cases:
        case["ratio"] = case["median_ms"] / baseline["median_ms"] if baseline["median_ms"] else None
    result["cases"] = cases
    result["aim_met"] = confirm["median_ms"] < 2 and confirm["p99_ms"] < 10
    return result


def format_table(result: dict) -> str:
    lines = [f"order confirmation with credit check — {result['db']}, {result['customers']:,} customers, "
             f"{result['invoices']:,} invoices"
             + (f", generated in {result['demo_seconds']} s" if result.get("demo_seconds") else ""),
             f"outcome of the measured confirmations: {result['outcome']}",
             f"{'case':<20} {'median ms':>10} {'p95 ms':>9} {'p99 ms':>9} {'× no check':>11}"]
    b = result["baseline"]
    lines.append(f"{'confirm, no check':<20} {b['median_ms']:>10.3f} {b['p95_ms']:>9.3f} {b['p99_ms']:>9.3f} {1:>11}")
    for case in result["cases"]:
        lines.append(f"{case['case']:<20} {case['median_ms']:>10.3f} {case['p95_ms']:>9.3f} {case['p99_ms']:>9.3f} "
                     f"{case['ratio']:>11.2f}")
    lines.append(f"aim (median < 2 ms, p99 < 10 ms): {'met' if result['aim_met'] else 'NOT met'}")
    return "\n".join(lines)


def own_database(url: str) -> str:
    if url.startswith("sqlite:"):
        return url.removesuffix(".sqlite3") + "_credit.sqlite3"
    return url.rstrip("/") + "_credit"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--invoices", type=int, default=None, help="default: 20 per customer")
    parser.add_argument("--repeat", type=int, default=2000, help="timed confirmations per case")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reuse", action="store_true", help="keep the database if it already holds the data")
    parser.add_argument("--json", action="store_true", help="print the result as JSON (for run.py)")
    args = parser.parse_args(argv)
    if args.customers < 1:
        parser.error("--customers must be at least 1")
    invoices = args.invoices if args.invoices is not None else args.customers * 20
    url = own_database(os.environ.get("DATABASE_URL") or "sqlite:////tmp/credo_bench.sqlite3")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "0")
    prepare_database(url, fresh=not args.reuse)
    result = run(args.customers, invoices, max(args.repeat, 100), args.reuse, args.seed)
    print(json.dumps(result, ensure_ascii=False) if args.json else format_table(result))


if __name__ == "__main__":
    main()
