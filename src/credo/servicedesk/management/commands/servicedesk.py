"""credo servicedesk remind [--as-of YYYY-MM-DD] [--days N] [--format json|text]

Reminds each account manager of their customers' active service contracts expiring within N days (default
30) of --as-of (default today). Idempotent: a contract is reminded once for each expiry date. Bad input exits
with status 2 and names the option."""

import datetime
import json

from django.core.management.base import BaseCommand

from credo.core.clock import business_today
from credo.core.command_options import bad, format_option
from credo.servicedesk import services


class Command(BaseCommand):
    help = "Service desk jobs: `credo servicedesk remind [--as-of YYYY-MM-DD] [--days N]` (contract expiry)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["remind"], help="remind: tell account managers of expiring contracts")
        parser.add_argument("--as-of", dest="as_of", default="", metavar="YYYY-MM-DD",
                            help="the day to look ahead from (default today)")
        parser.add_argument("--days", default="30", metavar="N", help="how many days ahead (1–366, default 30)")
        parser.add_argument("--format", dest="format", default="text", metavar="json|text")

    def handle(self, *args, action, as_of, days, **options):
        fmt = format_option(options["format"])
        text = (as_of or "").strip()
        day = business_today()
        if text:
            try:
                day = datetime.date.fromisoformat(text)
            except ValueError:
                bad(f"--as-of {as_of!r}: not a date; write it as YYYY-MM-DD.")
        try:
            ahead = int(str(days).strip())
        except ValueError:
            ahead = 0
        if not 1 <= ahead <= 366:
            bad(f"--days {days!r}: give a whole number of days from 1 to 366.")
        result = services.remind_expiring(day, days=ahead)
        if fmt == "json":
            self.stdout.write(json.dumps({"as_of": day.isoformat(), "days": ahead, "contracts": result.contracts,
                                          "notifications": result.notifications,
                                          "without_manager": result.without_manager}))
            return
        self.stdout.write(f"{result.contracts} contracts expiring by {day + datetime.timedelta(days=ahead)} reminded "
                          f"({result.notifications} notifications; {result.without_manager} customers without an "
                          f"account manager).")
