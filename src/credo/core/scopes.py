"""Which customers a user may see: decided here, used by pages, API, exports and search.

salesperson      customers they manage
sales manager    customers managed by anyone in a team they manage, and their own
everyone else    all customers (what they may change is a permission, see roles.py)
"""

from django.db.models import Q

from .roles import Role, role_of

ALL = "all"
TEAM = "team"
OWN = "own"


def scope_of(user) -> str | None:
    role = role_of(user)
    if role is None:
        return None
    if role == Role.SALESPERSON:
        return OWN
    if role == Role.SALES_MANAGER:
        return TEAM
    return ALL


def customer_q(user, prefix: str = "") -> Q:
    """A Q object limiting a queryset to the customers user may see.

    prefix is the path to the customer from the queried model, e.g. "customer__" for contacts.
    """
    scope = scope_of(user)
    if scope == ALL:
        return Q()
    if scope == OWN:
        return Q(**{f"{prefix}account_manager": user})
    if scope == TEAM:
        # Ids, not a join through profiles and teams: lets the database use the account-manager index.
        return Q(**{f"{prefix}account_manager__in": team_member_ids(user)})
    return Q(pk__in=[])


def team_member_ids(manager) -> list[int]:
    from django.contrib.auth import get_user_model

    ids = get_user_model().objects.filter(profile__team__manager=manager).values_list("pk", flat=True)
    return sorted({manager.pk, *ids})


def limit_to_scope(queryset, user, prefix: str = ""):
    if scope_of(user) is None:
        return queryset.none()
    return queryset.filter(customer_q(user, prefix))


def assignable_managers(user):
    """Users this user may make account manager of a customer."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True, profile__role__in=[Role.SALESPERSON, Role.SALES_MANAGER])
    scope = scope_of(user)
    if scope == TEAM:
        return users.filter(Q(profile__team__manager=user) | Q(pk=user.pk))
    if scope == OWN:
        return users.filter(pk=user.pk)
    return users
