"""credo credit rerate [--as-of YYYY-MM-DD] [--user NAME] [--batch-size N] [--format text|json]

Rates every customer due on the as-of date (default today): active, with something to rate (a statement, a
5C evaluation, a completed investigation or a ledger) and no rating since the as-of quarter began. Running it
again in the same quarter rates nobody. Lists the customers whose grade moved (from → to).
Bad input exits with status 2 and names the option.
"""

import json

from django.core.management.base import BaseCommand

from credo.core.command_options import as_of_option, bad, format_option, user_option
from credo.customers.management.commands._spreadsheet_command import progress_bar
from credo.customers.models import Customer
from credo.rating import rules
from credo.rating.rate import RerateResult, rerate_due


class Command(BaseCommand):
    help = "Credit rating: `credo credit rerate --as-of DATE` re-rates every customer due this quarter."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rerate"], help="what to do: rerate")
        parser.add_argument("--as-of", dest="as_of", default="", metavar="YYYY-MM-DD",
                            help="rate as of this date (default: today; not in the future)")
        parser.add_argument("--user", default="", metavar="NAME",
                            help="rate in this user's name (needs the rating permission; default: system)")
        parser.add_argument("--batch-size", dest="batch_size", default="1000", metavar="N",
                            help="customers rated per transaction (default 1000)")
        parser.add_argument("--format", dest="format", default="text", metavar="text|json")

    def handle(self, *args, action, **options):
        as_of = as_of_option(options["as_of"], future_refused="a rating cannot be dated in the future")
        fmt = format_option(options["format"])
        try:
            batch_size = int(options["batch_size"])
        except ValueError:
            batch_size = 0
        if not 1 <= batch_size <= 10000:
            bad(f"--batch-size {options['batch_size']!r}: give a whole number from 1 to 10000.")
        user = user_option(options["user"], "credit.rate", "rate customers")

        with progress_bar(options["verbosity"] if fmt == "text" else 0) as bar:
            task = bar.add_task("rerate", total=None)
            result = rerate_due(as_of, user=user, batch_size=batch_size,
                                progress=lambda done, total: bar.update(task, completed=done, total=total))
        moves = self._moves(result)
        if fmt == "json":
            self.stdout.write(json.dumps(self._as_dict(result, moves), ensure_ascii=False))
            return
        self.stdout.write(
            f"rerate as of {as_of} (quarter {rules.quarter_label(as_of)} from {result.quarter_start}): "
            f"{result.due} due, {result.rated} rated ({result.first} for the first time), {len(moves)} grades moved; "
            f"{result.without_data} customers have nothing to rate yet; "
            f"{self._per_customer_ms(result):.2f} ms per customer")
        for move in moves:
            self.stdout.write(f"  {move['code']}  {move['name']}  {move['from']} → {move['to']}  ({move['score']})")

    def _moves(self, result: RerateResult) -> list[dict]:
        found = {pk: (code, name) for pk, code, name in Customer.objects.filter(
            pk__in=[m.customer_id for m in result.moves]).values_list("pk", "code", "name")}
        rows = [{"customer_id": m.customer_id, "code": found.get(m.customer_id, ("", ""))[0],
                 "name": found.get(m.customer_id, ("", ""))[1], "from": m.previous, "to": m.grade,
                 "direction": m.direction, "score": str(m.score)} for m in result.moves]
        return sorted(rows, key=lambda row: row["code"])

    @staticmethod
    def _per_customer_ms(result: RerateResult) -> float:
        return result.seconds * 1000 / result.rated if result.rated else 0.0

    def _as_dict(self, result: RerateResult, moves: list[dict]) -> dict:
        return {"as_of": result.as_of.isoformat(), "quarter": rules.quarter_label(result.as_of),
                "quarter_start": result.quarter_start.isoformat(), "due": result.due, "rated": result.rated,
                "first": result.first, "without_data": result.without_data, "moved": moves,
                "seconds": round(result.seconds, 3), "ms_per_customer": round(self._per_customer_ms(result), 3)}
