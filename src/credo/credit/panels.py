"""Home-page panels of credit control: the applications waiting for me, and orders on credit hold in my scope."""

from credo.core.roles import has_perm

from . import queries


def pending_approvals_panel(user):
    """Applications whose next step (review or approval) is mine, oldest first."""
    if not has_perm(user, "credit.approve"):
        return None
    pending = queries.pending_for(user, limit=200)
    if not pending:
        return None
    return {"template": "credit/panels/pending.html", "applications": pending[:20], "count": len(pending)}


def held_orders_panel(user):
    """Orders on credit hold with the reason in figures (a salesperson sees why without finance rights)."""
    if not has_perm(user, "credit.view"):
        return None
    held = list(queries.held_orders(user)[:15])
    if not held:
        return None
    return {"template": "credit/panels/held_orders.html", "orders": held,
            "can_apply": has_perm(user, "credit.apply")}
