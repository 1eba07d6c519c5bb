"""Read side of complaints, scoped like everything else: the queue (priority first, then the open step due
soonest), one complaint with its steps, what is due soonest for one person, a customer's complaints, and the
short texts the service-level scan uses to name a complaint."""

from django.db.models import F, Q

from credo.core.scopes import scope_of

from .models import Complaint, ComplaintStep, Status
from .services import visible_complaints

QUEUE_FILTERS = ("status", "step", "category", "severity", "priority", "channel", "q", "mine", "repeat", "waiting")


def queue(user, *, status: str = Status.OPEN, step: str = "", category: str = "", severity: str = "",
          priority: str = "", channel: str = "", q: str = "", mine: bool = False, repeat: bool = False,
          waiting: bool = False):
    """The complaints the user may see, filtered, high priority first and then the open step due soonest (a
    paused one, without a due time, after those with one; closed ones newest first)."""
    rows = visible_complaints(user).select_related("customer", "repeat_of")
    if status in Status.values:
        rows = rows.filter(status=status)
    if step.isdigit():
        rows = rows.filter(current_step=int(step), status=Status.OPEN)
    if category:
        rows = rows.filter(category=category)
    if severity:
        rows = rows.filter(severity=severity)
    if priority.isdigit():
        rows = rows.filter(priority=int(priority))
    if channel:
        rows = rows.filter(channel=channel)
    if repeat:
        rows = rows.filter(is_repeat=True)
    if waiting:
        rows = rows.filter(waiting=True)
    text = (q or "").strip()
    if text:
        rows = rows.filter(Q(number__icontains=text) | Q(customer__name__icontains=text)
                           | Q(customer__code__iexact=text) | Q(company_name__icontains=text)
                           | Q(contact_name__icontains=text))
    if mine:
        rows = rows.filter(steps__owner=user, steps__closed_at__isnull=True, steps__superseded=False,
                           steps__round=F("round"), steps__number=F("current_step"))
    if status == Status.CLOSED:
        return rows.order_by("-closed_at", "-id")
    return rows.order_by("status", "priority", F("due_at").asc(nulls_last=True), "received_at", "id")


def due_soonest(user, limit: int = 8):
    """Open complaints due soonest: for a service person all in scope, for anyone else those whose open step
    they own."""
    rows = visible_complaints(user).filter(status=Status.OPEN).select_related("customer")
    from credo.core.roles import Role, role_of

    if role_of(user) not in (Role.SERVICE_AGENT,):
        rows = rows.filter(steps__owner=user, steps__closed_at__isnull=True, steps__superseded=False,
                           steps__round=F("round"), steps__number=F("current_step"))
    return list(rows.order_by(F("due_at").asc(nulls_last=True), "priority", "id")[:limit]), rows.count()


def for_customer(user, customer_id: int, limit: int = 50):
    return list(visible_complaints(user).filter(customer_id=customer_id).select_related("repeat_of")
                .order_by("-received_at", "-id")[:limit])


def detail(user, pk) -> Complaint | None:
    return (visible_complaints(user).select_related("customer", "product", "order", "invoice", "repeat_of",
                                                    "created_by").filter(pk=pk).first())


def steps_by_round(complaint) -> list[tuple[int, list[ComplaintStep]]]:
    rounds: dict[int, list[ComplaintStep]] = {}
    for step in complaint.steps.select_related("owner", "closed_by").order_by("round", "number"):
        rounds.setdefault(step.round, []).append(step)
    return sorted(rounds.items(), reverse=True)


def describe(ids) -> dict[int, str]:
    """{id: "TS-2026-000017 customer name"} for the SLA scan's messages."""
    rows = Complaint.objects.filter(pk__in=list(ids)).values_list("pk", "number", "customer__name", "company_name")
    return {pk: f"{number} {name or company}".strip() for pk, number, name, company in rows}


def sees_unlinked(user) -> bool:
    return scope_of(user) == "all"
