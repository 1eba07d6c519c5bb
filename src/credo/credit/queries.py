"""Read side of credit control: the profile contract other apps use, the grade and investigation from the rating
app (guarded: the apps are installed independently), lists for the pages, scoped to the user's customers."""

import datetime
import functools
from decimal import Decimal

from django.db import connection, models
from django.db.models import Count, Q, Sum
from django.utils import timezone

from credo.core.clock import business_today
from credo.core.scopes import customer_q
from credo.sales.models import Invoice, ReceiptReversal, SalesOrder

from . import rules
from .authority import step_for
from .defaults import policy_values
from .models import (
    PENDING,
    CollectionPlan,
    CreditApplication,
    CreditProfile,
    CreditSettings,
    CreditStop,
    PolicyDefault,
    RiskLevel,
)

ZERO = Decimal("0.00")


def credit_profile(customer_id: int) -> CreditProfile | None:
    """The contract for other apps: the customer's profile (limit, credit_days, status …) or None."""
    return CreditProfile.objects.filter(customer_id=customer_id).first()


def grade_info(customer_id: int):
    """The rating app's GradeInfo, or None while that app is not there or has nothing."""
    try:
        from credo.rating.queries import current_grade
    except ImportError:
        return None
    try:
        return current_grade(customer_id)
    except Exception:  # noqa: BLE001 - another app's half-built query must not stop orders
        return None


def risk_level(customer_id: int) -> str:
    info = grade_info(customer_id)
    level = getattr(info, "risk_level", None)
    return level if level in RiskLevel.values else RiskLevel.NR


def has_investigation(customer_id: int) -> bool:
    try:
        from credo.rating.queries import has_investigation as rated
    except ImportError:
        return False
    try:
        return bool(rated(customer_id))
    except Exception:  # noqa: BLE001 - see grade_info
        return False


# The order check runs on every confirmation: its reads of this app's own tables are single-row SQL without the
# ORM's query compilation (a few hundred microseconds each), turned into model instances here.

def _python(field, value):
    value = field.to_python(value)
    if isinstance(field, models.DecimalField) and value is not None:
        value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
    elif isinstance(field, models.DateTimeField) and value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


@functools.cache
def _select_sql(model, column: str, vendor: str) -> str:
    quote = connection.ops.quote_name
    return (f"SELECT {', '.join(quote(f.column) for f in model._meta.concrete_fields)} "
            f"FROM {quote(model._meta.db_table)} WHERE {quote(column)} = %s")


def _fetch_one(model, column: str, value):
    """The row of `model` whose `column` equals value, as an instance (or None); one plain SELECT."""
    fields = model._meta.concrete_fields
    with connection.cursor() as cursor:
        cursor.execute(_select_sql(model, column, connection.vendor), [value])
        row = cursor.fetchone()
    if row is None:
        return None
    return model.from_db(connection.alias, [f.attname for f in fields],
                         [_python(f, v) for f, v in zip(fields, row, strict=True)])


def profile_for_check(customer_id: int) -> CreditProfile | None:
    return _fetch_one(CreditProfile, "customer_id", customer_id)


@functools.cache
def _profile_and_policy_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    columns = [f"d.{quote(f.column)}" for f in PolicyDefault._meta.concrete_fields]
    columns += [f"p.{quote(f.column)}" for f in CreditProfile._meta.concrete_fields]
    return (f"SELECT {', '.join(columns)} FROM {quote(PolicyDefault._meta.db_table)} d "
            f"LEFT JOIN {quote(CreditProfile._meta.db_table)} p ON p.{quote('customer_id')} = %s "
            f"WHERE d.{quote('risk_level')} = %s")


def profile_and_policy(customer_id: int, level: str) -> tuple[CreditProfile | None, PolicyDefault]:
    """The customer's profile and its grade's policy in one round trip (the order check's reads)."""
    with connection.cursor() as cursor:
        cursor.execute(_profile_and_policy_sql(connection.vendor), [customer_id, level])
        row = cursor.fetchone()
    if row is None:  # the grade's policy row is missing (a flushed table)
        return profile_for_check(customer_id), policy_for_level(level)
    policy_fields, profile_fields = PolicyDefault._meta.concrete_fields, CreditProfile._meta.concrete_fields
    policy_values_, profile_values = row[:len(policy_fields)], row[len(policy_fields):]
    policy = PolicyDefault.from_db(connection.alias, [f.attname for f in policy_fields],
                                   [_python(f, v) for f, v in zip(policy_fields, policy_values_, strict=True)])
    if profile_values[[f.attname for f in profile_fields].index("customer_id")] is None:
        return None, policy
    profile = CreditProfile.from_db(connection.alias, [f.attname for f in profile_fields],
                                    [_python(f, v) for f, v in zip(profile_fields, profile_values, strict=True)])
    return profile, policy


def checks_customers_without_limit() -> bool:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('check_customers_without_limit')} FROM "
                       f"{quote(CreditSettings._meta.db_table)} ORDER BY {quote('id')} LIMIT 1")
        row = cursor.fetchone()
    return bool(row[0]) if row else CreditSettings._meta.get_field("check_customers_without_limit").default


def policy_for_level(level: str) -> PolicyDefault:
    """The grade's policy row; the built-in default (unsaved) when the table lacks it."""
    found = _fetch_one(PolicyDefault, "risk_level", level)
    return found or PolicyDefault(risk_level=level, **policy_values(level))


