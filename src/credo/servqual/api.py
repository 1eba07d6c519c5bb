"""REST endpoints of SERVQUAL: the instrument in force on a day and its versions (every role), a new version
(servqual.edit, the administrator), and scoring answers sent as JSON (the figures of `credo servqual score`,
nothing stored).

Errors: 401 not signed in, 403 not allowed, 422 naming the field (`weights`, `points`, `items`, `valid_from`,
`note`, `rows`)."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Router, Schema

from credo.core.api_inputs import InputSchema
from credo.core.errors import ValidationError
from credo.core.roles import has_perm

from . import queries, rules, services
from .models import InstrumentVersion

router = Router()


class ItemOut(Schema):
    key: str
    text: str = Field(description="in the language of the request")
    text_zh: str
    text_en: str


class DimensionOut(Schema):
    code: str = Field(description="tangibles, reliability, responsiveness, assurance or empathy")
    label: str
    weight: Decimal
    items: list[ItemOut]


class InstrumentOut(Schema):
    id: int
    valid_from: datetime.date
    builtin: bool
    note: str
    created_by: str
    created_at: datetime.datetime
    dimensions: list[DimensionOut]


class ItemIn(InputSchema):
    key: str = Field("", description="the item's key (T1 …) to keep it; empty for a new item")
    text_zh: str
    text_en: str


class InstrumentIn(InputSchema):
    weights: dict[str, str | Decimal] | None = Field(None, description="{dimension: weight}, summing to exactly 1")
    points: dict[str, str | Decimal] | None = Field(None, description="{dimension: importance points}, summing to "
                                                                     "100; instead of weights")
    items: dict[str, list[ItemIn]] = Field(description="{dimension: [items in order]}")
    valid_from: datetime.date | None = Field(None, description="default today; not in the past")
    note: str = ""


class AnswerIn(InputSchema):
    respondent: str
    dimension: str
    item: str
    expectation: int | None = Field(None, description="1–7; null: not answered")
    perception: int | None = Field(None, description="1–7; null: not answered")


class ScoreIn(InputSchema):
    weights: dict[str, str | Decimal] | None = Field(None, description="summing to 1; default: the instrument "
                                                                      "in force")
    points: dict[str, str | Decimal] | None = Field(None, description="summing to 100, instead of weights")
    rows: list[AnswerIn]


class ItemGapOut(Schema):
    dimension: str
    item: str
    respondents: int
    expectation: str
    perception: str
    gap: str


class ScoreOut(Schema):
    dimensions: dict[str, str | None] = Field(description="gap per dimension, 4 decimals; null: no answered item")
    unweighted: str | None
    weighted: str | None = Field(description="null when a dimension has no answered item")
    items: int
    respondents: int
    weights: dict[str, str]
    item_gaps: list[ItemGapOut]


ANSWER_MESSAGES = {
    "required": gettext_noop("%(field)s is empty."),
    "unknown_dimension": gettext_noop("unknown dimension %(detail)s: use tangibles, reliability, responsiveness, "
                                      "assurance, empathy."),
    "not_integer": gettext_noop("%(field)s must be a whole number 1–7."),
    "out_of_range": gettext_noop("%(field)s must be 1–7."),
    "duplicate": gettext_noop("the respondent answered this item already in rows[%(detail)s]."),
}


def _view(request):
    if not has_perm(request.user, "servqual.view"):
        raise PermissionDenied("permission denied")


def instrument_out(version: InstrumentVersion) -> dict:
    return {"id": version.pk, "valid_from": version.valid_from, "builtin": version.builtin, "note": version.note,
            "created_by": version.created_by, "created_at": version.created_at,
            "dimensions": [{"code": d.code, "label": d.label, "weight": d.weight,
                            "items": [{"key": i.key, "text": i.text, "text_zh": i.text_zh, "text_en": i.text_en}
                                      for i in d.items]}
                           for d in queries.layout(version)]}


@router.get("/instrument", response=InstrumentOut, summary="The SERVQUAL instrument in force on a day (default today)")
def instrument(request, on: datetime.date | None = None):
    _view(request)
    return instrument_out(queries.in_force(on))


@router.get("/versions", response=list[InstrumentOut], summary="Every version of the instrument, newest first")
def versions(request):
    _view(request)
    return [instrument_out(v) for v in queries.versions()]


@router.put("/instrument", response=InstrumentOut,
            summary="Save a new version of the instrument (weights or importance points, items)")
def save_instrument(request, payload: InstrumentIn):
    version = services.save_instrument(
        request.user, weights=payload.weights, points=payload.points,
        items={code: [row.dict() for row in rows] for code, rows in payload.items.items()},
        valid_from=payload.valid_from, note=payload.note)
    return instrument_out(version)


def _answers(rows: list[AnswerIn]) -> list[rules.Answer]:
    answers = []
    for n, row in enumerate(rows):
        try:
            answers.append(rules.make_answer(row.respondent, row.dimension, row.item, row.expectation,
                                             row.perception))
        except rules.AnswerError as exc:
            raise ValidationError({"rows": [f"rows[{n}]: " + _(ANSWER_MESSAGES[exc.code])
                                            % {"field": exc.field, "detail": exc.detail}]}) from None
    for n, exc in rules.check_answers(answers):
        raise ValidationError({"rows": [f"rows[{n}]: " + _(ANSWER_MESSAGES["duplicate"]) % {"detail": exc.detail}]})
    return answers


@router.post("/score", response=ScoreOut,
             summary="Score SERVQUAL answers (what `credo servqual score` prints; nothing is stored)")
def score(request, payload: ScoreIn):
    _view(request)
    if payload.weights is None and payload.points is None:
        weights = services.weights_of(queries.in_force())
    else:
        weights = services.check_weights(payload.weights, payload.points)
    result = rules.score(_answers(payload.rows), weights)
    return {**rules.figures(result), "weights": {d: f"{weights[d].normalize():f}" for d in rules.DIMENSIONS},
            "item_gaps": [{"dimension": i.dimension, "item": i.item, "respondents": i.respondents,
                           "expectation": rules.shown(i.expectation), "perception": rules.shown(i.perception),
                           "gap": rules.shown(i.gap)} for i in result.items]}
