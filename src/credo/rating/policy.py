"""The rating policy tables: scorecard versions, the grade scale (cut-offs, risk levels, approval guide) and the
5C weights. Reads create the defaults when a table is empty; writes are for administrators, validated as a
whole, audited, one transaction each."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from credo.core import audit
from credo.core.errors import PermissionDenied, ValidationError
from credo.core.models import AuditEntry
from credo.core.roles import Role, role_of

from . import defaults, rules
from .models import FIVEC_DIMENSIONS, FiveCWeights, Grade, GradeBand, ItemSource, Scorecard, ScorecardItem


def can_configure(user) -> bool:
    return role_of(user) == Role.ADMINISTRATOR


def _require_admin(user):
    if not can_configure(user):
        raise PermissionDenied(_("Only an administrator may change the rating policy."))


def explain(exc: rules.RuleError) -> str:
    """A rule's error in the user's language."""
    p = exc.params
    messages = {
        "not_a_number": lambda: _("“%(value)s” is not a number.") % {"value": p.get("value")},
        "mapping_not_list": lambda: _("The score table must be a list of [from, score] rows."),
        "mapping_row_shape": lambda: _("Row %(row)s of the score table must be [from, score].") % p,
        "mapping_first_open": lambda: _("The first row of the score table must start from null (any value)."),
        "mapping_bound_missing": lambda: _("Row %(row)s of the score table needs a “from” value.") % p,
        "mapping_not_ascending": lambda: _("Row %(row)s of the score table must start above the row before.") % p,
        "mapping_score_range": lambda: _("The score in row %(row)s of the score table must be 0–100.") % p,
        "weight_range": lambda: _("The weight of %(name)s (%(weight)s) must be between 0 and 1.") % p,
        "weights_sum": lambda: _("The weights must add up to 1; they add up to %(total)s (%(listed)s).") % p,
        "cutoff_range": lambda: _("The cut-off of %(grade)s must be between 0 and 100.") % p,
        "cutoff_not_descending": lambda: _("The cut-off of %(grade)s must be below the cut-off of the grade "
                                           "above it.") % p,
        "cutoff_last_not_zero": lambda: _("The lowest grade (%(grade)s) must start from 0, so that every score "
                                          "has a grade.") % p,
        "risk_level_unknown": lambda: _("Choose the risk level of %(grade)s from AA, A, BB, B, C, D.") % p,
        "risk_level_not_monotone": lambda: _("The risk level of %(grade)s cannot be better than the level of the "
                                             "grade above it.") % p,
        "subscore_range": lambda: _("Each score must be between 0 and 100.") % p,
    }
    return messages.get(exc.code, lambda: str(exc))()


# ---------------------------------------------------------------------------------------------- scorecard


def current_scorecard() -> Scorecard:
    card = Scorecard.objects.order_by("-version").first()
    if card is None:
        defaults.ensure_scorecard()
        card = Scorecard.objects.order_by("-version").first()
    return card


def item_defs(card: Scorecard) -> list[rules.ItemDef]:
    return [rules.ItemDef(i.source, i.weight, i.mapping, i.missing_score, i.name) for i in card.items.all()]


def scorecard_rows(card: Scorecard) -> list[dict]:
    return [{"source": i.source, "label": i.label, "weight": i.weight, "mapping": i.mapping,
             "missing_score": i.missing_score} for i in card.items.all()]


def _source_name(source: str) -> str:
    return str(ItemSource(source).label) if source in ItemSource.values else source


@transaction.atomic
def save_scorecard(user, items: list[dict], *, note: str = "") -> Scorecard:
    """Save the scorecard as its next version. items: [{source, label, weight, mapping, missing_score}].
    Errors name the field as items.<n>.<field> (n from 0), or "weights" for the total."""
    _require_admin(user)
    errors: dict = {}
    rows, seen = [], set()
    if not items:
        raise ValidationError({"items": [_("A scorecard needs at least one item.")]})
    for n, item in enumerate(items):
        prefix = f"items.{n}."
        source = (item.get("source") or "").strip()
        if source not in ItemSource.values:
            errors.setdefault(prefix + "source", []).append(_("Choose the item's source from the list."))
        elif source in seen:
            errors.setdefault(prefix + "source", []).append(_("This source is already an item of the scorecard."))
        seen.add(source)
        row = {"source": source, "label": (item.get("label") or "").strip()[:100]}
        for key in ("weight", "missing_score"):
            try:
                row[key] = rules.decimal(item.get(key, "0" if key == "missing_score" else None))
            except rules.RuleError:
                errors.setdefault(prefix + key, []).append(_("Enter a number."))
        if "missing_score" in row and not 0 <= row["missing_score"] <= 100:
            errors.setdefault(prefix + "missing_score", []).append(_("The score must be between 0 and 100."))
        try:
            row["mapping"] = rules.validate_mapping(item.get("mapping"))
        except rules.RuleError as exc:
            errors.setdefault(prefix + "mapping", []).append(explain(exc))
        rows.append(row)
    if not errors:
        try:
            rules.check_weights([(r["label"] or _source_name(r["source"]), r["weight"]) for r in rows])
        except rules.RuleError as exc:
            errors.setdefault("weights", []).append(explain(exc))
    if errors:
        raise ValidationError(errors)
    version = (Scorecard.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    card = Scorecard.objects.create(version=version, note=note.strip()[:300], created_by=user.username)
    ScorecardItem.objects.bulk_create([
        ScorecardItem(scorecard=card, position=n, source=r["source"], label=r["label"], weight=r["weight"],
                      mapping=r["mapping"], missing_score=r["missing_score"]) for n, r in enumerate(rows)])
    audit.record(user, AuditEntry.Action.CREATE, card, reason=note,
                 after={"version": version, "items": [audit.snapshot(i, ["source", "label", "weight", "mapping",
                                                                          "missing_score"])
                                                      for i in card.items.all()]})
    return card


# ---------------------------------------------------------------------------------------------- grades


def grade_bands() -> list[GradeBand]:
    bands = list(GradeBand.objects.order_by("position"))
    if not bands:
        defaults.ensure_grades()
        bands = list(GradeBand.objects.order_by("position"))
    return bands


def cutoffs(bands: list[GradeBand]) -> list[tuple[str, Decimal]]:
    return [(b.grade, b.min_score) for b in bands]


def grade_table(bands: list[GradeBand]) -> list[dict]:
    """The table as a rating stores it."""
    return [{"grade": b.grade, "min_score": str(b.min_score), "risk_level": b.risk_level,
             "guide_min_limit": None if b.guide_min_limit is None else str(b.guide_min_limit)} for b in bands]


@transaction.atomic
def save_grade_scale(user, rows: dict[str, dict], *, reason: str = "") -> list[GradeBand]:
    """rows: {grade: {min_score, risk_level, guide_min_limit, meaning_zh, meaning_en}} for the ten grades.
    Errors name the field as <grade>.<field>."""
    _require_admin(user)
    bands = {b.grade: b for b in GradeBand.objects.select_for_update().order_by("position")}
    errors: dict = {}
    parsed = {}
    for grade in Grade.values:
        row = rows.get(grade)
        if row is None:
            errors.setdefault(f"{grade}.min_score", []).append(_("Give every grade its cut-off."))
            continue
        values = {"risk_level": (row.get("risk_level") or "").strip(),
                  "meaning_zh": (row.get("meaning_zh") or "").strip()[:60],
                  "meaning_en": (row.get("meaning_en") or "").strip()[:60]}
        try:
            values["min_score"] = rules.decimal(row.get("min_score"))
        except rules.RuleError:
            errors.setdefault(f"{grade}.min_score", []).append(_("Enter a number."))
        guide = row.get("guide_min_limit")
        if guide in (None, ""):
            values["guide_min_limit"] = None
        else:
            try:
                values["guide_min_limit"] = rules.round2(rules.decimal(guide))
                if values["guide_min_limit"] < 0:
                    raise rules.RuleError("negative")
            except rules.RuleError:
                errors.setdefault(f"{grade}.guide_min_limit", []).append(_("Enter an amount of 0 or more."))
        if not values["meaning_zh"]:
            errors.setdefault(f"{grade}.meaning_zh", []).append(_("Say what the grade means."))
        parsed[grade] = values
    if not errors:
        for check, field in ((lambda: rules.validate_cutoffs([(g, parsed[g]["min_score"]) for g in Grade.values]),
                              "min_score"),
                             (lambda: rules.validate_risk_mapping([(g, parsed[g]["risk_level"]) for g in Grade.values]),
                              "risk_level")):
            try:
                check()
            except rules.RuleError as exc:
                errors.setdefault(f"{exc.params.get('grade')}.{field}", []).append(explain(exc))
    if errors:
        raise ValidationError(errors)
    fields = ["min_score", "risk_level", "guide_min_limit", "meaning_zh", "meaning_en"]
    before = {g: audit.snapshot(b, fields) for g, b in bands.items()}
    for position, grade in enumerate(Grade.values):
        band = bands.get(grade) or GradeBand(grade=grade)
        for key, value in parsed[grade].items():
            setattr(band, key, value)
        band.position = position
        band.save()
        bands[grade] = band
    after = {g: audit.snapshot(b, fields) for g, b in bands.items()}
    if before != after:
        audit.record(user, AuditEntry.Action.UPDATE, object_type="rating.gradeband", object_id="scale",
                     object_repr="credit grade scale", before=before, after=after, reason=reason)
    return grade_bands()


# ---------------------------------------------------------------------------------------------- 5C weights


def fivec_weights() -> dict[str, Decimal]:
    row = FiveCWeights.objects.order_by("pk").first()
    if row is None:
        defaults.ensure_fivec_weights()
        row = FiveCWeights.objects.order_by("pk").first()
    return row.as_dict()


def check_fivec_weights(weights: dict, prefix: str = "") -> dict[str, Decimal]:
    """Parse and check the five weights (sum 1); errors name <prefix><dimension>, or "weights" for the sum."""
    errors: dict = {}
    parsed = {}
    for dimension in FIVEC_DIMENSIONS:
        try:
            parsed[dimension] = rules.decimal(weights.get(dimension))
        except rules.RuleError:
            errors.setdefault(prefix + dimension, []).append(_("Enter a weight between 0 and 1."))
    if not errors:
        try:
            rules.check_weights([(_dimension_name(d), parsed[d]) for d in FIVEC_DIMENSIONS])
        except rules.RuleError as exc:
            errors.setdefault("weights", []).append(explain(exc))
    if errors:
        raise ValidationError(errors)
    return parsed


def _dimension_name(dimension: str) -> str:
    return str(FiveCWeights._meta.get_field(dimension).verbose_name)


@transaction.atomic
def save_fivec_weights(user, weights: dict, *, reason: str = "") -> dict[str, Decimal]:
    _require_admin(user)
    parsed = check_fivec_weights(weights)
    fivec_weights()
    row = FiveCWeights.objects.select_for_update().order_by("pk").first()
    before = audit.snapshot(row)
    for dimension, value in parsed.items():
        setattr(row, dimension, value)
    row.save()
    audit.record_change(user, row, before, reason=reason)
    return row.as_dict()
