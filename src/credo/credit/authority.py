"""Who decides what (SPEC §5.7): the authority tier for an amount and a term, and whether a user may review or
approve an application. Nobody reviews or approves their own application; the reviewer does not also approve."""

from decimal import Decimal

from credo.core.roles import has_perm, role_of

from . import rules
from .defaults import ensure_defaults
from .models import ApplicationStatus, AuthorityTier, CreditApplication, split_roles


def tiers() -> list[AuthorityTier]:
    found = list(AuthorityTier.objects.order_by("level"))
    if not found:
        ensure_defaults()
        found = list(AuthorityTier.objects.order_by("level"))
    return found


def tier_for(amount: Decimal, days: int) -> AuthorityTier:
    rows = tiers()
    chosen = rules.choose_tier([rules.Tier(t.level, t.limit_up_to, t.max_term_days) for t in rows], amount, days)
    return next(t for t in rows if t.level == chosen.level)


def may_apply(user, tier: AuthorityTier) -> bool:
    return has_perm(user, "credit.apply") and role_of(user) in split_roles(tier.applicant_roles)


def step_for(user, application: CreditApplication) -> str | None:
    """"review" or "approve" when the user may take the application's next step now, else None (scope is the
    caller's business: queries and services filter by it)."""
    if not application.is_pending or not has_perm(user, "credit.approve"):
        return None
    if application.applicant_id == user.pk:
        return None
    role = role_of(user)
    if application.status == ApplicationStatus.REVIEW:
        return "review" if role in application.reviewer_role_list() else None
    if application.reviewer_id == user.pk:
        return None
    return "approve" if role in application.approver_role_list() else None
