"""Per-customer inputs of the value computation over a period, each from the documents that show it:
goods sales and their cost, visits / calls / mails done (priced by the cost rates; collection and complaint
purposes count as collection and complaint cost), dunning letters sent, recorded costs, approved write-offs less
recoveries (bad debt), the opportunity cost of what was owed (§6.7), and the potential.

COST_SOURCES is a hook: another app (e.g. complaints with their claims) appends a function
(period_from, period_to, rates) → {customer id: {cost kind: Decimal}} and its costs are added in."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Max, Sum

from credo.collection.models import DunningLetter
from credo.customers.models import CompetitorPresence
from credo.sales.models import Allocation, Invoice, WriteOff, WriteOffRecovery
from credo.sales.queries import goods_sales_and_cost_by_customer
from credo.visits.models import Purpose, Status, Visit

from . import rules
from .models import CustomerCost, CustomerPotential

COST_SOURCES: list = []
LETTER_RATE = {"notice": "notice_letter", "warning": "warning_letter", "lawyer": "lawyer_letter"}
PURPOSE_KIND = {Purpose.COLLECTION: rules.COLLECTION, Purpose.COMPLAINT: rules.COMPLAINT}


def _costs() -> dict[int, dict[str, Decimal]]:
    return defaultdict(lambda: defaultdict(Decimal))


def goods_sales_and_cost(period_from, period_to) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    both = goods_sales_and_cost_by_customer(period_from, period_to)
    return {cid: sales for cid, (sales, _cost) in both.items()}, {cid: cost for cid, (_sales, cost) in both.items()}


def contact_costs(period_from, period_to, rates: dict, into) -> None:
    rows = (Visit.objects.filter(status=Status.DONE, done_date__range=(period_from, period_to))
            .values("customer_id", "kind", "purpose").annotate(n=Count("id")).order_by())
    for row in rows:
        rate = rates.get(row["kind"], Decimal(0))
        into[row["customer_id"]][PURPOSE_KIND.get(row["purpose"], rules.SERVICE)] += rate * row["n"]


def letter_costs(period_from, period_to, rates: dict, into) -> None:
    rows = (DunningLetter.objects.filter(letter_date__range=(period_from, period_to))
            .values("customer_id", "level").annotate(n=Count("id")).order_by())
    for row in rows:
        into[row["customer_id"]][rules.COLLECTION] += rates.get(LETTER_RATE.get(row["level"]), 0) * row["n"]


def recorded_costs(period_from, period_to, into) -> None:
    rows = (CustomerCost.objects.filter(cancelled_at__isnull=True, cost_date__range=(period_from, period_to))
            .values("customer_id", "kind").annotate(s=Sum("amount")).order_by())
    for row in rows:
        into[row["customer_id"]][row["kind"]] += row["s"]


def bad_debt_costs(period_from, period_to, into) -> None:
    written = (WriteOff.objects.filter(status=WriteOff.Status.POSTED, posting_date__range=(period_from, period_to))
               .values("customer_id").annotate(s=Sum("amount")).order_by())
    for row in written:
        into[row["customer_id"]][rules.BAD_DEBT] += row["s"]
    recovered = (WriteOffRecovery.objects.filter(recovered_on__range=(period_from, period_to))
                 .values("customer_id").annotate(s=Sum("amount")).order_by())
    for row in recovered:
        into[row["customer_id"]][rules.BAD_DEBT] -= row["s"]


# Σ amount × days owed per customer, in the database. For an invoice of amount A dated d, with settlements
# (paid, date) up to the period's end T (rules.owed_amount_days, which this must equal):
#     A × (T + 1 − max(d, F))  −  Σ paid × (T + 1 − max(date, d, F))
# An invoice settled before F gives 0, so only those still open at F are read: open now, or settled on or after F.
_OWED_SQL = {
    "postgresql": {"days": "(%s::date - GREATEST({dates}, %s::date))", "greatest": "GREATEST"},
    "sqlite": {"days": "CAST(julianday(%s) - julianday(MAX({dates}, %s)) AS INTEGER)", "greatest": "MAX"},
}


def _owed_amount_days(period_from, period_to) -> dict[int, Decimal]:
    q = connection.ops.quote_name
    invoice, allocation = q(Invoice._meta.db_table), q(Allocation._meta.db_table)
    sql = _OWED_SQL["postgresql" if connection.vendor == "postgresql" else "sqlite"]
    end = period_to + datetime.timedelta(days=1)
    # Open now, or settled now but by something dated on or after F: two branches, each with its own plan (one
    # OR made PostgreSQL walk all invoices through an index, 18 s on 5 million).
    columns = ", ".join(q(c) for c in ("id", "customer_id", "amount", "invoice_date"))
    still_open = (f"(SELECT {columns} FROM {invoice} WHERE {q('invoice_date')} <= %s AND {q('open_amount')} > 0 "
                  f"UNION ALL SELECT {columns} FROM {invoice} WHERE {q('invoice_date')} <= %s "
                  f"AND {q('open_amount')} = 0 AND {q('id')} IN (SELECT {q('invoice_id')} FROM {allocation} "
                  f"WHERE {q('allocation_date')} >= %s))")
    open_params = [period_to, period_to, period_from]
    owed = sql["days"].format(dates=f"i.{q('invoice_date')}")
    paid = sql["days"].format(dates=f"a.{q('allocation_date')}, i.{q('invoice_date')}")
    out: dict[int, Decimal] = defaultdict(Decimal)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT i.{q('customer_id')}, SUM(i.{q('amount')} * {owed}) FROM {still_open} i "
                       f"GROUP BY i.{q('customer_id')}", [end, period_from, *open_params])
        for cid, value in cursor.fetchall():
            out[cid] += Decimal(str(value or 0))
        cursor.execute(f"SELECT i.{q('customer_id')}, SUM(a.{q('amount')} * {paid}) FROM {allocation} a "
                       f"JOIN {still_open} i ON i.{q('id')} = a.{q('invoice_id')} "
                       f"WHERE a.{q('allocation_date')} <= %s GROUP BY i.{q('customer_id')}",
                       [end, period_from, *open_params, period_to])
        for cid, value in cursor.fetchall():
            out[cid] -= Decimal(str(value or 0))
    # money × whole days has 2 decimals; SQLite sums as floats (…0000003)
    return {cid: rules.money(value) for cid, value in out.items()}


def opportunity_costs(period_from, period_to, rate_percent, into) -> None:
    """The cost of capital tied up in what each customer owed during the period (§6.7)."""
    for cid, value in _owed_amount_days(period_from, period_to).items():
        cost = rules.opportunity_cost(value, rate_percent)
        if cost:
            into[cid][rules.COLLECTION] += cost


def period_costs(period_from: datetime.date, period_to: datetime.date, rates: dict) -> dict[int, dict]:
    costs = _costs()
    contact_costs(period_from, period_to, rates, costs)
    letter_costs(period_from, period_to, rates, costs)
    recorded_costs(period_from, period_to, costs)
    bad_debt_costs(period_from, period_to, costs)
    opportunity_costs(period_from, period_to, rates["capital_rate"], costs)
    for source in COST_SOURCES:
        for cid, kinds in source(period_from, period_to, rates).items():
            for kind, amount in kinds.items():
                costs[cid][kind] += amount
    return costs


def annual_potentials(period_to: datetime.date) -> dict[int, tuple[Decimal, str]]:
    """{customer id: (estimated annual purchases, where the figure comes from)}: the estimate entered for the
    customer, else the latest year up to the period's with competitors' sales recorded: ours + theirs."""
    out = {}
    by_year = (CompetitorPresence.objects.filter(year__lte=period_to.year, competitor_sales__isnull=False)
               .values("customer_id", "year").annotate(theirs=Sum("competitor_sales"), ours=Max("our_sales"))
               .order_by("customer_id", "year"))
    for row in by_year:  # later years overwrite earlier ones
        out[row["customer_id"]] = (row["theirs"] + (row["ours"] or 0), f"competitors {row['year']}")
    for cid, amount in CustomerPotential.objects.values_list("customer_id", "annual_purchases"):
        out[cid] = (amount, "estimate")
    return out
