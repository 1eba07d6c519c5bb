"""credo risk scan [--as-of YYYY-MM-DD] [--format text|json] [--no-notify]

Computes every risk signal (SPEC §5.10) and the risk class CA1–CA5 (SPEC §5.9) of every customer as of the
date (default today). Idempotent: an active signal is not created twice, a signal whose figures no longer
show it is cleared. New signals on key customers or customers owing more than the settings' threshold
notify their account manager and the credit controllers (--no-notify: record them without alerts, e.g. the
first run over an existing ledger). Bad input exits with status 2 and names the option.
"""

import json

from django.core.management.base import BaseCommand

from credo.core.command_options import as_of_option, format_option
from credo.customers.management.commands._spreadsheet_command import progress_bar
from credo.risk.models import COMPUTED_KINDS
from credo.risk.scan import run_scan


class Command(BaseCommand):
    help = "Risk: `credo risk scan --as-of DATE` computes every customer's risk signals and risk class."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["scan"], help="what to do: scan")
        parser.add_argument("--as-of", dest="as_of", default="", metavar="YYYY-MM-DD",
                            help="compute the signals as of this date (default: today; not in the future)")
        parser.add_argument("--format", dest="format", default="text", metavar="text|json")
        parser.add_argument("--no-notify", dest="notify", action="store_false",
                            help="record new signals without notifying anyone")

    def handle(self, *args, action, **options):
        as_of = as_of_option(options["as_of"], future_refused="the scan cannot look into the future")
        fmt = format_option(options["format"])
        with progress_bar(options["verbosity"] if fmt == "text" else 0) as bar:
            task = bar.add_task("risk scan", total=None)
            result = run_scan(as_of, notify=options["notify"],
                              progress=lambda done, total: bar.update(task, completed=done, total=total))
        if fmt == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(f"risk scan as of {as_of}: {result.customers} customers in {result.seconds:.1f} s; "
                          f"new signals {sum(result.new.values())}, cleared {sum(result.cleared.values())}; "
                          f"risk classes changed {result.classes_changed}; notifications {result.notifications}")
        for kind in COMPUTED_KINDS:
            if result.new.get(kind) or result.cleared.get(kind):
                self.stdout.write(f"  {kind:<22} new {result.new.get(kind, 0):>6}  cleared "
                                  f"{result.cleared.get(kind, 0):>6}")
