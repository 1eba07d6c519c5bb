"""credo aging --as-of YYYY-MM-DD --format json|xlsx [--output FILE] [--user NAME]

Aging of receivables per customer as of a date. JSON:

  {"as_of": "2026-06-30", "buckets": ["current", "1-30", …, "180+"],
   "customers": [{"customer_code": "C001", "buckets": {"current": "100.00", …}, "total": "100.00"}, …],
   "totals": {"current": "…", …, "total": "…"}}

amounts as strings with 2 decimals, customers ordered by code, only customers with something open; the
labels follow the bucket set in force on the as-of date. Written row by row (100,000 customers stream).
Without --user: every customer; with --user: only the customers that user may see.
Bad input exits with status 2 and names the option.
"""

import datetime
import json
import sys
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from credo.core.clock import business_today
from credo.core.roles import has_perm
from credo.receivables import queries
from credo.receivables.exporting import write_aging_xlsx

FORMATS = ("json", "xlsx")


def bad(message: str):
    raise CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Aging of receivables per customer as of a date, as JSON or .xlsx."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", default="", metavar="YYYY-MM-DD",
                            help="the as-of date (default: today)")
        parser.add_argument("--format", dest="format", default="json", metavar="json|xlsx")
        parser.add_argument("--output", default="", metavar="FILE",
                            help="write here (default: standard output for json; aging-DATE.xlsx for xlsx)")
        parser.add_argument("--user", default="", metavar="NAME", help="only the customers this user may see")

    def handle(self, *args, **options):
        text = (options["as_of"] or "").strip()
        try:
            as_of = datetime.date.fromisoformat(text) if text else business_today()
        except ValueError:
            bad(f"--as-of {text!r}: not a date; write it as YYYY-MM-DD.")
        fmt = (options["format"] or "").strip().lower()
        if fmt not in FORMATS:
            bad(f"--format {options['format']!r}: choose json or xlsx.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                bad(f"--user {options['user']!r}: there is no active user of that name.")
            if not has_perm(user, "receivables.view"):
                raise CommandError(f"--user {options['user']!r} may not view receivables.", returncode=1)
        flt = queries.AgingFilter(as_of=as_of, group="customer")
        labels, rows = queries.iter_aging(user, flt)
        if fmt == "xlsx":
            path = options["output"] or f"aging-{as_of.isoformat()}.xlsx"
            try:
                workbook = write_aging_xlsx(path, flt, labels, rows)
                workbook.close()
            except OSError as exc:
                bad(f"--output {path!r}: {exc.strerror or exc}")
            self.stderr.write(f"wrote {path}")
            return
        if options["output"]:
            try:
                out = open(options["output"], "w", encoding="utf-8")  # noqa: SIM115
            except OSError as exc:
                bad(f"--output {options['output']!r}: {exc.strerror or exc}")
        else:
            out = self.stdout
        try:
            write_json(out.write if out is not self.stdout else (lambda text: out.write(text, ending="")),
                       as_of, labels, rows)
        finally:
            if out is not self.stdout:
                out.close()


def _m(value: Decimal) -> str:
    return f"{value:.2f}"


def write_json(write, as_of, labels, rows):
    """Stream the JSON document: one customer at a time, totals summed on the way (exact Decimals)."""
    totals = dict.fromkeys(labels, Decimal("0.00"))
    grand = Decimal("0.00")
    write(f'{{"as_of": {json.dumps(as_of.isoformat())}, "buckets": {json.dumps(labels)}, "customers": [')
    for n, row in enumerate(rows):
        for label in labels:
            totals[label] += row.buckets[label]
        grand += row.total
        item = {"customer_code": row.code, "buckets": {k: _m(row.buckets[k]) for k in labels}, "total": _m(row.total)}
        write(("" if n == 0 else ", ") + json.dumps(item, ensure_ascii=False))
    summary = json.dumps({**{k: _m(v) for k, v in totals.items()}, "total": _m(grand)})
    write(f'], "totals": {summary}}}\n')


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run as: credo aging …")
