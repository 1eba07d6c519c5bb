"""Writes of the loyalty app: saving a version of the stage rules (administrators; audited)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from credo.core import audit
from credo.core.clock import business_today
from credo.core.models import AuditEntry
from credo.core.roles import has_perm

from . import rules
from .models import StageRules

ERROR_TEXTS = {
    "not_a_mapping": lambda: _("Give the thresholds as {stage: {metric: value}}."),
    "unknown_stage": lambda: _("Unknown stage; use behavioural, emotional or cognitive."),
    "unknown_metric": lambda: _("Unknown figure; use invoices, repeat_rate, share_of_wallet or tolerance."),
    "not_a_number": lambda: _("Enter a number."),
    "out_of_range": lambda: _("Invoices are a whole number from 0; rates lie between 0 and 1."),
}


def current_rules(on: datetime.date | None = None) -> tuple[dict, StageRules | None]:
    """(thresholds in force on the day, their row or None for the defaults)."""
    row = StageRules.objects.filter(valid_from__lte=on or business_today()).order_by("-valid_from").first()
    return (row.thresholds, row) if row else (rules.DEFAULT_STAGE_RULES, None)


@transaction.atomic
def save_stage_rules(user, thresholds, *, valid_from: datetime.date | None = None, note: str = "") -> StageRules:
    """A new version from valid_from (today by default; the same day's version is replaced)."""
    if not has_perm(user, "loyalty.edit"):
        raise PermissionDenied(_("Your role may not edit the loyalty stage rules."))
    try:
        clean = rules.clean_stage_rules(thresholds)
    except rules.RulesError as exc:
        raise ValidationError({field: [ERROR_TEXTS[code]()] for field, code in exc.errors.items()}) from None
    if len(note or "") > 200:
        raise ValidationError({"note": [_("At most 200 characters.")]})
    valid_from = valid_from or business_today()
    before, _row = current_rules(valid_from)
    row, created = StageRules.objects.update_or_create(
        valid_from=valid_from, defaults={"thresholds": clean, "note": note or "",
                                         "created_by": getattr(user, "username", "")})
    action = AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE
    audit.record(user, action, row, before={"thresholds": before}, after={"thresholds": clean}, reason=note or "")
    return row
