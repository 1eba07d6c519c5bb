"""Reads of the visits app, always limited to the user's scope (credo.core.scopes)."""

import datetime
from collections import defaultdict

from django.db.models import Count, Max, Q

from credo.core.roles import has_perm
from credo.core.scopes import OWN, customer_q, scope_of, team_member_ids
from credo.customers.models import Customer

from . import rules
from .classes import classes_for
from .models import Status, Visit


def visible_visits(user):
    if not has_perm(user, "visits.view") or scope_of(user) is None:
        return Visit.objects.none()
    return Visit.objects.filter(customer_q(user, "customer__"))


def person_ids_for(user) -> list[int] | None:
    """Whose plans the user looks at: own (salesperson), the team (manager), None = everybody."""
    scope = scope_of(user)
    if scope == OWN:
        return [user.pk]
    if scope == "team":
        return team_member_ids(user)
    return None


def plan_between(user, start: datetime.date, end: datetime.date, person_ids=None):
    rows = visible_visits(user).filter(planned_date__gte=start, planned_date__lte=end)
    if person_ids is not None:
        rows = rows.filter(person__in=person_ids)
    return rows.select_related("customer", "customer__territory", "person__profile").order_by(
        "planned_date", "person__username", "kind", "route_order", "id")


def customer_visits(user, customer, limit=100):
    rows = visible_visits(user).filter(customer=customer).select_related("person__profile").prefetch_related(
        "contacts")
    history = list(rows.exclude(status=Status.PLANNED).order_by("-done_date", "-planned_date", "-id")[:limit])
    upcoming = list(rows.filter(status=Status.PLANNED).order_by("planned_date", "id")[:20])
    return history, upcoming


def compliance(user, first_month: datetime.date, last_month: datetime.date, person_ids=None) -> list[dict]:
    """Plan against actual per person, class and month.

    planned: rows of the generated plan (not cancelled); done: those of them done; actual: every done contact
    in the month, planned or not; rate: done ÷ planned.
    """
    rows = visible_visits(user)
    if person_ids is not None:
        rows = rows.filter(person__in=person_ids)
    end = (last_month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    figures: dict[tuple, dict] = defaultdict(lambda: {"planned": 0, "done": 0, "missed": 0, "actual": 0})
    for month, person, username, cls, planned, done, missed in (
            rows.filter(plan_month__gte=first_month, plan_month__lte=last_month).exclude(status=Status.CANCELLED)
            .values("plan_month", "person_id", "person__username", "customer_class")
            .annotate(planned=Count("id"), done=Count("id", filter=Q(status=Status.DONE)),
                      missed=Count("id", filter=Q(status=Status.MISSED)))
            .values_list("plan_month", "person_id", "person__username", "customer_class", "planned", "done",
                         "missed")):
        f = figures[(month, person, username, cls)]
        f.update(planned=planned, done=done, missed=missed)
    actual = (rows.filter(status=Status.DONE, done_date__gte=first_month, done_date__lte=end)
              .values_list("done_date", "person_id", "person__username", "customer_class"))
    for day, person, username, cls in actual.iterator(5000):
        figures[(day.replace(day=1), person, username, cls)]["actual"] += 1
    out = []
    for (month, person, username, cls), f in sorted(figures.items(), key=lambda kv: (kv[0][0], kv[0][2], kv[0][3])):
        out.append({"month": month.strftime("%Y-%m"), "person_id": person, "person": username,
                    "customer_class": cls or "—", **f, "rate_pct": rules.compliance_pct(f["done"], f["planned"])})
    return out


def compliance_by_person(rows: list[dict]) -> list[dict]:
    totals: dict[str, dict] = defaultdict(lambda: {"planned": 0, "done": 0, "missed": 0, "actual": 0})
    for r in rows:
        for k in ("planned", "done", "missed", "actual"):
            totals[r["person"]][k] += r[k]
    return [{"person": p, **t, "rate_pct": rules.compliance_pct(t["done"], t["planned"])}
            for p, t in sorted(totals.items())]


def overdue_contacts(user, today: datetime.date, limit: int = 20) -> dict:
    """Planned contacts whose date passed with no result, and customers not contacted for longer than their
    class allows (rules.MAX_DAYS_WITHOUT_CONTACT), in the user's plans (own, team, or all)."""
    persons = person_ids_for(user)
    late = visible_visits(user).filter(status=Status.PLANNED, planned_date__lt=today)
    if persons is not None:
        late = late.filter(person__in=persons)
    late_count = late.count()
    late_rows = list(late.select_related("customer", "person__profile").order_by("planned_date", "id")[:limit])

    customers = Customer.objects.filter(customer_q(user), is_active=True, account_manager__isnull=False)
    if persons is not None:
        customers = customers.filter(account_manager__in=persons)
    ids_imp = dict(customers.values_list("pk", "importance")[:20000])
    classes = classes_for(list(ids_imp), ids_imp)
    watched = [pk for pk, cls in classes.items() if cls in rules.MAX_DAYS_WITHOUT_CONTACT]
    last: dict[int, datetime.date] = {}
    for start in range(0, len(watched), 5000):
        chunk = watched[start:start + 5000]
        last.update(Visit.objects.filter(customer__in=chunk, status=Status.DONE).values("customer_id")
                    .annotate(last=Max("done_date")).values_list("customer_id", "last"))
    stale = []
    for pk in watched:
        allowed = rules.MAX_DAYS_WITHOUT_CONTACT[classes[pk]]
        seen = last.get(pk)
        days = (today - seen).days if seen else None
        if days is None or days > allowed:
            stale.append((pk, classes[pk], seen, days, allowed))
    stale.sort(key=lambda s: (s[1], -(s[3] if s[3] is not None else 10**6)))
    names = dict(Customer.objects.filter(pk__in=[s[0] for s in stale[:limit]]).values_list("pk", "name"))
    return {
        "late": late_rows, "late_count": late_count,
        "stale": [{"customer_id": pk, "name": names.get(pk, ""), "customer_class": cls, "last_contact": seen,
                   "days": days, "allowed": allowed} for pk, cls, seen, days, allowed in stale[:limit]],
        "stale_count": len(stale),
    }
