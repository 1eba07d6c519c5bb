"""Writes of the service desk: ticket intake and every step of a ticket, service contracts and their expiry
reminders, knowledge-base articles.

Who: servicedesk.intake logs a ticket, servicedesk.manage works one (reply, assign, pause, resolve …),
servicedesk.contract keeps contracts, kb.edit writes articles — always for customers in the user's scope
(credo.core.scopes; a service agent's scope is every customer). Each operation is one transaction that locks
the ticket row, checks the step is allowed from the ticket's status (rules.TRANSITIONS), writes an entry, the
audit record and, where the customer should see it on the card, a timeline event. Bad input raises
ValidationError naming the field, in the user's language, and changes nothing.

SLA: intake starts the first-response and resolution clocks (credo.sla, kind "ticket", targets by severity and
customer class); the owner's first reply or note stops first response; waiting for the customer pauses both
with its reason; resolving stops them. Reopening starts a new resolution clock.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from credo.core import audit, timeline
from credo.core.clock import business_now, business_today
from credo.core.errors import PermissionDenied, ValidationError
from credo.core.models import AuditEntry, Notification
from credo.core.notifications import notify, notify_many
from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers.models import Contact, Customer
from credo.sales.models import Product
from credo.sla import services as sla
from credo.sla.models import Kind as SlaKind
from credo.sla.models import Metric, Severity

from . import events, rules
from .models import (
    Article,
    ArticleCategory,
    ContractStatus,
    ServiceContract,
    Ticket,
    TicketEntry,
    TicketType,
)

TICKET = SlaKind.TICKET.value
SUBJECT_LENGTH, TEXT_LENGTH, REASON_LENGTH = 200, 20_000, 300

ACTION_MESSAGES = {
    "reply": gettext_noop("This request is closed; nothing more can be written on it."),
    "note": gettext_noop("This request is closed; nothing more can be written on it."),
    "assign": gettext_noop("Only an open request can be given to someone."),
    "pause": gettext_noop("Only a new or running request can wait for the customer."),
    "resume": gettext_noop("The request is not waiting for the customer."),
    "resolve": gettext_noop("Only an open request can be resolved."),
    "reopen": gettext_noop("Only a resolved request can be reopened."),
    "close": gettext_noop("Only a resolved request can be closed."),
    "convert": gettext_noop("A closed request cannot become a complaint."),
}


# --- who may do what ---------------------------------------------------------------------------------------

def in_scope(user, customer_id: int) -> bool:
    return Customer.objects.filter(customer_q(user), pk=customer_id).exists()


def can_intake(user, customer) -> bool:
    return has_perm(user, "servicedesk.intake") and in_scope(user, customer.pk)


def can_work(user, ticket) -> bool:
    return has_perm(user, "servicedesk.manage") and in_scope(user, ticket.customer_id)


def can_keep_contracts(user, customer) -> bool:
    return has_perm(user, "servicedesk.contract") and in_scope(user, customer.pk)


def _require(user, action: str, customer_id: int, message: str):
    if not has_perm(user, action):
        raise PermissionDenied(message)
    if not in_scope(user, customer_id):
        raise PermissionDenied(_("This customer is not in your scope."))


def agents():
    """Who can own a ticket: active users whose role works tickets."""
    from credo.core.roles import PERMISSIONS

    users = get_user_model().objects.filter(is_active=True)
    return users.filter(profile__role__in=sorted(PERMISSIONS["servicedesk.manage"])).order_by("username")


# --- small checks ------------------------------------------------------------------------------------------

def _text(value, field: str, errors: dict, *, required: bool = True, limit: int = TEXT_LENGTH,
          missing: str | None = None) -> str:
    text = (value or "").strip()
    if required and not text:
        errors[field] = [missing or _("This field is required.")]
    elif len(text) > limit:
        errors[field] = [_("At most %(n)s characters.") % {"n": f"{limit:,}"}]
    return text


def _choice(value, choices, field: str, errors: dict, default=None):
    value = value if value not in (None, "") else default
    if value not in choices.values:
        errors[field] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)}]
    return value


def _product(product, errors: dict, field: str = "product"):
    if product in (None, ""):
        return None
    if isinstance(product, Product):
        return product
    found = Product.objects.filter(pk=product).first() if str(product).isdigit() else None
    if found is None:
        errors[field] = [_("There is no such product.")]
    return found


def _owner(owner, errors: dict):
    if owner in (None, ""):
        return None
    user = owner if isinstance(owner, get_user_model()) else (
        get_user_model().objects.filter(pk=owner).first() if str(owner).isdigit() else None)
    if user is None or not user.is_active or not has_perm(user, "servicedesk.manage"):
        errors["owner"] = [_("The owner must be an active service agent.")]
        return None
    return user


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().select_related("customer").get(pk=ticket.pk)


def _allow(ticket: Ticket, action: str):
    if not rules.can(action, ticket.status):
        raise ValidationError({"status": [_(ACTION_MESSAGES[action])]})


def _entry(ticket: Ticket, kind: str, user, body: str = "", at=None) -> TicketEntry:
    return TicketEntry.objects.create(ticket=ticket, customer_id=ticket.customer_id, kind=kind, body=body,
                                      author=user if getattr(user, "pk", None) else None,
                                      author_name=getattr(user, "username", "") or "system",
                                      at=at or business_now())


def ticket_url(ticket_id: int) -> str:
    return reverse("servicedesk:ticket", args=[ticket_id])


def customer_class(customer: Customer) -> str:
    """The class the SLA targets look at: the pyramid or ABC class, key customers counting as A."""
    from credo.visits.classes import classes_for

    return classes_for([customer.pk], {customer.pk: customer.importance}).get(customer.pk, "")


def contract_terms(customer_id: int) -> list[rules.ContractTerms]:
    rows = list(ServiceContract.objects.filter(customer_id=customer_id, status=ContractStatus.ACTIVE)
                .prefetch_related("products"))
    return [rules.ContractTerms(c.pk, c.status, c.starts_on, c.expires_on, c.all_products,
                                frozenset(p.pk for p in c.products.all())) for c in rows]


def covering_contract(customer_id: int, product_id: int | None, on: datetime.date) -> ServiceContract | None:
    pk = rules.covering_contract(contract_terms(customer_id), product_id, on)
    return ServiceContract.objects.get(pk=pk) if pk else None


# --- tickets -----------------------------------------------------------------------------------------------

@transaction.atomic
def intake(user, customer: Customer, *, subject: str, description: str, type: str = TicketType.QUESTION,  # noqa: A002
           severity: str = Severity.NORMAL, product=None, contact_id=None, owner=None) -> Ticket:
    """Log a service request: coverage is decided now from the customer's contracts, the clocks start now.
    The owner defaults to the agent logging it; a salesperson's request waits in the queue for an agent."""
    _require(user, "servicedesk.intake", customer.pk, _("Your role may not log service requests."))
    errors: dict[str, list] = {}
    subject = _text(subject, "subject", errors, limit=SUBJECT_LENGTH,
                    missing=_("Say in a few words what the customer needs."))
    description = _text(description, "description", errors, missing=_("Describe the request."))
    type = _choice(type, TicketType, "type", errors, TicketType.QUESTION)  # noqa: A001
    severity = _choice(severity, Severity, "severity", errors, Severity.NORMAL)
    product = _product(product, errors)
    contact = None
    if contact_id not in (None, ""):
        contact = Contact.objects.filter(customer=customer, pk=contact_id).first() if str(contact_id).isdigit() else None
        if contact is None:
            errors["contact"] = [_("Not a contact of this customer.")]
    if owner in (None, "") and has_perm(user, "servicedesk.manage"):
        owner = user
    owner = _owner(owner, errors)
    if errors:
        raise ValidationError(errors)
    now = business_now()
    contract = covering_contract(customer.pk, product.pk if product else None, now.date())
    cls = customer_class(customer)
    ticket = Ticket.objects.create(
        number=f"new-{uuid.uuid4().hex[:16]}", customer=customer, contact=contact,
        type=type, product=product, severity=severity, subject=subject, description=description, owner=owner,
        contract=contract, customer_class=cls, created_by=user if getattr(user, "pk", None) else None)
    ticket.number = rules.reference_number(now.year, ticket.pk)
    ticket.save(update_fields=["number"])
    for metric in (Metric.FIRST_RESPONSE, Metric.RESOLUTION):
        sla.start(TICKET, ticket.pk, metric, customer_id=customer.pk, severity=severity, customer_class=cls,
                  owner=owner, started_at=now)
    audit.record(user, AuditEntry.Action.CREATE, ticket, after=audit.snapshot(ticket), customer_id=customer.pk)
    covered = _("covered by %(contract)s") % {"contract": contract.number} if contract else _("not covered")
    timeline.add_event(customer.pk, events.TICKET_OPENED.code, actor=user, obj=ticket,
                       summary=f"{ticket.number} {subject} ({covered})")
    if owner is not None and owner.pk != getattr(user, "pk", None):
        _tell_owner(ticket, owner)
    return ticket


