"""credo visits plan --month YYYY-MM [--person NAME] [--user NAME] [--format text|json]

Generates each person's planned visits and calls of the month from the visit policy, the customers' current
classes and their account managers (see credo.visits.planning): the salesperson's rows for the account manager,
the business manager's for the team's manager, the marketing director's and GM/VP's for the holders of those ranks
(level follow-ups, 水平追踪; rates below one a month in the customer's slot month only), with a collection visit for
customers with a live collection case or an invoice due in the month. Running it again does not duplicate: it moves planned
rows and removes those no longer asked for, never touching recorded ones.
Bad input exits with status 2 and names the option.
"""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from credo.core.command_options import bad, format_option, user_option
from credo.customers.management.commands._spreadsheet_command import progress_bar
from credo.visits import rules
from credo.visits.planning import generate_plan


class Command(BaseCommand):
    help = "Visit plans: `credo visits plan --month YYYY-MM` writes the month's planned visits and calls."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["plan"], help="what to do: plan")
        parser.add_argument("--month", default="", metavar="YYYY-MM", help="the month to plan (required)")
        parser.add_argument("--person", default="", metavar="NAME",
                            help="only the customers this account manager holds (default: everybody)")
        parser.add_argument("--user", default="", metavar="NAME",
                            help="run in this user's name (needs the visits.plan permission; default: system)")
        parser.add_argument("--format", dest="format", default="text", metavar="text|json")

    def handle(self, *args, action, **options):
        month = rules.parse_month(options["month"])
        if month is None:
            bad(f"--month {options['month']!r}: give the month as YYYY-MM.")
        fmt = format_option(options["format"])
        user = user_option(options["user"], "visits.plan", "plan visits")
        person_ids = None
        if options["person"]:
            person = get_user_model().objects.filter(username=options["person"], is_active=True).first()
            if person is None:
                bad(f"--person {options['person']!r}: there is no active user of that name.")
            person_ids = [person.pk]
        with progress_bar(options["verbosity"] if fmt == "text" else 0) as bar:
            task = bar.add_task("visit plan", total=None)
            result = generate_plan(month, actor=user, person_ids=person_ids,
                                   progress=lambda done, total: bar.update(task, completed=done, total=total))
        if fmt == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        classes = ", ".join(f"{k} {v}" for k, v in result.by_class.items()) or "none"
        self.stdout.write(
            f"visit plan {result.month}: {result.persons} persons, {result.customers} customers; "
            f"visits {result.visits}, calls {result.calls}, collection visits {result.collection_visits}, "
            f"level follow-ups {result.level_follow_ups} "
            f"(by class: {classes}); created {result.created}, moved {result.moved}, unchanged {result.unchanged}, "
            f"removed {result.removed}, already recorded {result.kept_recorded}")
