"""Writes of complaints: intake (the page, the API and the public form all call `intake`), step owners, closing
steps, emergency measures, waiting on the customer, reopening, linking a public complaint to its customer,
attachments and the repeat window.

Who may do what (credo.core.roles): complaints.intake takes complaints in for customers in the user's scope;
complaints.manage (service agents: all customers; sales managers: their team's) names owners, closes any step,
pauses, reopens and links customers; the owner of the open step closes it and logs emergency measures whatever
their role, as long as the complaint's customer is in their scope. The public form has no user: it lands in
step 1 unassigned. Every change is audited in the same transaction; bad input raises ValidationError naming the
field and changes nothing. Closing a step locks the complaint's row (select_for_update), so two people closing
the same step at once close it once: the second is told it was already closed.

The service-level clocks (credo.sla) run per complaint: first response (stopped when step 1 closes), one clock
per step (from its opening to its close) and the resolution (from receipt to the close of step 6). A step's and
the complaint's due time are copied from the step's clock whenever it changes.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from credo.core import audit, timeline
from credo.core.clock import business_now
from credo.core.errors import PermissionDenied, ValidationError
from credo.core.models import AuditEntry
from credo.core.notifications import notify
from credo.core.roles import Role, has_perm
from credo.core.scopes import customer_q, scope_of
from credo.customers.models import Customer
from credo.customers.rules import normalise_name, normalise_phone
from credo.sales.models import Invoice, Product, SalesOrder
from credo.sla import services as sla
from credo.sla.models import Kind, Metric, Severity, SlaClock, step_metric

from . import events, rules
from .models import (
    STEP_NAMES,
    Category,
    Cause,
    Channel,
    Complaint,
    ComplaintAttachment,
    ComplaintPolicy,
    ComplaintReopen,
    ComplaintStep,
    EmergencyMeasure,
    Status,
)

KIND = Kind.COMPLAINT
MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
TEXT_LIMITS = {"contact_name": 100, "contact_phone": 40, "contact_email": 254, "company_name": 200,
               "product_text": 200, "description": 8000}

_STEP_MESSAGES = {
    "closed": gettext_noop("This complaint is closed; reopen it first."),
    "unknown_step": gettext_noop("Choose a step from 1 to 6."),
    "done": gettext_noop("This step is already closed."),
    "skip": gettext_noop("Steps are closed in order: close the open step first."),
    "no_record": gettext_noop("Write the record of this step before closing it."),
    "record_too_long": gettext_noop("At most %(n)s characters."),
    "ahead": gettext_noop("An open complaint can only go back to an earlier step than the open one."),
    "no_reason": gettext_noop("Say why the complaint is reopened."),
    "reason_too_long": gettext_noop("At most %(n)s characters."),
    "bad_window": gettext_noop("Give a whole number of days from 1 to %(n)s."),
}
_LIMITS = {"record_too_long": rules.RECORD_LENGTH, "reason_too_long": rules.REASON_LENGTH,
           "bad_window": rules.MAX_REPEAT_WINDOW_DAYS}


def _step_error(exc: rules.StepError) -> ValidationError:
    message = _(_STEP_MESSAGES[exc.code])
    if exc.code in _LIMITS:
        message = message % {"n": _LIMITS[exc.code]}
    return ValidationError({exc.field: [message]})


# --- reads the services need ---------------------------------------------------------------------

def visible_complaints(user):
    """Complaints of the customers in the user's scope (those without a customer yet: only users who see all)."""
    if scope_of(user) is None or not has_perm(user, "complaints.view"):
        return Complaint.objects.none()
    return Complaint.objects.filter(customer_q(user, "customer__"))


def _in_scope(user, complaint) -> bool:
    return visible_complaints(user).filter(pk=complaint.pk).exists()


def open_step(complaint) -> ComplaintStep | None:
    return ComplaintStep.objects.filter(complaint=complaint, round=complaint.round, number=complaint.current_step,
                                        closed_at__isnull=True, superseded=False).first()


