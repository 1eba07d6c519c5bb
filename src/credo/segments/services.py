"""Writes of customer value, one transaction each; permission first; ValidationError names the field; audited.
compute_segments gathers each customer's sales, cost of goods and costs over the period (costs.py), applies the
pure rules and bulk-inserts one result per active customer."""

import datetime
import json
from decimal import Decimal
from fractions import Fraction

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credo.classification.services import check_period
from credo.core import audit, demo
from credo.core.errors import PermissionDenied, ValidationError, require
from credo.core.models import AuditEntry
from credo.core.money import parse_decimal
from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers.models import Customer

from . import costs, queries, rules
from .models import (
    MONEY,
    CostKind,
    CostRates,
    CustomerCost,
    CustomerPotential,
    ReviewDecision,
    SegmentResult,
    SegmentRun,
)

BATCH = 20_000
EIGHT = Decimal("1e-8")


def _name(user) -> str:
    return user.get_username() if user is not None else "system"


def _share(value: Fraction | None) -> Decimal | None:
    return None if value is None else (Decimal(value.numerator) / Decimal(value.denominator)).quantize(EIGHT)


def _digits(model, field: str) -> tuple[int, int]:
    column = model._meta.get_field(field)
    return column.max_digits, column.decimal_places


def _amount(field: str, value, *, positive=True, errors: dict, digits=(MONEY["max_digits"], 2)) -> Decimal | None:
    try:
        amount = parse_decimal(value, max_digits=digits[0], decimal_places=digits[1])
    except ValueError as exc:
        errors[field] = [str(exc)]
        return None
    if amount < 0 or (positive and amount == 0):
        errors[field] = [_("Enter an amount greater than zero.") if positive else _("The amount may not be negative.")]
        return None
    return amount


def _customer(user, customer_id) -> Customer:
    customer = Customer.objects.filter(customer_q(user), pk=customer_id).first()
    if customer is None:
        raise PermissionDenied(_("This customer is not in your scope."))
    return customer


def customer_values(period_from, period_to, rates: dict, potentials: dict) -> list[rules.CustomerValue]:
    """Every active customer's inputs; `potentials` is costs.annual_potentials(period_to)."""
    sales, cost_of_goods = costs.goods_sales_and_cost(period_from, period_to)
    period_costs = costs.period_costs(period_from, period_to, rates)
    days = (period_to - period_from).days + 1
    out = []
    for cid in Customer.objects.filter(is_active=True).values_list("id", flat=True).order_by("id"):
        annual = potentials.get(cid)
        out.append(rules.CustomerValue(
            cid, sales.get(cid) or Decimal(0), cost_of_goods.get(cid) or Decimal(0),
            {k: rules.money(v) for k, v in period_costs.get(cid, {}).items()},
            rules.potential_for_period(annual[0], days) if annual else None))
    return out


@transaction.atomic
def compute_segments(user, period_from: datetime.date, period_to: datetime.date, *, params: dict | None = None,
                     progress=None) -> SegmentRun:
    """Compute every active customer's profit after costs and value segment over [from, to] and store it."""
    if user is not None:
        require(has_perm(user, "classification.run"), _("Your role may not run classifications."))
    check_period(period_from, period_to)
    try:
        params = rules.params_for(params)
    except ValueError as exc:
        field = str(exc).split(":", 1)[0]
        raise ValidationError({field: [str(exc)]}) from None
    rates = queries.current_rates()
    potentials = costs.annual_potentials(period_to)
    values = customer_values(period_from, period_to, rates, potentials)
    placed = rules.segment(values, params)
    sales_share, profit_share = rules.top_shares(values)
    totals = dict.fromkeys(rules.SEGMENTS, 0)
    for seg, _rank in placed.values():
        totals[seg] += 1
    run = SegmentRun.objects.create(
        period_from=period_from, period_to=period_to, params=params, rates={k: str(v) for k, v in rates.items()},
        created_by_name=_name(user), customer_count=len(values), totals=totals,
        total_sales=sum((v.sales for v in values), Decimal(0)),
        total_profit=sum((v.profit for v in values), Decimal(0)),
        top20_sales_share=_share(sales_share), top20_profit_share=_share(profit_share))
    columns = ["run_id", "customer_id", "segment", "profit_rank", "sales", "gross_profit", "service_cost",
               "complaint_cost", "collection_cost", "bad_debt_cost", "profit", "potential", "growth_gap", "working"]
    for start in range(0, len(values), BATCH):
        demo.insert_rows(SegmentResult, columns, [
            (run.pk, v.customer_id, *placed[v.customer_id], v.sales, v.gross_profit, v.cost(rules.SERVICE),
             v.cost(rules.COMPLAINT), v.cost(rules.COLLECTION), v.cost(rules.BAD_DEBT), v.profit, v.potential,
             v.growth_gap, json.dumps(_working(v, potentials.get(v.customer_id))))
            for v in values[start:start + BATCH]])
        if progress:
            progress(min(start + BATCH, len(values)), len(values))
    audit.record(user, AuditEntry.Action.CREATE, run,
                 after=audit.snapshot(run, ("period_from", "period_to", "rule_version", "params", "rates",
                                            "customer_count", "totals", "total_sales", "total_profit")))
    return run


