"""REST endpoints of the customer file. Thin: scope and reads in queries, writes and rules in services.

A customer outside the user's scope does not exist for them (404).
"""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import ValidationError as SchemaValidationError

from credo.core.api_inputs import Limit
from credo.core.clock import business_today
from credo.core.errors import ValidationError, require
from credo.core.models import CompanyProfile, Territory
from credo.core.roles import has_perm

from . import queries, services
from .models import Contact, Customer
from .schemas import (
    AssignmentOut,
    AuditOut,
    ContactIn,
    ContactOut,
    ContactPatch,
    CustomerDetail,
    CustomerIn,
    CustomerListParams,
    CustomerPage,
    CustomerPatch,
    DuplicateOut,
    DuplicateWarningOut,
    ReassignIn,
    clean_model_fields,
)

router = Router()


def _user(ref, field: str):
    users = get_user_model().objects.filter(is_active=True)
    user = users.filter(pk=ref).first() if isinstance(ref, int) else users.filter(username=ref).first()
    if user is None:
        raise ValidationError({field: [_("There is no active user %(user)s.") % {"user": ref}]})
    return user


def _territory(ref):
    if ref is None or ref == "":
        return None
    found = Territory.objects.filter(pk=ref) if isinstance(ref, int) else Territory.objects.filter(code=ref)
    territory = found.first()
    if territory is None:
        raise ValidationError({"territory": [_("There is no territory %(territory)s.") % {"territory": ref}]})
    return territory


def _customer_data(payload: CustomerPatch) -> dict:
    data = payload.model_data()
    territory_sent = "territory" in data
    territory = data.pop("territory", None)
    data = clean_model_fields(Customer, data)
    if territory_sent:
        data["territory"] = _territory(territory)
    return data


def _id_or(ref: str, model, lookup: str):
    """The id of the row named by id or by lookup; -1 (matches nothing) when there is none."""
    if ref.isdigit():
        return int(ref)
    pk = model.objects.filter(**{lookup: ref}).values_list("pk", flat=True).first()
    return pk if pk is not None else -1


def _with_lifecycle(customers):
    today, months = business_today(), CompanyProfile.current().new_customer_months
    for customer in customers:
        customer.lifecycle = customer.lifecycle_on(today, months)
    return customers


def _page(customers, params: CustomerListParams):
    """One keyset page; a cursor that is not one of ours is a 422, not a 500."""
    cursor = queries.decode_cursor(params.cursor) if params.cursor else []
    try:
        if cursor is None or (cursor and len(cursor) != len(queries.SORTS[params.ordering])):
            raise ValueError(params.cursor)
        return queries.keyset_page(customers, params.ordering, after=params.cursor, size=params.limit)
    except (ValueError, TypeError, ValidationError) as exc:
        error = {"loc": ["query", "cursor"], "msg": _("This cursor is not valid."), "type": "value_error"}
        raise SchemaValidationError([error]) from exc


@router.get("/", response=CustomerPage, summary="List and search customers")
def list_customers(request, params: Query[CustomerListParams]):
    flt = queries.CustomerFilter.from_mapping({
        "q": params.q, "kind": params.kind, "lifecycle": params.lifecycle, "importance": params.importance,
        "tag": params.tag, "active": "" if params.active == "all" else params.active,
        "territory": _id_or(params.territory, Territory, "code") if params.territory else None,
        "manager": _id_or(params.manager, get_user_model(), "username") if params.manager else None,
    })
    customers = queries.filtered_customers(request.user, flt)
    page = _page(customers.select_related("territory").prefetch_related("tags", "account_manager__profile"), params)
    return {"items": _with_lifecycle(page.rows), "count": customers.count(), "next_cursor": page.next_cursor}