def can_manage(user, complaint) -> bool:
    return has_perm(user, "complaints.manage") and _in_scope(user, complaint)


def can_work(user, complaint, step: ComplaintStep | None = None) -> bool:
    """May close the open step and log measures: a manager of the complaint or the open step's owner."""
    if can_manage(user, complaint):
        return True
    step = step or open_step(complaint)
    return step is not None and step.owner_id == getattr(user, "pk", None) and _in_scope(user, complaint)


def _require_manage(user, complaint):
    if not has_perm(user, "complaints.manage"):
        raise PermissionDenied(_("Your role may not manage complaints."))
    if not _in_scope(user, complaint):
        raise PermissionDenied(_("This customer is not in your scope."))


def repeat_window(on: datetime.date) -> int:
    row = (ComplaintPolicy.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
           or ComplaintPolicy.objects.order_by("valid_from").first())
    return row.repeat_window_days if row else rules.DEFAULT_REPEAT_WINDOW_DAYS


def customer_priority(customer) -> tuple[int, str]:
    """(priority, SLA class) from the latest pyramid and ABC snapshots (class set by hand wins) and the key flag."""
    from credo.classification import rules as class_rules
    from credo.classification.models import ClassResult
    from credo.classification.queries import latest_run

    found = {}
    for method in (class_rules.PYRAMID, class_rules.ABC):
        run = latest_run(method)
        row = ClassResult.objects.filter(run=run, customer=customer).values_list("klass", "override_class").first() \
            if run else None
        found[method] = (row[1] or row[0]) if row else ""
    return rules.priority(found[class_rules.PYRAMID], found[class_rules.ABC], customer.importance == "key")


def match_customer(company_name: str, phone: str) -> Customer | None:
    """The customer a public submitter means: one active customer with that phone number or that name (its
    normalised key, former names included); None when there is no match or more than one."""
    keys = [("phone_key", normalise_phone(phone)), ("name_key", normalise_name(company_name))]
    for field, key in keys:
        if not key:
            continue
        query = Q(**{field: key})
        if field == "name_key":
            query |= Q(former_names__name_key=key)
        ids = list(Customer.objects.filter(query, is_active=True).values_list("pk", flat=True).distinct()[:2])
        if len(ids) == 1:
            return Customer.objects.get(pk=ids[0])
    return None


# --- clocks --------------------------------------------------------------------------------------

def _start_step_clock(complaint, step: ComplaintStep):
    if complaint.customer_id is None:
        return None
    return sla.start(KIND, complaint.pk, step_metric(step.number), customer_id=complaint.customer_id,
                     severity=complaint.severity, customer_class=complaint.customer_class, owner=step.owner,
                     started_at=step.opened_at)


def _start_clocks(complaint, step: ComplaintStep):
    """First response and resolution from receipt, the open step's clock from its opening."""
    if complaint.customer_id is None:
        return
    for metric in (Metric.FIRST_RESPONSE, Metric.RESOLUTION):
        sla.start(KIND, complaint.pk, metric, customer_id=complaint.customer_id, severity=complaint.severity,
                  customer_class=complaint.customer_class, owner=step.owner, started_at=complaint.received_at)
    _start_step_clock(complaint, step)


def _sync_due(complaint, step: ComplaintStep | None = None):
    """Copy the open step's due time from its clock onto the step and the complaint (None while paused)."""
    step = step or open_step(complaint)
    due = None
    if step is not None and complaint.status == Status.OPEN:
        due = (SlaClock.objects.filter(kind=KIND, subject_id=complaint.pk, metric=step_metric(step.number),
                                       stopped_at__isnull=True).values_list("due_at", flat=True).first())
        if step.due_at != due:
            step.due_at = due
            step.save(update_fields=["due_at"])
    complaint.due_at = due
    Complaint.objects.filter(pk=complaint.pk).update(due_at=due)


# --- intake --------------------------------------------------------------------------------------

