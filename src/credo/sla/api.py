"""REST endpoints of the service levels: the targets in force and their versions (every role), a new version
(sla.manage, the administrator), the clocks running due soonest, the breaches and compliance per measure
(scoped to the customers the user may see), and a scan on demand (sla.manage).

Errors: 401 not signed in, 403 not allowed, 422 naming the field (`kind`, `targets`, `warn_percent`,
`valid_from`, `note`, `days`, `as_of`)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from credo.core.api_inputs import InputSchema, Limit
from credo.core.clock import business_now, business_today
from credo.core.errors import ValidationError
from credo.core.roles import has_perm
from credo.worktime import rules as calendar_rules

from . import queries, services
from .models import Kind, SlaPolicy

router = Router()


class SlaTargetRow(Schema):
    severity: str = Field(description="critical, major, normal or minor")
    customer_class: str = Field("", description='"" for any class, or A, B, C, D')
    metric: str = Field(description="first_response, step_1 … step_6, resolution (tickets: first_response, "
                                    "resolution)")
    hours: Decimal = Field(description="business hours, at most 2 decimal places")


class SlaTargetRowIn(InputSchema):
    severity: str
    customer_class: str = ""
    metric: str
    hours: str | Decimal = Field(description='business hours, e.g. "4" or "1.5"')


class SlaPolicyOut(Schema):
    id: int | None = Field(description="null: the built-in defaults (no version saved)")
    kind: str
    valid_from: datetime.date | None
    warn_percent: Decimal
    note: str
    created_by: str
    targets: list[SlaTargetRow]


class SlaPolicyIn(InputSchema):
    kind: str = Field(description="complaint or ticket")
    valid_from: datetime.date | None = Field(None, description="default today; a version of that date is replaced")
    warn_percent: str | Decimal = Field("75", description="share of a target (1–99 %) at which the owner is told")
    note: str = ""
    targets: list[SlaTargetRowIn]


class SlaClockOut(Schema):
    id: int
    kind: str
    subject_id: int
    subject: str
    url: str
    metric: str
    customer_id: int
    severity: str
    customer_class: str
    owner: str | None
    target_hours: Decimal
    started_at: datetime.datetime
    warn_at: datetime.datetime | None
    due_at: datetime.datetime | None = Field(description="null while paused")
    paused: bool
    level: str = Field(description="ok, warning or breached")
    left: str | None = Field(description="business time until due, H:MM; null when paused or breached")
    over: str | None = Field(description="business time over the target, H:MM, once stopped late")


class SlaBreachOut(Schema):
    at: datetime.datetime
    over: str | None = Field(description="business time over the target when the clock stopped; null while open")
    notified: list[int]
    clock: SlaClockOut


class SlaComplianceOut(Schema):
    metric: str
    label: str
    closed: int
    on_time: int
    late: int
    share: Decimal | None = Field(description="on time / finished; null when nothing finished")
    running: int
    warned: int
    breached_running: int


class SlaScanIn(InputSchema):
    as_of: str | None = Field(None, description='"YYYY-MM-DD HH:MM" company time; default now')


class SlaScanOut(Schema):
    as_of: str
    warned: int
    breached: int
    notifications: int


def _view(request):
    if not has_perm(request.user, "sla.view"):
        raise PermissionDenied("permission denied")


def _kind(kind: str) -> str:
    if kind not in Kind.values:
        raise ValidationError({"kind": [_("Unknown kind of work: %(kind)s.") % {"kind": kind}]})
    return kind


def _policy_out(kind: str, policy: SlaPolicy | None, targets, warn_percent) -> dict:
    return {"id": policy.pk if policy else None, "kind": kind, "valid_from": policy.valid_from if policy else None,
            "warn_percent": warn_percent, "note": policy.note if policy else "",
            "created_by": policy.created_by if policy else "",
            "targets": [{"severity": t.severity, "customer_class": t.customer_class, "metric": t.metric,
                         "hours": t.hours} for t in targets]}


def _clock_out(row: queries.ClockRow) -> dict:
    c = row.clock
    return {"id": c.pk, "kind": c.kind, "subject_id": c.subject_id, "subject": row.subject, "url": row.url,
            "metric": c.metric, "customer_id": c.customer_id, "severity": c.severity,
            "customer_class": c.customer_class, "owner": c.owner.username if c.owner else None,
            "target_hours": c.target_hours, "started_at": c.started_at, "warn_at": c.warn_at, "due_at": c.due_at,
            "paused": c.paused, "level": row.level,
            "left": calendar_rules.duration_text(row.left) if row.left is not None else None,
            "over": calendar_rules.duration_text(c.over) if c.over else None}


@router.get("/targets", response=SlaPolicyOut, summary="The targets in force on a day (default today)")
def targets(request, kind: str = Kind.COMPLAINT, on: datetime.date | None = None):
    _view(request)
    policy, rows, warn_percent = queries.in_force(_kind(kind), on or business_today())
    return _policy_out(kind, policy, rows, warn_percent)


@router.get("/versions", response=list[SlaPolicyOut], summary="Every saved version of one kind's targets, newest first")
def versions(request, kind: str = Kind.COMPLAINT):
    _view(request)
    return [_policy_out(kind, p, p.target_rows(), p.warn_percent)
            for p in SlaPolicy.objects.filter(kind=_kind(kind)).prefetch_related("targets").order_by("-valid_from")]


@router.put("/targets", response=SlaPolicyOut,
            summary="Save a version of the targets from a date on (a version of the same date is replaced)")
def set_targets(request, payload: SlaPolicyIn):
    policy = services.set_policy(request.user, payload.kind, [row.dict() for row in payload.targets],
                                 warn_percent=payload.warn_percent, valid_from=payload.valid_from, note=payload.note)
    policy.refresh_from_db()
    return _policy_out(policy.kind, policy, policy.target_rows(), policy.warn_percent)


@router.get("/clocks", response=list[SlaClockOut], summary="Running clocks, due soonest first (paused ones last)")
def clocks(request, kind: str | None = None, mine: bool = False, limit: Limit(500) = 50):
    _view(request)
    rows = queries.due_soonest(request.user, _kind(kind) if kind else None, owner=request.user if mine else None,
                               limit=limit)
    return [_clock_out(r) for r in rows]


def _days(days: int) -> int:
    if not 1 <= days <= 3660:
        raise ValidationError({"days": [_("Give a number of days from 1 to 3660.")]})
    return days


@router.get("/breaches", response=list[SlaBreachOut], summary="Breaches recorded in the last N days, newest first")
def breaches(request, kind: str | None = None, days: int = 90, limit: Limit(500) = 50):
    _view(request)
    since = business_now() - datetime.timedelta(days=_days(days))
    rows = queries.breaches(request.user, _kind(kind) if kind else None, since=since, limit=limit)
    return [{"at": e.at, "over": calendar_rules.duration_text(row.clock.over) if row.clock.over else None,
             "notified": e.notified, "clock": _clock_out(row)} for e, row in rows]


@router.get("/compliance", response=list[SlaComplianceOut],
            summary="Per measure: clocks finished in the last N days on time or late, and those running now")
def compliance(request, kind: str = Kind.COMPLAINT, days: int = 90):
    _view(request)
    now = business_now()
    return [vars(row) for row in queries.compliance(request.user, _kind(kind),
                                                    now - datetime.timedelta(days=_days(days)), now)]


@router.post("/scan", response=SlaScanOut,
             summary="Run the escalation scan now (what `credo sla scan` does; idempotent)")
def scan(request, payload: SlaScanIn):
    if not has_perm(request.user, "sla.manage"):
        raise PermissionDenied("permission denied")
    zone = settings.TIME_ZONE
    at = None
    if payload.as_of:
        try:
            at = calendar_rules.parse_local_moment(payload.as_of, zone)
        except calendar_rules.CalendarError:
            raise ValidationError({"as_of": [_('Write the moment as "YYYY-MM-DD HH:MM".')]}) from None
    result = services.scan(at)
    return {"as_of": calendar_rules.moment_text(result.as_of, zone), "warned": result.warned,
            "breached": result.breached, "notifications": result.notifications}
