"""credo calendar holiday DATE [DATE …] [--name NAME] · credo calendar workday DATE [DATE …] [--name NAME]
[--hours "09:00-12:00, …"] · credo calendar remove DATE [DATE …] · credo calendar show [--year Y] [--format
text|json]

Holidays and make-up working days (调休上班) of the company business calendar; adding what is there already
changes nothing (a --name given renames it). `remove` takes away the holiday or make-up day of each date. Every
change is audited, in the name of --user (needs worktime.manage) or of the system. Bad input — a date that is
not YYYY-MM-DD, a holiday on a make-up day, a make-up day on a working weekday — exits with status 2, names the
argument and changes nothing.
"""

import datetime
import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from credo.core.clock import business_today
from credo.core.command_options import bad, format_option, user_option
from credo.core.errors import ValidationError
from credo.worktime import queries, rules, services


def _dates(texts: list[str], action: str) -> list[datetime.date]:
    if not texts:
        bad(f"credo calendar {action}: give at least one DATE (YYYY-MM-DD).")
    days = []
    for text in texts:
        try:
            day = datetime.date.fromisoformat(text.strip())
        except ValueError:
            bad(f"DATE {text!r}: not a date; write it as YYYY-MM-DD.")
        if not services.FIRST_YEAR <= day.year <= services.LAST_YEAR:
            bad(f"DATE {text}: give a date from {services.FIRST_YEAR} to {services.LAST_YEAR}.")
        days.append(day)
    return days


def _refused(exc: ValidationError, option_for: dict) -> None:
    """A service's ValidationError as one line naming the argument (the date, --name, --hours)."""
    field, messages = next(iter(exc.message_dict.items()))
    bad(f"{option_for.get(field, field)}: {' '.join(messages)}")


class Command(BaseCommand):
    help = ("The business calendar: add holidays (`holiday DATE …`) and make-up working days (`workday DATE …`), "
            "remove them (`remove DATE …`), show a year (`show --year Y`).")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["holiday", "workday", "remove", "show"],
                            help="holiday | workday | remove | show")
        parser.add_argument("dates", nargs="*", metavar="DATE", help="dates as YYYY-MM-DD")
        parser.add_argument("--name", default="", help="the holiday's name (春节, 国庆节 …) or the make-up day's note")
        parser.add_argument("--hours", default="", metavar='"09:00-12:00, …"',
                            help="workday: its own working hours (default: the standard day, Monday's hours)")
        parser.add_argument("--year", default="", metavar="Y", help="show: the year (default this year)")
        parser.add_argument("--user", default="", metavar="NAME",
                            help="act in this user's name (needs the worktime.manage permission; default: system)")
        parser.add_argument("--format", dest="format", default="text", metavar="text|json")

    def handle(self, *args, action, dates, **options):
        fmt = format_option(options["format"])
        if action == "show":
            if dates:
                bad(f"credo calendar show takes no DATE ({dates[0]!r}); use --year Y.")
            return self._show(options["year"], fmt)
        days = _dates(dates, action)
        user = user_option(options["user"], "worktime.manage", "change the business calendar")
        names = {"name": "--name", "hours": "--hours"}
        try:
            if action == "holiday":
                changed = services.add_holidays(user, days, name=options["name"])
                what = "holidays"
            elif action == "workday":
                changed = services.add_make_up_days(user, days, name=options["name"], hours=options["hours"] or None)
                what = "make-up working days"
            else:
                return self._remove(user, days, fmt)
        except ValidationError as exc:
            message = " ".join(exc.messages)
            date = next((d.isoformat() for d in days if d.isoformat() in message), None)
            _refused(exc, {**names, "date": f"DATE {date}" if date else "DATE"})
        if fmt == "json":
            self.stdout.write(json.dumps({k: [d.isoformat() for d in getattr(changed, k)]
                                          for k in ("added", "renamed", "unchanged")}))
            return
        parts = [f"added {len(changed.added)}"]
        if changed.renamed:
            parts.append(f"renamed {len(changed.renamed)}")
        parts.append(f"already there {len(changed.unchanged)}")
        listed = ", ".join(d.isoformat() for d in changed.added) or "none"
        self.stdout.write(f"{what}: {', '.join(parts)} (added: {listed})")

    def _remove(self, user, days, fmt):
        removed = {"holidays": [], "make_up_days": [], "not_found": []}
        with transaction.atomic():
            for day in days:
                if services.remove_holiday(user, day):
                    removed["holidays"].append(day.isoformat())
                elif services.remove_make_up_day(user, day):
                    removed["make_up_days"].append(day.isoformat())
                else:
                    removed["not_found"].append(day.isoformat())
        if fmt == "json":
            self.stdout.write(json.dumps(removed))
            return
        self.stdout.write(f"removed {len(removed['holidays'])} holidays and {len(removed['make_up_days'])} make-up "
                          f"working days; neither on: {', '.join(removed['not_found']) or 'none'}")

    def _show(self, year_text: str, fmt: str):
        year = business_today().year
        if year_text:
            try:
                year = int(year_text)
            except ValueError:
                bad(f"--year {year_text!r}: give a year such as 2026.")
            if not services.FIRST_YEAR <= year <= services.LAST_YEAR:
                bad(f"--year {year}: give a year from {services.FIRST_YEAR} to {services.LAST_YEAR}.")
        calendar = queries.company_calendar()
        week = calendar.week_on(business_today())
        holidays = list(queries.holidays(year))
        make_up = list(queries.make_up_days(year))
        counts = calendar.year_counts(year)
        hours = f"{rules.hours_of(counts['hours']).normalize():f}"
        if fmt == "json":
            self.stdout.write(json.dumps({
                "year": year, "zone": settings.TIME_ZONE,
                "week": {key: rules.day_pairs(week[i]) for i, key in enumerate(rules.WEEKDAY_KEYS)},
                "holidays": [{"date": h.date.isoformat(), "name": h.name} for h in holidays],
                "make_up_days": [{"date": m.date.isoformat(), "name": m.name,
                                  "hours": rules.day_pairs(calendar.hours_on(m.date))} for m in make_up],
                "working_days": counts["working_days"], "working_hours": hours}, ensure_ascii=False))
            return
        lines = [f"Business calendar {year} ({settings.TIME_ZONE})", "Working hours:"]
        for i, spans in enumerate(week):
            lines.append(f"  {rules.WEEKDAY_KEYS[i].capitalize():<10} {rules.day_text(spans) or 'rest day'}")
        lines.append(f"Holidays ({len(holidays)}):")
        lines += [f"  {h.date.isoformat()} {h.date:%a} {h.name}".rstrip() for h in holidays] or ["  none"]
        lines.append(f"Make-up working days ({len(make_up)}):")
        lines += [f"  {m.date.isoformat()} {m.date:%a} {rules.day_text(calendar.hours_on(m.date))} {m.name}".rstrip()
                  for m in make_up] or ["  none"]
        lines.append(f"{counts['working_days']} working days, {hours} working hours.")
        self.stdout.write("\n".join(lines))
