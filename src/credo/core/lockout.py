"""The sign-in throttle: failures counted per username *and* client address.

A stranger who types wrong passwords for a known username pauses only their own address's attempts for
that username; the user signs in from their own address as usual. Two counts, both rows of
core.LoginThrottle (in the database, so every app server sees the same state):

- (username, address): after settings.LOGIN_FAILURE_LIMIT failures within LOGIN_FAILURE_WINDOW_HOURS,
  attempts for that username from that address are refused for LOGIN_LOCKOUT_MINUTES, the pause doubling
  with each further failure, at most LOGIN_LOCKOUT_MAX_MINUTES. A successful sign-in clears the pair.
- ("", address), the looser password-spraying count: LOGIN_ADDRESS_FAILURE_LIMIT failures from one
  address for any usernames within LOGIN_ADDRESS_WINDOW_MINUTES pause every attempt from that address in
  the same growing way (0 turns it off). Success does not clear it, or one valid account would reset a
  spray.

While paused, an attempt is refused without checking the password and is not counted, so the pause
does not grow while the user waits, and a right guess during the pause is not told apart from a wrong
one. Usernames are counted whether or not they exist, and the refusal reads the same for both.

The address is REMOTE_ADDR; X-Forwarded-For is read only when settings.CREDO_TRUSTED_PROXIES says how
many proxies of ours stand in front (the client is then the entry that many places from the right).
IPv6 addresses count per /64 network, the block one subscriber usually holds.

Every path that checks a password goes through credo.core.auth.LockoutModelBackend, which uses this
module: the sign-in page, the admin's sign-in page and anything calling django.contrib.auth.authenticate.
"""

import ipaddress
import math
import unicodedata
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import ngettext

from . import audit
from .clock import business_today
from .models import AuditEntry, LoginThrottle

EVERY_USERNAME = ""
# 2**30 × one minute is far beyond any sensible cap; stops the doubling before timedelta overflows.
_MAX_DOUBLINGS = 30


def pause_after(failures: int, limit: int, first: timedelta, cap: timedelta) -> timedelta | None:
    """The pause after the `failures`-th failure: none below `limit` (or when limit is 0), `first` at it,
    doubling with each further failure, never more than `cap`."""
    if limit <= 0 or failures < limit:
        return None
    doublings = min(failures - limit, _MAX_DOUBLINGS)
    return min(first * 2**doublings, cap)


def username_key(username: str) -> str:
    """The username as counted: NFKC-normalised and case-folded, so Alice and alice share one count."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()[:150]


def address_key(text: str) -> str:
    """A client address as counted: IPv4 as is, IPv6 as its /64 network (an IPv4-mapped IPv6 address as the
    IPv4 address); "" when the text is not an address. A network ("2001:db8::/64") is accepted too."""
    text = (text or "").strip()
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            return ""
        if network.version == 6 and network.prefixlen >= 64:
            return str(network.supernet(new_prefix=64))
        return str(network.network_address) if network.num_addresses == 1 else ""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def client_address(request) -> str:
    """The address the throttle counts for this request ("" without a request)."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.CREDO_TRUSTED_PROXIES
    if trusted > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        # Each trusted proxy appended the address it saw; anything further left may be made up by the client.
        # Fewer hops than proxies: the request did not come the configured way, so the header is not used.
        if len(hops) >= trusted:
            forwarded = address_key(hops[-trusted])
            if forwarded:
                return forwarded
    return address_key(remote)


def paused_until(username: str, address: str, now: datetime | None = None) -> datetime | None:
    """When attempts for `username` from `address` may start again; None when they may now."""
    now, address = now or timezone.now(), address_key(address)
    keys = [username_key(username)] + ([EVERY_USERNAME] if address else [])
    until = (LoginThrottle.objects.filter(address=address, username__in=keys, locked_until__gt=now)
             .order_by("-locked_until").values_list("locked_until", flat=True).first())
    return until


