"""Writes of the visits app: recording a visit, call or mail (planned or not), a caring contact from a reminder,
and editing the policy table.

Who may record: visits.record, for customers in the user's scope (a salesperson their own customers, a sales
manager their team's); a planned contact's result is recorded by its person or by someone whose scope covers
the customer. Errors name the field. Audited; a done or missed contact adds a timeline event on the customer.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from credo.core import audit, timeline
from credo.core.clock import business_today
from credo.core.errors import PermissionDenied, ValidationError
from credo.core.models import AuditEntry
from credo.core.roles import Role, has_perm, role_of
from credo.core.scopes import customer_q
from credo.customers.models import Contact, Customer

from . import events, rules
from .models import Kind, Purpose, RankHolder, Status, Visit, VisitPolicy

RESULT_FIELDS = ["status", "purpose", "done_date", "outcome", "next_step", "next_step_date", "latitude",
                 "longitude"]


def can_record(user, customer) -> bool:
    return has_perm(user, "visits.record") and Customer.objects.filter(customer_q(user), pk=customer.pk).exists()


def _require_record(user, customer):
    if not has_perm(user, "visits.record"):
        raise PermissionDenied(_("Your role may not record visits."))
    if not Customer.objects.filter(customer_q(user), pk=customer.pk).exists():
        raise PermissionDenied(_("This customer is not in your scope."))


def _decimal(value, field, low, high, errors):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = [_("Not a number.")]
        return None
    if not (low <= number <= high):
        errors[field] = [_("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}]
        return None
    return number.quantize(Decimal("0.000001"))


def _clean(customer, *, status, purpose, kind, done_date, outcome, next_step, next_step_date, contact_ids,
           latitude, longitude, today) -> dict:
    errors: dict[str, list] = {}
    if status not in (Status.DONE, Status.MISSED):
        errors["status"] = [_("Choose done or missed.")]
    if purpose not in Purpose.values:
        errors["purpose"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Purpose.values)}]
    if kind not in Kind.values:
        errors["kind"] = [_("Choose visit, call or mail.")]
    if status == Status.DONE:
        if done_date is None:
            errors["done_date"] = [_("Give the date of the contact.")]
        elif done_date > today:
            errors["done_date"] = [_("The date cannot be in the future.")]
    if next_step_date is not None:
        if not (next_step or "").strip():
            errors["next_step"] = [_("Say what the next step is.")]
        if next_step_date < (done_date or today):
            errors["next_step_date"] = [_("The next step cannot come before the contact.")]
    contact_ids = sorted({int(c) for c in (contact_ids or [])})
    if contact_ids:
        known = set(Contact.objects.filter(customer=customer, pk__in=contact_ids).values_list("pk", flat=True))
        unknown = [c for c in contact_ids if c not in known]
        if unknown:
            errors["contacts"] = [_("Not contacts of this customer: %(ids)s.") % {
                "ids": ", ".join(map(str, unknown))}]
    lat = _decimal(latitude, "latitude", Decimal(-90), Decimal(90), errors)
    lon = _decimal(longitude, "longitude", Decimal(-180), Decimal(180), errors)
    if (lat is None) != (lon is None) and "latitude" not in errors and "longitude" not in errors:
        errors["latitude" if lat is None else "longitude"] = [_("Give both latitude and longitude, or neither.")]
    if errors:
        raise ValidationError(errors)
    return {"status": status, "purpose": purpose, "done_date": done_date if status == Status.DONE else None,
            "outcome": (outcome or "").strip(), "next_step": (next_step or "").strip()[:300],
            "next_step_date": next_step_date, "latitude": lat, "longitude": lon, "contact_ids": contact_ids}


def rank_of(user, customer) -> str:
    """In which rank of the visit policy the user contacts the customer: the account manager as salesperson,
    the manager of the account manager's team as business manager, a marketing director or GM/VP by their
    RankHolder row or (GM/VP) the executive role; anybody else as salesperson."""
    if customer.account_manager_id == user.pk:
        return rules.SALESPERSON
    profile = getattr(customer.account_manager, "profile", None) if customer.account_manager_id else None
    if profile is not None and profile.team_id and profile.team.manager_id == user.pk:
        return rules.SALES_MANAGER
    holder = RankHolder.objects.filter(user=user).values_list("rank", flat=True).first()
    if holder:
        return holder
    if role_of(user) == Role.EXECUTIVE:
        return rules.EXECUTIVE
    return rules.SALESPERSON


_EVENT_OF_KIND = {Kind.VISIT: events.VISIT_DONE, Kind.CALL: events.CALL_DONE, Kind.MAIL: events.MAIL_DONE}


def _timeline(user, visit):
    if visit.status == Status.DONE:
        code = _EVENT_OF_KIND.get(visit.kind, events.VISIT_DONE).code
        summary = f"{visit.get_purpose_display()}: {visit.outcome}" if visit.outcome else visit.get_purpose_display()
    else:
        code = events.VISIT_MISSED.code
        summary = f"{visit.get_kind_display()} {visit.planned_date or ''}"
    timeline.add_event(visit.customer_id, code, actor=user, summary=str(summary), obj=visit,
                       data={"kind": visit.kind, "purpose": visit.purpose, "rank": visit.rank,
                             "next_step": visit.next_step,
                             "next_step_date": visit.next_step_date.isoformat() if visit.next_step_date else None})


@transaction.atomic
def record_result(user, visit: Visit, *, status, done_date=None, outcome="", next_step="", next_step_date=None,
                  contact_ids=None, latitude=None, longitude=None, purpose=None, today=None) -> Visit:
    """The result of a planned visit or call: done (with date, outcome, next step) or missed."""
    _require_record(user, visit.customer)
    if visit.status != Status.PLANNED:
        raise ValidationError({"status": [_("This contact was already recorded as %(status)s.") % {
            "status": visit.get_status_display()}]})
    today = today or business_today()
    data = _clean(visit.customer, status=status, purpose=purpose or visit.purpose, kind=visit.kind,
                  done_date=done_date, outcome=outcome, next_step=next_step, next_step_date=next_step_date,
                  contact_ids=contact_ids, latitude=latitude, longitude=longitude, today=today)
    before = audit.snapshot(visit, RESULT_FIELDS)
    contact_ids = data.pop("contact_ids")
    for name, value in data.items():
        setattr(visit, name, value)
    visit.recorded_by = user.username
    visit.save()
    visit.contacts.set(contact_ids)
    audit.record(user, AuditEntry.Action.UPDATE, visit, before=before, after={**audit.snapshot(visit, RESULT_FIELDS),
                 "contacts": contact_ids}, customer_id=visit.customer_id)
    _timeline(user, visit)
    return visit


@transaction.atomic
def record_visit(user, customer: Customer, *, kind=Kind.VISIT, purpose=Purpose.SALES, done_date=None, outcome="",
                 next_step="", next_step_date=None, contact_ids=None, latitude=None, longitude=None,
                 occasion="", today=None) -> Visit:
    """A visit, call or mail that happened without being planned, recorded in the user's name (its rank: rank_of,
    so a senior person's contact is a level follow-up)."""
    _require_record(user, customer)
    today = today or business_today()
    data = _clean(customer, status=Status.DONE, purpose=purpose, kind=kind, done_date=done_date, outcome=outcome,
                  next_step=next_step, next_step_date=next_step_date, contact_ids=contact_ids, latitude=latitude,
                  longitude=longitude, today=today)
    contact_ids = data.pop("contact_ids")
    from .classes import classes_for

    visit = Visit.objects.create(customer=customer, person=user, kind=kind, recorded_by=user.username,
                                 rank=rank_of(user, customer), occasion=(occasion or "")[:40],
                                 customer_class=classes_for([customer.pk]).get(customer.pk, ""), **data)
    visit.contacts.set(contact_ids)
    audit.record(user, AuditEntry.Action.CREATE, visit, after={**audit.snapshot(visit), "contacts": contact_ids},
                 customer_id=customer.pk)
    _timeline(user, visit)
    return visit


