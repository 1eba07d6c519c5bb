"""Whom an escalation tells, in bulk for a batch of clocks.

warning  the clock's owner and the owner's manager (the manager of the owner's team)
breach   the owner, the service managers (managers of the teams service agents belong to; the administrators
         when no team has a service agent), and for class A customers the account manager's manager too
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model

from credo.core.models import Profile
from credo.core.roles import Role

from . import rules

CLASS_A = "A"


def managers_of(user_ids: Iterable[int]) -> dict[int, int]:
    """{user id: the manager of their team} for the users that have one (not themselves)."""
    rows = Profile.objects.filter(user_id__in=set(user_ids), team__manager__isnull=False).values_list(
        "user_id", "team__manager_id")
    return {user: manager for user, manager in rows if user != manager}


def service_managers() -> set[int]:
    managers = set(Profile.objects.filter(role=Role.SERVICE_AGENT, team__manager__isnull=False,
                                          team__manager__is_active=True)
                   .values_list("team__manager_id", flat=True))
    if managers:
        return managers
    users = get_user_model().objects.filter(is_active=True)
    return set(users.filter(profile__role=Role.ADMINISTRATOR).values_list("pk", flat=True)) or set(
        users.filter(is_superuser=True).values_list("pk", flat=True))


def account_managers(customer_ids: Iterable[int]) -> dict[int, int]:
    from credo.customers.models import Customer

    return dict(Customer.objects.filter(pk__in=set(customer_ids), account_manager__isnull=False)
                .values_list("pk", "account_manager_id"))


def for_clocks(clocks: list, level: str) -> dict[int, set[int]]:
    """{clock id: user ids to tell} for clocks reaching `level` (rules.WARNING or rules.BREACHED)."""
    owners = {c.owner_id for c in clocks if c.owner_id}
    chain = managers_of(owners)
    found: dict[int, set[int]] = {c.pk: ({c.owner_id} if c.owner_id else set()) for c in clocks}
    if level == rules.WARNING:
        for clock in clocks:
            if clock.owner_id in chain:
                found[clock.pk].add(chain[clock.owner_id])
        return found
    service = service_managers()
    class_a = [c for c in clocks if c.customer_class == CLASS_A]
    accounts = account_managers(c.customer_id for c in class_a)
    above_accounts = managers_of(accounts.values())
    for clock in clocks:
        found[clock.pk] |= service
    for clock in class_a:
        account = accounts.get(clock.customer_id)
        if account in above_accounts:
            found[clock.pk].add(above_accounts[account])
    return found
