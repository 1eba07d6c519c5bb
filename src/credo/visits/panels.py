"""Home panel of visits: overdue contacts (planned dates passed without a result; customers not contacted for
longer than their class allows)."""

from django.utils import timezone

from credo.core.roles import has_perm

from . import queries


def overdue_contacts_panel(user):
    if not has_perm(user, "visits.view") or queries.person_ids_for(user) is None:
        return None  # people without a plan of their own or a team see the compliance page instead
    data = queries.overdue_contacts(user, timezone.localdate(), limit=10)
    if not data["late_count"] and not data["stale_count"]:
        return None
    return {"template": "visits/panels/overdue.html", **data}