def _tell_owner(ticket: Ticket, owner) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notify([owner], _("Service request for you: %(number)s") % {"number": ticket.number},
               f"{ticket.customer.name}: {ticket.subject}", ticket_url(ticket.pk), customer_id=ticket.customer_id)


@transaction.atomic
def reply(user, ticket: Ticket, body: str, *, kind: str = TicketEntry.Kind.REPLY) -> TicketEntry:
    """A reply to the customer or an internal note. The owner's first one stops the first-response clock; on
    a ticket nobody owns, whoever answers takes it."""
    _require(user, "servicedesk.manage", ticket.customer_id, _("Your role may not work service requests."))
    ticket = _locked(ticket)
    errors: dict[str, list] = {}
    if kind not in (TicketEntry.Kind.REPLY, TicketEntry.Kind.NOTE):
        errors["kind"] = [_("Choose reply or note.")]
    text = _text(body, "body", errors, missing=_("Write the reply or the note."))
    if errors:
        raise ValidationError(errors)
    _allow(ticket, kind)
    before = audit.snapshot(ticket)
    now = business_now()
    if ticket.owner_id is None:
        ticket.owner = user
        sla.reassign(TICKET, ticket.pk, user)
    entry = _entry(ticket, kind, user, text, now)
    if rules.counts_as_first_response(kind=kind, author_id=user.pk, owner_id=ticket.owner_id,
                                      already_responded=ticket.first_response_at is not None):
        ticket.first_response_at = now
        sla.stop(TICKET, ticket.pk, [Metric.FIRST_RESPONSE], at=now)
    ticket.status = rules.next_status(kind, ticket.status)
    ticket.save()
    audit.record_change(user, ticket, before, customer_id=ticket.customer_id, reason=f"{kind}: {text[:200]}")
    return entry


