"""The credit check of SPEC §5.8, run on every path that raises a customer's exposure: order confirmation,
raising a confirmed order's lines, reopening a cancelled order (sales.orders.CONFIRMATION_CHECKS) and posting an
invoice without an order (sales.services.INVOICE_CHECKS).

It reads the customer's locked balance row, its credit profile and the policy of its risk grade: a few indexed
single-row reads, never a scan of invoices. Being called with the balance row locked, concurrent orders of one
customer are checked one after the other against the figures the previous one left.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from credo.core.clock import business_today
from credo.core.money import format_money

from . import queries, rules
from .models import CreditProfile, PolicyDefault


@dataclass(frozen=True)
class CheckResult:
    # False: no approved limit and the company does not hold such customers yet (only the stops were checked)
    controlled: bool
    assessment: rules.Assessment
    reason: str | None
    risk_level: str
    policy: PolicyDefault
    profile: CreditProfile

    @property
    def passed(self) -> bool:
        return self.reason is None


def evaluate(customer_id: int, amount, balance, *, today: datetime.date | None = None,
             profile: CreditProfile | None = None) -> CheckResult:
    """The check's full result (figures and reason) for adding `amount` to the customer's exposure. `balance` is
    the customer's CustomerBalance row (locked by the caller when the result decides anything)."""
    today = today or business_today()
    level = queries.risk_level(customer_id)
    if profile is None:
        profile, policy = queries.profile_and_policy(customer_id, level)
        profile = profile or CreditProfile(customer_id=customer_id)
    else:
        policy = queries.policy_for_level(level)
    full = profile.limit_approved_on is not None or queries.checks_customers_without_limit()
    is_first = queries.first_sale(profile, balance)
    check = rules.CheckInput(
        amount=amount, receivable=balance.receivable, unapplied_credit=balance.unapplied_credit,
        open_orders=balance.open_orders, oldest_open_due_date=balance.oldest_open_due_date, today=today,
        limit=profile.limit, limit_approved=profile.limit_is_approved, status=profile.status,
        tolerance_percent=policy.tolerance_percent, grace_days=policy.grace_days,
        count_open_orders=policy.count_open_orders, first_sale=is_first,
        has_investigation=queries.has_investigation(customer_id) if is_first and full else False, full=full)
    assessment = rules.assess(check)
    reason = None if assessment.passed else hold_message(assessment, profile, investigated=check.has_investigation)
    return CheckResult(full, assessment, reason, level, policy, profile)


def _exposure_text(a: rules.Assessment) -> str:
    parts = [_("receivable %(amount)s") % {"amount": format_money(a.receivable)}]
    if a.open_orders:
        parts.append(_("confirmed, not invoiced orders %(amount)s") % {"amount": format_money(a.open_orders)})
    text = " + ".join(parts)
    if a.unapplied_credit:
        text += " − " + _("money on account %(amount)s") % {"amount": format_money(a.unapplied_credit)}
    return text


def hold_message(a: rules.Assessment, profile: CreditProfile, *, investigated: bool = False) -> str:
    """Why the order is held, in figures, for the salesperson and the approver."""
    if a.code == rules.TRADE_STOPPED:
        return _("Trade with this customer is stopped (since %(since)s: %(reason)s); no new orders until trade is "
                 "resumed by an approved application.") % {
            "since": profile.status_since.isoformat() if profile.status_since else "—",
            "reason": profile.status_reason or "—"}
    if a.code == rules.CASH_ONLY:
        return _("Credit stopped: cash only (since %(since)s: %(reason)s). Owed and ordered with this order "
                 "%(total)s; pay in advance or apply to lift the stop.") % {
            "since": profile.status_since.isoformat() if profile.status_since else "—",
            "reason": profile.status_reason or "—", "total": format_money(a.prepaid_total)}
    if a.code == rules.FIRST_SALE:
        done, missing = _("done"), _("missing")
        return _("First credit sale to this customer: it needs a completed credit investigation (%(investigation)s) "
                 "and an approved credit limit (%(limit)s), or payment in advance of %(amount)s.") % {
            "investigation": done if investigated else missing,
            "limit": done if profile.limit_is_approved else missing, "amount": format_money(a.prepaid_total)}
    if a.code == rules.NO_LIMIT:
        return _("No credit limit approved: cash only. Exposure %(exposure)s (%(parts)s), this order %(amount)s.") % {
            "exposure": format_money(a.exposure_before), "parts": _exposure_text(a), "amount": format_money(a.amount)}
    if a.code == rules.OVERDUE:
        return _("Overdue: the oldest open invoice fell due on %(due)s, %(days)d days ago, beyond the %(grace)d grace "
                 "days.") % {"due": a.oldest_open_due_date.isoformat(), "days": a.days_overdue,
                             "grace": a.grace_days}
    limit_text = format_money(a.limit)
    if a.tolerance_percent:
        limit_text = _("%(limit)s (with %(percent)s%% tolerance %(ceiling)s)") % {
            "limit": limit_text, "percent": f"{a.tolerance_percent.normalize():f}",
            "ceiling": format_money(a.ceiling)}
    return _("Limit %(limit)s, current exposure %(exposure)s (%(parts)s), this order %(amount)s, over by "
             "%(excess)s.") % {"limit": limit_text, "exposure": format_money(a.exposure_before),
                               "parts": _exposure_text(a), "amount": format_money(a.amount),
                               "excess": format_money(a.excess)}


def order_check(order, balance) -> str | None:
    """CONFIRMATION_CHECKS entry: the order is not counted in balance.open_orders when this runs."""
    return evaluate(order.customer_id, order.amount, balance).reason


def invoice_check(customer, amount, balance) -> str | None:
    """INVOICE_CHECKS entry: an invoice without an order raises exposure like an order."""
    return evaluate(customer.pk, amount, balance).reason


def credit_days_rule(customer) -> int | None:
    """CREDIT_DAYS_RULES entry: the invoice's due date follows the customer's credit period."""
    return CreditProfile.objects.filter(customer_id=customer.pk).values_list("credit_days", flat=True).first()
