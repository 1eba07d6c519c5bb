"""credo analysis REPORT [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--by GROUP] [--kind KIND] [--expected PCT]
                        [--format json|xlsx] [--output FILE] [--user NAME]

One customer-analysis report (composition, transactions, products, margin, cross, turnover) as JSON (the
same document as GET /api/analysis/REPORT: amounts strings with 2 decimals, ratios 4 decimals, null where
a figure cannot be computed) or .xlsx. Without --user: every customer; with --user: that user's customers.
Bad input exits with status 2 and names the option.
"""

import json

from django.core.management.base import BaseCommand

from credo.analysis import queries
from credo.analysis.exporting import report_json, write_report_xlsx
from credo.core.command_options import bad, format_option, user_option


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
        parser.add_argument("--format", dest="format", default="json", metavar="json|xlsx")
        parser.add_argument("--output", default="", metavar="FILE")
        parser.add_argument("--user", default="", metavar="NAME", help="only the customers this user may see")

    def handle(self, *args, **options):
        name = options["report"]
        if name not in queries.REPORTS:
            bad(f"REPORT {name!r}: choose one of {', '.join(queries.REPORTS)}.")
        fmt = format_option(options["format"], ("json", "xlsx"))
        user = user_option(options["user"], "analysis.view", "view the customer analysis")
        option_names = {"date_from": "--from", "date_to": "--to", "kind": "--kind", "expected": "--expected"}
        try:
            flt = queries.AnalysisFilter.from_mapping({k: options[k] for k in
                                                       ("date_from", "date_to", "by", "kind", "expected")})
        except ValueError as exc:
            key = str(exc)
            bad(f"{option_names.get(key, key)} {options.get(key)!r}: not a valid value.")
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