def note(user, ticket: Ticket, body: str) -> TicketEntry:
    return reply(user, ticket, body, kind=TicketEntry.Kind.NOTE)


@transaction.atomic
def assign(user, ticket: Ticket, owner) -> Ticket:
    _require(user, "servicedesk.manage", ticket.customer_id, _("Your role may not work service requests."))
    ticket = _locked(ticket)
    errors: dict[str, list] = {}
    new_owner = _owner(owner, errors)
    if new_owner is None and not errors:
        errors["owner"] = [_("Choose the agent who takes the request.")]
    if errors:
        raise ValidationError(errors)
    _allow(ticket, "assign")
    if ticket.owner_id == new_owner.pk:
        return ticket
    before = audit.snapshot(ticket)
    ticket.owner = new_owner
    ticket.save()
    sla.reassign(TICKET, ticket.pk, new_owner)
    _entry(ticket, TicketEntry.Kind.ASSIGN, user, new_owner.username)
    audit.record(user, AuditEntry.Action.ASSIGN, ticket, before={"owner": before["owner"]},
                 after={"owner": new_owner.pk}, customer_id=ticket.customer_id)
    if new_owner.pk != user.pk:
        _tell_owner(ticket, new_owner)
    return ticket


@transaction.atomic
def pause(user, ticket: Ticket, reason: str) -> Ticket:
    """Waiting for the customer: every clock of the ticket stops counting until resume()."""
    _require(user, "servicedesk.manage", ticket.customer_id, _("Your role may not work service requests."))
    ticket = _locked(ticket)
    errors: dict[str, list] = {}
    text = _text(reason, "reason", errors, limit=REASON_LENGTH,
                 missing=_("Say what the customer is to send or do."))
    if errors:
        raise ValidationError(errors)
    _allow(ticket, "pause")
    before = audit.snapshot(ticket)
    now = business_now()
    sla.pause(user, TICKET, ticket.pk, customer_id=ticket.customer_id, reason=text, at=now)
    ticket.status = rules.next_status("pause", ticket.status)
    ticket.save()
    _entry(ticket, TicketEntry.Kind.PAUSE, user, text, now)
    audit.record_change(user, ticket, before, customer_id=ticket.customer_id, reason=text)
    return ticket


