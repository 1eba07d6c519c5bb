"""Every write to the customer file: one function per operation, one transaction, audited.

Each function checks the user's permission and scope, validates, writes, records the audit row
and the timeline event. Errors: ValidationError (field -> messages) or PermissionDenied;
nothing is changed when either is raised.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credo.core import audit, timeline
from credo.core.clock import business_today
from credo.core.errors import PermissionDenied, ValidationError, require
from credo.core.models import AuditEntry, CustomerEvent
from credo.core.roles import has_perm
from credo.core.scopes import assignable_managers, customer_q

from . import events, rules
from .models import (
    Assignment,
    Attachment,
    BankAccount,
    CompetitorPresence,
    Contact,
    Customer,
    FormerName,
    Tag,
)
from .queries import possible_duplicates

CUSTOMER_FIELDS = [
    "code", "name", "short_name", "credit_code", "legal_form", "registered_capital", "founded_on",
    "legal_representative", "industry", "business_scope", "registered_address", "office_address",
    "latitude", "longitude", "website", "phone", "email", "kind", "importance", "importance_reason",
    "territory", "route", "route_sequence", "first_order_date", "goals", "opinions", "situation", "notes",
]

CREDIT_CODE_MESSAGES = {
    "length": lambda: _("A unified social credit code has 18 characters."),
    "characters": lambda: _("A unified social credit code uses only digits and the capital letters A–Y except I, O, S, V, Z."),
    "check_digit": lambda: _("The check digit (last character) is wrong; please check the code on the business licence."),
}


class DuplicateWarning(ValidationError):
    """Possible duplicates were found; the caller may confirm and retry with allow_duplicate=True."""

    def __init__(self, duplicates):
        self.duplicates = duplicates
        names = "、".join(f"{d.code} {d.name}" for d in duplicates[:5])
        super().__init__({"name": [_("Possible duplicate of: %(names)s") % {"names": names}]})


def _in_scope(user, customer) -> bool:
    return Customer.objects.filter(customer_q(user), pk=customer.pk).exists()


def _check_customer(user, perm, customer):
    require(has_perm(user, perm), _("Your role may not do this."))
    if not _in_scope(user, customer):
        raise PermissionDenied(_("This customer is not in your scope."))


@dataclass
class ExistingKeys:
    """Codes and active credit codes already in the database, looked up once for many rows (import)."""

    codes: set[str]
    credit_owners: dict[str, str]

    @classmethod
    def lookup(cls, codes, credit_codes, chunk: int = 900) -> "ExistingKeys":
        codes, credit_codes = sorted(set(codes) - {""}), sorted(set(credit_codes) - {""})
        found, owners = set(), {}
        for i in range(0, len(codes), chunk):
            found.update(Customer.objects.filter(code__in=codes[i:i + chunk]).values_list("code", flat=True))
        for i in range(0, len(credit_codes), chunk):
            rows = Customer.objects.filter(credit_code__in=credit_codes[i:i + chunk], is_active=True)
            owners.update((c, f"{code} {name}") for c, code, name in rows.values_list("credit_code", "code", "name"))
        return cls(found, owners)


def _code_taken(code, instance, known: ExistingKeys | None) -> bool:
    if known is not None:
        return code in known.codes
    return Customer.objects.filter(code=code).exclude(pk=getattr(instance, "pk", None)).exists()


def _credit_code_owner(credit_code, instance, known: ExistingKeys | None) -> str | None:
    if known is not None:
        return known.credit_owners.get(credit_code)
    other = Customer.objects.filter(credit_code=credit_code, is_active=True).exclude(
        pk=getattr(instance, "pk", None)).first()
    return f"{other.code} {other.name}" if other else None


def validate_customer(data: dict, instance: Customer | None = None, known: ExistingKeys | None = None) -> dict:
    """Business validation shared by form, API and import. Returns cleaned data; raises ValidationError.

    known: keys prefetched for a whole import (new customers only); without it, one query per check."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(data)
    code = (cleaned.get("code") or "").strip()
    name = (cleaned.get("name") or "").strip()
    if not code:
        errors.setdefault("code", []).append(_("Enter the customer code."))
    if not name:
        errors.setdefault("name", []).append(_("Enter the customer name."))
    cleaned["code"], cleaned["name"] = code, name
    if code and _code_taken(code, instance, known):
        errors.setdefault("code", []).append(_("Customer code %(code)s is already used.") % {"code": code})
    credit_code = rules.clean_credit_code(cleaned.get("credit_code") or "")
    cleaned["credit_code"] = credit_code
    if credit_code:
        problem = rules.credit_code_problem(credit_code)
        if problem:
            errors.setdefault("credit_code", []).append(CREDIT_CODE_MESSAGES[problem]())
        else:
            owner = _credit_code_owner(credit_code, instance, known)
            if owner:
                errors.setdefault("credit_code", []).append(
                    _("This credit code already belongs to %(customer)s.") % {"customer": owner}
                )
    capital = cleaned.get("registered_capital")
    if capital is not None and capital < 0:
        errors.setdefault("registered_capital", []).append(_("Registered capital cannot be negative."))
    founded = cleaned.get("founded_on")
    if founded and founded > business_today():
        errors.setdefault("founded_on", []).append(_("The founding date cannot be in the future."))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _current(instance, fields) -> dict:
    """The stored values as Python values (Decimal, date, Territory) for validating a partial change; the
    audit snapshot is JSON (decimals and dates as strings) and must never be compared."""
    return {name: getattr(instance, name) for name in fields}


