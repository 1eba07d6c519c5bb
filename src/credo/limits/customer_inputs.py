"""A customer's inputs for each method, read from its data (SPEC §5.6):

working capital  the latest financial statement, the grade (6-level scale, "NR" if not rated), our share of
                 its purchases (given by the user) and the "figure high" judgement (given by the user)
sales volume     last full calendar quarter's confirmed or invoiced orders (or a forecast the user gives),
                 the grade and the credit record: overdue amount × days overdue in that quarter
collections      receipts per month over the last full months (as many as the policy has weights)
revenue tier     the statement's revenue and the assessment levels the user gives

A method without data gives a result that cannot compute, with the reason; it is stored like the others so
the card can say why a method proposes nothing.
"""

import datetime
from dataclasses import dataclass, field

from . import queries, rules, tables

BOTH, GRADE, RECORD = "both", "grade", "record"
TABLE_CHOICES = (BOTH, GRADE, RECORD)


@dataclass
class Options:
    supplier_share: object = None
    figure_high: bool = False
    forecast_orders: object = None
    tables: str = BOTH
    levels: dict = field(default_factory=dict)


@dataclass
class Gathered:
    values: dict
    source: dict
    caps: rules.Caps | None = None
    problem: rules.Result | None = None   # a result that cannot compute, when the data is missing
    notes: list[rules.Note] = field(default_factory=list)


def _caps(statement) -> rules.Caps | None:
    if statement is None:
        return None
    return rules.Caps(net_assets=statement.net_assets,
                      working_capital=statement.current_assets - statement.current_liabilities)


def _statement_source(statement) -> dict:
    if statement is None:
        return {}
    return {"statement_id": statement.pk, "statement_period_end": statement.period_end.isoformat()}


def gather(customer, method: str, policy, as_of: datetime.date, options: Options) -> Gathered:
    statement = queries.latest_statement(customer.pk)
    grade = queries.risk_level(customer.pk)
    if method == rules.WORKING_CAPITAL:
        if statement is None:
            return Gathered({}, {}, problem=rules.WorkingCapitalResult(grade=grade).fail("no_statement", "statement"))
        values = {"current_assets": statement.current_assets, "inventory": statement.inventory,
                  "current_liabilities": statement.current_liabilities,
                  "total_liabilities": statement.total_liabilities, "net_assets": statement.net_assets,
                  "grade": grade, "supplier_share": options.supplier_share, "figure_high": options.figure_high}
        return Gathered(values, _statement_source(statement))
    if method == rules.SALES_VOLUME:
        return _sales_volume(customer, statement, grade, as_of, options)
    if method == rules.COLLECTIONS:
        weights = list(tables.parse_collection_weights(policy.collection_weights))
        series = queries.monthly_collections(customer.pk, as_of, len(weights))
        source = {"months": [first.isoformat() for first, _amount in series]}
        if not any(amount for _first, amount in series):
            problem = rules.CollectionsResult(weights=tuple(weights)).fail("no_receipts", "monthly",
                                                                          months=len(weights))
            return Gathered({}, source, problem=problem)
        values = {"monthly": [amount for _first, amount in series], "weights": weights,
                  "credit_days": policy.standard_credit_days}
        return Gathered(values, {**source, **_statement_source(statement)}, caps=_caps(statement))
    if method == rules.REVENUE_TIER:
        revenue = getattr(statement, "revenue", None)
        values = {"revenue": revenue, "levels": dict(options.levels or {})}
        has_tiers = bool(tables.parse_revenue_tiers(policy.revenue_tiers).rows)
        if has_tiers and revenue is not None and not options.levels:
            return Gathered(values, _statement_source(statement),
                            problem=rules.RevenueTierResult(revenue=revenue).fail("no_assessments", "levels"))
        return Gathered(values, _statement_source(statement), caps=_caps(statement))
    raise ValueError(f"unknown method {method!r}")


def _sales_volume(customer, statement, grade, as_of, options: Options) -> Gathered:
    start, end = queries.last_full_quarter(as_of)
    source = {"quarter_start": start.isoformat(), "quarter_end": end.isoformat(), **_statement_source(statement)}
    if options.forecast_orders is not None:
        orders, source["forecast"] = options.forecast_orders, True
    else:
        orders, count = queries.quarter_orders(customer.pk, start, end)
        source.update(forecast=False, orders_count=count)
        if not count:
            problem = rules.SalesVolumeResult().fail("no_orders", "quarter_orders",
                                                     period=f"{start.isoformat()} – {end.isoformat()}")
            return Gathered({}, source, problem=problem)
    notes = []
    use_grade = options.tables in (BOTH, GRADE)
    if use_grade and grade == rules.NOT_RATED and options.tables == BOTH:
        use_grade = False
        notes.append(rules.Note("grade_skipped_not_rated", "grade"))
    overdue = None
    if options.tables in (BOTH, RECORD):
        record = queries.credit_record(customer.pk, start, end)
        overdue, source["overdue_invoices"] = record.amount_days, record.invoices
    values = {"quarter_orders": orders, "credit_days": None, "grade": grade if use_grade else None,
              "overdue_amount_days": overdue}
    return Gathered(values, source, caps=_caps(statement), notes=notes)