def _count(username: str, address: str, *, limit: int, window: timedelta, now: datetime) -> LoginThrottle:
    row, _created = LoginThrottle.objects.select_for_update().get_or_create(
        username=username, address=address,
        defaults={"failures": 0, "first_failure_at": now, "last_failure_at": now},
    )
    if now - row.first_failure_at >= window:
        row.failures, row.first_failure_at, row.last_failure_at = 0, now, now
    row.failures += 1
    # Another request (or app server, its clock a little apart) may have counted a later failure first.
    row.last_failure_at = max(row.last_failure_at, now)
    pause = pause_after(row.failures, limit, timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES),
                        timedelta(minutes=settings.LOGIN_LOCKOUT_MAX_MINUTES))
    # Never shorten a pause still running (a window can end before its pause; requests can race).
    running = [t for t in (row.locked_until, now + pause if pause else None) if t and t > now]
    row.locked_until = max(running, default=None)
    row.save()
    return row


def record_failure(username: str, address: str, now: datetime | None = None) -> datetime | None:
    """Count a failed sign-in; returns when attempts may start again if this failure paused them."""
    now, key, address = now or timezone.now(), username_key(username), address_key(address)
    with transaction.atomic():
        rows = []
        if key:  # "" is the address's own count
            rows.append(_count(key, address, limit=settings.LOGIN_FAILURE_LIMIT,
                               window=timedelta(hours=settings.LOGIN_FAILURE_WINDOW_HOURS), now=now))
        if address and settings.LOGIN_ADDRESS_FAILURE_LIMIT > 0:
            rows.append(_count(EVERY_USERNAME, address, limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT,
                               window=timedelta(minutes=settings.LOGIN_ADDRESS_WINDOW_MINUTES), now=now))
        clean_up(now)
    return max((row.locked_until for row in rows if row.locked_until), default=None)


def record_success(username: str, address: str) -> None:
    """A right password clears that username's failures from that address (not the address's spray count)."""
    LoginThrottle.objects.filter(username=username_key(username), address=address_key(address)).delete()


def clean_up(now: datetime | None = None) -> int:
    """Delete rows whose window is over and which pause nothing; run with every failure counted."""
    now = now or timezone.now()
    address_over = now - timedelta(minutes=settings.LOGIN_ADDRESS_WINDOW_MINUTES)
    pair_over = now - timedelta(hours=settings.LOGIN_FAILURE_WINDOW_HOURS)
    over = Q(username=EVERY_USERNAME, first_failure_at__lt=address_over) | Q(first_failure_at__lt=pair_over)
    idle = Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    deleted, _per_model = LoginThrottle.objects.filter(over & idle).delete()
    return deleted


def throttles(username: str | None = None, address: str | None = None) -> QuerySet:
    """Rows for a username (every address) and/or an address (every username, and the address's own count)."""
    rows = LoginThrottle.objects.all()
    if username is not None:
        rows = rows.filter(username=username_key(username))
    if address is not None:
        rows = rows.filter(address=address_key(address))
    return rows


def unlock(actor, rows: QuerySet, *, reason: str) -> int:
    """Delete the rows (lifting their pauses and forgetting their failures), one audit entry each."""
    with transaction.atomic():
        locked = list(rows.select_for_update().order_by("pk"))
        for row in locked:
            audit.record(actor, AuditEntry.Action.UNLOCK, row, before=audit.snapshot(row), reason=reason)
        LoginThrottle.objects.filter(pk__in=[row.pk for row in locked]).delete()
    return len(locked)


def refusal_message(until: datetime, now: datetime | None = None) -> str:
    """What a paused attempt is told, in the active language: when to try again. It reads the same whether
    or not the username exists, and whichever count paused it."""
    now = now or timezone.now()
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    local = timezone.localtime(until)
    time = f"{local:%H:%M}" if local.date() == business_today() else f"{local:%Y-%m-%d %H:%M}"
    return ngettext(
        "Too many failed sign-ins. Try again after %(time)s (in %(minutes)d minute), "
        "or ask an administrator to unlock sign-in.",
        "Too many failed sign-ins. Try again after %(time)s (in %(minutes)d minutes), "
        "or ask an administrator to unlock sign-in.",
        minutes,
    ) % {"time": time, "minutes": minutes}