def _text(errors, name, value, *, required=False, message=None):
    text = (value or "").strip()
    if required and not text:
        errors[name] = [message or _("This field is required.")]
    elif len(text) > TEXT_LIMITS[name]:
        errors[name] = [_("At most %(n)s characters.") % {"n": TEXT_LIMITS[name]}]
    return text


def _document(errors, name, model, value, customer):
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        errors[name] = [_("Not a number.")]
        return None
    row = model.objects.filter(pk=pk).first()
    if row is None:
        errors[name] = [_("Not found.")]
    elif customer is not None and getattr(row, "customer_id", customer.pk) != customer.pk:
        errors[name] = [_("This document belongs to another customer.")]
    elif customer is None and model is not Product:
        errors[name] = [_("Choose the customer first.")]
    else:
        return row
    return None


def _check_files(errors, files) -> list:
    files = [f for f in (files or []) if f]
    if len(files) > MAX_FILES:
        errors["attachments"] = [_("At most %(n)s files.") % {"n": MAX_FILES}]
    elif any(getattr(f, "size", 0) > MAX_FILE_BYTES for f in files):
        errors["attachments"] = [_("Each file may be at most %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}]
    return files


def _save_files(user, complaint, files):
    for upload in files:
        name = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][:200]
        row = ComplaintAttachment(complaint=complaint, customer_id=complaint.customer_id, name=name,
                                  size=getattr(upload, "size", 0) or 0,
                                  uploaded_by=user if getattr(user, "pk", None) else None)
        row.file.save(name, upload, save=False)
        row.save()
        audit.record(user, AuditEntry.Action.CREATE, row, after=audit.snapshot(row), customer_id=complaint.customer_id)


def _flag_repeat(complaint) -> None:
    if complaint.customer_id is None:
        return
    received = complaint.received_at.astimezone(business_now().tzinfo).date()
    window = repeat_window(received)
    since = complaint.received_at - datetime.timedelta(days=window + 1)
    earlier = (Complaint.objects.filter(customer_id=complaint.customer_id, received_at__gte=since,
                                        received_at__lte=complaint.received_at).exclude(pk=complaint.pk)
               .values_list("pk", "received_at", "category", "product_id", "product_text", "order_id"))
    tz = business_now().tzinfo
    cases = [rules.Case(pk, complaint.customer_id, at.astimezone(tz).date(), cat, prod, text, order)
             for pk, at, cat, prod, text, order in earlier]
    new = rules.Case(complaint.pk, complaint.customer_id, received, complaint.category, complaint.product_id,
                     complaint.product_text, complaint.order_id)
    found = rules.find_repeat(new, cases, window)
    if found:
        original, reason = found
        complaint.repeat_of_id, complaint.is_repeat, complaint.repeat_reason = original.id, True, reason
        Complaint.objects.filter(pk=complaint.pk).update(repeat_of_id=original.id, is_repeat=True,
                                                         repeat_reason=reason)


@transaction.atomic
def intake(user, *, channel, category, description, contact_name, severity=Severity.NORMAL, customer=None,
           contact_phone="", contact_email="", company_name="", product=None, product_text="", order=None,
           invoice=None, attachments=(), at: datetime.datetime | None = None) -> Complaint:
    """Take a complaint in; it lands in step 1 with its clocks running. user None: the public form (channel web
    form, customer found from the company name or phone if it can be, else linked later by the service desk)."""
    public = user is None
    if not public:
        if not has_perm(user, "complaints.intake"):
            raise PermissionDenied(_("Your role may not take complaints in."))
    errors: dict[str, list] = {}
    if public:
        channel = Channel.WEB_FORM
    elif channel not in Channel.values:
        errors["channel"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Channel.values)}]
    if category not in Category.values:
        errors["category"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Category.values)}]
    if severity not in Severity.values:
        errors["severity"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Severity.values)}]
    data = {
        "contact_name": _text(errors, "contact_name", contact_name, required=True,
                              message=_("Give the name of the person complaining.")),
        "contact_phone": _text(errors, "contact_phone", contact_phone),
        "contact_email": _text(errors, "contact_email", contact_email),
        "company_name": _text(errors, "company_name", company_name, required=public,
                              message=_("Give the name of your company.")),
        "product_text": _text(errors, "product_text", product_text),
        "description": _text(errors, "description", description, required=True,
                             message=_("Describe what happened.")),
    }
    if public and not data["contact_phone"] and not data["contact_email"]:
        errors["contact_phone"] = [_("Give a phone number or an e-mail address so we can answer you.")]
    if data["contact_email"] and "@" not in data["contact_email"]:
        errors["contact_email"] = [_("Enter a valid e-mail address.")]
    if public:
        customer = match_customer(data["company_name"], data["contact_phone"])
    elif customer is None:
        errors["customer"] = [_("Choose the customer.")]
    elif not Customer.objects.filter(customer_q(user), pk=customer.pk).exists():
        raise PermissionDenied(_("This customer is not in your scope."))
    data["product"] = _document(errors, "product", Product, product, customer)
    data["order"] = _document(errors, "order", SalesOrder, order, customer)
    data["invoice"] = _document(errors, "invoice", Invoice, invoice, customer)
    files = _check_files(errors, attachments)
    if errors:
        raise ValidationError(errors)
    at = at or business_now()
    priority, klass = customer_priority(customer) if customer else (rules.NORMAL, "")
    complaint = Complaint.objects.create(customer=customer, channel=channel, category=category, severity=severity,
                                         priority=priority, customer_class=klass, received_at=at,
                                         created_by=None if public else user, **data)
    complaint.number = f"TS-{at.astimezone(business_now().tzinfo):%Y}-{complaint.pk:06d}"
    complaint.save(update_fields=["number"])
    owner = user if not public and has_perm(user, "complaints.manage") else None
    step = ComplaintStep.objects.create(complaint=complaint, customer=customer, round=1, number=1, owner=owner,
                                        opened_at=at)
    _start_clocks(complaint, step)
    _sync_due(complaint, step)
    _flag_repeat(complaint)
    _save_files(user, complaint, files)
    audit.record(user, AuditEntry.Action.CREATE, complaint, after=audit.snapshot(complaint),
                 customer_id=complaint.customer_id, reason="public form" if public else "")
    if customer is not None:
        _event(user, complaint, events.RECEIVED, f"{complaint.get_category_display()}: {complaint.description}",
               at=at)
    if public:
        _tell_service_desk(complaint)
    return complaint


