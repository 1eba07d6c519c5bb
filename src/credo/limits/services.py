"""Writes of limits: proposing a customer's limits with every method that has data, and keeping a what-if.
One transaction each; permission (credit.compute_limit) and scope first; ValidationError names the field;
nothing is written on error. Every stored computation is audited; a proposal is an event on the timeline."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from credo.core import audit, timeline
from credo.core.clock import business_today
from credo.core.errors import PermissionDenied, ValidationError, require
from credo.core.models import AuditEntry
from credo.core.money import format_money, money
from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers.models import Customer

from . import customer_inputs, events, inputs, methods, present, queries, rules, tables
from .models import LimitComputation

AUDITED_FIELDS = ("customer", "method", "limit", "credit_line", "outcome", "reason", "review_required", "policy",
                  "as_of")


def can_compute(user) -> bool:
    return has_perm(user, "credit.compute_limit")


def require_compute(user, customer_id: int | None = None):
    require(can_compute(user), _("Your role may not compute credit limits."))
    if customer_id is not None and not Customer.objects.filter(customer_q(user), pk=customer_id).exists():
        raise PermissionDenied(_("This customer is not in your scope."))


def parse_options(raw: dict, policy) -> customer_inputs.Options:
    """The user's part of a customer's computation: our supplier share, "figure high", a forecast of the
    quarter's orders, which risk tables the sales-volume method applies, and the assessment levels."""
    p = inputs.Parser(raw)
    share = p.share("supplier_share")
    forecast = p.amount("forecast_orders", required=False)
    choice = str(raw.get("tables") or customer_inputs.BOTH).strip()
    if choice not in customer_inputs.TABLE_CHOICES:
        p.fail("tables", _("Choose grade, record or both."))
    levels = {}
    if raw.get("levels") or any(k.startswith("level_") and raw[k] not in (None, "") for k in raw):
        levels = p.levels(tables.parse_assessment_items(policy.assessment_items),
                          tables.parse_level_percentages(policy.level_percentages))
    p.done({})
    return customer_inputs.Options(supplier_share=share, figure_high=p.flag("figure_high"), forecast_orders=forecast,
                                   tables=choice, levels=levels)


def _store(user, method: str, result: rules.Result, policy, *, values: dict, source: dict, customer=None,
           as_of: datetime.date) -> LimitComputation:
    doc = present.as_json(result, policy=policy, values=values)
    limit = getattr(result, "limit", None)
    computation = LimitComputation.objects.create(
        customer=customer, method=method, inputs={**present.inputs_json(values), "source": source},
        steps=doc["steps"], result=doc, limit=money(limit) if limit is not None else None,
        credit_line=money(result.credit_line) if result.ok and result.credit_line is not None else None,
        outcome=result.outcome, reason=doc.get("reason", "")[:500], review_required=result.review_required,
        policy=policy, policy_valid_from=policy.valid_from, as_of=as_of,
        created_by=user if getattr(user, "pk", None) else None, created_by_name=getattr(user, "username", ""))
    audit.record(user, AuditEntry.Action.CREATE, computation, after=audit.snapshot(computation, AUDITED_FIELDS),
                 customer_id=getattr(customer, "pk", None))
    return computation


@transaction.atomic
def propose_limits(user, customer: Customer, *, raw_options: dict | None = None, as_of: datetime.date | None = None,
                   only: tuple[str, ...] | None = None) -> list[LimitComputation]:
    """Run every method (or those in `only`) on the customer's data and store each computation — those
    without data as "cannot compute" with the reason. Returns them in the order of the methods."""
    require_compute(user, customer.pk)
    as_of = as_of or business_today()
    policy = queries.saved_policy_in_force(as_of)
    options = parse_options(raw_options or {}, policy)
    unknown = [m for m in only or () if m not in rules.METHODS]
    if unknown:
        raise ValidationError({"method": [_("Unknown method %(method)s.") % {"method": unknown[0]}]})
    stored = []
    for method in only or rules.METHODS:
        found = customer_inputs.gather(customer, method, policy, as_of, options)
        result = found.problem or methods.run(method, found.values, policy, caps=found.caps)
        result.notes[:0] = found.notes
        stored.append(_store(user, method, result, policy, values=found.values, source=found.source,
                             customer=customer, as_of=as_of))
    summary = "; ".join(
        f"{present.METHOD_LABELS[c.method]} {format_money(c.credit_line) if c.ok else _('cannot compute')}"
        for c in stored)
    timeline.add_event(customer.pk, events.LIMITS_PROPOSED.code, actor=user, obj=stored[0], summary=summary)
    return stored


@transaction.atomic
def save_what_if(user, method: str, raw: dict) -> LimitComputation:
    """Keep a what-if computation (no customer) with the version of the tables it used."""
    require_compute(user)
    if method not in rules.METHODS:
        raise ValidationError({"method": [_("Unknown method %(method)s.") % {"method": method}]})
    as_of = business_today()
    policy = queries.saved_policy_in_force(as_of)
    values, result = methods.what_if(method, raw, policy)
    return _store(user, method, result, policy, values=values, source={"what_if": True}, as_of=as_of)
