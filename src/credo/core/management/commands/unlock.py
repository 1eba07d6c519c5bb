"""credo unlock USERNAME [--address IP] | credo unlock --address IP | credo unlock --list

Lifts sign-in pauses of the throttle (credo.core.lockout) by forgetting the failed sign-ins:
  credo unlock alice                       alice's failures from every address
  credo unlock alice --address 203.0.113.5 only those from that address
  credo unlock --address 203.0.113.5       everything from that address, its count over all usernames too
  credo unlock --list                      what is recorded now (--list alice / --address IP narrow it)
Each entry removed is written to the audit trail (user "system", reason "credo unlock" and who ran it).
An IPv6 address stands for its /64 network, as the throttle counts it. Bad input exits with status 2.
"""

import getpass

from django.core.management.base import BaseCommand
from django.utils import timezone

from credo.core import lockout
from credo.core.command_options import bad


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


class Command(BaseCommand):
    help = "Lift sign-in pauses: forget a username's failed sign-ins (from one address: --address); audited."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default=None)
        parser.add_argument("--address", default=None, help="only failures from this IP address")
        parser.add_argument("--list", action="store_true", dest="list_only",
                            help="show the failed sign-ins recorded; change nothing")
        parser.add_argument("--reason", default="", help="why, for the audit trail")

    def handle(self, *args, username, address, list_only, reason, verbosity, **options):
        if username is not None and not lockout.username_key(username):
            bad("Give a username (or only --address IP).")
        if address is not None:
            key = lockout.address_key(address)
            if not key:
                bad(f"--address {address!r}: not an IP address.")
            address = key
        rows = lockout.throttles(username=username, address=address)
        if list_only:
            self._list(rows)
            return
        if username is None and address is None:
            bad("Say whom to unlock: credo unlock USERNAME [--address IP], or credo unlock --address IP "
                "(credo unlock --list shows who is paused).")
        who = _os_user()
        note = "credo unlock" + (f" (by {who})" if who else "")
        if reason.strip():
            note += f": {reason.strip()}"
        count = lockout.unlock(None, rows, reason=note)
        if verbosity:
            target = " ".join(filter(None, [username and lockout.username_key(username),
                                            address and f"@ {address}"]))
            if count:
                entries = "1 entry" if count == 1 else f"{count} entries"
                self.stdout.write(f"Unlocked {target}: {entries} removed (audited).")
            else:
                self.stdout.write(f"No failed sign-ins recorded for {target}; nothing to unlock.")

    def _list(self, rows):
        now = timezone.now()
        rows = list(rows.order_by("-last_failure_at", "-id"))
        if not rows:
            self.stdout.write("No failed sign-ins recorded.")
            return
        for row in rows:
            paused = (f"paused until {timezone.localtime(row.locked_until):%Y-%m-%d %H:%M}"
                      if row.locked_until and row.locked_until > now else "not paused")
            last = timezone.localtime(row.last_failure_at)
            self.stdout.write(f"{row.username or '(every username)'} @ {row.address or '(unknown address)'}: "
                              f"{row.failures} failure(s), last {last:%Y-%m-%d %H:%M}, {paused}")
