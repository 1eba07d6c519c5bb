"""REST endpoints of collection. Scoped like the pages: a salesperson sees their customers' cases only."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from credo.core.api_inputs import InputSchema, Limit, Money, MultilineText, Offset
from credo.core.clock import business_today
from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers.queries import get_customer_for_user

from . import dunning, queries, services
from .models import CollectionCase, DunningLetter, PromiseToPay

router = Router()


class PromiseOut(Schema):
    id: int
    made_on: datetime.date
    promised_date: datetime.date
    amount: Decimal
    made_by: str
    status: str
    received: Decimal
    checked_on: datetime.date | None


class LetterOut(Schema):
    id: int
    number: str
    level: str
    title: str
    letter_date: datetime.date
    total: Decimal
    max_days_overdue: int
    pay_by: datetime.date | None
    pdf_url: str


class CaseOut(Schema):
    id: int
    number: str
    customer_id: int
    customer_code: str
    customer_name: str
    status: str
    opened_on: datetime.date
    overdue_at_opening: Decimal
    owner: str | None
    reason: str
    debtor_type: str
    escalation_level: int
    escalated_to: str | None
    legal_on: datetime.date | None
    closed_on: datetime.date | None


class CaseDetailOut(CaseOut):
    overdue_now: Decimal
    overdue_invoices: int
    days_overdue: int
    promises: list[PromiseOut]
    letters: list[LetterOut]


class OpenCaseIn(InputSchema):
    reason: MultilineText = ""
    debtor_type: str = ""


class PromiseIn(InputSchema):
    promised_date: datetime.date
    amount: Money
    made_on: datetime.date | None = None
    made_by: str = ""
    note: str = ""


class NoteIn(InputSchema):
    text: MultilineText


def _case(request, case_id: int) -> CollectionCase:
    if not has_perm(request.user, "collection.view"):
        raise PermissionDenied("permission denied")
    return get_object_or_404(CollectionCase.objects.filter(customer_q(request.user, "customer__"))
                             .select_related("customer", "owner", "escalated_to"), pk=case_id)


def _case_out(case: CollectionCase) -> dict:
    return {"id": case.pk, "number": case.number, "customer_id": case.customer_id,
            "customer_code": case.customer.code, "customer_name": case.customer.name, "status": case.status,
            "opened_on": case.opened_on, "overdue_at_opening": case.overdue_at_opening,
            "owner": case.owner.username if case.owner else None, "reason": case.reason,
            "debtor_type": case.debtor_type, "escalation_level": case.escalation_level,
            "escalated_to": case.escalated_to.username if case.escalated_to else None,
            "legal_on": case.legal_on, "closed_on": case.closed_on}


def _letter_out(letter: DunningLetter) -> dict:
    return {"id": letter.pk, "number": letter.number, "level": letter.level, "title": letter.title,
            "letter_date": letter.letter_date, "total": letter.total, "max_days_overdue": letter.max_days_overdue,
            "pay_by": letter.pay_by, "pdf_url": f"/api/collection/letters/{letter.pk}/pdf"}


@router.get("/cases", response=list[CaseOut], summary="Collection cases in your scope (live ones by default)")
def cases(request, status: str = "live", mine: bool = False, limit: Limit(500) = 100, offset: Offset = 0):
    if not has_perm(request.user, "collection.view"):
        raise PermissionDenied("permission denied")
    rows = queries.cases_for(request.user, status=status, mine=mine)
    return [_case_out(c) for c in rows[offset:offset + limit]]


@router.get("/cases/{int:case_id}", response=CaseDetailOut, summary="A case with its figures, promises and letters")
def case_detail(request, case_id: int):
    case = _case(request, case_id)
    today = business_today()
    figures = queries.overdue_summary([case.customer_id], today).get(case.customer_id, {})
    return {**_case_out(case), "overdue_now": figures.get("overdue", Decimal("0.00")),
            "overdue_invoices": figures.get("count", 0), "days_overdue": figures.get("max_days", 0),
            "promises": list(case.promises.all()), "letters": [_letter_out(lt) for lt in case.letters.all()]}


@router.post("/customers/{int:customer_id}/cases", response={201: CaseOut}, summary="Open a case for a customer")
def open_case(request, customer_id: int, payload: OpenCaseIn):
    customer = get_customer_for_user(request.user, customer_id)
    case = services.open_case(request.user, customer, reason=payload.reason, debtor_type=payload.debtor_type)
    return Status(201, _case_out(case))


@router.post("/cases/{int:case_id}/promises", response={201: PromiseOut}, summary="Record a promise to pay")
def record_promise(request, case_id: int, payload: PromiseIn):
    case = _case(request, case_id)
    promise = services.record_promise(request.user, case, promised_date=payload.promised_date, amount=payload.amount,
                                      made_on=payload.made_on, made_by=payload.made_by, note=payload.note)
    return Status(201, promise)


@router.post("/cases/{int:case_id}/notes", response={201: dict}, summary="Add a note to the case log")
def add_note(request, case_id: int, payload: NoteIn):
    entry = services.add_entry(request.user, _case(request, case_id), text=payload.text)
    return Status(201, {"id": entry.pk, "kind": entry.kind, "text": entry.text})


@router.post("/cases/{int:case_id}/letters", response={201: LetterOut}, summary="Issue the case's next letter now")
def issue_letter(request, case_id: int):
    letter = dunning.issue_letter(request.user, _case(request, case_id))
    return Status(201, _letter_out(letter))


@router.get("/letters/{int:letter_id}/pdf", summary="A dunning letter as PDF")
def letter_pdf(request, letter_id: int):
    if not has_perm(request.user, "collection.view"):
        raise PermissionDenied("permission denied")
    letter = queries.visible_letter(request.user, letter_id)
    if letter is None:
        raise Http404
    response = HttpResponse(dunning.letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{letter.number}.pdf"'
    return response


@router.get("/customers/{int:customer_id}/broken-promises", response=dict,
            summary="How many promises to pay the customer broke (a credit risk signal)")
def broken_promises(request, customer_id: int, since: datetime.date | None = None):
    customer = get_customer_for_user(request.user, customer_id)
    return {"customer_id": customer.pk, "broken": queries.broken_promises(customer.pk, since),
            "open": PromiseToPay.objects.filter(customer=customer, status=PromiseToPay.Status.OPEN).count()}