def _apply(customer: Customer, data: dict):
    for field in CUSTOMER_FIELDS:
        if field in data:
            value = data[field]
            if isinstance(value, str):
                value = value.strip()
            setattr(customer, field, value)
    customer.refresh_keys()


def _tag_names(customer) -> list[str]:
    return sorted(customer.tags.values_list("name", flat=True))


def _set_tags(customer, names):
    if names is None:
        return
    clean = _clean_tags(names)
    ids = _tag_ids(set(clean))
    customer.tags.set([ids[n] for n in clean])


@transaction.atomic
def create_customer(user, data: dict, *, manager=None, reason: str = "", allow_duplicate: bool = False,
                    tags=None, event=events.CREATED) -> Customer:
    require(has_perm(user, "customer.create"), _("Your role may not create customers."))
    cleaned = validate_customer(data)
    if not allow_duplicate:
        dupes = possible_duplicates(name=cleaned["name"], credit_code=cleaned.get("credit_code", ""),
                                    phone=cleaned.get("phone", ""))
        if dupes:
            raise DuplicateWarning(dupes)
    return create_customers(user, [(cleaned, manager, tags)], reason=reason, event=event)[0]


@transaction.atomic
def create_customers(user, items, *, reason: str = "", event=events.CREATED, batch_size: int = 500) -> list[Customer]:
    """Create many customers, each with what a single create gives: its tags, the first assignment, an
    audit entry and a timeline event; set-based checks and bulk inserts, so an import of 10,000 rows
    takes seconds. items: (data validated by validate_customer, manager or None, tag names or None).

    The rules that involve other rows (unique code, unique active credit code, who may be account
    manager) are checked again here per batch, so a caller cannot skip them."""
    require(has_perm(user, "customer.create"), _("Your role may not create customers."))
    allowed = set(assignable_managers(user).values_list("pk", flat=True)) | {user.pk}
    now, created = timezone.now(), []
    for start in range(0, len(items), batch_size):
        chunk = items[start:start + batch_size]
        customers = []
        for data, manager, _tags in chunk:
            manager = manager or user
            if manager.pk not in allowed:
                raise ValidationError({"account_manager": [_("You may not make this person account manager.")]})
            customer = Customer(account_manager=manager)
            _apply(customer, data)
            customers.append(customer)
        _check_unique_in_batch(customers)
        Customer.objects.bulk_create(customers)
        tag_names = [_clean_tags(tags) for _d, _m, tags in chunk]
        tag_ids = _tag_ids({name for names in tag_names for name in names})
        Customer.tags.through.objects.bulk_create([
            Customer.tags.through(customer_id=c.pk, tag_id=tag_ids[name])
            for c, names in zip(customers, tag_names, strict=True) for name in names
        ])
        Assignment.objects.bulk_create([
            Assignment(customer=c, manager_id=c.account_manager_id, started_at=now, assigned_by=user.username,
                       reason=reason or _("Created"))
            for c in customers
        ])
        audit.record_many(user, AuditEntry.Action.CREATE, [
            (c, {**audit.snapshot(c), "tags": names}) for c, names in zip(customers, tag_names, strict=True)
        ], reason=reason)
        timeline.add_events([(c.pk, c.name, c) for c in customers], event.code, actor=user, at=now)
        created += customers
    return created


