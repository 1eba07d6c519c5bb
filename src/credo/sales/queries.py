"""Read side of the ledger: reconciliation of the kept figures against the documents, and the goods sales (and
cost) per customer over any period, read from the month summary (CustomerMonthSales) and the edge days."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DecimalField, F, Min, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from credo.core.money import money

from .models import CreditNote, CustomerBalance, CustomerMonthSales, Invoice, InvoiceLine, Receipt, SalesOrder

ZERO = Decimal("0.00")
HALF_CENT = Decimal("0.005")
MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)
BALANCE_FIELDS = ("receivable", "unapplied_credit", "open_orders", "invoiced_total", "paid_total",
                  "oldest_open_due_date")


@dataclass
class Drift:
    kind: str  # "balance", "invoice", "receipt", "credit_note"
    key: int  # customer id or document id
    field: str
    kept: object
    expected: object


def _allocated():
    return Coalesce(Sum("allocations__amount"), Value(ZERO), output_field=MONEY_FIELD)


def _differs(kept_field: str, expected):
    """Rows where kept and expected differ by a cent or more (SQLite sums decimals as floats)."""
    return Q(**{f"{kept_field}__gt": expected + Value(HALF_CENT)}) | Q(**{f"{kept_field}__lt": expected - Value(HALF_CENT)})


def document_drift() -> list[Drift]:
    """Documents whose kept open/unapplied amount differs from amount − Σ allocations."""
    found = []
    invoices = Invoice.objects.annotate(allocated=_allocated()).filter(
        _differs("open_amount", F("amount") - F("allocated")))
    for inv in invoices.values("pk", "open_amount", "amount", "allocated"):
        found.append(Drift("invoice", inv["pk"], "open_amount", inv["open_amount"],
                           money(inv["amount"] - inv["allocated"])))
    for model, kind in ((Receipt, "receipt"), (CreditNote, "credit_note")):
        rows = model.objects.annotate(allocated=_allocated())
        if model is Receipt:
            reversed_wrong = rows.filter(is_reversed=True).exclude(unapplied_amount=0)
            found += [Drift(kind, r.pk, "unapplied_amount", r.unapplied_amount, ZERO) for r in reversed_wrong]
            rows = rows.filter(is_reversed=False)
        for row in rows.filter(_differs("unapplied_amount", F("amount") - F("allocated"))).values(
                "pk", "unapplied_amount", "amount", "allocated"):
            found.append(Drift(kind, row["pk"], "unapplied_amount", row["unapplied_amount"],
                               money(row["amount"] - row["allocated"])))
    return found


def expected_balances(customer_ids=None) -> dict[int, dict]:
    """Every balance figure recomputed from the documents, per customer (all, or those given)."""
    expected: dict[int, dict] = {}
    only = {} if customer_ids is None else {"customer_id__in": list(customer_ids)}

    def put(customer_id, **values):
        row = expected.setdefault(customer_id, {"receivable": ZERO, "unapplied_credit": ZERO, "open_orders": ZERO,
                                                "invoiced_total": ZERO, "paid_total": ZERO,
                                                "oldest_open_due_date": None})
        for key, value in values.items():
            row[key] = (row[key] + value) if key == "unapplied_credit" else value

    for row in Invoice.objects.filter(**only).values("customer_id").annotate(
            receivable=Sum("open_amount"), invoiced=Sum("amount"),
            oldest=Min("due_date", filter=Q(open_amount__gt=0))):
        put(row["customer_id"], receivable=row["receivable"], invoiced_total=row["invoiced"],
            oldest_open_due_date=row["oldest"])
    for row in Receipt.objects.filter(is_reversed=False, **only).values("customer_id").annotate(
            paid=Sum("amount"), unapplied=Sum("unapplied_amount")):
        put(row["customer_id"], paid_total=row["paid"], unapplied_credit=row["unapplied"])
    for row in CreditNote.objects.filter(**only).values("customer_id").annotate(unapplied=Sum("unapplied_amount")):
        put(row["customer_id"], unapplied_credit=row["unapplied"])
    for row in SalesOrder.objects.filter(status=SalesOrder.Status.CONFIRMED, **only).values("customer_id").annotate(
            amount=Sum("amount")):
        put(row["customer_id"], open_orders=row["amount"])
    return expected


def _rounded(value):
    if isinstance(value, float):  # SQLite's sums of decimals
        value = Decimal(repr(value))
    return money(value) if isinstance(value, Decimal | int) and not isinstance(value, bool) else value


def balance_drift() -> list[Drift]:
    expected = expected_balances()
    kept = {row["customer_id"]: row for row in CustomerBalance.objects.values("customer_id", *BALANCE_FIELDS)}
    zero = {"receivable": ZERO, "unapplied_credit": ZERO, "open_orders": ZERO, "invoiced_total": ZERO,
            "paid_total": ZERO, "oldest_open_due_date": None}
    found = []
    for customer_id in sorted(set(expected) | set(kept)):
        want, have = expected.get(customer_id, zero), kept.get(customer_id, zero)
        for field in BALANCE_FIELDS:
            if _rounded(want[field]) != _rounded(have[field]):
                found.append(Drift("balance", customer_id, field, _rounded(have[field]), _rounded(want[field])))
    return found


def month_sales_drift() -> list[Drift]:
    """Customer-months whose kept goods sales, cost or invoice count (CustomerMonthSales) differ from their goods
    invoices and lines, including months missing on either side. key: customer id; field: "YYYY-MM figure"."""
    zero = {"sales": ZERO, "cost": ZERO, "invoices": 0}
    expected: dict[tuple[int, datetime.date], dict] = {}
    goods = Invoice.objects.filter(kind=Invoice.Kind.GOODS)
    for cid, month, total, n in (goods.annotate(m=TruncMonth("invoice_date")).values("customer_id", "m")
                                 .annotate(s=Sum("amount"), n=Count("id")).order_by()
                                 .values_list("customer_id", "m", "s", "n")):
        expected[(cid, month)] = {"sales": total, "cost": ZERO, "invoices": n}
    for cid, month, cost in (InvoiceLine.objects.filter(invoice__kind=Invoice.Kind.GOODS)
                             .annotate(m=TruncMonth("invoice__invoice_date")).values("invoice__customer_id", "m")
                             .annotate(c=Sum("cost")).order_by().values_list("invoice__customer_id", "m", "c")):
        expected.setdefault((cid, month), dict(zero))["cost"] = cost
    kept = {(cid, month): {"sales": s_, "cost": c, "invoices": n} for cid, month, s_, c, n in
            CustomerMonthSales.objects.values_list("customer_id", "month", "sales", "cost", "invoices")}
    found = []
    for cid, month in sorted(set(expected) | set(kept)):
        want, have = expected.get((cid, month), zero), kept.get((cid, month), zero)
        for field in ("sales", "cost", "invoices"):
            if _rounded(want[field]) != _rounded(have[field]):
                found.append(Drift("month_sales", cid, f"{month:%Y-%m} {field}", _rounded(have[field]),
                                   _rounded(want[field])))
    return found


# --- goods sales per customer over a period -----------------------------------------------------------------
# Full months come from CustomerMonthSales; a partial month at either end from the goods invoices of its days
# (index invoice_goods_by_date), or, when the rest of that month is shorter, from the month's row less the
# invoices of the rest: a period ending today reads the few invoices dated after today, not the month so far.
# The invoice count kept per month says whether anything is left after the subtraction (amounts are > 0).

DAY = datetime.timedelta(days=1)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _split(period_from: datetime.date, period_to: datetime.date):
    """[from, to] as (first full month, first month after the full ones) — None when there is no full month —
    and the edge day ranges [(a, b)], each inside one month, not covered by them (none, one or two)."""
    first = period_from if period_from.day == 1 else _next_month(period_from)
    after = (period_to + DAY).replace(day=1)  # full months end before this one
    if first >= after:
        if period_from.replace(day=1) == period_to.replace(day=1):
            return None, [(period_from, period_to)]
        return None, [(period_from, first - DAY), (first, period_to)]  # across one month end
    edges = []
    if period_from < first:
        edges.append((period_from, first - DAY))
    if after <= period_to:
        edges.append((after, period_to))
    return (first, after), edges


def _fetch(rows) -> list[tuple]:
    """The rows of a values_list() queryset. On PostgreSQL through the plain cursor (psycopg already returns int
    and Decimal): Django's per-row converters of aggregates cost ~0.4 s on 100,000 rows. SQLite needs them (it
    sums decimals as floats), then a rounding to the cent: a large float sum comes back as e.g.
    Decimal("565949688.45000001")."""
    if connection.vendor != "postgresql":
        return [tuple(money(v) if isinstance(v, Decimal) else v for v in row) for row in rows]
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _months(first: datetime.date, after: datetime.date, with_cost: bool) -> dict[int, list]:
    """{customer: [sales, cost, invoices]} over the months [first, after) from the summary: for one month its
    rows (one per customer, a range of the month_sales_month_customer index), for more one grouped index-only
    scan of month_sales_by_customer."""
    rows = CustomerMonthSales.objects.filter(month__gte=first, month__lt=after).order_by()
    fields = ["sales", "cost", "invoices"] if with_cost else ["sales", "invoices"]
    if after != _next_month(first):
        rows = rows.values("customer_id").annotate(**{f"{f}_sum": Sum(f) for f in fields})
        fields = [f"{f}_sum" for f in fields]
    rows = _fetch(rows.values_list("customer_id", *fields))
    if with_cost:
        return {cid: [total, cost, n] for cid, total, cost, n in rows}
    return {cid: [total, ZERO, n] for cid, total, n in rows}


def _days(start: datetime.date, end: datetime.date, with_cost: bool) -> dict[int, list]:
    """{customer: [sales, cost, invoices]} of the goods invoices dated in [start, end] (an index-only range scan
    of invoice_goods_by_date; COUNT(*), not of a column the index lacks)."""
    out = {cid: [total, ZERO, n] for cid, total, n in _fetch(
           Invoice.objects.filter(kind=Invoice.Kind.GOODS, invoice_date__range=(start, end)).values("customer_id")
           .annotate(s=Sum("amount"), n=Count("*")).order_by().values_list("customer_id", "s", "n"))}
    if with_cost:
        for cid, cost in (InvoiceLine.objects.filter(invoice__kind=Invoice.Kind.GOODS,
                                                     invoice__invoice_date__range=(start, end))
                          .values("invoice__customer_id").annotate(c=Sum("cost")).order_by()
                          .values_list("invoice__customer_id", "c")):
            out.setdefault(cid, [ZERO, ZERO, 0])[1] += cost
    return out


def _edge_pieces(start: datetime.date, end: datetime.date) -> list[tuple[str, datetime.date, datetime.date]]:
    """How to read [start, end] inside one month, whichever reads fewer days: [("+days", start, end)] (its own
    invoices), or [("months", month, next month), ("-days", a, b) …] (the month's row less the invoices of the
    rest of the month)."""
    month = start.replace(day=1)
    rest = [(a, b) for a, b in ((month, start - DAY), (end + DAY, _next_month(month) - DAY)) if a <= b]
    if sum((b - a).days + 1 for a, b in rest) >= (end - start).days + 1:
        return [("+days", start, end)]
    return [("months", month, _next_month(month)), *(("-days", a, b) for a, b in rest)]


def _part_month(start: datetime.date, end: datetime.date, with_cost: bool) -> dict[int, list]:
    """[start, end] inside one month, read as _edge_pieces says. An exact invoice count per customer (0: nothing
    in [start, end])."""
    (source, a, b), *rest = _edge_pieces(start, end)
    if source == "+days":
        return _days(a, b, with_cost)
    out = _months(a, b, with_cost)
    for _minus, a, b in rest:
        for cid, (total, cost, n) in _days(a, b, with_cost).items():
            cell = out[cid]  # the month's row holds every invoice of the month
            cell[0] -= total
            cell[1] -= cost
            cell[2] -= n
    return out


def _goods(period_from: datetime.date, period_to: datetime.date, with_cost: bool) -> dict[int, list]:
    """{customer: [sales, cost, invoices]} for the customers with goods invoices dated in [from, to]."""
    if period_to < period_from:
        return {}
    months, edges = _split(period_from, period_to)
    out = _months(*months, with_cost) if months else {}
    for start, end in edges:
        for cid, (total, cost, n) in _part_month(start, end, with_cost).items():
            if not n:
                continue
            cell = out.get(cid)
            if cell is None:
                out[cid] = [total, cost, n]
            else:
                cell[0] += total
                cell[1] += cost
                cell[2] += n
    return out


def goods_sales_by_customer(period_from: datetime.date, period_to: datetime.date) -> dict[int, Decimal]:
    """{customer id: Σ goods invoice amounts dated in [from, to]} for the customers with any; exact for any
    dates (full months from CustomerMonthSales, the partial months at either end from the invoices)."""
    return {cid: cell[0] for cid, cell in _goods(period_from, period_to, False).items()}


def goods_sales_and_cost_by_customer(period_from: datetime.date, period_to: datetime.date
                                     ) -> dict[int, tuple[Decimal, Decimal]]:
    """{customer id: (goods sales, cost of those goods)} over [from, to] for the customers with goods sales in
    it; cost = Σ the invoice lines' cost (0 for an invoice without lines). Exact for any dates, like
    goods_sales_by_customer."""
    return {cid: (cell[0], cell[1]) for cid, cell in _goods(period_from, period_to, True).items()}


def customers_with_goods_before(day: datetime.date) -> set[int]:
    """Ids of the customers with a goods invoice dated before `day`: the months before day's month from
    CustomerMonthSales, the days of day's month before it as for a period's edge."""
    month = day.replace(day=1)
    found = set(CustomerMonthSales.objects.filter(month__lt=month).values_list("customer_id", flat=True)
                .distinct().order_by())
    if month < day:
        found.update(cid for cid, (_total, _cost, n) in _part_month(month, day - DAY, False).items() if n)
    return found


def customers_with_goods_up_to(day: datetime.date) -> set[int]:
    """Ids of the customers with a goods invoice dated on or before `day`."""
    return customers_with_goods_before(day + DAY)


# --- the same sums in one statement, in fen, for classifying every active customer ------------------------

def _sales_parts(period_from: datetime.date, period_to: datetime.date) -> list[tuple[str, str, list]]:
    """The signed pieces whose sum per customer is its goods sales in [from, to], as (source, a, b):
    source "months" (CustomerMonthSales rows of [first, after)) or "+days" / "-days" (goods invoices dated in
    [a, b], added or taken off) — the same split as _goods (_split, then _edge_pieces for each partial month).
    None for a reversed period."""
    if period_to < period_from:
        return []
    months, edges = _split(period_from, period_to)
    parts = [("months", *months)] if months else []
    for start, end in edges:
        parts.extend(_edge_pieces(start, end))
    return parts


def _merged(parts: list[tuple]) -> list[tuple]:
    """Adjacent month ranges as one (one scan of the summary instead of two)."""
    months = sorted((a, b) for source, a, b in parts if source == "months")
    joined: list[list] = []
    for a, b in months:
        if joined and joined[-1][1] == a:
            joined[-1][1] = b
        else:
            joined.append([a, b])
    return [("months", a, b) for a, b in joined] + [part for part in parts if part[0] != "months"]


def active_goods_cents(period_from: datetime.date, period_to: datetime.date) -> tuple[dict[int, int], set[int]]:
    """({active customer id: goods sales in [from, to] in fen (0 when none)}, active ids that never bought goods
    up to `to`). One statement for the sums — the signed pieces of _sales_parts unioned and grouped once in the
    database, summed as integer fen (no Decimal per row) — plus the active ids; "never bought" is then looked up
    only for the customers without sales in the period."""
    quote = connection.ops.quote_name
    months_table, invoice_table = quote(CustomerMonthSales._meta.db_table), quote(Invoice._meta.db_table)
    cid, month, amount, kind, day = (quote(n) for n in ("customer_id", "month", "amount", "kind", "invoice_date"))
    pieces, params = [], []
    for source, a, b in _merged(_sales_parts(period_from, period_to)):
        if source == "months":
            pieces.append(f"SELECT {cid} AS c, {quote('sales')} AS v FROM {months_table} "
                          f"WHERE {month} >= %s AND {month} < %s")
            params.append([a, b])
        else:
            sign = "" if source == "+days" else "-"
            pieces.append(f"SELECT {cid} AS c, {sign}{amount} AS v FROM {invoice_table} "
                          f"WHERE {kind} = %s AND {day} >= %s AND {day} <= %s")
            params.append([Invoice.Kind.GOODS, a, b])
    cents: dict[int, int] = {}
    with connection.cursor() as cursor:
        # Each piece grouped on its own (the months: an index-only scan in customer order, streamed into a
        # group aggregate; one statement for all made PostgreSQL plan a parallel hash that spilled to disk),
        # the few rows per customer added up here. ROUND before the cast: SQLite sums decimals as floats.
        for piece, piece_params in zip(pieces, params, strict=True):
            cursor.execute(f"SELECT c, CAST(ROUND(SUM(v) * 100) AS BIGINT) FROM ({piece}) piece GROUP BY c",
                           piece_params)
            if not cents:
                cents = dict(cursor.fetchall())
                continue
            for c, v in cursor.fetchall():
                cents[c] = cents.get(c, 0) + v
    from credo.customers.models import Customer

    active = Customer.objects.filter(is_active=True).values_list("id", flat=True).order_by()
    out = {c: cents.get(c) or 0 for c in active}
    idle = [c for c, v in out.items() if not v]
    return out, _never_bought(idle, period_to)


def _never_bought(ids: list[int], day: datetime.date) -> set[int]:
    """Those of `ids` with no goods invoice dated on or before `day`."""
    if not ids:
        return set()
    month = day.replace(day=1)
    bought: set[int] = set()
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        bought.update(CustomerMonthSales.objects.filter(customer_id__in=chunk, month__lt=month)
                      .values_list("customer_id", flat=True).distinct().order_by())
        bought.update(Invoice.objects.filter(customer_id__in=chunk, kind=Invoice.Kind.GOODS,
                                             invoice_date__gte=month, invoice_date__lte=day)
                      .values_list("customer_id", flat=True).distinct().order_by())
    return set(ids) - bought