def ticket_initial(ticket) -> dict:
    """What a complaint taken from service request `ticket` starts with on the intake form: its customer,
    contact, product and severity, and its story so the agent need not type it again."""
    contact = ticket.contact
    story = _("From service request %(number)s: %(subject)s") % {"number": ticket.number, "subject": ticket.subject}
    return {
        "customer": ticket.customer.code, "severity": ticket.severity, "product": ticket.product_id,
        "contact_name": contact.name if contact else "",
        "contact_phone": (contact.mobile or contact.phone) if contact else "",
        "contact_email": contact.email if contact else "",
        "description": f"{story}\n{ticket.description}" + (f"\n\n{ticket.resolution}" if ticket.resolution else ""),
    }


@transaction.atomic
def intake_from_ticket(user, ticket, **fields) -> Complaint:
    """The customer of service request `ticket` is dissatisfied: take the complaint in (`fields` as intake
    takes them, the customer is the ticket's) and close the ticket as converted (credo.servicedesk stops its
    clocks; the complaint runs its own) in one transaction. A ticket already converted gives its complaint
    back: a second click or a retried API call makes no second complaint."""
    from credo.servicedesk import services as desk

    if ticket.complaint_id is not None:
        existing = Complaint.objects.filter(pk=ticket.complaint_id).first()
        if existing is not None:
            return existing
    customer = fields.pop("customer", None)
    if customer is not None and customer.pk != ticket.customer_id:
        raise ValidationError({"customer": [_("A complaint from a service request is about that request's "
                                              "customer.")]})
    if not desk.can_work(user, ticket):
        raise PermissionDenied(_("Your role may not work service requests."))
    complaint = intake(user, customer=ticket.customer, **fields)
    desk.mark_converted(user, ticket, complaint.pk)
    return complaint


