"""Writes on the credit file: financial statements, investigations (checklist answers, documents) and 5C
evaluations. One transaction each; permission and scope first; ValidationError names the field; nothing
changes when an error is raised; every change audited and put on the customer's timeline.

Ratings are written by rate.py, the policy tables by policy.py."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credo.core import audit, timeline
from credo.core.clock import business_today
from credo.core.errors import PermissionDenied, ValidationError, require
from credo.core.models import AuditEntry
from credo.core.money import parse_money
from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers.models import Customer

from . import defaults, events, policy, rules
from .models import (
    DIRECT_SOURCES,
    FIVEC_DIMENSIONS,
    MONEY,
    Answer,
    ChecklistAnswer,
    ChecklistQuestion,
    FinancialStatement,
    FiveCEvaluation,
    Investigation,
    InvestigationDocument,
    InvestigationKind,
    InvestigationSource,
)

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
STATEMENT_AMOUNTS = ("current_assets", "inventory", "total_assets", "current_liabilities", "total_liabilities",
                     "net_assets", "revenue", "net_profit", "cash")
STATEMENT_DIGITS = MONEY["max_digits"]
REQUIRED_AMOUNTS = ("current_assets", "current_liabilities", "total_liabilities", "net_assets")
MAY_BE_NEGATIVE = ("net_assets", "net_profit")


def check_customer(user, action: str, customer: Customer, message=None):
    require(has_perm(user, action), message or _("Your role may not do this."))
    if not Customer.objects.filter(customer_q(user), pk=customer.pk).exists():
        raise PermissionDenied(_("This customer is not in your scope."))
    if not customer.is_active:
        raise ValidationError({"customer": [_("This customer was merged into another; work on that one.")]})


def _add(errors: dict, field: str, message: str):
    errors.setdefault(field, []).append(message)


def _date(errors: dict, field: str, value, *, required=True) -> datetime.date | None:
    if value in (None, ""):
        if required:
            _add(errors, field, _("Enter a date."))
        return None
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            _add(errors, field, _("Enter a date as YYYY-MM-DD."))
            return None
    if value > business_today():
        _add(errors, field, _("The date cannot be in the future."))
    return value


# ---------------------------------------------------------------------------------------------- statements


def _statement_values(data: dict, errors: dict) -> dict:
    values = {}
    for field in STATEMENT_AMOUNTS:
        raw = data.get(field)
        if raw in (None, ""):
            if field in REQUIRED_AMOUNTS:
                _add(errors, field, _("Enter an amount."))
            values[field] = Decimal("0.00") if field == "inventory" else None
            continue
        try:
            amount = parse_money(raw, max_digits=STATEMENT_DIGITS)
        except ValueError as exc:
            _add(errors, field, str(exc))
            values[field] = None
            continue
        if amount < 0 and field not in MAY_BE_NEGATIVE:
            _add(errors, field, _("The amount cannot be negative."))
        values[field] = amount
    v = values
    if v["inventory"] is not None and v["current_assets"] is not None and v["inventory"] > v["current_assets"]:
        _add(errors, "inventory", _("Inventory cannot exceed the current assets (¥%(ca)s).")
             % {"ca": f"{v['current_assets']:,.2f}"})
    if v["cash"] is not None and v["current_assets"] is not None and v["cash"] > v["current_assets"]:
        _add(errors, "cash", _("Cash cannot exceed the current assets (¥%(ca)s).") % {"ca": f"{v['current_assets']:,.2f}"})
    if v["total_assets"] is not None and v["current_assets"] is not None and v["current_assets"] > v["total_assets"]:
        _add(errors, "total_assets", _("Total assets cannot be less than the current assets (¥%(ca)s).")
             % {"ca": f"{v['current_assets']:,.2f}"})
    if (v["current_liabilities"] is not None and v["total_liabilities"] is not None
            and v["current_liabilities"] > v["total_liabilities"]):
        _add(errors, "total_liabilities", _("Total liabilities cannot be less than the current liabilities "
                                            "(¥%(cl)s).") % {"cl": f"{v['current_liabilities']:,.2f}"})
    return values


def _check_statement(customer: Customer, data: dict, exclude_pk=None) -> dict:
    errors: dict = {}
    period_end = _date(errors, "period_end", data.get("period_end"))
    values = _statement_values(data, errors)
    if period_end is not None:
        clash = FinancialStatement.objects.filter(customer=customer, period_end=period_end).exclude(pk=exclude_pk)
        if clash.exists():
            _add(errors, "period_end", _("There is already a statement for the period ending %(day)s; correct "
                                         "that one instead.") % {"day": period_end.isoformat()})
    if errors:
        raise ValidationError(errors)
    return {"period_end": period_end, **values, "source": (data.get("source") or "").strip()[:100]}


@transaction.atomic
def add_statement(user, customer: Customer, data: dict) -> FinancialStatement:
    check_customer(user, "credit.rate", customer, _("Your role may not enter financial statements."))
    values = _check_statement(customer, data)
    statement = FinancialStatement.objects.create(customer=customer, entered_by=user.username, **values)
    audit.record(user, AuditEntry.Action.CREATE, statement, after=audit.snapshot(statement), customer_id=customer.pk)
    timeline.add_event(customer.pk, events.STATEMENT_ENTERED.code, actor=user, obj=statement,
                       summary=_("Period ending %(day)s") % {"day": statement.period_end.isoformat()})
    return statement


@transaction.atomic
def update_statement(user, statement: FinancialStatement, data: dict, *, reason: str = "") -> FinancialStatement:
    check_customer(user, "credit.rate", statement.customer, _("Your role may not enter financial statements."))
    statement = FinancialStatement.objects.select_for_update().get(pk=statement.pk)
    values = _check_statement(statement.customer, data, exclude_pk=statement.pk)
    before = audit.snapshot(statement)
    for key, value in values.items():
        setattr(statement, key, value)
    statement.save()
    audit.record_change(user, statement, before, reason=reason, customer_id=statement.customer_id)
    return statement


# ---------------------------------------------------------------------------------------------- investigations


def active_questions() -> list[ChecklistQuestion]:
    questions = list(ChecklistQuestion.objects.filter(is_active=True).order_by("position", "id"))
    if not questions and not ChecklistQuestion.objects.exists():
        defaults.ensure_checklist()
        questions = list(ChecklistQuestion.objects.filter(is_active=True).order_by("position", "id"))
    return questions


def _parse_answers(answers, questions: dict, errors: dict) -> dict[int, tuple[str, str]]:
    """answers: {question id or code: "yes"/"no"/"unknown" or {"answer": …, "note": …}} → {id: (answer, note)}."""
    by_code = {q.code: q for q in questions.values()}
    parsed = {}
    for key, value in (answers or {}).items():
        question = by_code.get(str(key))
        if question is None:
            try:
                question = questions.get(int(key))
            except (TypeError, ValueError):
                question = None
        if question is None:
            _add(errors, "answers", _("“%(key)s” is not a question of the checklist.") % {"key": key})
            continue
        answer, note = (value.get("answer"), value.get("note") or "") if isinstance(value, dict) else (value, "")
        answer = (answer or Answer.UNKNOWN).strip().lower() if isinstance(answer, str) else answer
        if answer not in Answer.values:
            _add(errors, f"answers.{question.code}", _("Answer yes, no or unknown."))
            continue
        parsed[question.pk] = (answer, str(note).strip()[:300])
    return parsed


def _check_documents(documents, errors: dict) -> list:
    files = [f for f in (documents or []) if f]
    for f in files:
        if getattr(f, "size", 0) > MAX_DOCUMENT_BYTES:
            _add(errors, "documents", _("%(name)s is larger than 20 MB.") % {"name": getattr(f, "name", "")})
    return files


def _check_investigation(data: dict, errors: dict) -> dict:
    kind, source = data.get("kind") or "", data.get("source") or ""
    if kind not in InvestigationKind.values:
        _add(errors, "kind", _("Choose direct or indirect."))
    if source not in InvestigationSource.values:
        _add(errors, "source", _("Choose the source from the list."))
    elif kind == InvestigationKind.DIRECT and source not in DIRECT_SOURCES | {InvestigationSource.OTHER}:
        _add(errors, "source", _("A direct investigation is a visit, an interview or an observation."))
    elif kind == InvestigationKind.INDIRECT and source in DIRECT_SOURCES:
        _add(errors, "source", _("A visit, an interview or an observation is a direct investigation."))
    status = data.get("status") or Investigation.Status.DRAFT
    if status not in Investigation.Status.values:
        _add(errors, "status", _("Choose draft or completed."))
    findings = (data.get("findings") or "").strip()
    if status == Investigation.Status.COMPLETED and not findings:
        _add(errors, "findings", _("Write down what the investigation found before completing it."))
    return {"investigated_on": _date(errors, "investigated_on", data.get("investigated_on")), "kind": kind,
            "source": source, "findings": findings, "status": status}


def _save_documents(user, investigation: Investigation, files: list) -> list[InvestigationDocument]:
    saved = []
    for f in files:
        document = InvestigationDocument(investigation=investigation, customer_id=investigation.customer_id,
                                         file_name=getattr(f, "name", "")[:200], uploaded_by=user.username)
        document.file = f
        document.save()
        audit.record(user, AuditEntry.Action.CREATE, document, after=audit.snapshot(document),
                     customer_id=investigation.customer_id)
        saved.append(document)
    return saved


def _answers_snapshot(investigation: Investigation) -> dict:
    return {a.question.code: a.answer for a in investigation.answers.select_related("question")}


@transaction.atomic
def record_investigation(user, customer: Customer, data: dict, *, answers=None, documents=None) -> Investigation:
    """data: investigated_on, kind, source, findings, status (draft / completed). Every active checklist
    question gets an answer row (unknown unless answered)."""
    check_customer(user, "credit.investigate", customer, _("Your role may not record credit investigations."))
    errors: dict = {}
    values = _check_investigation(data, errors)
    questions = {q.pk: q for q in active_questions()}
    parsed = _parse_answers(answers, questions, errors)
    files = _check_documents(documents, errors)
    if errors:
        raise ValidationError(errors)
    investigation = Investigation.objects.create(
        customer=customer, investigator=user, created_by=user.username,
        completed_at=timezone.now() if values["status"] == Investigation.Status.COMPLETED else None, **values)
    ChecklistAnswer.objects.bulk_create([
        ChecklistAnswer(investigation=investigation, customer=customer, question_id=pk,
                        answer=parsed.get(pk, (Answer.UNKNOWN, ""))[0], note=parsed.get(pk, ("", ""))[1])
        for pk in questions])
    _save_documents(user, investigation, files)
    audit.record(user, AuditEntry.Action.CREATE, investigation, customer_id=customer.pk,
                 after={**audit.snapshot(investigation), "answers": _answers_snapshot(investigation)})
    code = events.INVESTIGATION_COMPLETED if investigation.is_completed else events.INVESTIGATION_RECORDED
    timeline.add_event(customer.pk, code.code, actor=user, obj=investigation,
                       summary=f"{investigation.get_source_display()} {investigation.findings[:200]}")
    return investigation


@transaction.atomic
def update_investigation(user, investigation: Investigation, data: dict, *, answers=None,
                         documents=None) -> Investigation:
    """Change a draft (a completed investigation stays as it was completed; documents may still be added)."""
    check_customer(user, "credit.investigate", investigation.customer,
                   _("Your role may not record credit investigations."))
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    errors: dict = {}
    if investigation.is_completed:
        _add(errors, "status", _("This investigation is completed and can no longer be changed."))
        raise ValidationError(errors)
    values = _check_investigation(data, errors)
    existing = {a.question_id: a for a in investigation.answers.select_related("question")}
    questions = {q.pk: q for q in active_questions()}
    questions.update({pk: a.question for pk, a in existing.items()})
    parsed = _parse_answers(answers, questions, errors)
    files = _check_documents(documents, errors)
    if errors:
        raise ValidationError(errors)
    before = {**audit.snapshot(investigation), "answers": _answers_snapshot(investigation)}
    for key, value in values.items():
        setattr(investigation, key, value)
    if investigation.is_completed:
        investigation.completed_at = timezone.now()
    investigation.save()
    for pk, (answer, note) in parsed.items():
        row = existing.get(pk) or ChecklistAnswer(investigation=investigation, customer_id=investigation.customer_id,
                                                  question_id=pk)
        row.answer, row.note = answer, note
        row.save()
    for pk in set(questions) - set(existing) - set(parsed):
        ChecklistAnswer.objects.create(investigation=investigation, customer_id=investigation.customer_id,
                                       question_id=pk)
    _save_documents(user, investigation, files)
    audit.record_change(user, investigation, before, customer_id=investigation.customer_id,
                        extra_after={"answers": _answers_snapshot(investigation)})
    if investigation.is_completed:
        timeline.add_event(investigation.customer_id, events.INVESTIGATION_COMPLETED.code, actor=user,
                           obj=investigation,
                           summary=f"{investigation.get_source_display()} {investigation.findings[:200]}")
    return investigation


@transaction.atomic
def add_documents(user, investigation: Investigation, documents) -> list[InvestigationDocument]:
    check_customer(user, "credit.investigate", investigation.customer,
                   _("Your role may not record credit investigations."))
    errors: dict = {}
    files = _check_documents(documents, errors)
    if not files:
        _add(errors, "documents", _("Choose a file."))
    if errors:
        raise ValidationError(errors)
    return _save_documents(user, investigation, files)


# ---------------------------------------------------------------------------------------------- 5C


def fivec_items() -> dict[str, list[str]]:
    return {dimension: [code for code, _zh, _en in items] for dimension, _zh, _en, items in defaults.FIVEC}


@transaction.atomic
def record_evaluation(user, customer: Customer, *, evaluated_on, sub_scores: dict, weights: dict | None = None,
                      notes: str = "") -> FiveCEvaluation:
    """sub_scores: {dimension: {sub-item: 0–100 or blank}}; each dimension scores as the mean of its assessed
    sub-items (at least one). weights: the five dimension weights (sum 1), default the company's."""
    check_customer(user, "credit.rate", customer, _("Your role may not evaluate customers."))
    errors: dict = {}
    day = _date(errors, "evaluated_on", evaluated_on)
    known = fivec_items()
    cleaned: dict[str, dict[str, str | None]] = {}
    dimensions: dict[str, Decimal] = {}
    for dimension, items in known.items():
        given = (sub_scores or {}).get(dimension) or {}
        for extra in set(given) - set(items):
            _add(errors, f"{dimension}.{extra}", _("Not a sub-item of this dimension."))
        row = {}
        for item in items:
            value = given.get(item)
            if value in (None, ""):
                row[item] = None
                continue
            try:
                score = rules.decimal(value)
            except rules.RuleError:
                _add(errors, f"{dimension}.{item}", _("Enter a score between 0 and 100."))
                continue
            if not 0 <= score <= 100:
                _add(errors, f"{dimension}.{item}", _("Enter a score between 0 and 100."))
                continue
            row[item] = str(rules.round2(score))
        cleaned[dimension] = row
        score = rules.dimension_score({k: v for k, v in row.items() if v is not None})
        if score is None and not any(k.startswith(f"{dimension}.") for k in errors):
            _add(errors, dimension, _("Score at least one item of %(dimension)s.") % {
                "dimension": FiveCEvaluation._meta.get_field(dimension).verbose_name})
        elif score is not None:
            dimensions[dimension] = score
    try:
        used = policy.check_fivec_weights(weights if weights is not None else policy.fivec_weights(),
                                          prefix="weight_")
    except ValidationError as exc:
        errors.update(exc.error_dict)
        used = None
    if errors:
        raise ValidationError(errors)
    evaluation = FiveCEvaluation.objects.create(
        customer=customer, evaluated_on=day, sub_scores=cleaned, weights={d: str(w) for d, w in used.items()},
        score=rules.fivec_score(dimensions, used), notes=(notes or "").strip(), evaluator=user,
        evaluator_name=user.username, **{d: dimensions[d] for d in FIVEC_DIMENSIONS})
    audit.record(user, AuditEntry.Action.CREATE, evaluation, after=audit.snapshot(evaluation), customer_id=customer.pk)
    timeline.add_event(customer.pk, events.FIVEC_EVALUATED.code, actor=user, obj=evaluation,
                       summary=_("5C score %(score)s") % {"score": evaluation.score})
    return evaluation
