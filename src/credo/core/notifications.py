"""In-app notifications (the bell in the top bar), e-mailed as well when mail is configured.

    notify(users, title, body, url, customer_id=None) -> list[Notification]

One row per active user (duplicates and inactive users are skipped). E-mail goes out only when
settings.EMAIL_HOST is set (env CREDO_EMAIL_HOST; off by default) and only to users with an address, after
the surrounding transaction commits, so a rolled-back change never sends mail. A failed send is logged and
leaves the notification unmailed; it never undoes the change that caused it.
"""

import logging
from functools import cached_property

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from .models import Notification

log = logging.getLogger(__name__)
DROPDOWN_SIZE = 6


def mail_enabled() -> bool:
    return bool(getattr(settings, "EMAIL_HOST", ""))


def notify(users, title: str, body: str, url: str = "", customer_id: int | None = None) -> list[Notification]:
    seen, rows = set(), []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, title=str(title)[:200], body=str(body), url=str(url)[:300],
                                 customer_id=customer_id))
    return notify_many(rows)


def notify_many(rows: list[Notification]) -> list[Notification]:
    """Insert prepared notifications in bulk (e.g. one per recipient and customer from a scan)."""
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows, batch_size=1000)
    if mail_enabled():
        ids = [n.pk for n in created]  # SQLite and PostgreSQL return the ids of bulk inserts
        transaction.on_commit(lambda: send_emails(ids))
    return created


def absolute_url(url: str) -> str:
    base = getattr(settings, "CREDO_BASE_URL", "")
    if not url or url.startswith(("http://", "https://")) or not base:
        return url
    return base.rstrip("/") + "/" + url.lstrip("/")


def send_emails(ids) -> int:
    """Mail the given notifications to users who have an address; returns how many were sent."""
    rows = list(Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related("user"))
    messages, sent_ids = [], []
    for row in rows:
        address = (row.user.email or "").strip()
        if not address:
            continue
        text = row.body
        link = absolute_url(row.url)
        if link:
            text = f"{text}\n\n{link}" if text else link
        messages.append(EmailMessage(subject=row.title, body=text, to=[address]))
        sent_ids.append(row.pk)
    if not messages:
        return 0
    try:
        sent = get_connection(fail_silently=False).send_messages(messages) or 0
    except Exception:  # a mail server problem must not break the work that notified
        log.exception("sending %d notification e-mails failed", len(messages))
        return 0
    Notification.objects.filter(pk__in=sent_ids).update(emailed_at=timezone.now())
    return sent


def unread(user):
    return Notification.objects.filter(user=user, read_at__isnull=True)


def mark_read(user, ids=None) -> int:
    """Mark the user's notifications read: those with the given ids, or all when ids is None."""
    found = unread(user)
    if ids is not None:
        found = found.filter(pk__in=list(ids))
    return found.update(read_at=timezone.now())


class Bell:
    """What the top bar's bell shows; each figure is queried once, and only when the template asks for it."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def unread_count(self) -> int:
        return unread(self.user).count()

    @cached_property
    def latest(self) -> list[Notification]:
        return list(Notification.objects.filter(user=self.user).order_by("-created_at", "-id")[:DROPDOWN_SIZE])
