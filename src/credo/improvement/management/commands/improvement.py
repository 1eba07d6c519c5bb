"""credo improvement remind [--as-of YYYY-MM-DD] [--format json|text]

Tell the owners of improvement actions that fell due (due on or before --as-of, default today, and not done)
through their notifications (and e-mail when configured). Idempotent: each owner hears once per due date, so a
second run tells nobody again; moving the due date arms the reminder again. A bad argument exits with status
2 and names it. JSON {"as_of": "YYYY-MM-DD", "reminded": n}.
"""

import json

from django.core.management.base import BaseCommand

from credo.core.command_options import as_of_option, format_option
from credo.improvement import services


class Command(BaseCommand):
    help = "Service improvement: `credo improvement remind [--as-of YYYY-MM-DD]` tells owners their actions fell due."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["remind"], help="remind: tell owners of actions that fell due")
        parser.add_argument("--as-of", dest="as_of", default="", metavar="YYYY-MM-DD",
                            help="the business date to remind at (default today; not in the future)")
        parser.add_argument("--format", dest="format", default="text", metavar="json|text")

    def handle(self, *args, action, as_of, **options):
        fmt = format_option(options["format"], ("json", "text"))
        day = as_of_option(as_of, future_refused="reminders cannot be sent for a day still to come")
        count = services.remind(day)
        if fmt == "json":
            self.stdout.write(json.dumps({"as_of": day.isoformat(), "reminded": count}))
        else:
            self.stdout.write(f"{count} owner reminder(s) sent for improvement actions due by {day}.")
