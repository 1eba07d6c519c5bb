"""credo classify --from YYYY-MM-DD --to YYYY-MM-DD [--method pyramid|abc] [--format json|text] [--user NAME]

Computes and stores a classification snapshot of every active customer over the goods sales of the period,
then prints it. JSON: {"period": {"from", "to"}, "method", "customers": {code: class}, "totals": {class: n}}
(the method's classes: A B C D for the pyramid, A B C for ABC). Text: the totals per class, with a progress bar
on stderr while the results are written. Exit status 2 on bad input, naming the option.
"""

import datetime
import json
from decimal import Decimal

from django.core.management.base import BaseCommand

from credo.classification import rules, services
from credo.classification.models import ClassResult
from credo.core.command_options import bad, format_option, user_option
from credo.core.errors import ValidationError
from credo.customers.management.commands._spreadsheet_command import progress_bar

OPTION_OF_FIELD = {"period_from": "--from", "period_to": "--to", "method": "--method"}


def date_option(name: str, text: str | None) -> datetime.date:
    text = (text or "").strip()
    if not text:
        bad(f"{name}: give the date as YYYY-MM-DD.")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        bad(f"{name} {text!r}: not a date; write it as YYYY-MM-DD.")


class Command(BaseCommand):
    help = "Classify the customers (SPEC §2: pyramid or ABC) over a period and store the snapshot."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="period_from", default=None, metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="period_to", default=None, metavar="YYYY-MM-DD")
        parser.add_argument("--method", default=rules.PYRAMID, metavar="pyramid|abc")
        parser.add_argument("--format", dest="format", default="text", metavar="json|text")
        parser.add_argument("--user", default="", metavar="USERNAME",
                            help="act as this user (needs classification.run); default: the system")

    def handle(self, *args, **options):
        period_from = date_option("--from", options.get("period_from"))
        period_to = date_option("--to", options.get("period_to"))
        if period_to < period_from:
            bad(f"--to {period_to}: the end of the period is before --from {period_from}.")
        method = (options.get("method") or "").strip().lower()
        if method not in rules.METHODS:
            bad(f"--method {options.get('method')!r}: choose pyramid or abc.")
        fmt = format_option(options.get("format"))
        user = user_option(options.get("user"), "classification.run", "run classifications")
        verbosity = 0 if fmt == "json" else options.get("verbosity", 1)
        with progress_bar(verbosity) as bar:
            task = bar.add_task("classify", total=None)

            def progress(done, total):
                bar.update(task, completed=done, total=total)

            try:
                run = services.compute_snapshot(user, method, period_from, period_to, progress=progress)
            except ValidationError as exc:
                problems = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
                bad(" ".join(f"{OPTION_OF_FIELD.get(f, f)}: {' '.join(m)}" for f, m in problems.items()))
        if fmt == "json":
            customers = dict(ClassResult.objects.filter(run=run).order_by("customer__code")
                             .values_list("customer__code", "klass"))
            doc = {"period": {"from": period_from.isoformat(), "to": period_to.isoformat()}, "method": method,
                   "customers": customers, "totals": run.totals}
            self.stdout.write(json.dumps(doc, ensure_ascii=False))
            return
        self.stdout.write(f"{run} — {run.customer_count} customers, sales {run.total_sales:,.2f}, "
                          f"top 20 % share {run.top20_share * 100:.2f} %")
        for klass in rules.CLASSES[method]:
            self.stdout.write(f"  {klass}: {run.totals.get(klass, 0)}  sales {Decimal(run.sales_per_class.get(klass, 0)):,.2f}")