def _end_pause(user, ticket: Ticket, now) -> bool:
    from credo.sla.models import SlaPause

    if SlaPause.objects.filter(kind=TICKET, subject_id=ticket.pk, ended_at__isnull=True).exists():
        sla.resume(user, TICKET, ticket.pk, at=now)
        return True
    return False


@transaction.atomic
def resume(user, ticket: Ticket, note: str = "") -> Ticket:
    _require(user, "servicedesk.manage", ticket.customer_id, _("Your role may not work service requests."))
    ticket = _locked(ticket)
    errors: dict[str, list] = {}
    text = _text(note, "note", errors, required=False, limit=REASON_LENGTH)
    if errors:
        raise ValidationError(errors)
    _allow(ticket, "resume")
    before = audit.snapshot(ticket)
    now = business_now()
    _end_pause(user, ticket, now)
    ticket.status = rules.next_status("resume", ticket.status)
    ticket.save()
    _entry(ticket, TicketEntry.Kind.RESUME, user, text, now)
    audit.record_change(user, ticket, before, customer_id=ticket.customer_id, reason=text)
    return ticket


@transaction.atomic
def resolve(user, ticket: Ticket, resolution: str) -> Ticket:
    """Resolved with what was done: the resolution clock stops (and first response, if nobody answered)."""
    _require(user, "servicedesk.manage", ticket.customer_id, _("Your role may not work service requests."))
    ticket = _locked(ticket)
    errors: dict[str, list] = {}
    text = _text(resolution, "resolution", errors, missing=_("Say how the request was resolved."))
    if errors:
        raise ValidationError(errors)
    _allow(ticket, "resolve")
    before = audit.snapshot(ticket)
    now = business_now()
    _end_pause(user, ticket, now)
    sla.stop(TICKET, ticket.pk, [Metric.FIRST_RESPONSE, Metric.RESOLUTION], at=now)
    if ticket.owner_id is None:
        ticket.owner = user
    ticket.first_response_at = ticket.first_response_at or now
    ticket.status, ticket.resolution, ticket.resolved_at = rules.RESOLVED, text, now
    ticket.save()
    _entry(ticket, TicketEntry.Kind.RESOLVE, user, text, now)
    audit.record_change(user, ticket, before, customer_id=ticket.customer_id)
    timeline.add_event(ticket.customer_id, events.TICKET_RESOLVED.code, actor=user, obj=ticket,
                       summary=f"{ticket.number}: {text[:200]}")
    return ticket


