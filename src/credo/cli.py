"""`credo` — the command line: a thin entry point over Django's management commands.

  credo migrate                      apply database migrations
  credo serve [ADDR:PORT]            serve on 127.0.0.1:8000 (development server)
  credo demo --customers N           load demo data
  credo import customers|contacts FILE [--skip-bad-rows]
  credo import invoices|receipts FILE [--skip-bad-rows] [--user NAME]
  credo export customers FILE [--user NAME] [--q TEXT] …
  credo createuser NAME --role ROLE [--team TEAM]
  credo token NAME                   create an API token
  credo unlock NAME [--address IP]   lift a sign-in pause (audited); --address IP alone: that address; --list
  credo ledger reconcile             prove every balance against the documents
  credo ledger rebuild-month-sales   recompute the goods sales per customer and month from the invoices
  credo aging --as-of DATE --format json|xlsx
  credo dunning run [--as-of DATE]   check promises, open cases, write the dunning letters due (once)
  credo credit rerate [--as-of DATE] re-rate every customer due this quarter
  credo credit-limit METHOD …        a credit limit, step by step (working-capital | sales-volume | …)
  credo credit-control reviews|scan  annual limit reviews; late-payment credit stops over the ledger
  credo risk scan [--as-of DATE]     compute the risk signals and classes of every customer
  credo classify --from D --to D     pyramid or ABC snapshot of a period (--method, --format json)
  credo segments --from D --to D     value segments: profit after costs, 80/20 check, review list
  credo analysis REPORT              an analysis report (--format json|xlsx)
  credo visits plan --month YYYY-MM  everyone's visits and calls for the month
  credo <any Django command>         e.g. credo shell, credo createsuperuser
"""

import os
import sys

# Two-word commands map to one management command each.
PAIRS = {
    ("import", "customers"): "import_customers",
    ("import", "contacts"): "import_contacts",
    ("export", "customers"): "export_customers",
    ("import", "invoices"): "import_invoices",
    ("import", "receipts"): "import_receipts",
}
ALIASES = {"serve": "serve", "demo": "demo", "createuser": "createuser", "token": "token"}
# Commands spelled with a dash on the command line; Django command names cannot contain one.
DASHED = {"credit-limit": "credit_limit", "credit-control": "credit_control"}


def translate(argv: list[str]) -> list[str]:
    if argv and argv[0] in DASHED:
        return [DASHED[argv[0]], *argv[1:]]
    if len(argv) >= 2 and (argv[0], argv[1]) in PAIRS:
        return [PAIRS[(argv[0], argv[1])], *argv[2:]]
    if argv and argv[0] in ("import", "export"):
        kinds = sorted(k for verb, k in PAIRS if verb == argv[0])
        print(f"credo {argv[0]}: say what to {argv[0]}: {' | '.join(kinds)}", file=sys.stderr)
        raise SystemExit(2)
    return argv


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__.strip())
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credo.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["credo", *translate(argv)])


if __name__ == "__main__":
    main()