def source_ticket(complaint):
    """The service request this complaint was taken from, or None."""
    from credo.servicedesk.models import Ticket

    return Ticket.objects.filter(complaint_id=complaint.pk).only("pk", "number", "subject").first()


ARTICLE_CATEGORY = {"quality": "maintenance", "delivery": "delivery", "service": "usage", "price": "billing",
                    "billing": "billing", "other": "other"}
ARTICLE_SECTIONS = {2: gettext_noop("Cause"), 3: gettext_noop("Solution"), 5: gettext_noop("What was done"),
                    6: gettext_noop("Result")}


def article_draft(complaint) -> dict:
    """A knowledge article drafted from a closed complaint: the problem as the customer told it, then the records
    of the last round's cause, solution, action and review, so the next agent finds the answer."""
    records = {s.number: s.record for s in complaint.steps.filter(round=complaint.round, closed_at__isnull=False)}
    parts = [f"{_('Problem')}:\n{complaint.description}"]
    parts += [f"{_(title)}:\n{records[number]}" for number, title in ARTICLE_SECTIONS.items() if records.get(number)]
    product = complaint.product.name if complaint.product_id else complaint.product_text
    title = f"{complaint.get_category_display()}: {product}" if product else complaint.get_category_display()
    return {"title": f"{title} — {complaint.description[:60]}", "category": ARTICLE_CATEGORY[complaint.category],
            "tags": ", ".join(t for t in (product, complaint.get_category_display()) if t),
            "body": "\n\n".join(parts)}


def _tell_service_desk(complaint):
    agents = get_user_model().objects.filter(is_active=True, profile__role=Role.SERVICE_AGENT)
    notify(list(agents), _("New complaint from the web form: %(number)s") % {"number": complaint.number},
           complaint.description[:500], url=f"/complaints/{complaint.pk}/", customer_id=complaint.customer_id)


def _event(user, complaint, kind, summary, at=None):
    timeline.add_event(complaint.customer_id, kind.code, actor=user, summary=f"{complaint.number} {summary}",
                       obj=complaint, at=at,
                       data={"step": complaint.current_step, "round": complaint.round, "status": complaint.status})


# --- steps ---------------------------------------------------------------------------------------

def _locked(complaint) -> Complaint:
    return Complaint.objects.select_for_update(of=("self",)).select_related("customer").get(pk=complaint.pk)


def _valid_owner(user, complaint, owner):
    if owner is None:
        return None
    if not getattr(owner, "is_active", False) or not has_perm(owner, "complaints.view"):
        raise ValidationError({"owner": [_("Choose an active user.")]})
    if not _in_scope(owner, complaint):
        raise ValidationError({"owner": [_("%(user)s may not see this customer.") % {"user": owner.username}]})
    return owner


@transaction.atomic
def assign(user, complaint, owner, *, number: int | None = None) -> ComplaintStep:
    """Name the owner of the open step (number, when given, must be the open step)."""
    complaint = _locked(complaint)
    _require_manage(user, complaint)
    if complaint.status != Status.OPEN:
        raise ValidationError({"step": [_(_STEP_MESSAGES["closed"])]})
    if number is not None and int(number) != complaint.current_step:
        raise ValidationError({"step": [_("Only the open step gets an owner.")]})
    owner = _valid_owner(user, complaint, owner)
    step = open_step(complaint)
    before = audit.snapshot(step, ["owner"])
    step.owner = owner
    step.save(update_fields=["owner"])
    sla.reassign(KIND, complaint.pk, owner, [step_metric(step.number)])
    audit.record(user, AuditEntry.Action.UPDATE, step, before=before, after=audit.snapshot(step, ["owner"]),
                 customer_id=complaint.customer_id)
    if owner is not None and owner.pk != user.pk:
        notify([owner], _("Complaint %(number)s, step %(step)s is yours: %(name)s") % {
            "number": complaint.number, "step": step.number, "name": STEP_NAMES[step.number]},
            complaint.description[:500], url=f"/complaints/{complaint.pk}/", customer_id=complaint.customer_id)
    return step


