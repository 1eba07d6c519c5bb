"""REST endpoints of claims, scoped like the pages: the list (status, customer), one claim, a new claim on a
complaint, and its steps: submit, approve, reject, settle (one credit note in the ledger), withdraw, goods
returned. Bad input: 422 naming the field; a claim or complaint outside the user's scope: 404."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Schema, Status

from credo.complaints import queries as complaint_queries
from credo.core.api_inputs import InputSchema, Limit, Money, MultilineText, Offset, decimal_input
from credo.core.roles import has_perm

from . import queries, services

router = Router()


class ClaimLineOut(Schema):
    invoice_id: int
    invoice_number: str
    amount: Decimal


class GoodsReturnOut(Schema):
    id: int
    returned_on: datetime.date
    quantity: Decimal | None
    description: str
    note: str


class ClaimOut(Schema):
    id: int
    number: str
    complaint_id: int
    complaint_number: str
    customer_id: int
    customer_name: str
    amount_claimed: Decimal
    amount_agreed: Decimal
    reason: str
    status: str
    tier_level: int | None
    created_by: str | None
    submitted_by: str | None
    decided_by: str | None
    decision_note: str
    settled_on: datetime.date | None
    credit_note_id: int | None
    credit_note_number: str | None
    created_at: datetime.datetime


class ClaimDetailOut(ClaimOut):
    lines: list[ClaimLineOut]
    returns: list[GoodsReturnOut]


class ClaimLineIn(InputSchema):
    invoice_id: int
    amount: Money


class ClaimIn(InputSchema):
    amount_claimed: Money
    amount_agreed: Money | None = None
    reason: MultilineText
    lines: list[ClaimLineIn]


class ClaimApproveIn(InputSchema):
    note: str = ""


class ClaimRejectIn(InputSchema):
    reason: str


class ClaimSettleIn(InputSchema):
    settled_on: datetime.date | None = None


class ClaimWithdrawIn(InputSchema):
    reason: str = ""


class GoodsReturnIn(InputSchema):
    returned_on: datetime.date
    description: str
    quantity: decimal_input(14, 3) | None = None
    note: str = ""


def _name(user):
    return user.username if user is not None else None


def _out(c) -> dict:
    return {"id": c.pk, "number": c.number, "complaint_id": c.complaint_id, "complaint_number": c.complaint.number,
            "customer_id": c.customer_id, "customer_name": c.customer.name, "amount_claimed": c.amount_claimed,
            "amount_agreed": c.amount_agreed, "reason": c.reason, "status": c.status, "tier_level": c.tier_level,
            "created_by": _name(c.created_by), "submitted_by": _name(c.submitted_by),
            "decided_by": _name(c.decided_by), "decision_note": c.decision_note, "settled_on": c.settled_on,
            "credit_note_id": c.credit_note_id,
            "credit_note_number": c.credit_note.number if c.credit_note_id else None, "created_at": c.created_at}


def _detail(c) -> dict:
    lines = [{"invoice_id": line.invoice_id, "invoice_number": line.invoice.number, "amount": line.amount}
             for line in c.lines.select_related("invoice").order_by("id")]
    returns = [{"id": r.pk, "returned_on": r.returned_on, "quantity": r.quantity, "description": r.description,
                "note": r.note} for r in c.returns.all()]
    return {**_out(c), "lines": lines, "returns": returns}


def _require(request, action):
    if not has_perm(request.user, action):
        raise PermissionDenied("permission denied")


def _get(request, pk):
    _require(request, "claims.view")
    claim = queries.detail(request.user, pk)
    if claim is None:
        raise Http404
    return claim


def _fresh(request, claim):
    return _detail(queries.detail(request.user, claim.pk))


@router.get("", response=list[ClaimOut], summary="Claims in scope, newest first")
def claim_list(request, status: str = "", customer: int | None = None, q: str = "", offset: Offset = 0,
               limit: Limit(500) = 100):
    _require(request, "claims.view")
    rows = queries.listing(request.user, status=status, customer=customer or "", q=q)
    return [_out(c) for c in rows.select_related("created_by", "submitted_by", "decided_by")[offset:offset + limit]]


@router.get("/{int:claim_id}", response=ClaimDetailOut, summary="One claim with its invoice lines and returns")
def claim_detail(request, claim_id: int):
    return _detail(_get(request, claim_id))


@router.post("/complaints/{int:complaint_id}", response={201: ClaimDetailOut},
             summary="Record a draft claim on a complaint")
def claim_create(request, complaint_id: int, payload: ClaimIn):
    _require(request, "claims.manage")
    complaint = complaint_queries.detail(request.user, complaint_id)
    if complaint is None:
        raise Http404
    claim = services.create(request.user, complaint, amount_claimed=payload.amount_claimed,
                            amount_agreed=payload.amount_agreed, reason=payload.reason,
                            lines=[(line.invoice_id, line.amount) for line in payload.lines])
    return Status(201, _fresh(request, claim))


@router.post("/{int:claim_id}/submit", response=ClaimDetailOut, summary="Submit for approval (approvers notified)")
def claim_submit(request, claim_id: int):
    return _fresh(request, services.submit(request.user, _get(request, claim_id)))


@router.post("/{int:claim_id}/approve", response=ClaimDetailOut,
             summary="Approve (a role of the amount's authority tier, not the submitter)")
def claim_approve(request, claim_id: int, payload: ClaimApproveIn):
    return _fresh(request, services.approve(request.user, _get(request, claim_id), note=payload.note))


@router.post("/{int:claim_id}/reject", response=ClaimDetailOut, summary="Reject (reason required)")
def claim_reject(request, claim_id: int, payload: ClaimRejectIn):
    return _fresh(request, services.reject(request.user, _get(request, claim_id), reason=payload.reason))


@router.post("/{int:claim_id}/settle", response=ClaimDetailOut,
             summary="Settle: post one credit note of kind claim over the claim's invoices (repeating is harmless)")
def claim_settle(request, claim_id: int, payload: ClaimSettleIn):
    return _fresh(request, services.settle(request.user, _get(request, claim_id), settled_on=payload.settled_on))


@router.post("/{int:claim_id}/withdraw", response=ClaimDetailOut, summary="Withdraw a claim not yet settled")
def claim_withdraw(request, claim_id: int, payload: ClaimWithdrawIn):
    return _fresh(request, services.withdraw(request.user, _get(request, claim_id), reason=payload.reason))


@router.post("/{int:claim_id}/returns", response={201: GoodsReturnOut}, summary="Record goods that came back")
def claim_return(request, claim_id: int, payload: GoodsReturnIn):
    row = services.record_return(request.user, _get(request, claim_id), returned_on=payload.returned_on,
                                 description=payload.description, quantity=payload.quantity, note=payload.note)
    return Status(201, {"id": row.pk, "returned_on": row.returned_on, "quantity": row.quantity,
                        "description": row.description, "note": row.note})
