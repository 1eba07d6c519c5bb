"""credo analysis REPORT [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--by GROUP] [--kind KIND] [--expected PCT]
                        [--customer CODE] [--top N] [--format json|xlsx] [--output FILE] [--user NAME]

One customer-analysis report (composition, transactions, products, margin, cross, turnover, mix) as JSON
(the same document as GET /api/analysis/REPORT: amounts strings with 2 decimals, ratios 4 decimals, null
where a figure cannot be computed) or .xlsx. Without --user: every customer; with --user: that user's
customers. `mix --customer CODE` is one customer's product mix. Bad input exits with status 2 and names the
option.
"""

import json

from django.core.management.base import BaseCommand

from credo.analysis import queries
from credo.analysis.exporting import report_json, write_report_xlsx
from credo.core.command_options import bad, format_option, user_option
from credo.core.scopes import customer_q
from credo.customers.models import Customer


class Command(BaseCommand):
    help = "A customer-analysis report as JSON or .xlsx."

    def add_arguments(self, parser):
        parser.add_argument("report", metavar="REPORT", help=" | ".join(queries.REPORTS))
        parser.add_argument("--from", dest="date_from", default="", metavar="YYYY-MM-DD",
                            help="first day (default: 1 January of the --to year)")
        parser.add_argument("--to", dest="date_to", default="", metavar="YYYY-MM-DD", help="last day (default: today)")
        parser.add_argument("--by", default="", help="composition: kind|territory|importance|lifecycle|manager; "
                                                     "margin: product|customer")
        parser.add_argument("--kind", default="", help="only customers of this kind")
        parser.add_argument("--expected", default="", metavar="PCT", help="transactions: expected share in percent")
        parser.add_argument("--customer", default="", metavar="CODE",
                            help="only this customer (mix: the customer's product mix)")
        parser.add_argument("--top", default="", metavar="N",
                            help=f"mix: products with their own column (default {queries.MIX_TOP})")
        parser.add_argument("--format", dest="format", default="json", metavar="json|xlsx")
        parser.add_argument("--output", default="", metavar="FILE")
        parser.add_argument("--user", default="", metavar="NAME", help="only the customers this user may see")

    def handle(self, *args, **options):
        name = options["report"]
        if name not in queries.REPORTS:
            bad(f"REPORT {name!r}: choose one of {', '.join(queries.REPORTS)}.")
        fmt = format_option(options["format"], ("json", "xlsx"))
        user = user_option(options["user"], "analysis.view", "view the customer analysis")
        option_names = {"date_from": "--from", "date_to": "--to", "kind": "--kind", "expected": "--expected",
                        "top": "--top"}
        try:
            flt = queries.AnalysisFilter.from_mapping({k: options[k] for k in
                                                       ("date_from", "date_to", "by", "kind", "expected", "top")})
        except ValueError as exc:
            key = str(exc)
            bad(f"{option_names.get(key, key)} {options.get(key)!r}: not a valid value.")
        code = options["customer"].strip()
        if code:
            customers = Customer.objects.filter(code=code)
            if user is not None:
                customers = customers.filter(customer_q(user))
            flt.customer = customers.values_list("pk", flat=True).first()
            if flt.customer is None:
                bad(f"--customer {code!r}: no such customer" + (f" among those {user.username} may see." if user
                                                                 else "."))
        report = queries.build(name, user, flt)
        if fmt == "xlsx":
            path = options["output"] or f"{name}-{flt.date_from:%Y%m%d}-{flt.date_to:%Y%m%d}.xlsx"
            try:
                write_report_xlsx(path, report, flt).close()
            except OSError as exc:
                bad(f"--output {path!r}: {exc.strerror or exc}")
            self.stderr.write(f"wrote {path}")
            return
        text = json.dumps(report_json(report, flt), ensure_ascii=False, indent=1)
        if options["output"]:
            try:
                with open(options["output"], "w", encoding="utf-8") as out:
                    out.write(text)
            except OSError as exc:
                bad(f"--output {options['output']!r}: {exc.strerror or exc}")
        else:
            self.stdout.write(text)
