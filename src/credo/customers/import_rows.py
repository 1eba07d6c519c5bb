"""Validation and creation of one kind of imported row (customers, contacts).

parse(number, raw) turns a row's cell texts into the data a service takes, returning
(Parsed or None, errors {field: [messages]}, possible duplicates {field: [messages]}).
Look-ups (territories, managers, customers, existing names) are loaded once per file, so validating
10,000 rows costs the services' own checks and no more.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from credo.core.models import Territory
from credo.core.scopes import assignable_managers

from . import events, rules, services
from .forms import ContactForm, CustomerForm
from .import_columns import (
    AMOUNT_FIELDS,
    BOOLEAN_FIELDS,
    CHOICES,
    CONTACT_COLUMNS,
    CUSTOMER_COLUMNS,
    DATE_FIELDS,
    DEFAULTS,
    NUMBER_FIELDS,
    choice_label,
    choice_labels,
    header_key,
    normalise_amount,
    normalise_date,
    normalise_number,
    parse_boolean,
)
from .models import Contact, Customer, FormerName
from .queries import visible_customers

CHUNK = 500


@dataclass
class Parsed:
    number: int
    data: dict
    extra: dict = field(default_factory=dict)


def _chunks(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _error(errors, name, message):
    errors.setdefault(name, []).append(message)


def convert(name: str, text: str, errors: dict):
    """The cell text in the form a form field accepts; records an error for a bad choice or yes/no."""
    if name in CHOICES:
        if not text:
            return DEFAULTS.get(name, "")
        code = choice_labels(name).get(header_key(text))
        if code is None:
            allowed = "、".join(f"{value} ({choice_label(name, value)})" for value in CHOICES[name].values)
            _error(
                errors,
                name,
                _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed},
            )
            return DEFAULTS.get(name, "")
        return code
    if name in BOOLEAN_FIELDS:
        if not text:
            return DEFAULTS[name]
        value = parse_boolean(text)
        if value is None:
            _error(errors, name, _("Write yes or no (是 or 否), not “%(value)s”.") % {"value": text})
            return DEFAULTS[name]
        return value
    if not text:
        return text
    if name in DATE_FIELDS:
        return normalise_date(text)
    if name in AMOUNT_FIELDS:
        return normalise_amount(text)
    if name in NUMBER_FIELDS:
        return normalise_number(text)
    return text


class RowCleaner:
    """A form's type parsing, field by field, without building a form for every row.

    Building a ModelForm deep-copies its fields and makes the model check its constraints against the
    database; for 10,000 rows that was most of the validation time. The fields and any clean_<field>
    hooks are the form's own, so a row is parsed exactly as the page's form parses it; uniqueness and
    other business checks are the services' (validate_customer, _validate_contact).
    """

    def __init__(self, form_class, names):
        self.form = form_class()
        self.fields = {name: field for name, field in self.form.fields.items() if name in names}

    def clean(self, data: dict, errors: dict) -> dict:
        cleaned = {}
        for name, form_field in self.fields.items():
            try:
                cleaned[name] = form_field.clean(data.get(name))
                hook = getattr(self.form, f"clean_{name}", None)
                if hook is not None:
                    self.form.cleaned_data = cleaned
                    cleaned[name] = hook()
            except ValidationError as exc:
                for message in exc.messages:
                    _error(errors, name, message)
        return cleaned


def _merge(errors, exc: ValidationError):
    """Business errors for fields the form had not already rejected."""
    for name, messages in (exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}).items():
        if name not in errors:
            errors[name] = list(messages)


class CustomerRows:
    columns = CUSTOMER_COLUMNS
    object_type = "customers.customer"

    def __init__(self, user, *, allow_duplicates=False):
        self.user, self.allow_duplicates = user, allow_duplicates
        self.seen: dict[str, dict[str, int]] = defaultdict(dict)

    def prepare(self, raws):
        self.territories: dict[str, list] = defaultdict(list)
        for territory in Territory.objects.all():
            self.territories[header_key(territory.code)].append(territory)
            if header_key(territory.name) != header_key(territory.code):
                self.territories[header_key(territory.name)].append(territory)
        self.managers = {u.username.casefold(): u for u in assignable_managers(self.user)}
        self.cleaner = RowCleaner(CustomerForm, set(services.CUSTOMER_FIELDS) - {"territory"})
        self.known = services.ExistingKeys.lookup(
            (raw.get("code", "").strip() for raw in raws),
            (rules.clean_credit_code(raw.get("credit_code", "")) for raw in raws),
        )

    def _territory(self, text, errors):
        if not text:
            return None
        found = {t.pk: t for t in self.territories.get(header_key(text), [])}
        if len(found) == 1:
            return next(iter(found.values()))
        if found:
            _error(
                errors,
                "territory",
                _("More than one territory is called “%(value)s”; use the territory code.") % {"value": text},
            )
        else:
            _error(errors, "territory", _("No territory has the code or name “%(value)s”.") % {"value": text})
        return None

    def _manager(self, text, errors):
        if not text:
            return None
        manager = self.managers.get(text.casefold())
        if manager is None:
            if get_user_model().objects.filter(username__iexact=text).exists():
                _error(
                    errors,
                    "account_manager",
                    _("You may not make %(user)s account manager.") % {"user": text},
                )
            else:
                _error(errors, "account_manager", _("No user has the username “%(user)s”.") % {"user": text})
        return manager

    def parse(self, number, raw):
        errors: dict[str, list] = {}
        data = {
            name: convert(name, raw.get(name, ""), errors)
            for name in services.CUSTOMER_FIELDS
            if name != "territory"
        }
        territory = self._territory(raw.get("territory", ""), errors)
        manager = self._manager(raw.get("account_manager", ""), errors)
        cleaned = self.cleaner.clean(data, errors)
        cleaned.setdefault("code", data["code"])
        cleaned.setdefault("name", data["name"])
        cleaned["territory"] = territory
        try:
            cleaned = services.validate_customer(cleaned, known=self.known)
        except ValidationError as exc:
            _merge(errors, exc)
        duplicates = self._within_file(number, cleaned, errors)
        if errors:
            return None, errors, duplicates
        tags = [
            t.strip()
            for t in raw.get("tags", "").replace("，", ",").replace("、", ",").split(",")
            if t.strip()
        ]
        return Parsed(number, cleaned, {"manager": manager, "tags": tags}), errors, duplicates

    def _within_file(self, number, cleaned, errors):
        duplicates: dict[str, list] = {}
        keys = [
            ("code", cleaned.get("code") or "", errors, _("The same code is already in row %(row)s.")),
            (
                "credit_code",
                rules.clean_credit_code(cleaned.get("credit_code") or ""),
                errors,
                _("The same credit code is already in row %(row)s."),
            ),
            (
                "name",
                rules.normalise_name(cleaned.get("name") or ""),
                duplicates,
                _("Possible duplicate of row %(row)s: the same name."),
            ),
            (
                "phone",
                rules.normalise_phone(cleaned.get("phone") or ""),
                duplicates,
                _("Possible duplicate of row %(row)s: the same phone."),
            ),
        ]
        for name, key, target, message in keys:
            if not key:
                continue
            first = self.seen[name].setdefault(key, number)
            if first != number and (target is errors or not self.allow_duplicates):
                _error(target, name, message % {"row": first})
        return duplicates

    def database_duplicates(self, parsed: list[Parsed]) -> dict[int, dict]:
        """Possible duplicates among active customers (same normalised current or former name, same phone)."""
        if self.allow_duplicates or not parsed:
            return {}
        by_name, by_phone = defaultdict(list), defaultdict(list)
        names = {rules.normalise_name(p.data["name"]) for p in parsed} - {""}
        phones = {rules.normalise_phone(p.data.get("phone") or "") for p in parsed} - {""}
        for chunk in _chunks(names):
            for code, name, key in Customer.objects.filter(is_active=True, name_key__in=chunk).values_list(
                "code", "name", "name_key"
            ):
                by_name[key].append(f"{code} {name}")
            for code, name, key in FormerName.objects.filter(
                customer__is_active=True, name_key__in=chunk
            ).values_list("customer__code", "customer__name", "name_key"):
                by_name[key].append(f"{code} {name}")
        for chunk in _chunks(phones):
            for code, name, key in Customer.objects.filter(is_active=True, phone_key__in=chunk).values_list(
                "code", "name", "phone_key"
            ):
                by_phone[key].append(f"{code} {name}")
        found = {}
        for p in parsed:
            for name, matches in (
                ("name", by_name.get(rules.normalise_name(p.data["name"]))),
                ("phone", by_phone.get(rules.normalise_phone(p.data.get("phone") or ""))),
            ):
                if matches:
                    names_text = "、".join(dict.fromkeys(matches[:5]))
                    found.setdefault(p.number, {})[name] = [
                        _("Possible duplicate of: %(names)s") % {"names": names_text}
                    ]
        return found

    def create(self, row: Parsed, reason: str):
        return services.create_customer(
            self.user,
            row.data,
            manager=row.extra["manager"],
            reason=reason,
            allow_duplicate=True,
            tags=row.extra["tags"],
            event=events.IMPORTED,
        )

    def create_many(self, rows: list[Parsed], reason: str):
        items = [(row.data, row.extra["manager"], row.extra["tags"]) for row in rows]
        return services.create_customers(self.user, items, reason=reason, event=events.IMPORTED)


class ContactRows:
    columns = CONTACT_COLUMNS
    object_type = "customers.contact"

    def __init__(self, user, *, allow_duplicates=False):
        self.user, self.allow_duplicates = user, allow_duplicates
        self.seen: dict[tuple, int] = {}

    def prepare(self, raws):
        self.cleaner = RowCleaner(ContactForm, set(services.CONTACT_FIELDS))
        codes = {raw.get("customer_code", "") for raw in raws} - {""}
        self.customers: dict[str, Customer] = {}
        for chunk in _chunks(codes):
            for customer in visible_customers(self.user).filter(is_active=True, code__in=chunk):
                self.customers[customer.code] = customer
        self.existing: dict[tuple, bool] = {}
        ids = [c.pk for c in self.customers.values()]
        for chunk in _chunks(ids):
            for customer_id, name in Contact.objects.filter(customer_id__in=chunk).values_list(
                "customer_id", "name"
            ):
                self.existing[(customer_id, header_key(name))] = True

    def parse(self, number, raw):
        errors: dict[str, list] = {}
        duplicates: dict[str, list] = {}
        code = raw.get("customer_code", "")
        customer = self.customers.get(code)
        if not code:
            _error(errors, "customer_code", _("Enter the customer code."))
        elif customer is None:
            _error(
                errors,
                "customer_code",
                _("No active customer with the code “%(code)s” in your scope.") % {"code": code},
            )
        data = {name: convert(name, raw.get(name, ""), errors) for name in services.CONTACT_FIELDS}
        cleaned = self.cleaner.clean(data, errors)
        cleaned.setdefault("name", data["name"])
        try:
            services._validate_contact(cleaned)
        except ValidationError as exc:
            _merge(errors, exc)
        if customer is not None and cleaned.get("name"):
            key = (customer.pk, header_key(cleaned["name"]))
            first = self.seen.setdefault(key, number)
            if not self.allow_duplicates:
                if first != number:
                    _error(
                        duplicates,
                        "name",
                        _("Possible duplicate of row %(row)s: the same contact.") % {"row": first},
                    )
                elif key in self.existing:
                    _error(
                        duplicates,
                        "name",
                        _("%(customer)s already has a contact named %(name)s.")
                        % {"customer": f"{customer.code} {customer.name}", "name": cleaned["name"]},
                    )
        if errors:
            return None, errors, duplicates
        return Parsed(number, cleaned, {"customer": customer}), errors, duplicates

    def database_duplicates(self, parsed):
        return {}  # checked in parse: the look-up was loaded by prepare

    def create(self, row: Parsed, reason: str):
        return services.add_contact(self.user, row.extra["customer"], row.data, reason=reason)