def _check_unique_in_batch(customers):
    codes = [c.code for c in customers]
    taken = list(Customer.objects.filter(code__in=codes).values_list("code", flat=True)[:1])
    repeated = [code for code in codes if codes.count(code) > 1][:1] if len(set(codes)) != len(codes) else []
    if taken or repeated:
        raise ValidationError({"code": [_("Customer code %(code)s is already used.") % {"code": (taken or repeated)[0]}]})
    credit = [c.credit_code for c in customers if c.credit_code]
    other = Customer.objects.filter(credit_code__in=credit, is_active=True).first()
    if other or len(set(credit)) != len(credit):
        owner = f"{other.code} {other.name}" if other else next(c.code for c in customers if credit.count(c.credit_code) > 1)
        raise ValidationError({"credit_code": [_("This credit code already belongs to %(customer)s.") % {"customer": owner}]})


def _clean_tags(names) -> list[str]:
    return sorted({n.strip()[:40] for n in names or () if n and n.strip()})


def _tag_ids(names: set[str]) -> dict[str, int]:
    if not names:
        return {}
    Tag.objects.bulk_create([Tag(name=n) for n in sorted(names)], ignore_conflicts=True)
    return dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))


@transaction.atomic
def update_customer(user, customer: Customer, data: dict, *, reason: str = "", tags=None) -> Customer:
    _check_customer(user, "customer.change", customer)
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    before = {**audit.snapshot(customer), "tags": _tag_names(customer)}
    cleaned = validate_customer({**_current(customer, CUSTOMER_FIELDS), **data}, instance=customer)
    old_name = customer.name
    _apply(customer, {k: v for k, v in cleaned.items() if k in data})
    customer.save()
    _set_tags(customer, tags)
    if customer.name != old_name:
        FormerName.objects.create(customer=customer, name=old_name, name_key=rules.normalise_name(old_name),
                                  used_until=business_today(), note=reason[:200])
    entry = audit.record_change(user, customer, before, reason=reason, customer_id=customer.pk,
                                extra_after={"tags": _tag_names(customer)})
    if entry:
        fields = ", ".join(entry.after.keys())
        timeline.add_event(customer.pk, events.CHANGED.code, actor=user, summary=fields, obj=customer)
    return customer


@transaction.atomic
def reassign_customer(user, customer: Customer, manager, *, reason: str) -> Assignment:
    _check_customer(user, "customer.reassign", customer)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the customer changes account manager.")]})
    if not assignable_managers(user).filter(pk=manager.pk).exists():
        raise ValidationError({"manager": [_("You may not make this person account manager.")]})
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.account_manager_id == manager.pk:
        raise ValidationError({"manager": [_("This person already manages the customer.")]})
    now = timezone.now()
    previous = customer.account_manager
    Assignment.objects.filter(customer=customer, ended_at__isnull=True).update(ended_at=now)
    assignment = Assignment.objects.create(customer=customer, manager=manager, started_at=now,
                                           assigned_by=user.username, reason=reason.strip())
    customer.account_manager = manager
    customer.save(update_fields=["account_manager", "updated_at"])
    audit.record(user, AuditEntry.Action.ASSIGN, customer, customer_id=customer.pk, reason=reason,
                 before={"account_manager": previous.username if previous else None},
                 after={"account_manager": manager.username})
    timeline.add_event(customer.pk, events.REASSIGNED.code, actor=user,
                       summary=f"{previous.username if previous else '—'} → {manager.username}", obj=customer)
    return assignment


CONTACT_FIELDS = [
    "name", "title", "department", "phone", "mobile", "email", "wechat", "decision_role", "is_primary",
    "birthday", "age", "native_place", "ethnicity", "education_career", "family", "personality_hobbies",
    "notes", "is_active",
]


