"""credo credit-limit METHOD … --format json|text — a credit limit computed without a customer ("what if").

  credo credit-limit working-capital --current-assets X --inventory X --current-liabilities X
        --total-liabilities X --net-assets X [--grade AA|A|BB|B|C|D|NR] [--supplier-share 0.4] [--figure-high]
  credo credit-limit sales-volume --quarter-orders X --credit-days N [--grade G] [--overdue-amount-days X]
  credo credit-limit collections --monthly X X X X X X (newest first) --credit-days N [--weights 6,5,4,3,2,1]
  credo credit-limit revenue-tier --revenue X --levels revenue=1 goodwill=2 years_in_business=1 …

The tables are the version in force today (--as-of picks another day). JSON keys are the SPEC quantities in
snake_case (working_capital, working_assets, current_ratio, …, limit, credit_line), amounts as strings with 2
decimals, ratios as strings with 5, with "steps" (label, formula, figures, value) and "policy" (the version).
Exit status: 0 computed; 1 cannot compute ("outcome": "cannot_compute" and the "reason" naming the input,
still printed); 2 bad input, with a message naming the option.
"""

import datetime
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from credo.limits import methods, present, queries, rules

SUBCOMMANDS = {"working-capital": rules.WORKING_CAPITAL, "sales-volume": rules.SALES_VOLUME,
               "collections": rules.COLLECTIONS, "revenue-tier": rules.REVENUE_TIER}
FORMATS = ("json", "text")


def bad(message: str):
    raise CommandError(message, returncode=2)


def option_name(field: str) -> str:
    if field.startswith("level_"):
        return f"--levels {field[len('level_'):]}"
    return "--" + field.replace("_", "-")


class Command(BaseCommand):
    help = "Compute a credit limit with one of the four methods of SPEC §5.6, showing every step."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", metavar="|".join(SUBCOMMANDS))
        wc = sub.add_parser("working-capital", help="营运资产法: from the balance sheet")
        for name in ("current-assets", "inventory", "current-liabilities", "total-liabilities", "net-assets"):
            wc.add_argument(f"--{name}", default=None, metavar="X")
        wc.add_argument("--grade", default=None, metavar="AA|A|BB|B|C|D|NR")
        wc.add_argument("--supplier-share", dest="supplier_share", default=None, metavar="0.4",
                        help="our share of the customer's purchases, as a fraction")
        wc.add_argument("--figure-high", dest="figure_high", action="store_true",
                        help="the figure looks high for the grade (额度偏高)")
        sv = sub.add_parser("sales-volume", help="销售量法: from last quarter's orders")
        sv.add_argument("--quarter-orders", dest="quarter_orders", default=None, metavar="X")
        sv.add_argument("--credit-days", dest="credit_days", default=None, metavar="N")
        sv.add_argument("--grade", default=None, metavar="AA|A|BB|B|C|D")
        sv.add_argument("--overdue-amount-days", dest="overdue_amount_days", default=None, metavar="X",
                        help="overdue amount × days overdue, ¥·days")
        co = sub.add_parser("collections", help="回款额法: from the last months' collections")
        co.add_argument("--monthly", nargs="*", default=None, metavar="X", help="amounts, newest month first")
        co.add_argument("--credit-days", dest="credit_days", default=None, metavar="N")
        co.add_argument("--weights", default=None, metavar="6,5,4,3,2,1")
        rt = sub.add_parser("revenue-tier", help="基础信用额度法: revenue tier × assessments")
        rt.add_argument("--revenue", default=None, metavar="X")
        rt.add_argument("--levels", nargs="*", default=None, metavar="ITEM=LEVEL")
        for p in (wc, sv, co, rt):
            p.add_argument("--format", dest="format", default="text", metavar="json|text")
            p.add_argument("--as-of", dest="as_of", default="", metavar="YYYY-MM-DD",
                           help="use the tables in force on this day (default: today)")

    def handle(self, *args, **options):
        name = options.get("subcommand")
        if name not in SUBCOMMANDS:
            bad(f"credit-limit: say which method: {' | '.join(SUBCOMMANDS)}.")
        method = SUBCOMMANDS[name]
        fmt = (options.get("format") or "").strip().lower()
        if fmt not in FORMATS:
            bad(f"--format {options.get('format')!r}: choose json or text.")
        as_of = None
        if options.get("as_of"):
            try:
                as_of = datetime.date.fromisoformat(options["as_of"].strip())
            except ValueError:
                bad(f"--as-of {options['as_of']!r}: not a date; write it as YYYY-MM-DD.")
        policy = queries.policy_in_force(as_of)
        raw = self._raw(method, options)
        try:
            values, result = methods.what_if(method, raw, policy)
        except ValidationError as exc:
            problems = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            bad(" ".join(f"{option_name(field)}: {' '.join(msgs)}" if field else " ".join(msgs)
                         for field, msgs in problems.items()))
        doc = present.as_json(result, policy=policy, values=values)
        if fmt == "json":
            self.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(present.text_table(doc), ending="")
        if not result.ok:
            raise CommandError(doc["reason"], returncode=1)

    @staticmethod
    def _raw(method: str, options: dict) -> dict:
        if method == rules.REVENUE_TIER:
            levels = {}
            for item in options.get("levels") or []:
                code, sep, level = item.partition("=")
                if not sep or not code.strip():
                    bad(f"--levels {item!r}: write each as ITEM=LEVEL, e.g. goodwill=2.")
                levels[code.strip()] = level.strip()
            return {"revenue": options.get("revenue"), "levels": levels}
        if method == rules.COLLECTIONS:
            monthly = options.get("monthly")
            if monthly is not None:
                monthly = [part for item in monthly for part in item.replace(",", " ").split()]
            return {"monthly": monthly, "weights": options.get("weights"), "credit_days": options.get("credit_days")}
        return {k: options.get(k) for k in ("current_assets", "inventory", "current_liabilities", "total_liabilities",
                                             "net_assets", "grade", "supplier_share", "figure_high",
                                             "quarter_orders", "credit_days", "overdue_amount_days") if k in options}
