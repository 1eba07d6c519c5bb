"""credo credit_control reviews|scan|demo: the annual limit review list; the batch scan for repeated late payment
(for a ledger loaded without the posting hooks, e.g. by import or the demo); demo credit data over the demo ledger."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from credo.core.clock import business_today


class Command(BaseCommand):
    help = ("Credit control. `reviews`: limits due for their annual review, with sales against target and credit "
            "problems. `scan`: stop credit for customers with repeated late payment (default 3 invoices paid late "
            "within 6 months); idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["reviews", "scan", "demo"])
        parser.add_argument("--as-of", dest="as_of", help="business date, YYYY-MM-DD (default today)")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, action, as_of=None, format="table", **options):  # noqa: A002 - option name
        try:
            day = datetime.date.fromisoformat(as_of) if as_of else business_today()
        except ValueError as exc:
            raise CommandError(f"--as-of: not a date (YYYY-MM-DD): {as_of!r}", returncode=2) from exc
        if action == "reviews":
            self._reviews(day, format)
        elif action == "demo":
            from credo.credit.demo import generate

            with transaction.atomic():
                result = generate(day)
            self.stdout.write(f"credit demo: {result.profiles} profiles, {result.stops} credit stop, "
                              f"{result.applications} applications waiting.")
        else:
            self._scan(day, format)

    def _reviews(self, day, fmt):
        from credo.credit.queries import reviews_due

        rows = [{"customer": p.customer.code, "name": p.customer.name, "limit": str(p.limit),
                 "approved_on": p.limit_approved_on.isoformat(),
                 "valid_until": p.limit_valid_until.isoformat() if p.limit_valid_until else None,
                 "sales_12m": str(p.sales_12m), "target": str(p.target_annual_sales) if p.target_annual_sales else None,
                 "target_reached": p.target_reached, "overdue_now": str(p.overdue_now), "stops": p.stop_count,
                 "reversals": p.reversal_count, "broken_promises": p.broken_promises, "problems": p.problems}
                for p in reviews_due(None, day)]
        if fmt == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        if not rows:
            self.stdout.write(f"no limit due for review on {day}.")
        for r in rows:
            self.stdout.write(f"{r['customer']:<10} {r['name'][:24]:<24} limit {r['limit']:>14} sales {r['sales_12m']:>14}"
                              f" target {'—' if r['target_reached'] is None else ('yes' if r['target_reached'] else 'no'):<3}"
                              f" problems {'yes' if r['problems'] else 'no'}")

    def _scan(self, day, fmt):
        from rich.progress import Progress

        from credo.credit.services import check_late_payments, late_payment_candidates

        candidates = late_payment_candidates(day)
        stopped = []
        with Progress(transient=True, disable=fmt == "json") as progress:
            task = progress.add_task("late payment", total=len(candidates))
            for customer_id in candidates:
                with transaction.atomic():
                    stop = check_late_payments(customer_id, day, "system")
                if stop is not None:
                    stopped.append({"customer_id": customer_id, "reason": stop.reason})
                progress.advance(task)
        if fmt == "json":
            self.stdout.write(json.dumps({"as_of": day.isoformat(), "checked": len(candidates), "stopped": stopped},
                                         ensure_ascii=False))
        else:
            self.stdout.write(f"{len(candidates)} customers checked, credit stopped for {len(stopped)}.")
            for row in stopped:
                self.stdout.write(f"  {row['customer_id']}: {row['reason']}")
