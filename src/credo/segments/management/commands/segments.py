"""credo segments --from YYYY-MM-DD --to YYYY-MM-DD [--format json|text] [--user NAME]

Computes and stores the value segments (SPEC §2.4) of every active customer over the period: profit after
service, complaint, collection and bad-debt costs, the growth gap against the estimated potential, and the
80/20 check (§2.5). JSON: {"period": {"from", "to"}, "customers": {code: segment}, "totals": {segment: n},
"top20": {"sales_share", "profit_share"}, "review": [codes]}. Segments: MV most valuable, MG most growable,
M maintain, BZ below zero. Exit status 2 on bad input, naming the option."""

import json

from django.core.management.base import BaseCommand

from credo.classification.management.commands.classify import date_option
from credo.core.command_options import bad, format_option, user_option
from credo.core.errors import ValidationError
from credo.customers.management.commands._spreadsheet_command import progress_bar
from credo.segments import queries, services
from credo.segments.models import SegmentResult

OPTION_OF_FIELD = {"period_from": "--from", "period_to": "--to"}


class Command(BaseCommand):
    help = "Compute the customers' value segments (SPEC §2.4) over a period and store the snapshot."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="period_from", default=None, metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="period_to", default=None, metavar="YYYY-MM-DD")
        parser.add_argument("--format", dest="format", default="text", metavar="json|text")
        parser.add_argument("--user", default="", metavar="USERNAME",
                            help="act as this user (needs classification.run); default: the system")

    def handle(self, *args, **options):
        period_from = date_option("--from", options.get("period_from"))
        period_to = date_option("--to", options.get("period_to"))
        if period_to < period_from:
            bad(f"--to {period_to}: the end of the period is before --from {period_from}.")
        fmt = format_option(options.get("format"))
        user = user_option(options.get("user"), "classification.run", "run classifications")
        verbosity = 0 if fmt == "json" else options.get("verbosity", 1)
        with progress_bar(verbosity) as bar:
            task = bar.add_task("segments", total=None)
            try:
                run = services.compute_segments(user, period_from, period_to, progress=lambda done, total: bar.update(
                    task, completed=done, total=total))
            except ValidationError as exc:
                problems = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
                bad(" ".join(f"{OPTION_OF_FIELD.get(f, f)}: {' '.join(m)}" for f, m in problems.items()))
        review = [item["result"].customer.code for item in queries.review_list(user, run)]
        if fmt == "json":
            customers = dict(SegmentResult.objects.filter(run=run).order_by("customer__code")
                             .values_list("customer__code", "segment"))
            doc = {"period": {"from": period_from.isoformat(), "to": period_to.isoformat()}, "customers": customers,
                   "totals": run.totals, "total_sales": f"{run.total_sales:.2f}",
                   "total_profit": f"{run.total_profit:.2f}",
                   "top20": {"sales_share": _share(run.top20_sales_share),
                             "profit_share": _share(run.top20_profit_share)},
                   "review": review}
            self.stdout.write(json.dumps(doc, ensure_ascii=False))
            return
        self.stdout.write(f"{run} — {run.customer_count} customers, sales {run.total_sales:,.2f}, "
                          f"profit after costs {run.total_profit:,.2f}")
        for segment, count in run.totals.items():
            self.stdout.write(f"  {segment}: {count}")
        self.stdout.write(f"top 20 %: share of sales {_percent(run.top20_sales_share)}, "
                          f"share of profit {_percent(run.top20_profit_share)}; {len(review)} customers to review")


def _share(value):
    return None if value is None else str(value)


def _percent(value):
    return "—" if value is None else f"{value * 100:.1f} %"