def _validate_contact(data):
    errors = {}
    if not (data.get("name") or "").strip():
        errors["name"] = [_("Enter the contact's name.")]
    birthday = data.get("birthday")
    if birthday and birthday > business_today():
        errors["birthday"] = [_("The birthday cannot be in the future.")]
    age = data.get("age")
    if age is not None and not 0 < age < 130:
        errors["age"] = [_("Enter an age between 1 and 129.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_contact(user, customer: Customer, data: dict, *, reason: str = "") -> Contact:
    _check_customer(user, "customer.change", customer)
    _validate_contact(data)
    contact = Contact(customer=customer)
    for field in CONTACT_FIELDS:
        if field in data:
            setattr(contact, field, data[field].strip() if isinstance(data[field], str) else data[field])
    contact.save()
    if contact.is_primary:
        Contact.objects.filter(customer=customer, is_primary=True).exclude(pk=contact.pk).update(is_primary=False)
    audit.record(user, AuditEntry.Action.CREATE, contact, after=audit.snapshot(contact), reason=reason,
                 customer_id=customer.pk)
    timeline.add_event(customer.pk, events.CONTACT_ADDED.code, actor=user, summary=contact.name, obj=contact)
    return contact


@transaction.atomic
def update_contact(user, contact: Contact, data: dict, *, reason: str = "") -> Contact:
    _check_customer(user, "customer.change", contact.customer)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    _validate_contact({**_current(contact, CONTACT_FIELDS), **data})
    before = audit.snapshot(contact)
    for field in CONTACT_FIELDS:
        if field in data:
            setattr(contact, field, data[field].strip() if isinstance(data[field], str) else data[field])
    contact.save()
    if contact.is_primary:
        Contact.objects.filter(customer_id=contact.customer_id, is_primary=True).exclude(pk=contact.pk).update(
            is_primary=False)
    if audit.record_change(user, contact, before, reason=reason, customer_id=contact.customer_id):
        timeline.add_event(contact.customer_id, events.CONTACT_CHANGED.code, actor=user, summary=contact.name,
                           obj=contact)
    return contact


@transaction.atomic
def change_bank_account(user, customer: Customer, *, bank_name: str, account_number: str, account_name: str = "",
                        valid_from: datetime.date | None = None, reason: str = "") -> BankAccount:
    """Record the customer's new bank account; the current one is closed, never overwritten."""
    _check_customer(user, "customer.change", customer)
    errors = {}
    if not bank_name.strip():
        errors["bank_name"] = [_("Enter the bank.")]
    digits = account_number.replace(" ", "")
    if not digits:
        errors["account_number"] = [_("Enter the account number.")]
    elif not digits.replace("-", "").isdigit():
        errors["account_number"] = [_("An account number has only digits.")]
    valid_from = valid_from or business_today()
    current = BankAccount.objects.select_for_update().filter(customer=customer, valid_to__isnull=True)
    for account in current:
        if valid_from < account.valid_from:
            errors["valid_from"] = [_("The new account cannot start before the current one (%(date)s).")
                                    % {"date": account.valid_from.isoformat()}]
    if errors:
        raise ValidationError(errors)
    before = [audit.snapshot(a) for a in current]
    current.update(valid_to=valid_from)
    account = BankAccount.objects.create(customer=customer, bank_name=bank_name.strip(), account_number=digits,
                                         account_name=account_name.strip(), valid_from=valid_from,
                                         created_by=user.username)
    audit.record(user, AuditEntry.Action.CREATE, account, before={"current": before} if before else None,
                 after=audit.snapshot(account), reason=reason, customer_id=customer.pk)
    timeline.add_event(customer.pk, events.BANK_CHANGED.code, actor=user,
                       summary=f"{account.bank_name} {account.account_number[-4:]}", obj=account)
    return account


@transaction.atomic
def add_competitor(user, customer: Customer, data: dict, *, reason: str = "") -> CompetitorPresence:
    _check_customer(user, "customer.change", customer)
    errors = {}
    if not (data.get("competitor") or "").strip():
        errors["competitor"] = [_("Enter the competitor.")]
    year = data.get("year")
    if not year or not 1990 <= int(year) <= business_today().year + 1:
        errors["year"] = [_("Enter a year between 1990 and next year.")]
    for field in ("competitor_sales", "our_sales"):
        if data.get(field) is not None and data[field] < 0:
            errors[field] = [_("An amount cannot be negative.")]
    if errors:
        raise ValidationError(errors)
    row = CompetitorPresence.objects.create(customer=customer, **data)
    audit.record(user, AuditEntry.Action.CREATE, row, after=audit.snapshot(row), reason=reason,
                 customer_id=customer.pk)
    return row


@transaction.atomic
def add_attachment(user, customer: Customer, *, kind: str, title: str, file) -> Attachment:
    _check_customer(user, "customer.change", customer)
    if not title.strip():
        raise ValidationError({"title": [_("Enter a title.")]})
    row = Attachment.objects.create(customer=customer, kind=kind, title=title.strip(), file=file,
                                    uploaded_by=user.username)
    audit.record(user, AuditEntry.Action.CREATE, row, after=audit.snapshot(row), customer_id=customer.pk)
    timeline.add_event(customer.pk, events.ATTACHMENT_ADDED.code, actor=user, summary=row.title, obj=row)
    return row


@transaction.atomic
def add_note(user, customer: Customer, text: str):
    _check_customer(user, "customer.note", customer)
    if not text.strip():
        raise ValidationError({"text": [_("Write the note.")]})
    return timeline.add_event(customer.pk, events.NOTE_ADDED.code, actor=user, summary=text.strip()[:300])


# Models whose rows must not simply move to the merge target (e.g. one row per customer);
# an app registers a function(source, target) that moves or combines them.
MERGE_HANDLERS: dict[str, callable] = {}


@transaction.atomic
def merge_customers(user, target: Customer, source: Customer, *, reason: str) -> Customer:
    """Merge a duplicate (source) into target. Everything the source owned moves to target; the
    source stays as an inactive record pointing at target; its name becomes a former name."""
    require(has_perm(user, "customer.merge"), _("Your role may not merge customers."))
    if not (_in_scope(user, target) and _in_scope(user, source)):
        raise PermissionDenied(_("Both customers must be in your scope."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why these customers are the same.")]})
    if target.pk == source.pk:
        raise ValidationError({"source": [_("A customer cannot be merged into itself.")]})
    first, second = sorted([target.pk, source.pk])  # lock in a fixed order
    locked = {c.pk: c for c in Customer.objects.select_for_update().filter(pk__in=[first, second])}
    target, source = locked[target.pk], locked[source.pk]
    if not source.is_active or not target.is_active:
        raise ValidationError({"source": [_("Only active customers can be merged.")]})

    handlers = []
    for relation in Customer._meta.related_objects:
        model = relation.related_model
        if relation.many_to_many or model is Customer:
            continue
        handler = MERGE_HANDLERS.get(model._meta.label_lower)
        if handler:
            handlers.append(handler)  # after the plain moves, so it sees every moved document
        elif model is Assignment:
            model.objects.filter(customer=source, ended_at__isnull=True).update(ended_at=timezone.now())
            model.objects.filter(customer=source).update(customer=target)
        else:
            model.objects.filter(**{relation.field.name: source}).update(**{relation.field.name: target})
    for handler in handlers:
        handler(source, target)
    target.tags.add(*source.tags.all())
    AuditEntry.objects.filter(customer_id=source.pk).update(customer_id=target.pk)
    CustomerEvent.objects.filter(customer_id=source.pk).update(customer_id=target.pk)
    FormerName.objects.create(customer=target, name=source.name, name_key=rules.normalise_name(source.name),
                              used_until=business_today(), note=_("merged from %(code)s") % {"code": source.code})
    if source.first_order_date and (not target.first_order_date or source.first_order_date < target.first_order_date):
        target.first_order_date = source.first_order_date
        target.save(update_fields=["first_order_date", "updated_at"])
    before = audit.snapshot(source)
    source.is_active = False
    source.merged_into = target
    source.save(update_fields=["is_active", "merged_into", "updated_at"])
    audit.record(user, AuditEntry.Action.MERGE, source, before=before, after=audit.snapshot(source),
                 reason=reason, customer_id=target.pk)
    timeline.add_event(target.pk, events.MERGED.code, actor=user, summary=f"{source.code} {source.name}",
                       obj=source)
    return target
