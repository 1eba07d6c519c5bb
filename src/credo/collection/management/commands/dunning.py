"""credo dunning run [--as-of YYYY-MM-DD] [--pdf-dir DIR] [--user NAME] [--format text|json]

Checks promises to pay, opens collection cases and writes the dunning letters that are due on the as-of
date (default today) by the schedule, once: running it again the same day creates nothing new. Closes open
cases of customers with nothing overdue. --pdf-dir writes each new letter as a PDF for printing.
Bad input exits with status 2 and names the option.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from credo.collection.dunning import letter_pdf, run_dunning
from credo.collection.models import DunningLetter
from credo.core.command_options import as_of_option, bad, format_option, user_option
from credo.customers.management.commands._spreadsheet_command import progress_bar


class Command(BaseCommand):
    help = "Dunning: `credo dunning run --as-of DATE` writes the letters that are due, once."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["run"], help="what to do: run")
        parser.add_argument("--as-of", dest="as_of", default="", metavar="YYYY-MM-DD",
                            help="count days overdue to this date (default: today; not in the future)")
        parser.add_argument("--pdf-dir", dest="pdf_dir", default="", metavar="DIR",
                            help="also write each new letter as DIR/<letter number>.pdf")
        parser.add_argument("--user", default="", metavar="NAME",
                            help="run in this user's name (needs the dunning permission; default: system)")
        parser.add_argument("--format", dest="format", default="text", metavar="text|json")

    def handle(self, *args, action, **options):
        as_of = as_of_option(options["as_of"], future_refused="letters cannot be dated in the future")
        fmt = format_option(options["format"])
        user = user_option(options["user"], "collection.dunning", "run dunning")
        actor = user.username if user else "system"
        pdf_dir = Path(options["pdf_dir"]) if options["pdf_dir"] else None
        if pdf_dir is not None:
            try:
                pdf_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                bad(f"--pdf-dir {options['pdf_dir']!r}: {exc.strerror}.")

        with progress_bar(options["verbosity"] if fmt == "text" else 0) as bar:
            task = bar.add_task("dunning", total=None)
            result = run_dunning(as_of, actor=actor, progress=lambda done, total: bar.update(task, completed=done,
                                                                                           total=total))
        if pdf_dir is not None:
            for letter in DunningLetter.objects.filter(pk__in=result.letter_ids).select_related("customer"):
                (pdf_dir / f"{letter.number}.pdf").write_bytes(letter_pdf(letter))
        if fmt == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        letters = ", ".join(f"{level} {n}" for level, n in result.letters.items())
        self.stdout.write(f"dunning as of {as_of}: letters {letters}; cases opened {result.cases_opened}, "
                          f"closed {result.cases_closed}; held back by a promise or plan {result.held_back}; "
                          f"promises kept {result.promises.get('kept', 0)}, broken {result.promises.get('broken', 0)}")
        if pdf_dir is not None and result.letter_ids:
            self.stdout.write(f"{len(result.letter_ids)} PDF letters written to {pdf_dir}")