def close_step(user, complaint, number, record: str, *, at: datetime.datetime | None = None,
               next_owner=None, cause: str = "", department: str = "") -> Complaint:
    """Close the open step with its record; the next step opens (its owner: next_owner, else the same person),
    or, after step 6, the complaint closes. Step 2 names the cause found (Cause) and may name the responsible
    department; the other steps take neither."""
    with transaction.atomic():
        complaint = _locked(complaint)
        step = open_step(complaint)
        if not can_work(user, complaint, step):
            raise PermissionDenied(_("Only the step's owner or the service desk may close this step."))
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise ValidationError({"step": [_(_STEP_MESSAGES["unknown_step"])]}) from None
        try:
            text = rules.check_close(complaint.status, complaint.current_step, number, record)
        except rules.StepError as exc:
            raise _step_error(exc) from None
        found = _cause(number, cause, department)
        at = at or business_now()
        if complaint.waiting:
            sla.resume(user, KIND, complaint.pk, at=at)
            complaint.waiting = False
        if next_owner is not None:
            next_owner = _valid_owner(user, complaint, next_owner)
        step.record, step.closed_by, step.closed_at = text, user, at
        step.save(update_fields=["record", "closed_by", "closed_at"])
        metrics = [step_metric(number)] + ([Metric.FIRST_RESPONSE.value] if number == rules.FIRST_STEP else [])
        following, status = rules.after_close(number)
        if status == Status.CLOSED:
            metrics.append(Metric.RESOLUTION.value)
        sla.stop(KIND, complaint.pk, metrics, at=at)
        before = audit.snapshot(complaint, ["current_step", "status", "cause", "department"])
        complaint.status, complaint.current_step = status, following
        complaint.closed_at = at if status == Status.CLOSED else None
        if found:
            complaint.cause, complaint.department = found
        complaint.save(update_fields=["status", "current_step", "closed_at", "waiting", "cause", "department"])
        new_step = None
        if status == Status.OPEN:
            owner = next_owner or step.owner or (user if has_perm(user, "complaints.manage") else None)
            new_step = ComplaintStep.objects.create(complaint=complaint, customer_id=complaint.customer_id,
                                                    round=complaint.round, number=following, owner=owner,
                                                    opened_at=at)
            _start_step_clock(complaint, new_step)
        _sync_due(complaint, new_step)
        audit.record(user, "step.close", step, before=before,
                     after={**audit.snapshot(complaint, ["current_step", "status", "cause", "department"]),
                            "record": text},
                     customer_id=complaint.customer_id)
        if status == Status.CLOSED and complaint.customer_id:
            _event(user, complaint, events.CLOSED, text, at=at)
        if new_step is not None and new_step.owner_id and new_step.owner_id != user.pk:
            notify([new_step.owner], _("Complaint %(number)s, step %(step)s is yours: %(name)s") % {
                "number": complaint.number, "step": new_step.number, "name": STEP_NAMES[new_step.number]},
                text[:500], url=f"/complaints/{complaint.pk}/", customer_id=complaint.customer_id)
    return complaint


