"""REST endpoints of the credit file and rating, scoped like the pages: a customer outside the user's scope
does not exist for them (404); a role without the permission gets 403; bad input 422 naming the field."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import get_language
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from credo.core.api_inputs import InputSchema, Limit, MultilineText, Offset, decimal_input
from credo.core.clock import business_today
from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers.queries import get_customer_for_user

from . import labels, policy, queries, rate, rules, services
from .models import MONEY, FinancialStatement, FiveCEvaluation, Investigation, Rating

router = Router()
Amount = decimal_input(MONEY["max_digits"], 2)
Score = decimal_input(5, 2)
Weight = decimal_input(5, 4)


def _require(request, action: str):
    if not has_perm(request.user, action):
        raise PermissionDenied("permission denied")


def _customer(request, customer_id: int, action: str = "credit.view"):
    customer = get_customer_for_user(request.user, customer_id)
    _require(request, action)
    return customer


# ---------------------------------------------------------------------------------------------- schemas


class RatingOut(Schema):
    id: int
    customer_id: int
    as_of: datetime.date
    reason: str
    note: str
    score: Decimal
    grade: str
    meaning: str
    risk_level: str
    previous_grade: str
    is_current: bool
    scorecard_version: int
    approval_guide_min_limit: Decimal | None
    rated_by: str
    rated_at: datetime.datetime


class ItemScoreOut(Schema):
    source: str
    name: str
    mapping: list
    raw: str | None
    missing: str
    missing_text: str
    score: Decimal
    weight: Decimal
    contribution: Decimal


class RatingDetailOut(RatingOut):
    items: list[ItemScoreOut]
    inputs: dict
    fivec: dict
    grade_table: list[dict]


class CustomerRatingsOut(Schema):
    customer_id: int
    current: RatingOut | None
    history: list[RatingOut]


class RateIn(InputSchema):
    reason: str = "manual"
    note: str = ""


class StatementIn(InputSchema):
    period_end: datetime.date
    current_assets: Amount
    inventory: Amount | None = None
    total_assets: Amount | None = None
    current_liabilities: Amount
    total_liabilities: Amount
    net_assets: Amount
    revenue: Amount | None = None
    net_profit: Amount | None = None
    cash: Amount | None = None
    source: str = ""


class StatementOut(Schema):
    id: int
    customer_id: int
    period_end: datetime.date
    current_assets: Decimal
    inventory: Decimal
    total_assets: Decimal | None
    current_liabilities: Decimal
    total_liabilities: Decimal
    net_assets: Decimal
    revenue: Decimal | None
    net_profit: Decimal | None
    cash: Decimal | None
    source: str
    entered_by: str
    ratios: dict[str, Decimal | None]


class AnswerOut(Schema):
    question: str
    group: str
    text: str
    answer: str
    note: str
    warning: bool


class DocumentOut(Schema):
    id: int
    name: str
    url: str


class InvestigationIn(InputSchema):
    investigated_on: datetime.date
    kind: str
    source: str
    findings: MultilineText = ""
    status: str = "draft"
    answers: dict[str, str] = {}


class InvestigationOut(Schema):
    id: int
    customer_id: int
    investigated_on: datetime.date
    kind: str
    source: str
    findings: str
    status: str
    investigator: str
    warnings: int
    answers: list[AnswerOut]
    documents: list[DocumentOut]


class FiveCIn(InputSchema):
    evaluated_on: datetime.date
    sub_scores: dict[str, dict[str, Score | None]]
    weights: dict[str, Weight] | None = None
    notes: MultilineText = ""


class FiveCOut(Schema):
    id: int
    customer_id: int
    evaluated_on: datetime.date
    character: Decimal
    capacity: Decimal
    capital: Decimal
    collateral: Decimal
    condition: Decimal
    score: Decimal
    weights: dict
    sub_scores: dict
    evaluator: str


class QuestionOut(Schema):
    code: str
    group: str
    text_zh: str
    text_en: str
    yes_is_warning: bool


class DueOut(Schema):
    customer_id: int
    code: str
    name: str
    grade: str | None
    rated_on: datetime.date | None


# ---------------------------------------------------------------------------------------------- ratings


def _rating_out(rating: Rating, bands=None) -> dict:
    band = next((b for b in (bands or policy.grade_bands()) if b.grade == rating.grade), None)
    return {"id": rating.pk, "customer_id": rating.customer_id, "as_of": rating.as_of, "reason": rating.reason,
            "note": rating.note, "score": rating.score, "grade": rating.grade,
            "meaning": band.meaning(get_language() or "zh-hans") if band else "",
            "risk_level": rating.risk_level, "previous_grade": rating.previous_grade, "is_current": rating.is_current,
            "scorecard_version": rating.scorecard.version,
            "approval_guide_min_limit": band.guide_min_limit if band else None,
            "rated_by": rating.rated_by, "rated_at": rating.rated_at}


def _rating_detail(rating: Rating) -> dict:
    items = [{**i, "missing_text": labels.missing_text(i.get("missing", ""))} for i in queries.rating_items(rating)]
    return {**_rating_out(rating), "items": items, "inputs": rating.inputs, "fivec": rating.fivec,
            "grade_table": rating.grade_table}


@router.get("/customers/{int:customer_id}/ratings", response=CustomerRatingsOut,
            summary="A customer's current rating and its rating history, newest first")
def customer_ratings(request, customer_id: int, limit: Limit(500) = 40):
    customer = _customer(request, customer_id)
    bands = policy.grade_bands()
    history = list(customer.ratings.select_related("scorecard")[:limit])
    current = next((r for r in history if r.is_current), None)
    return {"customer_id": customer.pk, "current": _rating_out(current, bands) if current else None,
            "history": [_rating_out(r, bands) for r in history]}


@router.post("/customers/{int:customer_id}/ratings", response={201: RatingDetailOut},
             summary="Rate the customer now (reason manual or risk_event)")
def rate_now(request, customer_id: int, payload: RateIn):
    customer = _customer(request, customer_id, "credit.rate")
    rating = rate.rate_customer(request.user, customer, payload.reason, note=payload.note)
    return Status(201, _rating_detail(rating))


@router.get("/ratings/{int:rating_id}", response=RatingDetailOut,
            summary="A rating with its inputs, every item's value, score and weight, the 5C and grade table used")
def rating_detail(request, rating_id: int):
    return _rating_detail(queries.visible_rating(request.user, rating_id))


@router.get("/due", response=list[DueOut], summary="Customers in your scope due for re-rating this quarter")
def due(request, limit: Limit(1000) = 100, offset: Offset = 0):
    _require(request, "credit.rate")
    customers = list(queries.due_customers(business_today(), request.user).order_by("code", "pk")
                     [offset:offset + limit])
    grades = queries.current_grades([c.pk for c in customers])
    rows = []
    for c in customers:
        info = grades.get(c.pk, queries.NOT_RATED)
        rows.append({"customer_id": c.pk, "code": c.code, "name": c.name, "grade": info.grade,
                     "rated_on": info.rated_on})
    return rows


# ---------------------------------------------------------------------------------------------- statements


def _statement_out(statement: FinancialStatement) -> dict:
    values = rules.financial_values(queries.statement_dict(statement))
    return {**{f: getattr(statement, f) for f in ("id", "customer_id", "period_end", *services.STATEMENT_AMOUNTS,
                                                   "source", "entered_by")},
            "ratios": {code.split(".", 1)[1]: raw for code, (raw, _why) in values.items()}}


@router.get("/customers/{int:customer_id}/statements", response=list[StatementOut],
            summary="A customer's financial statements, newest period first, with their ratios")
def statements(request, customer_id: int):
    customer = _customer(request, customer_id)
    return [_statement_out(s) for s in customer.financial_statements.all()]


@router.post("/customers/{int:customer_id}/statements", response={201: StatementOut},
             summary="Enter a financial statement for a period")
def add_statement(request, customer_id: int, payload: StatementIn):
    customer = _customer(request, customer_id, "credit.rate")
    statement = services.add_statement(request.user, customer, payload.dict())
    return Status(201, _statement_out(statement))


# ---------------------------------------------------------------------------------------------- investigations


def _investigation_out(investigation: Investigation, request) -> dict:
    language = get_language() or "zh-hans"
    answers = list(investigation.answers.select_related("question"))
    return {"id": investigation.pk, "customer_id": investigation.customer_id,
            "investigated_on": investigation.investigated_on, "kind": investigation.kind,
            "source": investigation.source, "findings": investigation.findings, "status": investigation.status,
            "investigator": investigation.created_by, "warnings": sum(1 for a in answers if a.is_warning),
            "answers": [{"question": a.question.code, "group": a.question.group, "text": a.question.text(language),
                         "answer": a.answer, "note": a.note, "warning": a.is_warning} for a in answers],
            "documents": [{"id": d.pk, "name": str(d), "url": f"/api/rating/documents/{d.pk}"}
                          for d in investigation.documents.all()]}


@router.get("/checklist", response=list[QuestionOut], summary="The investigation checklist's active questions")
def checklist(request):
    _require(request, "credit.view")
    return services.active_questions()


@router.get("/customers/{int:customer_id}/investigations", response=list[InvestigationOut],
            summary="A customer's credit investigations with their checklist answers and documents")
def investigations(request, customer_id: int):
    customer = _customer(request, customer_id)
    return [_investigation_out(i, request) for i in customer.investigations.all()]


@router.post("/customers/{int:customer_id}/investigations", response={201: InvestigationOut},
             summary="Record an investigation; answers: {question code: yes / no / unknown}")
def add_investigation(request, customer_id: int, payload: InvestigationIn):
    customer = _customer(request, customer_id, "credit.investigate")
    data = payload.dict(exclude={"answers"})
    investigation = services.record_investigation(request.user, customer, data, answers=payload.answers)
    return Status(201, _investigation_out(investigation, request))


@router.post("/investigations/{int:investigation_id}/documents", response={201: InvestigationOut},
             summary="Attach documents to an investigation (multipart, field 'documents')")
def add_documents(request, investigation_id: int, documents: File[list[UploadedFile]]):
    investigation = queries.visible_investigation(request.user, investigation_id)
    services.add_documents(request.user, investigation, documents)
    return Status(201, _investigation_out(investigation, request))


@router.get("/documents/{int:document_id}", summary="An investigation document (only in scope)")
def document(request, document_id: int):
    from django.http import FileResponse

    from .models import InvestigationDocument

    _require(request, "credit.view")
    found = InvestigationDocument.objects.filter(customer_q(request.user, "customer__"), pk=document_id).first()
    if found is None:
        raise Http404
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=str(found))


# ---------------------------------------------------------------------------------------------- 5C


def _fivec_out(e: FiveCEvaluation) -> dict:
    return {"id": e.pk, "customer_id": e.customer_id, "evaluated_on": e.evaluated_on, "character": e.character,
            "capacity": e.capacity, "capital": e.capital, "collateral": e.collateral, "condition": e.condition,
            "score": e.score, "weights": e.weights, "sub_scores": e.sub_scores, "evaluator": e.evaluator_name}


@router.get("/customers/{int:customer_id}/fivec", response=list[FiveCOut], summary="A customer's 5C evaluations")
def fivec_list(request, customer_id: int):
    customer = _customer(request, customer_id)
    return [_fivec_out(e) for e in customer.fivec_evaluations.all()]


@router.post("/customers/{int:customer_id}/fivec", response={201: FiveCOut},
             summary="Record a 5C evaluation: {dimension: {sub-item: 0–100}}, optional weights (sum 1)")
def add_fivec(request, customer_id: int, payload: FiveCIn):
    customer = _customer(request, customer_id, "credit.rate")
    evaluation = services.record_evaluation(request.user, customer, evaluated_on=payload.evaluated_on,
                                            sub_scores=payload.sub_scores, weights=payload.weights,
                                            notes=payload.notes)
    return Status(201, _fivec_out(evaluation))


# ---------------------------------------------------------------------------------------------- policy


class ScorecardItemIn(InputSchema):
    source: str
    label: str = ""
    weight: Weight
    mapping: list = []
    missing_score: Score = Decimal("0")


class ScorecardIn(InputSchema):
    items: list[ScorecardItemIn]
    note: str = ""


class GradeIn(InputSchema):
    min_score: Score
    risk_level: str
    guide_min_limit: Amount | None = None
    meaning_zh: str
    meaning_en: str = ""


class GradeScaleIn(InputSchema):
    grades: dict[str, GradeIn]
    reason: MultilineText = ""


class FiveCWeightsIn(InputSchema):
    character: Weight
    capacity: Weight
    capital: Weight
    collateral: Weight
    condition: Weight
    reason: MultilineText = ""


def _policy_out() -> dict:
    card = policy.current_scorecard()
    return {
        "scorecard": {"version": card.version, "note": card.note, "created_by": card.created_by,
                      "items": [{"source": i.source, "name": i.name, "weight": str(i.weight), "mapping": i.mapping,
                                 "missing_score": str(i.missing_score)} for i in card.items.all()]},
        "grades": [{"grade": b.grade, "min_score": str(b.min_score), "risk_level": b.risk_level,
                    "guide_min_limit": None if b.guide_min_limit is None else str(b.guide_min_limit),
                    "meaning_zh": b.meaning_zh, "meaning_en": b.meaning_en} for b in policy.grade_bands()],
        "fivec_weights": {d: str(w) for d, w in policy.fivec_weights().items()},
    }


@router.get("/policy", response=dict, summary="The current scorecard, grade scale and 5C weights")
def get_policy(request):
    _require(request, "credit.view")
    return _policy_out()


@router.put("/policy/scorecard", response=dict, summary="Save the scorecard as a new version (administrator)")
def put_scorecard(request, payload: ScorecardIn):
    policy.save_scorecard(request.user, [i.dict() for i in payload.items], note=payload.note)
    return _policy_out()


@router.put("/policy/grades", response=dict, summary="Change the grade cut-offs, risk levels, guide (administrator)")
def put_grades(request, payload: GradeScaleIn):
    policy.save_grade_scale(request.user, {g: row.dict() for g, row in payload.grades.items()},
                            reason=payload.reason)
    return _policy_out()


@router.put("/policy/fivec-weights", response=dict, summary="Change the default 5C weights (administrator)")
def put_fivec_weights(request, payload: FiveCWeightsIn):
    policy.save_fivec_weights(request.user, payload.dict(exclude={"reason"}), reason=payload.reason)
    return _policy_out()
