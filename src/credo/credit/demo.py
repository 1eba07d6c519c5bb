"""Demo credit data over the demo ledger: an approved profile for every customer that has traded (limit a little
above what it owes and has ordered, so some orders go on hold; policy from its grade; target sales), a credit stop
and a few applications waiting for the demo approvers, so every credit page has something real.
The integrator calls generate() from `credo demo` after the ledger; `credo credit_control demo` runs it alone."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_UP, Decimal

from django.contrib.auth import get_user_model

from credo.core.clock import business_today
from credo.core.roles import Role
from credo.sales.models import CustomerBalance

from . import approvals, rules, services
from .models import CreditProfile, CreditSettings

STEP = Decimal("10000")


@dataclass
class CreditDemoResult:
    profiles: int = 0
    stops: int = 0
    applications: int = 0


def _limit(owed: Decimal, ordered: Decimal, n: int) -> Decimal:
    """1.05–1.45 × what the customer owes and has ordered, rounded up to ¥10,000; at least ¥50,000."""
    factor = Decimal("1.05") + Decimal(n % 5) / 10
    return max(((owed + ordered) * factor / STEP).quantize(Decimal(1), rounding=ROUND_UP) * STEP, 5 * STEP)


def generate(today: datetime.date | None = None) -> CreditDemoResult:
    today = today or business_today()
    result = CreditDemoResult()
    balances = list(CustomerBalance.objects.filter(invoiced_total__gt=0, customer__credit_profile__isnull=True)
                    .values_list("customer_id", "receivable", "open_orders", "invoiced_total")
                    .order_by("customer_id"))
    profiles = []
    for n, (customer_id, owed, ordered, invoiced) in enumerate(balances):
        profile = services.new_profile(customer_id)
        approved = rules.add_months(today, -(n % 15))  # a few are past their annual review
        profile.limit = _limit(owed, ordered, n)
        profile.limit_approved_on, profile.limit_valid_until = approved, rules.add_months(approved, 12)
        profile.trade_started_on = approved
        profile.target_annual_sales = (invoiced * Decimal("1.1") / STEP).quantize(Decimal(1)) * STEP or None
        profiles.append(profile)
    CreditProfile.objects.bulk_create(profiles, batch_size=1000)
    result.profiles = len(profiles)
    # Every trading customer now has an approved limit, so the demo company runs the SPEC's rule in full: a new
    # customer gets credit only after an investigation and an approved limit.
    settings_row = CreditSettings.current()
    settings_row.check_customers_without_limit = True
    settings_row.save(update_fields=["check_customers_without_limit", "updated_at"])
    users = get_user_model().objects.filter(is_active=True).select_related("profile")
    controller = users.filter(profile__role=Role.CREDIT_CONTROLLER).first()
    if controller is None or not profiles:
        return result
    stopped = profiles[len(profiles) // 2]
    services.stop_credit(controller, stopped.customer, reason="支票退票，余额不足（演示）", on=today)
    result.stops = 1
    for profile in profiles[:40]:
        manager = profile.customer.account_manager
        if manager is None or getattr(manager.profile, "role", None) != Role.SALESPERSON:
            continue
        approvals.apply(manager, profile.customer, kind="limit", amount=profile.limit + 5 * STEP,
                        credit_days=profile.credit_days, reason="销售增长，申请提高信用额度（演示）")
        result.applications += 1
        if result.applications >= 3:
            break
    return result