def _cause(number: int, cause, department) -> tuple[str, str] | None:
    """Step 2's finding (cause, department), checked; None for the other steps."""
    if number != rules.CAUSE_STEP:
        return None
    cause, department = (cause or "").strip(), (department or "").strip()
    errors = {}
    if cause not in Cause.values:
        errors["cause"] = [_("Choose where the cause lies: %(choices)s.") % {"choices": ", ".join(Cause.values)}]
    if len(department) > 60:
        errors["department"] = [_("At most %(n)s characters.") % {"n": 60}]
    if errors:
        raise ValidationError(errors)
    return cause, department


@transaction.atomic
def log_measure(user, complaint, text: str, *, at: datetime.datetime | None = None) -> EmergencyMeasure:
    """An emergency measure (应急措施) taken at the open step (or after the close, at step 6)."""
    complaint = _locked(complaint)
    if not can_work(user, complaint):
        raise PermissionDenied(_("Only the step's owner or the service desk may log emergency measures."))
    body = (text or "").strip()
    if not body:
        raise ValidationError({"text": [_("Say what was done.")]})
    if len(body) > rules.RECORD_LENGTH:
        raise ValidationError({"text": [_("At most %(n)s characters.") % {"n": rules.RECORD_LENGTH}]})
    row = EmergencyMeasure.objects.create(complaint=complaint, customer_id=complaint.customer_id,
                                          round=complaint.round, step=complaint.current_step, text=body, by=user,
                                          at=at or business_now())
    audit.record(user, AuditEntry.Action.CREATE, row, after=audit.snapshot(row), customer_id=complaint.customer_id)
    return row


# --- waiting on the customer ---------------------------------------------------------------------

@transaction.atomic
def pause(user, complaint, reason: str, *, at: datetime.datetime | None = None) -> Complaint:
    complaint = _locked(complaint)
    if not can_work(user, complaint):
        raise PermissionDenied(_("Only the step's owner or the service desk may pause the clock."))
    if complaint.status != Status.OPEN:
        raise ValidationError({"reason": [_(_STEP_MESSAGES["closed"])]})
    if complaint.customer_id is None:
        raise ValidationError({"customer": [_("Link the complaint to its customer first.")]})
    sla.pause(user, KIND, complaint.pk, customer_id=complaint.customer_id, reason=reason, at=at)
    complaint.waiting = True
    complaint.save(update_fields=["waiting"])
    _sync_due(complaint)
    return complaint


@transaction.atomic
def resume(user, complaint, *, at: datetime.datetime | None = None) -> Complaint:
    complaint = _locked(complaint)
    if not can_work(user, complaint):
        raise PermissionDenied(_("Only the step's owner or the service desk may resume the clock."))
    sla.resume(user, KIND, complaint.pk, at=at)
    complaint.waiting = False
    complaint.save(update_fields=["waiting"])
    _sync_due(complaint)
    return complaint


# --- reopen --------------------------------------------------------------------------------------

@transaction.atomic
def reopen(user, complaint, to_step, reason: str, *, at: datetime.datetime | None = None) -> ComplaintReopen:
    """Start again at the step the reviewer names, in a new round; a closed complaint opens again with a new
    resolution clock, an open one keeps it."""
    complaint = _locked(complaint)
    _require_manage(user, complaint)
    try:
        target, text = rules.check_reopen(complaint.status, complaint.current_step, to_step, reason)
    except rules.StepError as exc:
        raise _step_error(exc) from None
    at = at or business_now()
    was_closed = complaint.status == Status.CLOSED
    previous = open_step(complaint)
    if previous is not None:
        previous.superseded = True
        previous.save(update_fields=["superseded"])
        sla.stop(KIND, complaint.pk, [step_metric(previous.number)], at=at)
    before = audit.snapshot(complaint, ["current_step", "status", "round"])
    row = ComplaintReopen.objects.create(complaint=complaint, customer_id=complaint.customer_id,
                                         from_step=complaint.current_step, to_step=target, was_closed=was_closed,
                                         round=complaint.round + 1, reason=text, by=user, at=at)
    earlier_owner = (ComplaintStep.objects.filter(complaint=complaint, number=target).order_by("-round")
                     .values_list("owner", flat=True).first())
    complaint.round, complaint.current_step, complaint.status, complaint.closed_at = row.round, target, \
        Status.OPEN, None
    complaint.save(update_fields=["round", "current_step", "status", "closed_at"])
    step = ComplaintStep.objects.create(complaint=complaint, customer_id=complaint.customer_id, round=row.round,
                                        number=target, owner_id=earlier_owner, opened_at=at)
    if was_closed and complaint.customer_id:
        sla.start(KIND, complaint.pk, Metric.RESOLUTION, customer_id=complaint.customer_id,
                  severity=complaint.severity, customer_class=complaint.customer_class, owner=step.owner,
                  started_at=at)
    _start_step_clock(complaint, step)
    _sync_due(complaint, step)
    audit.record(user, "reopen", complaint, before=before,
                 after=audit.snapshot(complaint, ["current_step", "status", "round"]), reason=text,
                 customer_id=complaint.customer_id)
    if complaint.customer_id:
        _event(user, complaint, events.REOPENED, text, at=at)
    return row


