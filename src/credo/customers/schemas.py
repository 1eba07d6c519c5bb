"""Shapes of the customer file in the REST API: what goes out and what comes in.

Decimals go out as strings and come in as strings or numbers; dates are ISO 8601. Input schemas
check types only; clean_model_fields applies the model's own limits (lengths, digits, choices, e-mail,
URL) and the services apply the business rules.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db import models
from ninja import Field, Schema
from pydantic import ConfigDict, PlainSerializer

from credo.core.api_errors import ValidationErrorOut
from credo.core.api_inputs import InputSchema, Limit, Money, MultilineText, decimal_input

from . import queries
from .models import CustomerKind, DecisionRole, Importance, Lifecycle
from .services import CONTACT_FIELDS, CUSTOMER_FIELDS

DecimalStr = Annotated[Decimal, PlainSerializer(str, return_type=str)]
Coordinate = decimal_input(9, 6)
Ordering = Literal["code", "-code", "name", "-name", "-updated_at"]


def clean_model_fields(model, data: dict) -> dict:
    """Each value cleaned by its model field (null text becomes ""); ValidationError naming every bad field."""
    cleaned, errors = {}, {}
    for name, value in data.items():
        field = model._meta.get_field(name)
        if value is None and isinstance(field, models.CharField | models.TextField):
            value = ""
        try:
            cleaned[name] = field.clean(value, None)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


class UserRef(Schema):
    id: int
    username: str
    display_name: str = ""

    @staticmethod
    def resolve_display_name(obj):
        profile = getattr(obj, "profile", None)
        return (profile.display_name if profile else "") or obj.username


class TerritoryRef(Schema):
    id: int
    code: str
    name: str


class CustomerListItem(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    importance: str
    lifecycle: str
    phone: str
    territory: TerritoryRef | None
    account_manager: UserRef | None
    tags: list[str]
    is_active: bool
    updated_at: datetime.datetime

    @staticmethod
    def resolve_lifecycle(obj):
        return getattr(obj, "lifecycle", None) or queries.current_lifecycle(obj)

    @staticmethod
    def resolve_tags(obj):
        return [tag.name for tag in obj.tags.all()]


class CustomerPage(Schema):
    items: list[CustomerListItem]
    count: int
    next_cursor: str | None


class FormerNameOut(Schema):
    name: str
    used_until: datetime.date | None
    note: str


class BankAccountOut(Schema):
    bank_name: str
    account_name: str
    account_number: str
    valid_from: datetime.date


class CustomerDetail(CustomerListItem):
    credit_code: str
    legal_form: str
    registered_capital: DecimalStr | None
    founded_on: datetime.date | None
    legal_representative: str
    industry: str
    business_scope: str
    registered_address: str
    office_address: str
    latitude: DecimalStr | None
    longitude: DecimalStr | None
    website: str
    email: str
    importance_reason: str
    route: str
    route_sequence: int | None
    first_order_date: datetime.date | None
    goals: str
    opinions: str
    situation: str
    notes: str
    merged_into_id: int | None
    created_at: datetime.datetime
    former_names: list[FormerNameOut]
    bank_account: BankAccountOut | None = Field(None, description="the account in use now")

    @staticmethod
    def resolve_former_names(obj):
        return list(obj.former_names.all())

    @staticmethod
    def resolve_bank_account(obj):
        return obj.bank_accounts.filter(valid_to__isnull=True).first()


class CustomerPatch(InputSchema):
    """Only the fields sent are changed."""

    model_config = ConfigDict(use_enum_values=True)

    code: str | None = None
    name: str | None = None
    short_name: str | None = None
    credit_code: str | None = None
    legal_form: str | None = None
    registered_capital: Money | None = None
    founded_on: datetime.date | None = None
    legal_representative: str | None = None
    industry: str | None = None
    business_scope: MultilineText | None = None
    registered_address: str | None = None
    office_address: str | None = None
    latitude: Coordinate | None = None
    longitude: Coordinate | None = None
    website: str | None = None
    phone: str | None = None
    email: str | None = None
    kind: CustomerKind | None = None
    importance: Importance | None = None
    importance_reason: str | None = None
    territory: int | str | None = Field(None, description="territory id or code")
    route: str | None = None
    route_sequence: int | None = None
    first_order_date: datetime.date | None = None
    goals: MultilineText | None = None
    opinions: MultilineText | None = None
    situation: MultilineText | None = None
    notes: MultilineText | None = None
    tags: list[str] | None = Field(None, description="replaces the customer's tags when given")
    reason: MultilineText = ""

    def model_data(self) -> dict:
        """The sent model fields, territory still as given."""
        return {k: v for k, v in self.model_dump(exclude_unset=True).items() if k in CUSTOMER_FIELDS}


class CustomerIn(CustomerPatch):
    code: str
    name: str
    account_manager: int | str | None = Field(None, description="user id or username; default: you")
    allow_duplicate: bool = Field(False, description="create even if possible duplicates exist")


class DuplicateOut(Schema):
    id: int
    code: str
    name: str
    reasons: list[str]

    @staticmethod
    def resolve_reasons(obj):
        return getattr(obj, "duplicate_reasons", [])


class DuplicateWarningOut(ValidationErrorOut):
    """Bad input, as every 422; with possible duplicates (type "duplicate" on name) it lists them too."""

    duplicates: list[DuplicateOut] = Field([], description="the possible duplicates, when there are any")


class CustomerListParams(InputSchema):
    model_config = ConfigDict(use_enum_values=True)

    q: str = Field("", description="code, credit code or phone prefix; part of a current or former name")
    kind: CustomerKind | None = None
    lifecycle: Lifecycle | None = None
    importance: Importance | None = None
    territory: str = Field("", description="territory id or code")
    manager: str = Field("", description="account manager's user id or username")
    tag: str = ""
    active: Literal["1", "0", "all"] = Field("1", description="1 active, 0 inactive or merged, all")
    ordering: Ordering = "code"
    limit: Limit(500) = 50
    cursor: str = Field("", description="next_cursor of the previous page")


class ContactOut(Schema):
    id: int
    customer_id: int
    name: str
    title: str
    department: str
    phone: str
    mobile: str
    email: str
    wechat: str
    decision_role: str
    is_primary: bool
    birthday: datetime.date | None
    age: int | None
    native_place: str
    ethnicity: str
    education_career: str
    family: str
    personality_hobbies: str
    notes: str
    is_active: bool
    updated_at: datetime.datetime


class ContactPatch(InputSchema):
    model_config = ConfigDict(use_enum_values=True)

    name: str | None = None
    title: str | None = None
    department: str | None = None
    phone: str | None = None
    mobile: str | None = None
    email: str | None = None
    wechat: str | None = None
    decision_role: DecisionRole | Literal[""] | None = None
    is_primary: bool | None = None
    birthday: datetime.date | None = None
    age: int | None = None
    native_place: str | None = None
    ethnicity: str | None = None
    education_career: MultilineText | None = None
    family: MultilineText | None = None
    personality_hobbies: MultilineText | None = None
    notes: MultilineText | None = None
    is_active: bool | None = None
    reason: MultilineText = ""

    def model_data(self) -> dict:
        return {k: v for k, v in self.model_dump(exclude_unset=True).items() if k in CONTACT_FIELDS}


class ContactIn(ContactPatch):
    name: str


class AssignmentOut(Schema):
    id: int
    manager: UserRef
    started_at: datetime.datetime
    ended_at: datetime.datetime | None
    assigned_by: str
    reason: str


class ReassignIn(InputSchema):
    manager: int | str = Field(..., description="new account manager: user id or username")
    reason: MultilineText = ""


class AuditOut(Schema):
    id: int
    at: datetime.datetime
    username: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict | None
    after: dict | None
    reason: str