def _working(value: rules.CustomerValue, annual) -> dict:
    return {"cost_of_goods": str(value.cost_of_goods),
            "annual_potential": str(annual[0]) if annual else None, "potential_basis": annual[1] if annual else ""}


@transaction.atomic
def save_rates(user, data: dict) -> CostRates:
    require(has_perm(user, "value.rates"), _("Your role may not change the cost rates."))
    errors, clean = {}, {}
    for field in rules.DEFAULT_RATES:
        if field in data:
            clean[field] = _amount(field, data[field], positive=False, errors=errors,
                                   digits=_digits(CostRates, field))
    if "capital_rate" in clean and clean["capital_rate"] is not None and clean["capital_rate"] > 100:
        errors["capital_rate"] = [_("Give a percentage from 0 to 100.")]
    if errors:
        raise ValidationError(errors)
    row = CostRates.objects.select_for_update().order_by("pk").first() or CostRates.objects.create()
    before = audit.snapshot(row)
    for field, value in clean.items():
        setattr(row, field, value)
    row.save()
    audit.record_change(user, row, before)
    return row


@transaction.atomic
def record_cost(user, customer_id: int, *, kind: str, cost_date, amount, description: str) -> CustomerCost:
    require(has_perm(user, "value.costs"), _("Your role may not record costs."))
    customer = _customer(user, customer_id)
    errors = {}
    if kind not in CostKind.values:
        errors["kind"] = [_("Choose service, complaint, collection or bad debt.")]
    if not isinstance(cost_date, datetime.date):
        errors["cost_date"] = [_("Enter a date.")]
    value = _amount("amount", amount, errors=errors)
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("Say what the cost was for.")]
    if errors:
        raise ValidationError(errors)
    cost = CustomerCost.objects.create(customer=customer, kind=kind, cost_date=cost_date, amount=value,
                                       description=description[:300], created_by=_name(user))
    audit.record(user, AuditEntry.Action.CREATE, cost, after=audit.snapshot(cost), customer_id=customer.pk)
    return cost


@transaction.atomic
def cancel_cost(user, cost_id: int, reason: str) -> CustomerCost:
    require(has_perm(user, "value.costs"), _("Your role may not record costs."))
    cost = (CustomerCost.objects.select_for_update().filter(customer_q(user, "customer__"), pk=cost_id).first())
    if cost is None:
        raise PermissionDenied(_("This customer is not in your scope."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the cost is cancelled.")]})
    if cost.cancelled_at:
        raise ValidationError({"reason": [_("This cost is already cancelled.")]})
    before = audit.snapshot(cost)
    cost.cancelled_at, cost.cancelled_by, cost.cancel_reason = timezone.now(), _name(user), reason[:300]
    cost.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    audit.record_change(user, cost, before, reason=reason, customer_id=cost.customer_id)
    return cost


@transaction.atomic
def set_potential(user, customer_id: int, *, annual_purchases, basis: str = "") -> CustomerPotential | None:
    """Set the customer's estimated annual purchases; an empty amount removes the estimate."""
    require(has_perm(user, "value.potential"), _("Your role may not estimate customers' potential."))
    customer = _customer(user, customer_id)
    existing = CustomerPotential.objects.select_for_update().filter(customer=customer).first()
    if annual_purchases in (None, ""):
        if existing:
            audit.record(user, AuditEntry.Action.DELETE, existing, before=audit.snapshot(existing),
                         customer_id=customer.pk)
            existing.delete()
        return None
    errors = {}
    value = _amount("annual_purchases", annual_purchases, positive=False, errors=errors)
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(existing) if existing else {}
    row, _created = CustomerPotential.objects.update_or_create(
        customer=customer, defaults={"annual_purchases": value, "basis": (basis or "").strip()[:300],
                                     "updated_by": _name(user)})
    audit.record_change(user, row, before, customer_id=customer.pk)
    return row


@transaction.atomic
def decide_review(user, run_id: int, customer_id: int, *, decision: str, note: str) -> ReviewDecision:
    """Record what the company decided about a customer on the review list (the decision itself changes
    nothing else: acting on it — prices, service, a credit stop — goes through its own process)."""
    require(has_perm(user, "classification.override"), _("Your role may not decide on the review list."))
    customer = _customer(user, customer_id)
    run = SegmentRun.objects.filter(pk=run_id).first()
    if run is None:
        raise ValidationError({"run": [_("No such snapshot.")]})
    errors = {}
    if decision not in ReviewDecision.Decision.values:
        errors["decision"] = [_("Choose a decision.")]
    note = (note or "").strip()
    if not note:
        errors["note"] = [_("Say why.")]
    if errors:
        raise ValidationError(errors)
    existing = ReviewDecision.objects.select_for_update().filter(run=run, customer=customer).first()
    before = audit.snapshot(existing) if existing else {}
    row, _created = ReviewDecision.objects.update_or_create(
        run=run, customer=customer, defaults={"decision": decision, "note": note[:500], "decided_by": user})
    audit.record_change(user, row, before, reason=note, customer_id=customer.pk)
    return row