# --- the public form's complaints, attachments, settings ------------------------------------------

@transaction.atomic
def link_customer(user, complaint, customer) -> Complaint:
    """Give a complaint from the public form its customer: priority, clocks counted from receipt, repeats."""
    complaint = _locked(complaint)
    _require_manage(user, complaint)
    if complaint.customer_id is not None:
        raise ValidationError({"customer": [_("This complaint already has its customer.")]})
    if customer is None or not Customer.objects.filter(customer_q(user), pk=customer.pk).exists():
        raise ValidationError({"customer": [_("Choose a customer in your scope.")]})
    complaint.customer = customer
    complaint.priority, complaint.customer_class = customer_priority(customer)
    complaint.save(update_fields=["customer", "priority", "customer_class"])
    for model in (ComplaintStep, EmergencyMeasure, ComplaintReopen, ComplaintAttachment):
        model.objects.filter(complaint=complaint).update(customer=customer)
    step = open_step(complaint)
    if complaint.status == Status.OPEN and step is not None:
        _start_clocks(complaint, step)
        _sync_due(complaint, step)
    _flag_repeat(complaint)
    audit.record(user, AuditEntry.Action.UPDATE, complaint, before={"customer": None},
                 after={"customer": customer.pk}, customer_id=customer.pk)
    _event(user, complaint, events.RECEIVED, f"{complaint.get_category_display()}: {complaint.description}",
           at=complaint.received_at)
    return complaint


@transaction.atomic
def add_attachments(user, complaint, files) -> int:
    complaint = _locked(complaint)
    if not (can_work(user, complaint) or (has_perm(user, "complaints.intake") and _in_scope(user, complaint))):
        raise PermissionDenied(_("Your role may not add files to this complaint."))
    errors: dict[str, list] = {}
    files = _check_files(errors, files)
    if not files and not errors:
        errors["attachments"] = [_("Choose a file.")]
    if errors:
        raise ValidationError(errors)
    _save_files(user, complaint, files)
    return len(files)


@transaction.atomic
def set_repeat_window(user, days, *, valid_from: datetime.date | None = None, note: str = "") -> ComplaintPolicy:
    if not has_perm(user, "complaints.settings"):
        raise PermissionDenied(_("Your role may not change the complaint settings."))
    try:
        value = rules.check_window(days)
    except rules.StepError as exc:
        raise _step_error(exc) from None
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError({"note": [_("At most %(n)s characters.") % {"n": 200}]})
    valid_from = valid_from or business_now().date()
    before = repeat_window(valid_from)
    row, _created = ComplaintPolicy.objects.update_or_create(
        valid_from=valid_from, defaults={"repeat_window_days": value, "note": note, "created_by": user.username})
    audit.record(user, AuditEntry.Action.UPDATE, row, before={"repeat_window_days": before},
                 after={"repeat_window_days": value, "valid_from": valid_from.isoformat()}, reason=note)
    return row
