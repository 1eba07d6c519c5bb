"""Option parsing shared by the `credo` commands: bad input exits with status 2 and names the option."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from credo.core.clock import business_today

from .roles import has_perm


def bad(message: str):
    raise CommandError(message, returncode=2)


def as_of_option(text: str, *, future_refused: str = "the date cannot be in the future") -> datetime.date:
    """--as-of YYYY-MM-DD, today when empty; a future date is refused with `future_refused` as the reason."""
    text = (text or "").strip()
    today = business_today()
    if not text:
        return today
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        bad(f"--as-of {text!r}: not a date; write it as YYYY-MM-DD.")
    if day > today:
        bad(f"--as-of {text}: {future_refused}.")
    return day


def format_option(value: str, choices=("text", "json")) -> str:
    fmt = (value or "").strip().lower()
    if fmt not in choices:
        bad(f"--format {value!r}: choose {' or '.join(choices)}.")
    return fmt


def user_option(username: str, permission: str, what: str):
    """--user NAME: an active user holding `permission`; None when not given (the system acts)."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        bad(f"--user {username!r}: there is no active user of that name.")
    if not has_perm(user, permission):
        bad(f"--user {username!r} may not {what}.")
    return user