def first_sale(profile: CreditProfile, balance) -> bool:
    """No trade yet (nothing invoiced, nothing confirmed) and credit sales not started by an approved decision."""
    return (profile.trade_started_on is None and not balance.invoiced_total and not balance.open_orders)


# ------------------------------------------------------------------------------------------- lists for pages

def visible_applications(user):
    return CreditApplication.objects.filter(customer_q(user, "customer__")).select_related(
        "customer", "applicant", "reviewer", "decided_by", "order")


def pending_for(user, limit: int = 200) -> list[CreditApplication]:
    """Pending applications in the user's scope whose next step the user may take, oldest first."""
    pending = visible_applications(user).filter(status__in=PENDING).exclude(applicant=user).order_by("created_at")
    found = []
    for application in pending[:limit]:
        application.next_step = step_for(user, application)
        if application.next_step:
            found.append(application)
    return found


def visible_orders(user):
    return SalesOrder.objects.filter(customer_q(user, "customer__"))


def held_orders(user):
    return (SalesOrder.objects.filter(customer_q(user, "customer__"), status=SalesOrder.Status.HELD)
            .select_related("customer").order_by("-order_date", "-id"))


def stops(user, *, active_only: bool = True):
    found = CreditStop.objects.filter(customer_q(user, "customer__")).select_related("customer")
    if active_only:
        found = found.filter(lifted_on__isnull=True)
    return found.order_by("-started_on", "-id")


def reviews_due(user, today: datetime.date | None = None) -> list[CreditProfile]:
    """Profiles whose limit approval is a review period old or whose validity passed, with the review figures:
    sales of the last 12 months against the target, overdue now, stops, reversals and broken promises."""
    today = today or business_today()
    months = CreditSettings.current().review_months
    cutoff = rules.add_months(today, -months)
    scope = customer_q(user, "customer__") if user is not None else Q()  # None: every customer (the command)
    profiles = list(CreditProfile.objects.filter(scope, limit_approved_on__isnull=False)
                    .filter(Q(limit_valid_until__lte=today) | Q(limit_valid_until__isnull=True,
                                                                 limit_approved_on__lte=cutoff))
                    .select_related("customer", "customer__balance", "customer__account_manager")
                    .order_by("limit_valid_until", "limit_approved_on")[:500])
    ids = [p.customer_id for p in profiles]
    year_ago = rules.add_months(today, -12)
    sales = dict(Invoice.objects.filter(customer_id__in=ids, invoice_date__gt=year_ago, invoice_date__lte=today,
                                        kind=Invoice.Kind.GOODS)
                 .values("customer_id").annotate(s=Sum("amount")).values_list("customer_id", "s"))
    overdue = dict(Invoice.objects.filter(customer_id__in=ids, open_amount__gt=0, due_date__lt=today)
                   .values("customer_id").annotate(s=Sum("open_amount")).values_list("customer_id", "s"))
    stop_counts = dict(CreditStop.objects.filter(customer_id__in=ids, started_on__gt=year_ago)
                       .values("customer_id").annotate(n=Count("id")).values_list("customer_id", "n"))
    reversals = dict(ReceiptReversal.objects.filter(customer_id__in=ids, reversal_date__gt=year_ago)
                     .values("customer_id").annotate(n=Count("id")).values_list("customer_id", "n"))
    broken = _broken_promise_counts(ids, year_ago)
    for profile in profiles:
        pk = profile.customer_id
        profile.sales_12m = _money(sales.get(pk))
        profile.target_reached = rules.target_reached(profile.sales_12m, profile.target_annual_sales)
        profile.overdue_now = _money(overdue.get(pk))
        profile.stop_count = stop_counts.get(pk, 0)
        profile.reversal_count = reversals.get(pk, 0)
        profile.broken_promises = broken.get(pk, 0)
        profile.problems = bool(profile.overdue_now or profile.stop_count or profile.reversal_count
                                or profile.broken_promises or profile.status != "normal")
    return profiles


def _broken_promise_counts(customer_ids, since: datetime.date) -> dict[int, int]:
    """Broken promises to pay per customer (one grouped query, the rule of collection.queries.broken_promises)."""
    try:
        from credo.collection.models import PromiseToPay
    except ImportError:
        return {}
    return dict(PromiseToPay.objects.filter(customer_id__in=list(customer_ids), status=PromiseToPay.Status.BROKEN,
                                            promised_date__gte=since)
                .values("customer_id").annotate(n=Count("id")).values_list("customer_id", "n"))


def broken_promises(customer_id: int, since: datetime.date | None = None) -> int:
    try:
        from credo.collection.queries import broken_promises as count
    except ImportError:
        return 0
    return count(customer_id, since)


def _money(value) -> Decimal:
    if value is None:
        return ZERO
    if isinstance(value, float):  # SQLite sums decimals as floats
        value = Decimal(repr(value))
    return Decimal(value).quantize(Decimal("0.01"))


def collection_plans(customer_ids) -> dict[int, str]:
    """{customer id: collection plan} for the customers whose profile departs from the standard dunning plan."""
    return dict(CreditProfile.objects.filter(customer_id__in=list(customer_ids))
                .exclude(collection_plan=CollectionPlan.STANDARD).values_list("customer_id", "collection_plan"))