@transaction.atomic
def reopen(user, ticket: Ticket, reason: str) -> Ticket:
    """The customer says it is not solved: in progress again, with a new resolution clock from now."""
    _require(user, "servicedesk.manage", ticket.customer_id, _("Your role may not work service requests."))
    ticket = _locked(ticket)
    errors: dict[str, list] = {}
    text = _text(reason, "reason", errors, limit=REASON_LENGTH, missing=_("Say why the request is reopened."))
    if errors:
        raise ValidationError(errors)
    _allow(ticket, "reopen")
    before = audit.snapshot(ticket)
    now = business_now()
    ticket.status, ticket.resolved_at = rules.next_status("reopen", ticket.status), None
    ticket.save()
    sla.start(TICKET, ticket.pk, Metric.RESOLUTION, customer_id=ticket.customer_id, severity=ticket.severity,
              customer_class=ticket.customer_class, owner=ticket.owner, started_at=now)
    _entry(ticket, TicketEntry.Kind.REOPEN, user, text, now)
    audit.record_change(user, ticket, before, customer_id=ticket.customer_id, reason=text)
    return ticket


@transaction.atomic
def close(user, ticket: Ticket) -> Ticket:
    _require(user, "servicedesk.manage", ticket.customer_id, _("Your role may not work service requests."))
    ticket = _locked(ticket)
    _allow(ticket, "close")
    before = audit.snapshot(ticket)
    now = business_now()
    ticket.status, ticket.closed_at = rules.CLOSED, now
    ticket.save()
    _entry(ticket, TicketEntry.Kind.CLOSE, user, "", now)
    audit.record_change(user, ticket, before, customer_id=ticket.customer_id)
    return ticket


@transaction.atomic
def mark_converted(user, ticket: Ticket, complaint_id: int) -> Ticket:
    """The customer is dissatisfied: the request became complaint `complaint_id` (credo.complaints, which
    calls this once it has recorded the complaint). The ticket closes and its clocks stop: the complaint runs
    its own. Calling it again with the same complaint changes nothing."""
    _require(user, "servicedesk.manage", ticket.customer_id, _("Your role may not work service requests."))
    ticket = _locked(ticket)
    try:
        complaint_id = int(complaint_id)
    except (TypeError, ValueError):
        raise ValidationError({"complaint_id": [_("Give the number of the complaint.")]}) from None
    if complaint_id <= 0:
        raise ValidationError({"complaint_id": [_("Give the number of the complaint.")]})
    if ticket.complaint_id is not None:
        if ticket.complaint_id == complaint_id:
            return ticket
        raise ValidationError({"complaint_id": [_("This request already became complaint %(id)s.") % {
            "id": ticket.complaint_id}]})
    _allow(ticket, "convert")
    before = audit.snapshot(ticket)
    now = business_now()
    _end_pause(user, ticket, now)
    sla.stop(TICKET, ticket.pk, at=now)
    ticket.complaint_id, ticket.converted_at = complaint_id, now
    ticket.status, ticket.closed_at = rules.CLOSED, now
    if not ticket.resolution:
        ticket.resolution = _("Handled as complaint %(id)s.") % {"id": complaint_id}
    ticket.save()
    _entry(ticket, TicketEntry.Kind.CONVERT, user, str(complaint_id), now)
    audit.record_change(user, ticket, before, customer_id=ticket.customer_id)
    timeline.add_event(ticket.customer_id, events.TICKET_CONVERTED.code, actor=user, obj=ticket,
                       summary=f"{ticket.number} → {complaint_id}", data={"complaint_id": complaint_id})
    return ticket


# --- contracts ---------------------------------------------------------------------------------------------

def _date(value, field: str, errors: dict):
    if isinstance(value, datetime.date):
        return value
    if value in (None, ""):
        errors[field] = [_("Give the date.")]
        return None
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        errors[field] = [_("Enter a date as YYYY-MM-DD.")]
        return None


def _contract_snapshot(contract: ServiceContract) -> dict:
    return {**audit.snapshot(contract), "products": sorted(p.pk for p in contract.products.all())}


