"""Home panel of the service desk: the open requests I own or nobody owns, due soonest first."""

from credo.core.clock import business_now
from credo.core.roles import has_perm

from . import queries


def due_soonest_panel(user):
    if not has_perm(user, "servicedesk.manage"):
        return None
    tickets = queries.due_soonest(user, limit=10)
    if not tickets:
        return None
    now = business_now()
    for t in tickets:
        due = t.first_response_due or t.resolution_due
        t.panel_due = due
        t.panel_late = due is not None and due <= now
    return {"template": "servicedesk/panels/due_soonest.html", "tickets": tickets}
