"""REST endpoints of complaints, scoped like the pages: the queue, one complaint with its steps, intake, the
open step's owner, closing a step, emergency measures, waiting on the customer, reopening."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Router, Schema, Status

from credo.core.api_inputs import InputSchema, Limit, MultilineText, Offset
from credo.core.roles import has_perm
from credo.customers.queries import get_customer_for_user

from . import queries, services
from .models import STEP_NAMES

router = Router()


class ComplaintStepOut(Schema):
    round: int
    number: int
    name: str
    owner: str | None
    opened_at: datetime.datetime
    due_at: datetime.datetime | None
    record: str
    closed_by: str | None
    closed_at: datetime.datetime | None
    superseded: bool


class ComplaintMeasureOut(Schema):
    id: int
    round: int
    step: int
    text: str
    by: str | None
    at: datetime.datetime


class ComplaintOut(Schema):
    id: int
    number: str
    customer_id: int | None
    customer_name: str
    company_name: str
    contact_name: str
    contact_phone: str
    contact_email: str
    channel: str
    category: str
    severity: str
    priority: int
    product_id: int | None
    product_text: str
    order_id: int | None
    invoice_id: int | None
    description: str
    status: str
    current_step: int
    round: int
    due_at: datetime.datetime | None
    waiting: bool
    is_repeat: bool
    repeat_of: str | None
    repeat_reason: str
    cause: str
    department: str
    received_at: datetime.datetime
    closed_at: datetime.datetime | None


class ComplaintDetailOut(ComplaintOut):
    steps: list[ComplaintStepOut]
    measures: list[ComplaintMeasureOut]


class ComplaintIntakeIn(InputSchema):
    customer_id: int
    channel: str
    category: str
    severity: str = "normal"
    contact_name: str
    contact_phone: str = ""
    contact_email: str = ""
    product_id: int | None = None
    product_text: str = ""
    order_id: int | None = None
    invoice_id: int | None = None
    description: MultilineText


class ComplaintFromTicketIn(InputSchema):
    """Anything left out is taken from the service request: its contact, product, severity and story."""
    channel: str
    category: str
    severity: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    description: MultilineText | None = None


class ComplaintCloseStepIn(InputSchema):
    record: MultilineText
    next_owner_id: int | None = None
    cause: str = ""          # step 2: where the cause lies (see the complaint's cause choices)
    department: str = ""     # step 2: the responsible department


class ComplaintAssignIn(InputSchema):
    owner_id: int | None = None


class ComplaintMeasureIn(InputSchema):
    text: MultilineText


class ComplaintPauseIn(InputSchema):
    reason: str


class ComplaintReopenIn(InputSchema):
    to_step: int
    reason: str


def _out(c) -> dict:
    return {"id": c.pk, "number": c.number or "", "customer_id": c.customer_id,
            "customer_name": c.customer.name if c.customer_id else "", "company_name": c.company_name,
            "contact_name": c.contact_name, "contact_phone": c.contact_phone, "contact_email": c.contact_email,
            "channel": c.channel, "category": c.category, "severity": c.severity, "priority": c.priority,
            "product_id": c.product_id, "product_text": c.product_text, "order_id": c.order_id,
            "invoice_id": c.invoice_id, "description": c.description, "status": c.status,
            "current_step": c.current_step, "round": c.round, "due_at": c.due_at, "waiting": c.waiting,
            "is_repeat": c.is_repeat, "repeat_of": c.repeat_of.number if c.repeat_of_id else None,
            "repeat_reason": c.repeat_reason, "cause": c.cause, "department": c.department,
            "received_at": c.received_at, "closed_at": c.closed_at}


def _detail(c) -> dict:
    steps = [{"round": s.round, "number": s.number, "name": str(STEP_NAMES[s.number]),
              "owner": s.owner.username if s.owner_id else None, "opened_at": s.opened_at, "due_at": s.due_at,
              "record": s.record, "closed_by": s.closed_by.username if s.closed_by_id else None,
              "closed_at": s.closed_at, "superseded": s.superseded}
             for s in c.steps.select_related("owner", "closed_by").order_by("round", "number")]
    measures = [{"id": m.pk, "round": m.round, "step": m.step, "text": m.text,
                 "by": m.by.username if m.by_id else None, "at": m.at} for m in c.measures.select_related("by")]
    return {**_out(c), "steps": steps, "measures": measures}


def _require(request, action):
    if not has_perm(request.user, action):
        raise PermissionDenied("permission denied")


def _get(request, pk):
    _require(request, "complaints.view")
    complaint = queries.detail(request.user, pk)
    if complaint is None:
        raise Http404
    return complaint


def _user(pk, field):
    if pk is None:
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise ValidationError({field: ["unknown user"]})
    return user


@router.get("", response=list[ComplaintOut], summary="The complaint queue: high priority first, then due soonest")
def complaint_list(request, status: str = "open", step: str = "", category: str = "", severity: str = "",
                   priority: str = "", channel: str = "", q: str = "", mine: bool = False, repeat: bool = False,
                   waiting: bool = False, offset: Offset = 0, limit: Limit(500) = 100):
    _require(request, "complaints.view")
    rows = queries.queue(request.user, status=status, step=step, category=category, severity=severity,
                         priority=priority, channel=channel, q=q, mine=mine, repeat=repeat, waiting=waiting)
    return [_out(c) for c in rows[offset:offset + limit]]


class ManagementOut(Schema):
    filter: dict
    summary: dict
    sections: list[dict]


@router.get("/report", response=ManagementOut,
            summary="The management view: complaints by a dimension, time per step, SLA compliance, repeats and the "
                    "complaint rate per 100 orders (filters as the customer analysis; by, rate choose the groupings)")
def complaint_report(request, date_from: datetime.date | None = None, date_to: datetime.date | None = None,
                     territory: int | None = None, manager: int | None = None, kind: str = "", klass: str = "",
                     by: str = "category", rate: str = "month"):
    from credo.analysis.exporting import as_text, report_json
    from credo.analysis.queries import AnalysisFilter

    from . import report

    _require(request, "complaints.report")
    values = {"date_from": date_from, "date_to": date_to, "territory": territory, "manager": manager, "kind": kind,
              "klass": klass}
    errors = {}
    if by not in report.DIMENSIONS:
        errors["by"] = [f"one of {', '.join(report.DIMENSIONS)}"]
    if rate not in report.RATE_GROUPS:
        errors["rate"] = [f"one of {', '.join(report.RATE_GROUPS)}"]
    try:
        flt = AnalysisFilter.from_mapping({k: "" if v is None else str(v) for k, v in values.items()})
    except ValueError as exc:
        errors[str(exc)] = ["bad value"]
    if errors:
        raise ValidationError(errors)
    summary = report.summary(request.user, flt)
    summary["rate"] = as_text(summary["rate"], "number")
    return {"filter": flt.query(), "summary": summary,
            "sections": [report_json(s, flt) for s in report.sections(request.user, flt, by, rate)]}


@router.get("/{int:complaint_id}", response=ComplaintDetailOut, summary="One complaint with its steps")
def complaint_detail(request, complaint_id: int):
    return _detail(_get(request, complaint_id))


@router.post("", response={201: ComplaintDetailOut}, summary="Take a complaint in (it lands in step 1)")
def complaint_intake(request, payload: ComplaintIntakeIn):
    _require(request, "complaints.intake")
    customer = get_customer_for_user(request.user, payload.customer_id)
    complaint = services.intake(
        request.user, customer=customer, channel=payload.channel, category=payload.category,
        severity=payload.severity, contact_name=payload.contact_name, contact_phone=payload.contact_phone,
        contact_email=payload.contact_email, product=payload.product_id, product_text=payload.product_text,
        order=payload.order_id, invoice=payload.invoice_id, description=payload.description)
    return Status(201, _detail(queries.detail(request.user, complaint.pk)))


@router.post("/from-ticket/{int:ticket_id}", response={201: ComplaintDetailOut},
             summary="The customer of a service request is dissatisfied: take the complaint in, close the request")
def complaint_from_ticket(request, ticket_id: int, payload: ComplaintFromTicketIn):
    from credo.servicedesk.queries import get_ticket_for_user

    _require(request, "complaints.intake")
    _require(request, "servicedesk.view")
    ticket = get_ticket_for_user(request.user, ticket_id)
    start = services.ticket_initial(ticket)
    given = payload.dict(exclude_none=True)
    fields = {name: given.get(name, start.get(name, "")) for name in (
        "channel", "category", "severity", "contact_name", "contact_phone", "contact_email", "description")}
    complaint = services.intake_from_ticket(request.user, ticket, product=ticket.product_id, **fields)
    return Status(201, _detail(queries.detail(request.user, complaint.pk)))


@router.post("/{int:complaint_id}/steps/{int:number}/close", response=ComplaintDetailOut,
             summary="Close the open step with its record")
def complaint_close_step(request, complaint_id: int, number: int, payload: ComplaintCloseStepIn):
    complaint = _get(request, complaint_id)
    services.close_step(request.user, complaint, number, payload.record, cause=payload.cause,
                        department=payload.department, next_owner=_user(payload.next_owner_id, "next_owner_id"))
    return _detail(queries.detail(request.user, complaint.pk))


@router.post("/{int:complaint_id}/owner", response=ComplaintDetailOut, summary="Name the open step's owner")
def complaint_assign(request, complaint_id: int, payload: ComplaintAssignIn):
    complaint = _get(request, complaint_id)
    services.assign(request.user, complaint, _user(payload.owner_id, "owner_id"))
    return _detail(queries.detail(request.user, complaint.pk))


@router.post("/{int:complaint_id}/measures", response={201: ComplaintMeasureOut},
             summary="Log an emergency measure")
def complaint_measure(request, complaint_id: int, payload: ComplaintMeasureIn):
    row = services.log_measure(request.user, _get(request, complaint_id), payload.text)
    return Status(201, {"id": row.pk, "round": row.round, "step": row.step, "text": row.text,
                        "by": request.user.username, "at": row.at})


@router.post("/{int:complaint_id}/pause", response=ComplaintDetailOut,
             summary="Pause the clocks while the complaint waits on the customer")
def complaint_pause(request, complaint_id: int, payload: ComplaintPauseIn):
    complaint = services.pause(request.user, _get(request, complaint_id), payload.reason)
    return _detail(queries.detail(request.user, complaint.pk))


@router.post("/{int:complaint_id}/resume", response=ComplaintDetailOut, summary="Let the clocks run again")
def complaint_resume(request, complaint_id: int):
    complaint = services.resume(request.user, _get(request, complaint_id))
    return _detail(queries.detail(request.user, complaint.pk))


@router.post("/{int:complaint_id}/reopen", response=ComplaintDetailOut,
             summary="Reopen at the step the reviewer names (reason required)")
def complaint_reopen(request, complaint_id: int, payload: ComplaintReopenIn):
    complaint = _get(request, complaint_id)
    services.reopen(request.user, complaint, payload.to_step, payload.reason)
    return _detail(queries.detail(request.user, complaint.pk))
