"""Writes of the SERVQUAL instrument: the built-in default on first use, and a new version from the editor or
the API (servqual.edit), audited with the version it replaces.

Input of save_instrument:
- weights {dimension: value} summing to exactly 1, or points {dimension: value} summing to 100 (converted to
  weights as points / 100) — exactly one of the two;
- items {dimension: [{"key": "T1" or "", "text_zh": …, "text_en": …}, …]} in the order to ask them; an item
  without a key is new and gets the next free key of its dimension;
- valid_from (default today, never before today) and a note.
Errors name the field: `weights` / `points`, `items`, `valid_from`, `note`. Nothing is saved then.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from credo.core import audit
from credo.core.clock import business_today
from credo.core.errors import ValidationError, require
from credo.core.roles import has_perm

from . import defaults, rules
from .models import Dimension, DimensionCode, InstrumentVersion, Item

BUILTIN_FROM = datetime.date(2000, 1, 1)   # the default applies to any day before the first saved version
TEXT_LENGTH = 300
MAX_ITEMS = 12
NOTE_LENGTH = 200
AUDIT_ACTION = "sq.version"   # ≤ 10 characters (the audit table's action column)

WEIGHT_MESSAGES = {
    "missing": gettext_noop("Give a weight for %(dimension)s."),
    "unknown": gettext_noop("Unknown dimension %(dimension)s: use tangibles, reliability, responsiveness, assurance, "
                            "empathy."),
    "duplicate": gettext_noop("%(dimension)s is given twice."),
    "not_number": gettext_noop("The weight of %(dimension)s is not a number."),
    "negative": gettext_noop("The weight of %(dimension)s may not be negative."),
    "too_large": gettext_noop("The weight of %(dimension)s is larger than the total."),
    "sum": gettext_noop("The weights must sum to exactly 1; they sum to %(total)s."),
}
POINT_MESSAGES = {
    **WEIGHT_MESSAGES,
    "missing": gettext_noop("Give the importance points of %(dimension)s."),
    "not_number": gettext_noop("The points of %(dimension)s are not a number."),
    "negative": gettext_noop("The points of %(dimension)s may not be negative."),
    "too_large": gettext_noop("The points of %(dimension)s are more than 100."),
    "sum": gettext_noop("The importance points must sum to exactly 100; they sum to %(total)s."),
}


def dimension_label(code: str) -> str:
    try:
        return str(DimensionCode(code).label)
    except ValueError:
        return code


def weight_message(exc: rules.WeightError, *, points: bool = False) -> str:
    template = (POINT_MESSAGES if points else WEIGHT_MESSAGES)[exc.code]
    total = f"{exc.total.normalize():f}" if exc.total is not None else ""
    return _(template) % {"dimension": dimension_label(exc.dimension) if exc.code != "unknown" else exc.dimension,
                          "total": total}


# --- reading ----------------------------------------------------------------------------------------

def ensure_defaults() -> InstrumentVersion:
    """The built-in version (22 items, equal weights), made the first time anything reads the instrument."""
    existing = InstrumentVersion.objects.filter(builtin=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            version = InstrumentVersion.objects.create(valid_from=BUILTIN_FROM, builtin=True, created_by="system",
                                                       note="SERVQUAL (22)")
            _write_dimensions(version, defaults.WEIGHTS, {d: [{"key": k, "text_zh": zh, "text_en": en}
                                                              for k, zh, en in rows]
                                                          for d, rows in defaults.ITEMS.items()})
    except IntegrityError:   # made at the same moment by another request
        return InstrumentVersion.objects.get(builtin=True)
    return version


def in_force(on: datetime.date | None = None) -> InstrumentVersion:
    """The version in force on a day (default today): the latest started by then, the later saved of a day."""
    ensure_defaults()
    on = on or business_today()
    version = InstrumentVersion.objects.filter(valid_from__lte=on).order_by("-valid_from", "-pk").first()
    return version or InstrumentVersion.objects.get(builtin=True)


def weights_of(version: InstrumentVersion) -> dict[str, Decimal]:
    return {d.code: d.weight for d in version.dimensions.all()}


def snapshot(version: InstrumentVersion) -> dict:
    """The whole version, JSON-safe, for the audit trail."""
    return {"id": version.pk, "valid_from": version.valid_from.isoformat(), "note": version.note,
            "dimensions": [{"code": d.code, "weight": str(d.weight),
                            "items": [[i.key, i.text_zh, i.text_en] for i in d.items.all()]}
                           for d in version.dimensions.prefetch_related("items")]}


# --- writing ----------------------------------------------------------------------------------------

def _write_dimensions(version: InstrumentVersion, weights: dict[str, Decimal], items: dict[str, list[dict]]):
    for position, code in enumerate(rules.DIMENSIONS):
        dimension = Dimension.objects.create(version=version, code=code, weight=weights[code], position=position)
        Item.objects.bulk_create([Item(dimension=dimension, key=row["key"], position=n, text_zh=row["text_zh"],
                                       text_en=row["text_en"]) for n, row in enumerate(items[code])])


def check_weights(weights=None, points=None) -> dict[str, Decimal]:
    """Weights (sum 1) or importance points (sum 100, converted); ValidationError naming `weights` or `points`."""
    if (weights is None) == (points is None):
        raise ValidationError({"weights": [_("Give either the weights (summing to 1) or the importance points "
                                             "(summing to 100).")]})
    try:
        if points is not None:
            converted = rules.points_to_weights(points)
        else:
            converted = rules.check_weights(weights)
    except rules.WeightError as exc:
        name = "points" if points is not None else "weights"
        raise ValidationError({name: [weight_message(exc, points=points is not None)]}) from None
    for code, weight in converted.items():
        if weight != weight.quantize(Decimal("0.000001")):
            name = "points" if points is not None else "weights"
            raise ValidationError({name: [_("The weight of %(dimension)s has more than 6 decimal places.")
                                          % {"dimension": dimension_label(code)}]})
    return converted


EMPTY_TEXT = {"zh": gettext_noop("%(where)s: the Chinese text is empty."),
              "en": gettext_noop("%(where)s: the English text is empty.")}


def _text(value, where: str, language: str) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise ValidationError({"items": [_(EMPTY_TEXT[language]) % {"where": where}]})
    if len(text) > TEXT_LENGTH:
        raise ValidationError({"items": [_("%(where)s: at most %(n)s characters.") % {"where": where,
                                                                                       "n": TEXT_LENGTH}]})
    return text


def check_items(items, previous: InstrumentVersion | None = None) -> dict[str, list[dict]]:
    """Each dimension's items in order, with keys (new ones numbered after the highest key the dimension
    ever had in the previous version or this input); ValidationError naming `items`."""
    if not isinstance(items, dict):
        raise ValidationError({"items": [_("Give the items of each dimension.")]})
    unknown = [k for k in items if k not in rules.DIMENSIONS]
    if unknown:
        raise ValidationError({"items": [_("Unknown dimension %(dimension)s: use tangibles, reliability, "
                                           "responsiveness, assurance, empathy.") % {"dimension": unknown[0]}]})
    used: dict[str, set[str]] = {d: set() for d in rules.DIMENSIONS}
    if previous is not None:
        for item in Item.objects.filter(dimension__version=previous).select_related("dimension"):
            used[item.dimension.code].add(item.key)
    checked: dict[str, list[dict]] = {}
    for code in rules.DIMENSIONS:
        label = dimension_label(code)
        rows = list(items.get(code) or [])
        if not rows:
            raise ValidationError({"items": [_("%(dimension)s needs at least one item.") % {"dimension": label}]})
        if len(rows) > MAX_ITEMS:
            raise ValidationError({"items": [_("%(dimension)s: at most %(n)s items.") % {"dimension": label,
                                                                                          "n": MAX_ITEMS}]})
        keys_here: set[str] = set()
        out = []
        for n, row in enumerate(rows, start=1):
            get = row.get if isinstance(row, dict) else (lambda name, default=None, r=row: getattr(r, name, default))
            where = _("%(dimension)s, item %(n)s") % {"dimension": label, "n": n}
            key = str(get("key", "") or "").strip().upper()
            if key and (len(key) > 10 or key in keys_here):
                raise ValidationError({"items": [_("%(where)s: the key %(key)s is used twice or too long.")
                                                 % {"where": where, "key": key}]})
            out.append({"key": key, "text_zh": _text(get("text_zh"), where, "zh"),
                        "text_en": _text(get("text_en"), where, "en")})
            if key:
                keys_here.add(key)
        letter = defaults.KEY_LETTERS[code]
        numbers = [int(k[len(letter):]) for k in used[code] | keys_here
                   if k.startswith(letter) and k[len(letter):].isdigit()]
        following = max(numbers, default=0) + 1
        for row in out:
            if not row["key"]:
                row["key"] = f"{letter}{following}"
                following += 1
        checked[code] = out
    return checked


def _valid_from(value) -> datetime.date:
    today = business_today()
    if value in (None, ""):
        return today
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError({"valid_from": [_("Enter a date as YYYY-MM-DD.")]}) from None
    if value < today:
        raise ValidationError({"valid_from": [_("A new version cannot start in the past.")]})
    return value


@transaction.atomic
def save_instrument(user, *, weights=None, points=None, items=None, valid_from=None,
                    note: str = "") -> InstrumentVersion:
    """A new version of the instrument (see the module's docstring); the version it follows is kept."""
    require(has_perm(user, "servqual.edit"), _("Your role may not change the SERVQUAL instrument."))
    start = _valid_from(valid_from)
    converted = check_weights(weights, points)
    previous = in_force(start)
    checked = check_items(items, previous)
    note = (note or "").strip()
    if len(note) > NOTE_LENGTH:
        raise ValidationError({"note": [_("At most %(n)s characters.") % {"n": NOTE_LENGTH}]})
    version = InstrumentVersion.objects.create(valid_from=start, note=note,
                                               created_by=getattr(user, "username", "") or "system")
    _write_dimensions(version, converted, checked)
    after = snapshot(version)
    if points is not None:
        after["points"] = {d: str(rules.check_weights(points, total=Decimal(100))[d]) for d in rules.DIMENSIONS}
    audit.record(user, AUDIT_ACTION, version, before=snapshot(previous), after=after, reason=note)
    return version
