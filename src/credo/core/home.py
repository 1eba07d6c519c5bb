"""What each role sees first. Later apps add panels by appending to HOME_PANELS."""

from django.db.models import Count, Q

from credo.core.clock import business_today
from credo.core.models import AuditEntry
from credo.core.roles import Role, role_of
from credo.core.scopes import scope_of

# Each panel: function(user) -> dict with "template" and its context, or None. Apps append theirs.
HOME_PANELS: list = []


def _customer_figures(user):
    from credo.core.models import CompanyProfile
    from credo.customers.queries import visible_customers
    from credo.customers.rules import new_since

    since = new_since(business_today(), CompanyProfile.current().new_customer_months)
    return visible_customers(user).filter(is_active=True).aggregate(
        total=Count("id"),
        key=Count("id", filter=Q(importance="key")),
        potential=Count("id", filter=Q(first_order_date__isnull=True)),
        new=Count("id", filter=Q(first_order_date__gt=since)),
        dealers=Count("id", filter=Q(kind="dealer")),
    )


def home_context(user) -> dict:
    from credo.customers.queries import visible_customers

    role = role_of(user)
    recent = visible_customers(user).order_by("-updated_at", "id")[:8]
    context = {
        "role": role,
        "role_label": Role(role).label if role else "",
        "scope": scope_of(user),
        "figures": _customer_figures(user),
        "recent_customers": recent,
        "panels": [p for p in (panel(user) for panel in HOME_PANELS) if p],
    }
    if role in (Role.SALES_MANAGER, Role.ADMINISTRATOR, Role.CREDIT_CONTROLLER, Role.EXECUTIVE):
        changes = AuditEntry.objects.filter(customer_id__in=visible_customers(user).values("pk"))
        context["recent_changes"] = changes.order_by("-at", "-id")[:10]
    if role == Role.SALES_MANAGER:
        from django.contrib.auth import get_user_model

        context["team_members"] = (
            get_user_model().objects.filter(profile__team__manager=user)
            .annotate(customers=Count("managed_customers", filter=Q(managed_customers__is_active=True)))
            .order_by("username")
        )
    return context
