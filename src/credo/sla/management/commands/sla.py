"""credo sla due --from "YYYY-MM-DD HH:MM" --hours H [--format json|text]
credo sla scan [--as-of "YYYY-MM-DD HH:MM"] [--format json|text]

scan: warn the owners of the clocks that used their warning share and record (and tell) the breaches due by
--as-of (default now), in batches with a progress bar. Idempotent: a second scan at the same moment tells
nobody again. JSON {"as_of": …, "warned": n, "breached": n, "notifications": n}.

The company business calendar as a what-if: when H business hours (1.5 is 90 minutes) starting at that local
time run out. JSON {"due": "YYYY-MM-DD HH:MM"}: the moment the last business minute ends (a budget that runs out
at 18:00 is due at 18:00 that day, not at 09:00 the next); a start outside working hours counts from the next
working minute; 0 hours is due at the next working minute (the start itself within working hours). A due that
is not on a whole minute (hours that are not whole minutes) carries its seconds: "YYYY-MM-DD HH:MM:SS".
Bad input (a start that is not "YYYY-MM-DD HH:MM", hours that are not a number or are negative) exits with
status 2 and names the option.
"""

import datetime
import json

from django.conf import settings
from django.core.management.base import BaseCommand

from credo.core.command_options import bad, format_option
from credo.sla import services as sla_services
from credo.worktime import queries, rules


class Command(BaseCommand):
    help = ('Service times on the business calendar: `credo sla due --from "YYYY-MM-DD HH:MM" --hours H`; '
            '`credo sla scan [--as-of "YYYY-MM-DD HH:MM"]` warns and records breaches.')

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["due", "scan"],
                            help="due: when H business hours from a moment run out; scan: escalations and breaches")
        parser.add_argument("--from", dest="start", default="", metavar='"YYYY-MM-DD HH:MM"',
                            help=f"the start, company time ({settings.TIME_ZONE})")
        parser.add_argument("--hours", default="", metavar="H", help="business hours; 1.5 is 90 minutes")
        parser.add_argument("--as-of", dest="as_of", default="", metavar='"YYYY-MM-DD HH:MM"',
                            help="scan: the moment to scan at, company time (default now)")
        parser.add_argument("--format", dest="format", default="text", metavar="json|text")

    def handle(self, *args, action, start, hours, **options):
        fmt = format_option(options["format"], ("json", "text"))
        if action == "scan":
            return self.scan(options["as_of"], fmt)
        if not start:
            bad('--from is required: the start as "YYYY-MM-DD HH:MM".')
        if hours == "":
            bad("--hours is required: the business hours, e.g. 8 or 1.5.")
        zone = settings.TIME_ZONE
        try:
            moment = rules.parse_local_moment(start, zone)
        except rules.CalendarError:
            bad(f'--from {start!r}: not a moment; write it as "YYYY-MM-DD HH:MM".')
        try:
            duration = rules.parse_hours(hours)
        except rules.CalendarError as exc:
            reason = {"hours_negative": "the hours may not be negative",
                      "hours_too_large": f"at most {rules.MAX_HOURS} hours"}.get(
                exc.code, "not a number of hours (1.5 is 90 minutes)")
            bad(f"--hours {hours!r}: {reason}.")
        calendar = queries.company_calendar()
        try:
            due = calendar.add_business_time(moment, duration)
        except rules.NoWorkingTime:
            bad("the business calendar has no working time to count --hours in: give the weekdays working hours "
                "(see credo calendar show).")
        if fmt == "json":
            self.stdout.write(json.dumps({"due": rules.moment_text(due, zone)}))
            return
        counted_from = calendar.next_working_moment(moment)
        note = "" if counted_from == moment else f", counted from {rules.moment_text(counted_from, zone)}"
        unit = "business hour" if duration == datetime.timedelta(hours=1) else "business hours"
        self.stdout.write(f"due {rules.moment_text(due, zone)} ({due:%A}): {hours} {unit} from "
                          f"{rules.moment_text(moment, zone)}{note}")

    def scan(self, as_of: str, fmt: str):
        from rich.progress import Progress

        zone = settings.TIME_ZONE
        moment = None
        if as_of:
            try:
                moment = rules.parse_local_moment(as_of, zone)
            except rules.CalendarError:
                bad(f'--as-of {as_of!r}: not a moment; write it as "YYYY-MM-DD HH:MM".')
        with Progress(transient=True, disable=fmt == "json") as progress:
            task = progress.add_task("SLA scan", total=None)

            def advance(done, total):
                progress.update(task, completed=done, total=total)

            result = sla_services.scan(moment, progress=advance)
        figures = {"as_of": rules.moment_text(result.as_of, zone), "warned": result.warned,
                   "breached": result.breached, "notifications": result.notifications}
        if fmt == "json":
            self.stdout.write(json.dumps(figures))
            return
        self.stdout.write(f"SLA scan at {figures['as_of']}: {result.warned} warned, {result.breached} breached, "
                          f"{result.notifications} notifications")
