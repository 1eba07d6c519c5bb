"""Read side of the customer file: scoped lists, search, duplicates, the card."""

import base64
import datetime
import json
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from credo.core.clock import business_today
from credo.core.models import AuditEntry, CompanyProfile
from credo.core.scopes import limit_to_scope

from . import rules
from .models import Contact, Customer, FormerName


def visible_customers(user):
    return limit_to_scope(Customer.objects.all(), user)


def get_customer_for_user(user, pk) -> Customer:
    """The customer if user may see it; 404 otherwise (an out-of-scope record does not exist for them)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    customer = visible_customers(user).select_related("territory", "account_manager", "merged_into").filter(pk=pk).first()
    if customer is None:
        raise Http404
    return customer


def visible_contacts(user):
    return limit_to_scope(Contact.objects.all(), user, prefix="customer__")


@dataclass
class CustomerFilter:
    q: str = ""
    kind: str = ""
    lifecycle: str = ""
    importance: str = ""
    territory: int | None = None
    manager: int | None = None
    tag: str = ""
    active: str = "1"  # "1" active only, "0" inactive/merged only, "" all

    @classmethod
    def from_mapping(cls, data) -> "CustomerFilter":
        def as_int(key):
            value = (data.get(key) or "").strip() if isinstance(data.get(key), str) else data.get(key)
            try:
                return int(value) if value not in (None, "") else None
            except ValueError:
                return None

        return cls(
            q=(data.get("q") or "").strip()[:100],
            kind=data.get("kind") or "",
            lifecycle=data.get("lifecycle") or "",
            importance=data.get("importance") or "",
            territory=as_int("territory"),
            manager=as_int("manager"),
            tag=(data.get("tag") or "").strip(),
            active=data.get("active", "1") if data.get("active", "1") in ("0", "1", "") else "1",
        )


def search_q(text: str) -> Q:
    """Code / credit code / phone prefix, or a name, short name or former name containing the text."""
    text = text.strip()
    if not text:
        return Q()
    query = Q(code__istartswith=text) | Q(name__icontains=text) | Q(short_name__icontains=text)
    if len(text) >= 4:
        query |= Q(credit_code__startswith=text.upper())
        phone = rules.normalise_phone(text)
        if phone:
            query |= Q(phone_key__startswith=phone)
        key = rules.normalise_name(text)
        if key:
            # A literal id list, not a subquery: an OR with a subquery keeps PostgreSQL off the trigram indexes.
            former = FormerName.objects.filter(name_key__contains=key).values_list("customer_id", flat=True)[:500]
            ids = list(former)
            if ids:
                query |= Q(pk__in=ids)
    return query


def filtered_customers(user, flt: CustomerFilter, today: datetime.date | None = None):
    qs = visible_customers(user)
    if flt.q:
        qs = qs.filter(search_q(flt.q))
    if flt.kind:
        qs = qs.filter(kind=flt.kind)
    if flt.importance:
        qs = qs.filter(importance=flt.importance)
    if flt.territory:
        qs = qs.filter(territory_id=flt.territory)
    if flt.manager:
        qs = qs.filter(account_manager_id=flt.manager)
    if flt.tag:
        qs = qs.filter(tags__name=flt.tag)
    if flt.active == "1":
        qs = qs.filter(is_active=True)
    elif flt.active == "0":
        qs = qs.filter(is_active=False)
    if flt.lifecycle:
        today = today or business_today()
        since = rules.new_since(today, CompanyProfile.current().new_customer_months)
        if flt.lifecycle == rules.POTENTIAL:
            qs = qs.filter(first_order_date__isnull=True)
        elif flt.lifecycle == rules.NEW:
            qs = qs.filter(first_order_date__gt=since)
        elif flt.lifecycle == rules.OLD:
            qs = qs.filter(first_order_date__lte=since)
    return qs


def possible_duplicates(*, name="", credit_code="", phone="", exclude_pk=None, limit=10):
    """Active customers that share a credit code, a normalised name (current or former) or a phone."""
    query = Q()
    code = rules.clean_credit_code(credit_code)
    if code:
        query |= Q(credit_code=code)
    key = rules.normalise_name(name)
    if key:
        query |= Q(name_key=key) | Q(pk__in=Customer.objects.filter(former_names__name_key=key).values("pk"))
    phone_key = rules.normalise_phone(phone)
    if phone_key:
        query |= Q(phone_key=phone_key)
    if not query:
        return []
    qs = Customer.objects.filter(query, is_active=True)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    found = []
    for customer in qs.select_related("account_manager")[:limit]:
        reasons = []
        if code and customer.credit_code == code:
            reasons.append("credit_code")
        if key and customer.name_key == key:
            reasons.append("name")
        if phone_key and customer.phone_key == phone_key:
            reasons.append("phone")
        customer.duplicate_reasons = reasons or ["former_name"]
        found.append(customer)
    return found


def audit_for_customer(customer_id: int, limit: int = 200):
    return AuditEntry.objects.filter(customer_id=customer_id).order_by("-at", "-id")[:limit]


def current_lifecycle(customer: Customer, today: datetime.date | None = None) -> str:
    return customer.lifecycle_on(today or business_today(), CompanyProfile.current().new_customer_months)


SORTS = {
    "code": ("code",),
    "-code": ("-code",),
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "-updated_at": ("-updated_at", "-id"),
}
DEFAULT_SORT = "code"


def encode_cursor(values) -> str:
    raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    return values if isinstance(values, list) else None


def _keyset_q(fields, values, forward: bool) -> Q:
    """Rows after (forward) or before the row with these sort values, in the order of fields."""
    query = Q()
    for i, field in enumerate(fields):
        name = field.lstrip("-")
        descending = field.startswith("-")
        op = "lt" if descending == forward else "gt"
        value = values[i]
        if name == "updated_at":
            value = datetime.datetime.fromisoformat(value)
        term = Q(**{f"{name}__{op}": value})
        for prior, prior_value in zip(fields[:i], values[:i], strict=False):
            prior_name = prior.lstrip("-")
            if prior_name == "updated_at":
                prior_value = datetime.datetime.fromisoformat(prior_value)
            term &= Q(**{prior_name: prior_value})
        query |= term
    return query


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    prev_cursor: str | None


def keyset_page(qs, sort: str, *, after: str = "", before: str = "", size: int = 50) -> Page:
    """One page of qs in the given sort, starting after/before a cursor; no OFFSET, so page 2,000 is as
    fast as page 1."""
    fields = SORTS.get(sort, SORTS[DEFAULT_SORT])
    names = [f.lstrip("-") for f in fields]
    backwards = bool(before) and not after
    cursor = decode_cursor(before if backwards else after) if (after or before) else None
    if cursor is not None and len(cursor) == len(fields):
        qs = qs.filter(_keyset_q(fields, cursor, forward=not backwards))
    order = [("" if f.startswith("-") else "-") + f.lstrip("-") for f in fields] if backwards else list(fields)
    rows = list(qs.order_by(*order)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    def key(row):
        return [getattr(row, n) for n in names]
    has_prev = bool(cursor) and (more if backwards else True)
    has_next = more if not backwards else True
    return Page(
        rows=rows,
        next_cursor=encode_cursor(key(rows[-1])) if rows and has_next else None,
        prev_cursor=encode_cursor(key(rows[0])) if rows and has_prev else None,
    )
