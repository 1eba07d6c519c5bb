"""Read side of service improvement, scoped like everything else: the actions list and one action, the actions
and recoveries of a complaint, the recovery list, and how each service promise did over a period.

A promise's performance reads the SLA clocks of its measure (kind and metric) that started in the period and
while the promise was valid, for the customers in the user's scope, with the pauses of their subjects; the
judging is rules.measure on the company's business calendar. One query for the clocks of the longest period
and one for their pauses: the shorter periods are cut from the same outcomes.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from credo.complaints.services import visible_complaints
from credo.core.clock import business_now, business_today
from credo.core.scopes import customer_q, scope_of
from credo.sla import registry
from credo.sla.models import SlaClock, SlaPause
from credo.worktime.queries import company_calendar

from . import rules
from .models import ImprovementAction, RecoveryAction, ServicePromise
from .services import visible_actions, visible_recoveries

ACTION_FILTERS = ("status", "kind", "owner", "overdue", "q")
PERIODS = (30, 90, 365)


def actions(user, *, status: str = "", kind: str = "", owner: str = "", overdue: bool = False, q: str = ""):
    rows = visible_actions(user).select_related("owner", "verified_by").annotate(
        complaint_count=Count("links", distinct=True))
    if status in rules.STATUSES:
        rows = rows.filter(status=status)
    elif status == "active":
        rows = rows.filter(status__in=rules.NOT_DONE)
    if kind:
        rows = rows.filter(kind=kind)
    if str(owner).isdigit():
        rows = rows.filter(owner_id=int(owner))
    if overdue:
        rows = rows.filter(status__in=rules.NOT_DONE, due_date__lt=business_today())
    text = (q or "").strip()
    if text:
        rows = rows.filter(Q(title__icontains=text) | Q(cause__icontains=text)
                           | Q(links__complaint__number__iexact=text)).distinct()
    return rows.order_by("due_date", "id")


def action_detail(user, pk) -> ImprovementAction | None:
    return visible_actions(user).select_related("owner", "verified_by", "created_by").filter(pk=pk).first()


def linked_complaints(user, action):
    """The complaints of the action that the user may see."""
    return list(visible_complaints(user).filter(improvement_links__action=action).select_related("customer")
                .order_by("-received_at"))


def for_complaint(user, complaint):
    return list(visible_actions(user).filter(links__complaint=complaint).select_related("owner")
                .order_by("due_date", "id"))


def linkable_actions(user, complaint):
    """Actions not finished and not yet linked to this complaint, to link it to."""
    return list(visible_actions(user).filter(status__in=(*rules.NOT_DONE, rules.DONE))
                .exclude(links__complaint=complaint).order_by("-created_at")[:50])


def recoveries(user, *, kind: str = "", customer: str = "", complaint: str = ""):
    rows = visible_recoveries(user).select_related("customer", "complaint", "ticket", "done_by", "promise")
    if kind:
        rows = rows.filter(kind=kind)
    if str(customer).isdigit():
        rows = rows.filter(customer_id=int(customer))
    if str(complaint).isdigit():
        rows = rows.filter(complaint_id=int(complaint))
    return rows.order_by("-done_at", "-id")


def recovery_total(rows):
    return rows.aggregate(total=Sum("cost"))["total"] or 0


def recoveries_for_complaint(user, complaint):
    return list(visible_recoveries(user).filter(complaint=complaint).select_related("done_by", "promise"))


# --- promises ---------------------------------------------------------------------------------------

@dataclass
class PeriodResult:
    days: int
    period_from: datetime.date
    period_to: datetime.date
    performance: rules.Performance


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=business_now().tzinfo)


def covered_cases(user, promise, period_from: datetime.date, period_to: datetime.date) -> list[rules.Case]:
    """The clocks of the promise's measure that started from period_from to period_to (business dates) while the
    promise was valid, for the customers in the user's scope."""
    start = max(period_from, promise.valid_from)
    end = min(period_to, promise.valid_to) if promise.valid_to else period_to
    if scope_of(user) is None or end < start:
        return []
    kind, metric = promise.clock
    clocks = list(SlaClock.objects.filter(customer_q(user, "customer__"), kind=kind, metric=metric,
                                          started_at__gte=_moment(start),
                                          started_at__lt=_moment(end + datetime.timedelta(days=1)))
                  .values_list("subject_id", "started_at", "stopped_at", "customer_id").order_by("started_at", "id"))
    pauses = defaultdict(list)
    subjects = {c[0] for c in clocks}
    if subjects:
        for sid, began, ended in (SlaPause.objects.filter(kind=kind, subject_id__in=subjects)
                                  .values_list("subject_id", "started_at", "ended_at")):
            pauses[sid].append((began, ended))
    return [rules.Case(sid, began, stopped, tuple(pauses[sid]), cid) for sid, began, stopped, cid in clocks]


def promise_performance(user, promise, periods=PERIODS, today: datetime.date | None = None) -> list[PeriodResult]:
    """How the promise did over the last N days (today included) for each N in periods, judged now."""
    today = today or business_today()
    longest = max(periods)
    first = today - datetime.timedelta(days=longest - 1)
    calendar, now = company_calendar(), business_now()
    budget = rules.budget_delta(promise.unit, promise.budget)
    outcomes = [rules.judge(calendar, promise.unit, budget, case, now)
                for case in covered_cases(user, promise, first, today)]
    results = []
    for days in periods:
        since = _moment(today - datetime.timedelta(days=days - 1))
        chosen = [o for o in outcomes if o.case.started_at >= since]
        results.append(PeriodResult(days, since.date(), today, rules.summarise(chosen)))
    return results


def describe_misses(promise, outcomes) -> list[dict]:
    """The worst misses with the name and page of their complaint or service request."""
    kind, _metric = promise.clock
    names = registry.describe(kind, [o.case.subject_id for o in outcomes])
    return [{"subject_id": o.case.subject_id, "label": names.get(o.case.subject_id, str(o.case.subject_id)),
             "url": registry.url(kind, o.case.subject_id), "over": o.over, "used": o.used,
             "over_amount": rules.in_unit(o.over, promise.unit)} for o in outcomes]


def promises(*, active_only: bool = False):
    rows = ServicePromise.objects.all()
    return rows.filter(active=True) if active_only else rows


def recovery_costs(period_from: datetime.date, period_to: datetime.date) -> dict[int, object]:
    """{customer id: Σ recovery cost} of the recoveries done from period_from to period_to (business dates)."""
    rows = (RecoveryAction.objects.filter(done_at__gte=_moment(period_from),
                                          done_at__lt=_moment(period_to + datetime.timedelta(days=1)))
            .values("customer_id").annotate(total=Sum("cost")).order_by())
    return {row["customer_id"]: row["total"] for row in rows if row["total"]}
