"""Reads of the visits app, always limited to the user's scope (credo.core.scopes)."""

import datetime
from collections import defaultdict

from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from credo.core.roles import has_perm
from credo.core.scopes import OWN, customer_q, scope_of, team_member_ids
from credo.customers.models import Contact, Customer

from . import rules
from .classes import classes_for
from .models import Holiday, Kind, Purpose, Status, Visit


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

    planned: rows of the generated plan (not cancelled); done: those of them done; actual: every done visit or
    call in the month, planned or not (what the policy table counts); mail: done mail follow-ups, which count
    toward no policy row; rate: done ÷ planned.
    """
    rows = visible_visits(user)
    if person_ids is not None:
        rows = rows.filter(person__in=person_ids)
    end = (last_month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    figures: dict[tuple, dict] = defaultdict(lambda: {"planned": 0, "done": 0, "missed": 0, "actual": 0, "mail": 0})
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
              .values_list("done_date", "person_id", "person__username", "customer_class", "kind"))
    for day, person, username, cls, kind in actual.iterator(5000):
        figures[(day.replace(day=1), person, username, cls)]["mail" if kind == Kind.MAIL else "actual"] += 1
    out = []
    for (month, person, username, cls), f in sorted(figures.items(), key=lambda kv: (kv[0][0], kv[0][2], kv[0][3])):
        out.append({"month": month.strftime("%Y-%m"), "person_id": person, "person": username,
                    "customer_class": cls or "—", **f, "rate_pct": rules.compliance_pct(f["done"], f["planned"])})
    return out


def compliance_by_person(rows: list[dict]) -> list[dict]:
    totals: dict[str, dict] = defaultdict(lambda: {"planned": 0, "done": 0, "missed": 0, "actual": 0, "mail": 0})
    for r in rows:
        for k in ("planned", "done", "missed", "actual", "mail"):
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
        last.update(Visit.objects.filter(customer__in=chunk, status=Status.DONE, kind__in=rules.POLICY_KINDS)
                    .values("customer_id")
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


# Caring reminders (温情追踪, SPEC §3.4) -------------------------------------------------------------------------

BIRTHDAY, FOUNDED, TRADING, HOLIDAY = "birthday", "founded", "trading", "holiday"


def _occasion_text(r: dict) -> str:
    if r["occasion"] == BIRTHDAY:
        return _("Birthday greetings to %(name)s") % {"name": r["contact_name"]}
    if r["occasion"] == FOUNDED:
        return _("Greetings on the company's %(years)s-year anniversary") % {"years": r["years"]}
    if r["occasion"] == TRADING:
        return _("Greetings on %(years)s years of trading with us") % {"years": r["years"]}
    return _("%(holiday)s greetings") % {"holiday": r["holiday"]}


def caring_reminders(user, today: datetime.date, days: int = rules.CARING_DAYS) -> list[dict]:
    """The occasions for greetings in [today, today + days) for the customers the user is account manager of
    (never anybody else's): contacts' birthdays, companies' founding anniversaries and anniversaries of the first
    order, holidays of the holiday table (one reminder per customer). 29 February falls on 28 February in other
    years. Each reminder says whether a caring contact was already recorded for it (since `days` before the
    occasion; for a birthday, with that contact)."""
    if not has_perm(user, "visits.view") or scope_of(user) is None:
        return []
    days = max(1, min(int(days), 366))
    customers = {c["pk"]: c for c in Customer.objects.filter(customer_q(user), account_manager=user, is_active=True)
                 .values("pk", "name", "founded_on", "first_order_date", "phone")}
    out: list[dict] = []

    def add(when, occasion, c, **extra):
        out.append({"date": when, "days_until": (when - today).days, "occasion": occasion, "customer_id": c["pk"],
                    "customer_name": c["name"], "phone": c["phone"], "contact_id": None, "contact_name": "",
                    "holiday_id": None, "holiday": "", "years": None, **extra})

    for contact in (Contact.objects.filter(customer__in=list(customers), is_active=True, birthday__isnull=False)
                    .values("pk", "name", "customer_id", "birthday", "mobile", "phone")):
        b = contact["birthday"]
        when = rules.next_occurrence(b.month, b.day, today, days)
        if when is not None:
            add(when, BIRTHDAY, customers[contact["customer_id"]], contact_id=contact["pk"],
                contact_name=contact["name"], phone=contact["mobile"] or contact["phone"]
                or customers[contact["customer_id"]]["phone"])
    for c in customers.values():
        for occasion, start in ((FOUNDED, c["founded_on"]), (TRADING, c["first_order_date"])):
            if start is None:
                continue
            when = rules.next_occurrence(start.month, start.day, today, days)
            if when is not None and when.year > start.year:
                add(when, occasion, c, years=when.year - start.year)
    holidays = list(Holiday.objects.filter(date__gte=today, date__lt=today + datetime.timedelta(days=days)))
    for holiday in holidays:
        for c in customers.values():
            add(holiday.date, HOLIDAY, c, holiday_id=holiday.pk, holiday=holiday.name)

    for r in out:
        r["key"] = f"{r['occasion']}:{r['customer_id']}:{r['contact_id'] or r['holiday_id'] or 0}"
    # Done: a caring contact recorded from the reminder (its key), or recorded by hand for the customer (with the
    # contact, for a birthday), since `days` before the occasion.
    answered: dict[str, list] = defaultdict(list)
    by_hand: dict[int, list[tuple]] = defaultdict(list)
    for customer_id, day, contact_id, key in (
            Visit.objects.filter(customer__in=list(customers), status=Status.DONE, purpose=Purpose.CARING,
                                 done_date__gte=today - datetime.timedelta(days=days))
            .values_list("customer_id", "done_date", "contacts", "occasion")):
        if key:
            answered[key].append(day)
        else:
            by_hand[customer_id].append((day, contact_id))
    for r in out:
        since = r["date"] - datetime.timedelta(days=days)
        r["done"] = (any(day >= since for day in answered.get(r["key"], ()))
                     or any(day >= since and (r["contact_id"] is None or contact_id == r["contact_id"])
                            for day, contact_id in by_hand.get(r["customer_id"], ())))
        r["text"] = _occasion_text(r)
    order = {BIRTHDAY: 0, FOUNDED: 1, TRADING: 2, HOLIDAY: 3}
    out.sort(key=lambda r: (r["date"], order[r["occasion"]], r["customer_name"], r["contact_name"]))
    return out
