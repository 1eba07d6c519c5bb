"""REST endpoints of the visits app, scoped like the pages: the plan, recording a result or an unplanned visit,
call or mail, caring reminders and recording a caring contact, compliance."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Schema, Status

from credo.core.api_inputs import InputSchema, Limit, MultilineText, decimal_input
from credo.core.clock import business_today
from credo.core.roles import has_perm
from credo.customers.queries import get_customer_for_user

from . import queries, rules, services

router = Router()
Coordinate = decimal_input(9, 6)


class VisitOut(Schema):
    id: int
    customer_id: int
    customer_code: str
    customer_name: str
    person: str
    kind: str
    purpose: str
    rank: str
    level_follow_up: bool
    status: str
    customer_class: str
    planned_date: datetime.date | None
    done_date: datetime.date | None
    route_order: int | None
    outcome: str
    next_step: str
    next_step_date: datetime.date | None
    contact_ids: list[int]


class ResultIn(InputSchema):
    status: str
    done_date: datetime.date | None = None
    purpose: str | None = None
    outcome: MultilineText = ""
    next_step: str = ""
    next_step_date: datetime.date | None = None
    contact_ids: list[int] = []
    latitude: Coordinate | None = None
    longitude: Coordinate | None = None


class VisitIn(ResultIn):
    status: str = "done"
    kind: str = "visit"
    purpose: str | None = "sales"


def _out(v) -> dict:
    return {"id": v.pk, "customer_id": v.customer_id, "customer_code": v.customer.code,
            "customer_name": v.customer.name, "person": v.person.username, "kind": v.kind, "purpose": v.purpose,
            "rank": v.rank, "level_follow_up": v.is_level_follow_up, "status": v.status, "customer_class": v.customer_class, "planned_date": v.planned_date,
            "done_date": v.done_date, "route_order": v.route_order, "outcome": v.outcome,
            "next_step": v.next_step, "next_step_date": v.next_step_date,
            "contact_ids": sorted(c.pk for c in v.contacts.all())}


def _require(request, action):
    if not has_perm(request.user, action):
        raise PermissionDenied("permission denied")


@router.get("/plan", response=list[VisitOut], summary="Planned and recorded contacts between two dates")
def plan(request, start: datetime.date | None = None, end: datetime.date | None = None, mine: bool = True,
         limit: Limit(5000) = 500):
    _require(request, "visits.view")
    start = start or business_today()
    end = end or start + datetime.timedelta(days=6)
    persons = [request.user.pk] if mine else queries.person_ids_for(request.user)
    rows = queries.plan_between(request.user, start, end, person_ids=persons).prefetch_related("contacts")
    return [_out(v) for v in rows[:limit]]


@router.post("/visits/{int:visit_id}/result", response={200: VisitOut}, summary="Record the result of a planned contact")
def record_result(request, visit_id: int, payload: ResultIn):
    _require(request, "visits.view")
    visit = queries.visible_visits(request.user).select_related("customer", "person").filter(pk=visit_id).first()
    if visit is None:
        raise Http404
    visit = services.record_result(request.user, visit, status=payload.status, done_date=payload.done_date,
                                   purpose=payload.purpose, outcome=payload.outcome, next_step=payload.next_step,
                                   next_step_date=payload.next_step_date, contact_ids=payload.contact_ids,
                                   latitude=payload.latitude, longitude=payload.longitude)
    return _out(visit)


@router.post("/customers/{int:customer_id}/visits", response={201: VisitOut},
             summary="Record a visit or call that was not planned")
def record_visit(request, customer_id: int, payload: VisitIn):
    customer = get_customer_for_user(request.user, customer_id)
    visit = services.record_visit(request.user, customer, kind=payload.kind, purpose=payload.purpose or "sales",
                                  done_date=payload.done_date, outcome=payload.outcome, next_step=payload.next_step,
                                  next_step_date=payload.next_step_date, contact_ids=payload.contact_ids,
                                  latitude=payload.latitude, longitude=payload.longitude)
    return Status(201, _out(visit))


class CaringReminderOut(Schema):
    key: str
    date: datetime.date
    days_until: int
    occasion: str
    text: str
    customer_id: int
    customer_name: str
    contact_id: int | None
    contact_name: str
    holiday: str
    years: int | None
    done: bool


class CaringIn(InputSchema):
    key: str
    kind: str = "call"
    outcome: MultilineText = ""


@router.get("/caring", response=list[CaringReminderOut],
            summary="Caring reminders (birthdays, anniversaries, holidays) for my customers in the next days")
def caring(request, days: int = rules.CARING_DAYS):
    _require(request, "visits.view")
    return queries.caring_reminders(request.user, business_today(), max(1, min(days, 366)))


@router.post("/caring", response={201: VisitOut}, summary="Record the caring contact of a reminder")
def caring_record(request, payload: CaringIn, days: int = rules.CARING_DAYS):
    _require(request, "visits.record")
    today = business_today()
    reminder = next((r for r in queries.caring_reminders(request.user, today, max(1, min(days, 366)))
                     if r["key"] == payload.key), None)
    if reminder is None:
        raise Http404
    customer = get_customer_for_user(request.user, reminder["customer_id"])
    visit = services.record_caring(request.user, customer, occasion=reminder["text"], kind=payload.kind,
                                   contact_id=reminder["contact_id"], key=reminder["key"], outcome=payload.outcome, today=today)
    return Status(201, _out(visit))


@router.get("/compliance", response=list[dict], summary="Plan against actual per month, person and class")
def compliance(request, start: str = "", end: str = ""):
    _require(request, "visits.view")
    last = rules.parse_month(end) or business_today().replace(day=1)
    first = rules.parse_month(start) or last
    if first > last:
        from credo.core.errors import ValidationError

        raise ValidationError({"start": ["start month after end month"]})
    rows = queries.compliance(request.user, first, last, person_ids=queries.person_ids_for(request.user))
    return [{**r, "rate_pct": str(r["rate_pct"]) if r["rate_pct"] is not None else None} for r in rows]