@router.get("/duplicates", response=list[DuplicateOut], summary="Possible duplicates within your scope")
def duplicates(request, name: str = "", credit_code: str = "", phone: str = ""):
    found = queries.possible_duplicates(name=name, credit_code=credit_code, phone=phone, limit=100)
    visible = set(queries.visible_customers(request.user).filter(pk__in=[c.pk for c in found])
                  .values_list("pk", flat=True))
    return [c for c in found if c.pk in visible][:10]


@router.post("/", response={201: CustomerDetail, 422: DuplicateWarningOut}, summary="Create a customer")
def create_customer(request, payload: CustomerIn):
    require(has_perm(request.user, "customer.create"), _("Your role may not create customers."))
    manager = _user(payload.account_manager, "account_manager") if payload.account_manager is not None else None
    data = _customer_data(payload)
    try:
        customer = services.create_customer(request.user, data, manager=manager, reason=payload.reason,
                                            allow_duplicate=payload.allow_duplicate, tags=payload.tags)
    except services.DuplicateWarning as warning:
        detail = [{"loc": ["body", "name"], "msg": " ".join(warning.messages), "type": "duplicate"}]
        return Status(422, {"detail": detail, "duplicates": warning.duplicates})
    return Status(201, customer)


@router.get("/{int:customer_id}", response=CustomerDetail, summary="One customer's file")
def get_customer(request, customer_id: int):
    return queries.get_customer_for_user(request.user, customer_id)


@router.patch("/{int:customer_id}", response=CustomerDetail, summary="Change a customer (only the fields sent)")
def update_customer(request, customer_id: int, payload: CustomerPatch):
    customer = queries.get_customer_for_user(request.user, customer_id)
    require(has_perm(request.user, "customer.change"), _("Your role may not do this."))
    return services.update_customer(request.user, customer, _customer_data(payload), reason=payload.reason,
                                    tags=payload.tags)


@router.get("/{int:customer_id}/contacts", response=list[ContactOut], summary="A customer's contacts")
def list_contacts(request, customer_id: int):
    customer = queries.get_customer_for_user(request.user, customer_id)
    return queries.visible_contacts(request.user).filter(customer=customer)


@router.post("/{int:customer_id}/contacts", response={201: ContactOut}, summary="Add a contact")
def add_contact(request, customer_id: int, payload: ContactIn):
    customer = queries.get_customer_for_user(request.user, customer_id)
    data = clean_model_fields(Contact, payload.model_data())
    return Status(201, services.add_contact(request.user, customer, data, reason=payload.reason))


@router.patch("/{int:customer_id}/contacts/{int:contact_id}", response=ContactOut, summary="Change a contact")
def update_contact(request, customer_id: int, contact_id: int, payload: ContactPatch):
    customer = queries.get_customer_for_user(request.user, customer_id)
    contact = get_object_or_404(queries.visible_contacts(request.user), pk=contact_id, customer=customer)
    data = clean_model_fields(Contact, payload.model_data())
    return services.update_contact(request.user, contact, data, reason=payload.reason)


@router.get("/{int:customer_id}/assignments", response=list[AssignmentOut], summary="Account-manager history")
def list_assignments(request, customer_id: int):
    customer = queries.get_customer_for_user(request.user, customer_id)
    return customer.assignments.select_related("manager__profile")


@router.post("/{int:customer_id}/reassign", response=AssignmentOut, summary="Give the customer another account manager")
def reassign(request, customer_id: int, payload: ReassignIn):
    customer = queries.get_customer_for_user(request.user, customer_id)
    manager = _user(payload.manager, "manager")
    return services.reassign_customer(request.user, customer, manager, reason=payload.reason)


@router.get("/{int:customer_id}/audit", response=list[AuditOut], summary="Who changed what (needs audit.view)")
def audit(request, customer_id: int, limit: Limit(500) = 200):
    customer = queries.get_customer_for_user(request.user, customer_id)
    require(has_perm(request.user, "audit.view"), _("Your role may not see the audit trail."))
    return queries.audit_for_customer(customer.pk, limit=limit)
