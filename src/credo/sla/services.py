"""Writes of the service levels: clocks started, stopped, paused and resumed by the apps that own the work;
the targets edited by the administrator; the scan that warns and records breaches.

Clock operations are called by the owning app's services inside their own transaction, after that app has
checked its permission; they never decide who may act on a complaint or ticket. Pauses are audited here,
because they move due times. The scan is idempotent: a clock warns once and breaches once (a unique row per
clock and level, and the clock's warned_at / breached_at), so running it twice, or on two workers at once,
tells nobody twice.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from credo.core import audit
from credo.core.clock import business_now
from credo.core.errors import ValidationError, require
from credo.core.models import Notification
from credo.core.notifications import notify_many
from credo.core.roles import has_perm
from credo.worktime.queries import company_calendar
from credo.worktime.rules import duration_text

from . import defaults, recipients, registry, rules
from .models import (
    METRICS_OF_KIND,
    Kind,
    Metric,
    Severity,
    SlaClock,
    SlaEscalation,
    SlaPause,
    SlaPolicy,
    SlaTarget,
)

CUSTOMER_CLASSES = ("A", "B", "C", "D")
REASON_LENGTH = 300


def policy_in_force(kind: str, on: datetime.date) -> SlaPolicy | None:
    """The version valid on a date; None before the first version: the built-in defaults apply (a version planned
    for later does not change today's targets)."""
    return SlaPolicy.objects.filter(kind=kind, valid_from__lte=on).order_by("-valid_from").first()


def targets_in_force(kind: str, on: datetime.date) -> tuple[SlaPolicy | None, list[rules.Target], Decimal]:
    policy = policy_in_force(kind, on)
    if policy is None:
        return None, defaults.targets(kind), rules.DEFAULT_WARN_PERCENT
    return policy, policy.target_rows(), policy.warn_percent


def _pauses(kind: str, subject_id: int) -> list[rules.Pause]:
    return [p.as_rule() for p in SlaPause.objects.filter(kind=kind, subject_id=subject_id)]


def _local_date(moment: datetime.datetime) -> datetime.date:
    return company_calendar().localise(moment).date()


# --- clocks --------------------------------------------------------------------------------------

def start(kind: str, subject_id: int, metric: str, *, customer_id: int, severity: str, customer_class: str = "",
          owner=None, started_at: datetime.datetime | None = None) -> SlaClock | None:
    """Start the clock of one measure of a subject on the targets in force that day; None when the targets
    have no row for it. A clock already running for the same measure is returned as it is."""
    started_at = started_at or business_now()
    running = SlaClock.objects.filter(kind=kind, subject_id=subject_id, metric=metric,
                                      stopped_at__isnull=True).first()
    if running is not None:
        return running
    policy, targets, warn_percent = targets_in_force(kind, _local_date(started_at))
    target = rules.pick_target(targets, severity, customer_class, metric)
    if target is None:
        return None
    pauses = _pauses(kind, subject_id)
    planned = rules.schedule(company_calendar(), started_at, rules.hours_delta(target.hours), warn_percent, pauses)
    return SlaClock.objects.create(
        kind=kind, subject_id=subject_id, metric=metric, customer_id=customer_id, severity=severity,
        customer_class=customer_class or "", owner=owner, policy=policy, target_hours=target.hours,
        warn_percent=warn_percent, started_at=started_at, warn_at=planned.warn_at, due_at=planned.due_at,
        paused=any(end is None for _b, end in pauses))


def stop(kind: str, subject_id: int, metrics: Iterable[str] | None = None,
         at: datetime.datetime | None = None) -> list[SlaClock]:
    """Stop the running clocks of a subject (all, or those of the given measures). A clock stopped after its
    target keeps the business time over it and a breach record, whether or not a scan saw it first."""
    at = at or business_now()
    clocks = SlaClock.objects.select_for_update().filter(kind=kind, subject_id=subject_id, stopped_at__isnull=True)
    if metrics is not None:
        clocks = clocks.filter(metric__in=list(metrics))
    clocks = list(clocks.order_by("pk"))
    if not clocks:
        return []
    calendar, pauses = company_calendar(), _pauses(kind, subject_id)
    late = []
    for clock in clocks:
        reading = rules.read(calendar, clock.started_at, clock.target, at, clock.warn_percent, pauses)
        clock.stopped_at, clock.over, clock.paused = at, reading.over, False
        if reading.over and clock.breached_at is None:
            clock.breached_at = at
            late.append(SlaEscalation(clock=clock, customer_id=clock.customer_id, level=SlaEscalation.Level.BREACH,
                                      at=at, over=reading.over))
    SlaClock.objects.bulk_update(clocks, ["stopped_at", "over", "paused", "breached_at"])
    SlaEscalation.objects.bulk_create(late, ignore_conflicts=True)
    return clocks


def reassign(kind: str, subject_id: int, owner, metrics: Iterable[str] | None = None) -> int:
    clocks = SlaClock.objects.filter(kind=kind, subject_id=subject_id, stopped_at__isnull=True)
    if metrics is not None:
        clocks = clocks.filter(metric__in=list(metrics))
    return clocks.update(owner=owner)


def _reason(reason) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": [_("Say why the clock stops (what the customer is to send or do).")]})
    if len(text) > REASON_LENGTH:
        raise ValidationError({"reason": [_("At most %(n)s characters.") % {"n": REASON_LENGTH}]})
    return text


def pause(user, kind: str, subject_id: int, *, customer_id: int, reason: str,
          at: datetime.datetime | None = None) -> SlaPause:
    """Stop every clock of the subject while it waits on the customer; refused when it is already paused."""
    text = _reason(reason)
    at = at or business_now()
    if SlaPause.objects.filter(kind=kind, subject_id=subject_id, ended_at__isnull=True).exists():
        raise ValidationError({"reason": [_("The clock is already paused; resume it first.")]})
    row = SlaPause.objects.create(kind=kind, subject_id=subject_id, customer_id=customer_id, started_at=at,
                                  reason=text, started_by=user if getattr(user, "pk", None) else None)
    SlaClock.objects.filter(kind=kind, subject_id=subject_id, stopped_at__isnull=True).update(
        paused=True, due_at=None, warn_at=None)
    audit.record(user, "sla.pause", row, reason=text, customer_id=customer_id,
                 after={"kind": kind, "subject": subject_id, "at": at.isoformat()})
    return row


def resume(user, kind: str, subject_id: int, at: datetime.datetime | None = None) -> SlaPause:
    """End the open pause; the running clocks fall due later by the business time it covered."""
    at = at or business_now()
    row = SlaPause.objects.select_for_update().filter(kind=kind, subject_id=subject_id,
                                                      ended_at__isnull=True).first()
    if row is None:
        raise ValidationError({"pause": [_("The clock is not paused.")]})
    row.ended_at = max(at, row.started_at)
    row.ended_by = user if getattr(user, "pk", None) else None
    row.save(update_fields=["ended_at", "ended_by"])
    reschedule(kind, subject_id)
    audit.record(user, "sla.resume", row, customer_id=row.customer_id,
                 after={"kind": kind, "subject": subject_id, "at": row.ended_at.isoformat(),
                        "paused": duration_text(company_calendar().business_time_between(
                            row.started_at, row.ended_at))})
    return row


def reschedule(kind: str, subject_id: int) -> None:
    """Compute the warning and due moments of the subject's running clocks again from its pauses."""
    calendar, pauses = company_calendar(), _pauses(kind, subject_id)
    open_pause = any(end is None for _b, end in pauses)
    clocks = list(SlaClock.objects.select_for_update().filter(kind=kind, subject_id=subject_id,
                                                              stopped_at__isnull=True))
    for clock in clocks:
        planned = rules.schedule(calendar, clock.started_at, clock.target, clock.warn_percent, pauses)
        clock.warn_at, clock.due_at, clock.paused = planned.warn_at, planned.due_at, open_pause
    SlaClock.objects.bulk_update(clocks, ["warn_at", "due_at", "paused"])


# --- targets -------------------------------------------------------------------------------------

_TARGET_MESSAGES = {
    "unknown_severity": gettext_noop("%(row)s: unknown severity."),
    "unknown_metric": gettext_noop("%(row)s: this measure does not apply to this kind of work."),
    "unknown_class": gettext_noop("%(row)s: the customer class is A, B, C, D or empty (any class)."),
    "hours_not_positive": gettext_noop("%(row)s: the business hours must be more than 0."),
    "duplicate": gettext_noop("%(row)s: this severity, class and measure appear twice."),
}


def _target_rows(kind: str, rows) -> list[rules.Target]:
    targets = []
    for row in rows:
        get = row.get if isinstance(row, dict) else (lambda name, default=None, r=row: getattr(r, name, default))
        where = f"{get('severity', '')}/{get('customer_class', '') or '*'}/{get('metric', '')}"
        try:
            hours = Decimal(str(get("hours", "")).strip())
        except (InvalidOperation, ValueError):
            raise ValidationError({"targets": [_("%(row)s: the business hours must be a number, e.g. 4 or 1.5.")
                                               % {"row": where}]}) from None
        if not hours.is_finite() or hours != hours.quantize(Decimal("0.01")) or hours >= Decimal(10) ** 6:
            raise ValidationError({"targets": [_("%(row)s: give the hours with at most 2 decimal places, under "
                                                 "1,000,000.") % {"row": where}]})
        targets.append(rules.Target(str(get("severity", "")), str(get("customer_class", "") or "").upper(),
                                    str(get("metric", "")), hours))
    try:
        return rules.check_targets(targets, Severity.values, METRICS_OF_KIND[kind], CUSTOMER_CLASSES)
    except rules.TargetError as exc:
        raise ValidationError({"targets": [_(_TARGET_MESSAGES[exc.code]) % {"row": exc.detail}]}) from None


def _policy_snapshot(policy: SlaPolicy | None) -> dict | None:
    if policy is None:
        return None
    return {"valid_from": policy.valid_from.isoformat(), "warn_percent": str(policy.warn_percent),
            "note": policy.note,
            "targets": [[t.severity, t.customer_class, t.metric, str(t.hours)] for t in policy.targets.all()]}


@transaction.atomic
def set_policy(user, kind: str, targets, *, warn_percent=rules.DEFAULT_WARN_PERCENT, valid_from=None,
               note: str = "") -> SlaPolicy:
    """A new version of one kind's targets, in force from valid_from (default today); a version of the same
    day is replaced. Running clocks keep the targets they started with."""
    if user is not None:
        require(has_perm(user, "sla.manage"), _("Your role may not change the service-level targets."))
    if kind not in Kind.values:
        raise ValidationError({"kind": [_("Unknown kind of work: %(kind)s.") % {"kind": kind}]})
    rows = _target_rows(kind, targets)
    if not rows:
        raise ValidationError({"targets": [_("Give at least one target.")]})
    try:
        percent = rules.check_warn_percent(str(warn_percent).strip())
    except (rules.TargetError, InvalidOperation, ValueError):
        raise ValidationError({"warn_percent": [_("Give a share from 1 to 99 (per cent of the target).")]}) from None
    if valid_from is None:
        valid_from = business_now().date()
    elif not isinstance(valid_from, datetime.date):
        try:
            valid_from = datetime.date.fromisoformat(str(valid_from).strip())
        except ValueError:
            raise ValidationError({"valid_from": [_("Enter a date as YYYY-MM-DD.")]}) from None
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError({"note": [_("At most %(n)s characters.") % {"n": 200}]})
    name = getattr(user, "username", "") or "system"
    existing = SlaPolicy.objects.filter(kind=kind, valid_from=valid_from).first()
    before = _policy_snapshot(existing) if existing else _policy_snapshot(policy_in_force(kind, valid_from))
    if existing:
        policy = existing
        policy.warn_percent, policy.note, policy.created_by = percent, note, name
        policy.save(update_fields=["warn_percent", "note", "created_by"])
        policy.targets.all().delete()
    else:
        policy = SlaPolicy.objects.create(kind=kind, valid_from=valid_from, warn_percent=percent, note=note,
                                          created_by=name)
    SlaTarget.objects.bulk_create([SlaTarget(policy=policy, severity=t.severity, customer_class=t.customer_class,
                                             metric=t.metric, hours=t.hours) for t in rows])
    audit.record(user, "sla.policy", policy, before=before, after=_policy_snapshot(policy), reason=note)
    return policy


# --- the scan ------------------------------------------------------------------------------------

@dataclass
class ScanResult:
    as_of: datetime.datetime
    warned: int = 0
    breached: int = 0
    notifications: int = 0
    by_kind: dict = field(default_factory=dict)


def _message(clock: SlaClock, level: str, subject: str, over: datetime.timedelta | None,
             calendar) -> tuple[str, str]:
    measure = Metric(clock.metric).label
    if level == rules.WARNING:
        title = _("Due soon: %(subject)s, %(measure)s") % {"subject": subject, "measure": measure}
        due = calendar.localise(clock.due_at) if clock.due_at else None
        body = _("%(percent)s%% of the %(hours)s business hours are used; due %(due)s.") % {
            "percent": clock.warn_percent.normalize(), "hours": clock.target_hours.normalize(),
            "due": f"{due:%Y-%m-%d %H:%M}" if due else "—"}
    else:
        title = _("Overdue: %(subject)s, %(measure)s") % {"subject": subject, "measure": measure}
        body = _("The target of %(hours)s business hours is passed by %(over)s.") % {
            "hours": clock.target_hours.normalize(), "over": duration_text(over or datetime.timedelta(0))}
    return title, body


def _escalate(clocks: list[SlaClock], level: str, now: datetime.datetime, calendar) -> tuple[int, int]:
    """Record one level for a batch of clocks (locked by the caller) and tell the people of each."""
    by_kind: dict[str, list[SlaClock]] = {}
    for clock in clocks:
        by_kind.setdefault(clock.kind, []).append(clock)
    pause_rows = {}
    if level == rules.BREACHED:
        for row in SlaPause.objects.filter(kind__in=list(by_kind), subject_id__in={c.subject_id for c in clocks}):
            pause_rows.setdefault((row.kind, row.subject_id), []).append(row.as_rule())
    people = recipients.for_clocks(clocks, level)
    escalations, told = [], {}
    for kind, group in by_kind.items():
        entry = registry.get(kind)
        extra = entry.recipients(group, level) if entry and entry.recipients else {}
        names = registry.describe(kind, sorted({c.subject_id for c in group}))
        for clock in group:
            over = None
            if level == rules.BREACHED:
                over = rules.read(calendar, clock.started_at, clock.target, now, clock.warn_percent,
                                  pause_rows.get((kind, clock.subject_id), ())).over
                clock.breached_at, clock.warned_at = now, clock.warned_at or now
            else:
                clock.warned_at = now
            users = sorted(people.get(clock.pk, set()) | set(extra.get(clock.pk, ())))
            escalations.append(SlaEscalation(clock_id=clock.pk, customer_id=clock.customer_id, level=level, at=now,
                                             over=over, notified=users))
            subject = names.get(clock.subject_id) or f"{Kind(kind).label} {clock.subject_id}"
            for user in users:
                told.setdefault(user, []).append((clock, subject, over))
    # Every clock of the batch gets the same moment: one UPDATE, not bulk_update's CASE per row.
    marked = SlaClock.objects.filter(pk__in=[c.pk for c in clocks])
    if level == rules.BREACHED:
        marked.update(breached_at=now, warned_at=Coalesce("warned_at", Value(now)))
    else:
        marked.update(warned_at=now)
    SlaEscalation.objects.bulk_create(escalations, ignore_conflicts=True)
    notes = [note for user, items in told.items() for note in _notes_for(user, items, level, calendar)]
    notify_many(notes)
    return len(clocks), len(notes)


DIGEST_FROM = 4        # a person told of this many clocks or more in one batch gets one digest instead
DIGEST_LINES = 10


def _notes_for(user: int, items: list[tuple], level: str, calendar) -> list[Notification]:
    """One notification per clock, or for a long list one digest that names the first DIGEST_LINES: after a
    weekend a service manager would otherwise find hundreds of bells from one scan. The texts are made only
    for what is sent (a digest's first lines)."""
    if len(items) < DIGEST_FROM:
        notes = []
        for clock, subject, over in items:
            title, body = _message(clock, level, subject, over, calendar)
            notes.append(Notification(user_id=user, title=title[:200], body=body, customer_id=clock.customer_id,
                                      url=registry.url(clock.kind, clock.subject_id)[:300]))
        return notes
    if level == rules.WARNING:
        title = _("%(n)s service-level clocks are due soon") % {"n": len(items)}
    else:
        title = _("%(n)s service-level targets are passed") % {"n": len(items)}
    lines = [f"· {_message(clock, level, subject, over, calendar)[0]}" for clock, subject, over in items[:DIGEST_LINES]]
    if len(items) > DIGEST_LINES:
        lines.append(_("… and %(n)s more.") % {"n": len(items) - DIGEST_LINES})
    kinds = {clock.kind for clock, _subject, _over in items}
    link = reverse("sla:levels") + (f"?kind={kinds.pop()}" if len(kinds) == 1 else "")
    return [Notification(user_id=user, title=title, body="\n".join(lines), url=link)]


def scan(as_of: datetime.datetime | None = None, *, batch: int = 2000,
         progress: Callable[[int, int], None] | None = None) -> ScanResult:
    """Record the breaches and warnings due by `as_of` (default now) and notify; each batch one transaction,
    rows locked and skipped when another scan holds them."""
    now = as_of or business_now()
    result = ScanResult(now)
    calendar = company_calendar()
    running = SlaClock.objects.filter(stopped_at__isnull=True, paused=False)
    stages = [
        (rules.BREACHED, {"breached_at__isnull": True, "due_at__lte": now}),
        (rules.WARNING, {"breached_at__isnull": True, "warned_at__isnull": True, "warn_at__lte": now}),
    ]
    work = [(level, lookup, list(running.filter(**lookup).order_by("pk").values_list("pk", flat=True)))
            for level, lookup in stages]
    total, done = sum(len(ids) for _l, _q, ids in work), 0
    if progress:
        progress(0, total)
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the company's language
        for level, lookup, ids in work:
            for first in range(0, len(ids), batch):
                chunk = ids[first:first + batch]
                with transaction.atomic():
                    clocks = list(SlaClock.objects.select_for_update(skip_locked=True)
                                  .filter(pk__in=chunk, stopped_at__isnull=True, paused=False, **lookup))
                    count, notes = _escalate(clocks, level, now, calendar) if clocks else (0, 0)
                if level == rules.BREACHED:
                    result.breached += count
                else:
                    result.warned += count
                result.notifications += notes
                for clock in clocks:
                    result.by_kind[clock.kind] = result.by_kind.get(clock.kind, 0) + 1
                done += len(chunk)
                if progress:
                    progress(done, total)
    return result