@transaction.atomic
def save_contract(user, customer: Customer, *, number: str, terms: str, starts_on, expires_on,
                  status: str = ContractStatus.ACTIVE, all_products: bool = False, product_ids=(),
                  contract: ServiceContract | None = None) -> ServiceContract:
    """Create a contract (contract=None) or change one; the products are replaced by product_ids."""
    if contract is not None:
        customer = contract.customer
    _require(user, "servicedesk.contract", customer.pk, _("Your role may not keep service contracts."))
    errors: dict[str, list] = {}
    number = _text(number, "number", errors, limit=40, missing=_("Give the contract number."))
    terms = _text(terms, "terms", errors, missing=_("Write the terms: what is covered, response times, what is "
                                                     "excluded."))
    start = _date(starts_on, "starts_on", errors)
    end = _date(expires_on, "expires_on", errors)
    if start and end and end < start:
        errors["expires_on"] = [_("The contract cannot expire before it starts.")]
    status = _choice(status, ContractStatus, "status", errors, ContractStatus.ACTIVE)
    ids = []
    for raw in product_ids or ():
        if isinstance(raw, Product):
            ids.append(raw.pk)
        elif str(raw).strip().isdigit():
            ids.append(int(str(raw).strip()))
        else:
            errors["products"] = [_("There is no such product.")]
    ids = sorted(set(ids))
    if ids:
        known = set(Product.objects.filter(pk__in=ids).values_list("pk", flat=True))
        unknown = [i for i in ids if i not in known]
        if unknown:
            errors["products"] = [_("There is no such product: %(ids)s.") % {"ids": ", ".join(map(str, unknown))}]
    if not all_products and not ids and "products" not in errors:
        errors["products"] = [_("Choose the products the contract covers, or tick all products.")]
    if number and "number" not in errors:
        taken = ServiceContract.objects.filter(number=number)
        if contract is not None:
            taken = taken.exclude(pk=contract.pk)
        if taken.exists():
            errors["number"] = [_("Another contract has this number.")]
    if errors:
        raise ValidationError(errors)
    before = None
    if contract is None:
        contract = ServiceContract(customer=customer, created_by=getattr(user, "username", "") or "system")
    else:
        contract = ServiceContract.objects.select_for_update().get(pk=contract.pk)
        before = _contract_snapshot(contract)
    contract.number, contract.terms, contract.starts_on, contract.expires_on = number, terms, start, end
    contract.status, contract.all_products = status, bool(all_products)
    contract.save()
    contract.products.set(ids)
    after = _contract_snapshot(contract)
    if before is None:
        audit.record(user, AuditEntry.Action.CREATE, contract, after=after, customer_id=customer.pk)
        timeline.add_event(customer.pk, events.CONTRACT_SAVED.code, actor=user, obj=contract,
                           summary=f"{number} {start:%Y-%m-%d} – {end:%Y-%m-%d}")
    else:
        changed = sorted(k for k in after if after[k] != before.get(k))
        if changed:
            audit.record(user, AuditEntry.Action.UPDATE, contract, before={k: before.get(k) for k in changed},
                         after={k: after[k] for k in changed}, customer_id=customer.pk)
    return contract


@transaction.atomic
def delete_contract(user, contract: ServiceContract) -> None:
    """Only a contract no request refers to may go; one that covered requests is terminated instead."""
    _require(user, "servicedesk.contract", contract.customer_id, _("Your role may not keep service contracts."))
    if contract.tickets.exists():
        raise ValidationError({"status": [_("Requests were covered by this contract; terminate it instead of "
                                            "deleting it.")]})
    before = _contract_snapshot(contract)
    audit.record(user, AuditEntry.Action.DELETE, contract, before=before, customer_id=contract.customer_id)
    contract.delete()


@dataclass
class ReminderResult:
    as_of: datetime.date
    days: int
    contracts: int = 0
    notifications: int = 0
    without_manager: int = 0


