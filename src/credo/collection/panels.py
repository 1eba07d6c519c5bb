"""Home-page panels of collection: the cases in my hands and the promises to pay falling due."""


from credo.core.clock import business_today
from credo.core.roles import has_perm

from . import queries

PROMISE_DAYS = 3


def my_cases_panel(user):
    """Live cases I collect or that were escalated to me, worst first, flagging promises due today or missed."""
    if not has_perm(user, "collection.view"):
        return None
    today = business_today()
    cases = list(queries.cases_for(user, status="live", mine=True)[:15])
    if not cases:
        return None
    promise_dates = queries.waiting_promise_dates([c.pk for c in cases], today)
    for case in cases:
        balance = getattr(case.customer, "balance", None)
        oldest = getattr(balance, "oldest_open_due_date", None)
        case.days_overdue = (today - oldest).days if oldest and oldest < today else 0
        case.promise_date = promise_dates.get(case.pk)
    return {"template": "collection/panels/my_cases.html", "cases": cases, "today": today}


def promises_due_panel(user):
    """Waiting promises in my scope due within three days, or past their date and not checked yet."""
    if not has_perm(user, "collection.view"):
        return None
    today = business_today()
    promises = list(queries.promises_due(user, today, PROMISE_DAYS)[:20])
    if not promises:
        return None
    for promise in promises:
        promise.days_left = (promise.promised_date - today).days
    return {"template": "collection/panels/promises_due.html", "promises": promises, "days": PROMISE_DAYS}
