"""Run a method on typed inputs with the tables of a policy version. Shared by the CLI, the API, the pages
and the services, so every entry point computes the same figures."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import inputs, rules, tables


def parse(method: str, raw: dict, policy) -> dict:
    """Raw input → typed inputs for `method` under `policy`; ValidationError names every bad field."""
    revenue_tables = None
    if method == rules.REVENUE_TIER:
        revenue_tables = tables.revenue_tier_tables(policy)
        if not revenue_tables.tiers.rows:
            revenue_tables = None  # the method refuses anyway: do not ask for levels nobody can use yet
    values = inputs.parse(method, raw, revenue_tables=revenue_tables)
    if method == rules.COLLECTIONS:
        weights = values["weights"] or list(tables.parse_collection_weights(policy.collection_weights))
        if len(values["monthly"]) != len(weights):
            raise ValidationError({"monthly": [_("Enter %(n)d monthly amounts, newest month first (one per weight).")
                                               % {"n": len(weights)}]})
        values["weights"] = weights
    return values


def run(method: str, values: dict, policy, *, caps: rules.Caps | None = None) -> rules.Result:
    """The result of `method` on typed inputs; credit days default to the policy's standard credit period."""
    days = values.get("credit_days") or policy.standard_credit_days
    if method == rules.WORKING_CAPITAL:
        return rules.working_capital_method(
            current_assets=values["current_assets"], inventory=values["inventory"],
            current_liabilities=values["current_liabilities"], total_liabilities=values["total_liabilities"],
            net_assets=values["net_assets"], tables=tables.working_capital_tables(policy), grade=values.get("grade"),
            supplier_share=values.get("supplier_share"), figure_high=bool(values.get("figure_high")))
    if method == rules.SALES_VOLUME:
        return rules.sales_volume_method(
            quarter_orders=values["quarter_orders"], credit_days=days, tables=tables.sales_volume_tables(policy),
            grade=values.get("grade"), overdue_amount_days=values.get("overdue_amount_days"), caps=caps)
    if method == rules.COLLECTIONS:
        weights = values.get("weights") or list(tables.parse_collection_weights(policy.collection_weights))
        return rules.collections_method(monthly=values["monthly"], credit_days=days, weights=weights, caps=caps)
    if method == rules.REVENUE_TIER:
        return rules.revenue_tier_method(revenue=values.get("revenue"), levels=values.get("levels") or {},
                                         tables=tables.revenue_tier_tables(policy), caps=caps)
    raise ValueError(f"unknown method {method!r}")


def what_if(method: str, raw: dict, policy) -> tuple[dict, rules.Result]:
    values = parse(method, raw, policy)
    return values, run(method, values, policy)