def remind_expiring(as_of: datetime.date | None = None, days: int = 30) -> ReminderResult:
    """Tell each account manager about their customers' active contracts that expire within `days` of
    `as_of`. Idempotent: a contract is claimed for its expiry date by a conditional update (reminded_for), so
    a second run — or a second worker at the same time — tells nobody again; a renewed contract (a new expiry
    date) is reminded again when its new date comes near."""
    as_of = as_of or business_today()
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 366:
        raise ValidationError({"days": [_("Give a number of days from 1 to 366.")]})
    result = ReminderResult(as_of, days)
    due = (ServiceContract.objects.filter(status=ContractStatus.ACTIVE, starts_on__lte=as_of,
                                          expires_on__gte=as_of, expires_on__lte=as_of + datetime.timedelta(days=days))
           .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("expires_on"))).select_related("customer"))

    with translation.override(settings.LANGUAGE_CODE):
        for contract in due.order_by("expires_on", "pk").iterator(2000):
            with transaction.atomic():
                claimed = (ServiceContract.objects.filter(pk=contract.pk)
                           .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("expires_on")))
                           .update(reminded_for=F("expires_on")))
                if claimed != 1:
                    continue
                result.contracts += 1
                audit.record(None, "remind", contract, customer_id=contract.customer_id,
                             after={"expires_on": contract.expires_on.isoformat()})
                manager_id = contract.customer.account_manager_id
                if manager_id is None:
                    result.without_manager += 1
                    continue
                left = (contract.expires_on - as_of).days
                notify_many([Notification(
                    user_id=manager_id,
                    title=(_("Service contract %(number)s expires in %(days)s days") % {
                        "number": contract.number, "days": left})[:200],
                    body=_("%(customer)s: the contract expires on %(date)s. Talk to the customer about renewing "
                           "it.") % {"customer": contract.customer.name, "date": f"{contract.expires_on:%Y-%m-%d}"},
                    url=reverse("servicedesk:contract", args=[contract.pk]), customer_id=contract.customer_id)])
                result.notifications += 1
    return result


# --- knowledge base ----------------------------------------------------------------------------------------

@transaction.atomic
def save_article(user, *, title: str, body: str, category: str = ArticleCategory.OTHER, tags="",
                 published: bool = False, source_complaint_id=None, source_ticket=None,
                 article: Article | None = None) -> Article:
    if not has_perm(user, "kb.edit"):
        raise PermissionDenied(_("Your role may not write knowledge articles."))
    errors: dict[str, list] = {}
    title = _text(title, "title", errors, limit=200, missing=_("Give the article a title."))
    body = _text(body, "body", errors, limit=100_000, missing=_("Write the article."))
    category = _choice(category, ArticleCategory, "category", errors, ArticleCategory.OTHER)
    tag_text = rules.join_tags(tags or "")
    if len(tag_text) > 300:
        errors["tags"] = [_("At most %(n)s characters.") % {"n": 300}]
    complaint = None
    if source_complaint_id not in (None, ""):
        try:
            complaint = int(source_complaint_id)
            if complaint <= 0:
                raise ValueError
        except (TypeError, ValueError):
            errors["source_complaint_id"] = [_("Give the number of the complaint.")]
    if source_ticket is not None and not in_scope(user, source_ticket.customer_id):
        errors["source_ticket"] = [_("This customer is not in your scope.")]
    if errors:
        raise ValidationError(errors)
    before = None
    if article is None:
        article = Article(author=user)
    else:
        article = Article.objects.select_for_update().get(pk=article.pk)
        before = audit.snapshot(article)
    article.title, article.body, article.category, article.tags = title, body, category, tag_text
    article.published = bool(published)
    if complaint is not None:
        article.source_complaint_id = complaint
    if source_ticket is not None:
        article.source_ticket = source_ticket
    article.save()
    if before is None:
        audit.record(user, AuditEntry.Action.CREATE, article, after=audit.snapshot(article))
    else:
        audit.record_change(user, article, before)
    return article
