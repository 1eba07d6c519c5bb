"""Home panels of visits: overdue contacts (planned dates passed without a result; customers not contacted for
longer than their class allows) and caring reminders (温情追踪)."""


from credo.core.clock import business_today
from credo.core.roles import has_perm

from . import queries, rules


def overdue_contacts_panel(user):
    if not has_perm(user, "visits.view") or queries.person_ids_for(user) is None:
        return None  # people without a plan of their own or a team see the compliance page instead
    data = queries.overdue_contacts(user, business_today(), limit=10)
    if not data["late_count"] and not data["stale_count"]:
        return None
    return {"template": "visits/panels/overdue.html", **data}


def caring_panel(user):
    """温情追踪: greetings due to the user's own customers in the next CARING_DAYS days (birthdays,
    anniversaries, holidays), with one-click recording. Supersedes the customer file's birthday panel."""
    if not has_perm(user, "visits.view"):
        return None
    reminders = queries.caring_reminders(user, business_today())
    if not reminders:
        return None
    pending = [r for r in reminders if not r["done"]]
    holidays: dict = {}
    for r in pending:
        if r["occasion"] == queries.HOLIDAY:
            h = holidays.setdefault(r["holiday_id"], {"name": r["holiday"], "date": r["date"], "count": 0})
            h["count"] += 1
    return {"template": "visits/panels/caring.html", "days": rules.CARING_DAYS, "pending_count": len(pending),
            "done_count": len(reminders) - len(pending),
            "items": [r for r in pending if r["occasion"] != queries.HOLIDAY][:8],
            "holidays": sorted(holidays.values(), key=lambda h: h["date"]),
            "can_record": has_perm(user, "visits.record")}
