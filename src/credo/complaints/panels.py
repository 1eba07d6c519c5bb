"""Home panel of complaints: what is due soonest for the service desk (all open complaints in scope) and for
anyone who owns the open step of a complaint."""

from credo.core.clock import business_now
from credo.core.roles import has_perm

from . import queries


def due_soonest_panel(user):
    if not has_perm(user, "complaints.view"):
        return None
    rows, total = queries.due_soonest(user)
    if not rows:
        return None
    return {"template": "complaints/panels/due.html", "rows": rows, "total": total, "now": business_now()}