@transaction.atomic
def plan_visit(user, customer: Customer, *, planned_date: datetime.date, kind=Kind.VISIT,
               purpose=Purpose.SALES) -> Visit:
    """An extra contact put in the user's own plan by hand (outside the generated plan)."""
    _require_record(user, customer)
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Choose visit, call or mail.")]
    if purpose not in Purpose.values:
        errors["purpose"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Purpose.values)}]
    if planned_date is None:
        errors["planned_date"] = [_("Give the planned date.")]
    if errors:
        raise ValidationError(errors)
    visit = Visit.objects.create(customer=customer, person=user, kind=kind, purpose=purpose,
                                 planned_date=planned_date, recorded_by=user.username, rank=rank_of(user, customer))
    audit.record(user, AuditEntry.Action.CREATE, visit, after=audit.snapshot(visit), customer_id=customer.pk)
    return visit


def record_caring(user, customer: Customer, *, occasion: str, kind=Kind.CALL, contact_id=None, done_date=None,
                  outcome="", key="", today=None) -> Visit:
    """One click on a caring reminder (温情追踪): a done contact of purpose caring for the customer (and the
    contact whose birthday it is), the occasion as its outcome unless one is given. Only the customer's account
    manager, whose reminders they are."""
    if customer.account_manager_id != user.pk:
        raise PermissionDenied(_("Caring contacts are recorded by the customer's account manager."))
    if kind not in (Kind.CALL, Kind.MAIL, Kind.VISIT):
        raise ValidationError({"kind": [_("Choose visit, call or mail.")]})
    today = today or business_today()
    text = (outcome or "").strip() or occasion
    return record_visit(user, customer, kind=kind, purpose=Purpose.CARING, done_date=done_date or today,
                        outcome=text, contact_ids=[contact_id] if contact_id else [], occasion=key, today=today)


@transaction.atomic
def update_policy(user, policy: VisitPolicy, *, minimum, target, note=None) -> VisitPolicy:
    if not has_perm(user, "visits.plan"):
        raise PermissionDenied(_("Your role may not change the visit policy."))
    errors: dict[str, list] = {}
    values = {}
    for name, value in (("minimum_per_month", minimum), ("target_per_month", target)):
        try:
            number = Decimal(str(value)).quantize(Decimal("0.001"))
        except (InvalidOperation, ValueError):
            errors[name] = [_("Not a number.")]
            continue
        if number < 0 or number > 31:
            errors[name] = [_("Must be between 0 and 31 a month.")]
        values[name] = number
    if not errors and values["target_per_month"] < values["minimum_per_month"]:
        errors["target_per_month"] = [_("The target cannot be below the minimum.")]
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(policy)
    policy.minimum_per_month = values["minimum_per_month"]
    policy.target_per_month = values["target_per_month"]
    if note is not None:
        policy.note = note[:200]
    policy.save()
    audit.record(user, AuditEntry.Action.UPDATE, policy, before=before, after=audit.snapshot(policy))
    return policy
