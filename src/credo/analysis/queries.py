"""Read side of the customer analysis (SPEC §4): every report is one or two grouped queries over the goods
invoice lines (Invoice kind "goods"), limited to the customers the user may see (customer_q) and the filters
(period, territory, account manager, kind, class). The figures are computed by rules.py.

A report is columns + rows (plain values: Decimal, int, str, None) + totals + an ECharts option; the page,
the Excel export and the API all render the same Report.
"""

import dataclasses
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.db.models.functions import TruncMonth, TruncYear
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from credo.core.clock import business_today
from credo.core.models import CompanyProfile
from credo.core.scopes import customer_q, scope_of
from credo.customers.models import Customer, CustomerKind, Importance, Lifecycle
from credo.customers.rules import add_months
from credo.sales.models import Invoice, InvoiceLine

from . import rules
from .models import DealerStock

ZERO = Decimal("0.00")
COMPOSITION_GROUPS = ("kind", "territory", "importance", "lifecycle", "manager")
MARGIN_GROUPS = ("product", "customer")
REPORTS = ("composition", "transactions", "products", "margin", "cross", "turnover", "mix")
MIX_TOP = 8  # product columns of the product-mix table; the rest is "other"
MIX_TOP_MAX = 30
MIX_CHART_CUSTOMERS = 20
OTHER = "other"


def class_provider():
    """A function(customer ids) -> {id: class} from the classification app (current_classes, or else
    latest_pyramid_classes), or None when the app offers neither."""
    try:
        from credo.classification import queries as classification
    except ImportError:
        return None
    return getattr(classification, "current_classes", None) or getattr(classification, "latest_pyramid_classes", None)



def money(value) -> Decimal:
    if value is None:
        return ZERO
    if isinstance(value, float):
        value = repr(value)
    return rules.money(Decimal(value))


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


@dataclass
class AnalysisFilter:
    date_from: datetime.date
    date_to: datetime.date
    territory: int | None = None
    manager: int | None = None
    kind: str = ""
    klass: str = ""
    customer: int | None = None
    by: str = ""
    expected: Decimal | None = None  # expected share of each customer, a fraction
    top: int | None = None  # product mix: how many products get their own column (MIX_TOP when None)

    @classmethod
    def from_mapping(cls, data, today: datetime.date | None = None) -> "AnalysisFilter":
        """From a query string; raises ValueError naming the parameter on bad input."""
        today = today or business_today()

        def as_int(key):
            value = (data.get(key) or "").strip()
            if not value:
                return None
            try:
                return int(value)
            except ValueError as exc:
                raise ValueError(key) from exc

        def as_date(key, default):
            value = (data.get(key) or "").strip()
            try:
                return datetime.date.fromisoformat(value) if value else default
            except ValueError as exc:
                raise ValueError(key) from exc

        date_to = as_date("date_to", today)
        date_from = as_date("date_from", date_to.replace(month=1, day=1))
        if date_from > date_to:
            raise ValueError("date_from")
        kind = (data.get("kind") or "").strip()
        if kind and kind not in CustomerKind.values:
            raise ValueError("kind")
        expected = None
        text = (data.get("expected") or "").strip()
        if text:
            try:
                expected = Decimal(text) / 100
            except ArithmeticError as exc:
                raise ValueError("expected") from exc
            if not 0 <= expected <= 1:
                raise ValueError("expected")
        top = as_int("top")
        if top is not None and not 1 <= top <= MIX_TOP_MAX:
            raise ValueError("top")
        return cls(date_from=date_from, date_to=date_to, territory=as_int("territory"), manager=as_int("manager"),
                   kind=kind, klass=(data.get("klass") or "").strip(), customer=as_int("customer"),
                   by=(data.get("by") or "").strip(), expected=expected, top=top)

    def query(self) -> dict:
        values = {"date_from": self.date_from.isoformat(), "date_to": self.date_to.isoformat(),
                  "territory": self.territory, "manager": self.manager, "kind": self.kind, "klass": self.klass,
                  "customer": self.customer, "by": self.by,
                  "expected": None if self.expected is None else str(self.expected * 100), "top": self.top}
        return {k: v for k, v in values.items() if v not in (None, "")}


def customer_filter(user, flt: AnalysisFilter, prefix: str = "") -> Q:
    """The user's scope and the customer filters, as a Q on a model reaching the customer through prefix.
    user None: the system (commands without --user) sees every customer."""
    if user is None:
        q = Q()
    elif scope_of(user) is None:
        return Q(pk__in=[])
    else:
        q = customer_q(user, prefix)
    if flt.territory:
        q &= Q(**{f"{prefix}territory_id": flt.territory})
    if flt.manager:
        q &= Q(**{f"{prefix}account_manager_id": flt.manager})
    if flt.kind:
        q &= Q(**{f"{prefix}kind": flt.kind})
    if flt.customer:
        q &= Q(**{f"{prefix}pk": flt.customer})
    if flt.klass:
        provider = class_provider()
        if provider is not None:
            visible = Customer.objects.all() if user is None else Customer.objects.filter(customer_q(user))
            ids = list(visible.values_list("pk", flat=True))
            classes = provider(ids)
            q &= Q(**{f"{prefix}pk__in": [i for i in ids if str(classes.get(i, "")) == flt.klass]})
    return q


def goods_lines(user, flt: AnalysisFilter):
    return InvoiceLine.objects.filter(
        customer_filter(user, flt, "customer__"), invoice__kind=Invoice.Kind.GOODS,
        invoice__invoice_date__gte=flt.date_from, invoice__invoice_date__lte=flt.date_to)


@dataclass
class Column:
    key: str
    title: str
    type: str = "text"  # text, int, qty, money, ratio (fraction shown as %), number (plain ratio), score (4 places),
    #                     points (a difference of fractions, shown in percentage points)
    page: bool = True  # shown as a column of the page's table (always in the export and the API)
    sub: str = ""  # the key of another column shown small under this one on the page
    drill: str = ""  # the row key of a customer id: the page links the cell to this report for that customer


@dataclass
class Report:
    name: str
    title: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    totals: dict = field(default_factory=dict)
    chart: dict = field(default_factory=dict)
    note: str = ""
    chart_height: int = 320
    customer: dict | None = None  # the one customer the report is about: {id, code, name}


def _num(value) -> float | None:
    return None if value is None else float(value)


# 4.1 Composition ----------------------------------------------------------------------------------------

def composition(user, flt: AnalysisFilter) -> Report:
    by = flt.by if flt.by in COMPOSITION_GROUPS else "kind"
    in_period = Q(invoice_lines__invoice__kind=Invoice.Kind.GOODS,
                  invoice_lines__invoice__invoice_date__gte=flt.date_from,
                  invoice_lines__invoice__invoice_date__lte=flt.date_to)
    customers = Customer.objects.filter(customer_filter(user, flt))
    if by == "lifecycle":
        cutoff = add_months(flt.date_to, -CompanyProfile.current().new_customer_months)
        customers = customers.annotate(group=Case(
            When(first_order_date__isnull=True, then=Value(Lifecycle.POTENTIAL)),
            When(first_order_date__gt=cutoff, then=Value(Lifecycle.NEW)),
            default=Value(Lifecycle.OLD), output_field=CharField()))
        key, labels = "group", dict(Lifecycle.choices)
    elif by == "territory":
        key, labels = "territory__name", {}
    elif by == "manager":
        key, labels = "account_manager__username", {}
    else:
        key, labels = by, dict(CustomerKind.choices if by == "kind" else Importance.choices)
    grouped = (customers.values(key).annotate(customers=Count("pk", distinct=True),
                                              buyers=Count("pk", distinct=True, filter=in_period),
                                              sales=Sum("invoice_lines__amount", filter=in_period))
               .order_by(key))
    rows = []
    for g in grouped:
        value = g[key]
        rows.append({"group": str(labels.get(value, value)) if value else _("(none)"), "customers": g["customers"],
                     "buyers": g["buyers"], "sales": money(g["sales"])})
    total = sum((r["sales"] for r in rows), ZERO)
    count = sum(r["customers"] for r in rows)
    for r in rows:
        r["share"] = rules.share(r["sales"], total)
        r["customer_share"] = rules.share(r["customers"], count)
    rows.sort(key=lambda r: (-r["sales"], r["group"]))
    by_titles = dict(composition_groups())
    return Report(
        "composition", _("Customer composition by %(group)s") % {"group": by_titles[by]},
        [Column("group", by_titles[by]), Column("customers", _("Customers"), "int"),
         Column("customer_share", _("Share of customers"), "ratio"), Column("buyers", _("Buying customers"), "int"),
         Column("sales", _("Sales"), "money"), Column("share", _("Share of sales"), "ratio")],
        rows, {"customers": count, "buyers": sum(r["buyers"] for r in rows), "sales": total,
               "share": rules.share(total, total), "customer_share": rules.share(count, count)},
        {"tooltip": {"trigger": "item"}, "legend": {"bottom": 0},
         "series": [{"name": _("Sales"), "type": "pie", "radius": ["0%", "45%"], "center": ["25%", "45%"],
                     "data": [{"name": r["group"], "value": _num(r["sales"])} for r in rows]},
                    {"name": _("Customers"), "type": "pie", "radius": ["0%", "45%"], "center": ["75%", "45%"],
                     "data": [{"name": r["group"], "value": r["customers"]} for r in rows]}],
         "title": [{"text": _("Sales"), "left": "25%", "textAlign": "center", "textStyle": {"fontSize": 13}},
                   {"text": _("Customers"), "left": "75%", "textAlign": "center", "textStyle": {"fontSize": 13}}]})


def composition_groups():
    return [("kind", _("Kind")), ("territory", _("Territory")), ("importance", _("Importance")),
            ("lifecycle", _("Lifecycle")), ("manager", _("Account manager"))]


# 4.2 Transactions ---------------------------------------------------------------------------------------

def periods(flt: AnalysisFilter) -> tuple[str, list[datetime.date]]:
    """Month columns for up to 24 months, else year columns."""
    start, end = first_of_month(flt.date_from), first_of_month(flt.date_to)
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    if count <= 24:
        return "month", [add_months(start, i) for i in range(count)]
    return "year", [datetime.date(y, 1, 1) for y in range(start.year, end.year + 1)]


def transactions(user, flt: AnalysisFilter) -> Report:
    grain, columns = periods(flt)
    trunc = TruncMonth if grain == "month" else TruncYear
    grouped = (goods_lines(user, flt)
               .values("customer_id", "customer__code", "customer__name", period=trunc("invoice__invoice_date"))
               .annotate(sales=Sum("amount")).order_by())
    fmt = "%Y-%m" if grain == "month" else "%Y"
    keys = [p.strftime(fmt) for p in columns]
    by_customer: dict[int, dict] = {}
    for g in grouped:
        row = by_customer.setdefault(g["customer_id"], {"code": g["customer__code"], "name": g["customer__name"],
                                                       **{k: ZERO for k in keys}, "sales": ZERO})
        period = g["period"]
        k = (period.date() if isinstance(period, datetime.datetime) else period).strftime(fmt)
        row[k] = row.get(k, ZERO) + money(g["sales"])
        row["sales"] += money(g["sales"])
    rows = sorted(by_customer.values(), key=lambda r: (-r["sales"], r["code"]))
    total = sum((r["sales"] for r in rows), ZERO)
    for r in rows:
        r["share"] = rules.share(r["sales"], total)
        r["expected"] = flt.expected
        r["gap"] = rules.share_gap(r["share"], flt.expected)
    totals = {k: sum((r[k] for r in rows), ZERO) for k in keys}
    totals.update(sales=total, share=rules.share(total, total))
    series = [{"name": _("All customers"), "type": "bar", "data": [_num(totals[k]) for k in keys]}]
    series += [{"name": r["code"], "type": "line", "data": [_num(r[k]) for k in keys]} for r in rows[:5]]
    return Report(
        "transactions", _("Transactions per customer"),
        [Column("code", _("Code")), Column("name", _("Customer")), *[Column(k, k, "money") for k in keys],
         Column("sales", _("Sales in the period"), "money"), Column("share", _("Share of sales"), "ratio"),
         Column("expected", _("Expected share"), "ratio"), Column("gap", _("Difference"), "ratio")],
        rows, totals,
        {"tooltip": {"trigger": "axis"}, "legend": {"bottom": 0}, "grid": {"left": 70, "right": 20, "top": 20,
                                                                          "bottom": 50},
         "xAxis": {"type": "category", "data": keys}, "yAxis": {"type": "value"}, "series": series})


# 4.3 Product composition (Pareto) ------------------------------------------------------------------------

def _product_sales(user, flt: AnalysisFilter) -> list[dict]:
    grouped = (goods_lines(user, flt).values("product_id", "product__code", "product__name")
               .annotate(sales=Sum("amount"), cost=Sum("cost"), quantity=Sum("quantity")).order_by())
    return [{"key": g["product_id"], "code": g["product__code"] or "", "name": g["product__name"] or _("(no product)"),
             "sales": money(g["sales"]), "cost": money(g["cost"]), "quantity": Decimal(str(g["quantity"] or 0))}
            for g in grouped]


def products(user, flt: AnalysisFilter) -> Report:
    found = {p["key"]: p for p in _product_sales(user, flt)}
    rows = []
    for p in rules.pareto((k, v["sales"]) for k, v in found.items()):
        item = found[p.key]
        rows.append({"rank": p.rank, "code": item["code"], "name": item["name"], "quantity": item["quantity"],
                     "sales": p.value, "share": p.share, "cumulative": money(p.cumulative),
                     "cumulative_share": p.cumulative_share, "abc": p.abc})
    total = sum((r["sales"] for r in rows), ZERO)
    labels = [r["code"] or r["name"] for r in rows]
    return Report(
        "products", _("Product composition (Pareto)"),
        [Column("rank", _("Rank"), "int"), Column("code", _("Product code")), Column("name", _("Product")),
         Column("quantity", _("Quantity"), "qty"), Column("sales", _("Sales"), "money"),
         Column("share", _("Share of sales"), "ratio"), Column("cumulative", _("Cumulative sales"), "money"),
         Column("cumulative_share", _("Cumulative share"), "ratio"), Column("abc", _("ABC class"))],
        rows, {"sales": total, "share": rules.share(total, total)},
        {"tooltip": {"trigger": "axis"}, "legend": {"bottom": 0},
         "grid": {"left": 70, "right": 50, "top": 20, "bottom": 50},
         "xAxis": {"type": "category", "data": labels},
         "yAxis": [{"type": "value", "name": _("Sales")}, {"type": "value", "name": "%", "max": 100, "min": 0}],
         "series": [{"name": _("Sales"), "type": "bar", "data": [_num(r["sales"]) for r in rows]},
                    {"name": _("Cumulative share"), "type": "line", "yAxisIndex": 1,
                     "data": [None if r["cumulative_share"] is None else float(r["cumulative_share"] * 100)
                              for r in rows]},
                    ]})


# 4.4 Gross margin -----------------------------------------------------------------------------------------

def margin(user, flt: AnalysisFilter) -> Report:
    by = flt.by if flt.by in MARGIN_GROUPS else "product"
    if by == "product":
        items = _product_sales(user, flt)
    else:
        grouped = (goods_lines(user, flt).values("customer_id", "customer__code", "customer__name")
                   .annotate(sales=Sum("amount"), cost=Sum("cost")).order_by())
        items = [{"code": g["customer__code"], "name": g["customer__name"], "sales": money(g["sales"]),
                  "cost": money(g["cost"])} for g in grouped]
    rows = []
    for item in items:
        rows.append({"code": item["code"], "name": item["name"], "sales": item["sales"], "cost": item["cost"],
                     "profit": rules.gross_profit(item["sales"], item["cost"]),
                     "rate": rules.gross_margin(item["sales"], item["cost"])})
    rows.sort(key=lambda r: (-r["profit"], r["code"]))
    sales, cost = sum((r["sales"] for r in rows), ZERO), sum((r["cost"] for r in rows), ZERO)
    labels = [r["code"] or r["name"] for r in rows]
    return Report(
        "margin", _("Gross margin by product") if by == "product" else _("Gross margin by customer"),
        [Column("code", _("Code")), Column("name", _("Product") if by == "product" else _("Customer")),
         Column("sales", _("Sales"), "money"), Column("cost", _("Cost"), "money"),
         Column("profit", _("Gross profit"), "money"), Column("rate", _("Gross margin rate"), "ratio")],
        rows, {"sales": sales, "cost": cost, "profit": rules.gross_profit(sales, cost),
               "rate": rules.gross_margin(sales, cost)},
        {"tooltip": {"trigger": "axis"}, "legend": {"bottom": 0},
         "grid": {"left": 70, "right": 50, "top": 20, "bottom": 50},
         "xAxis": {"type": "category", "data": labels},
         "yAxis": [{"type": "value", "name": _("Gross profit")}, {"type": "value", "name": "%"}],
         "series": [{"name": _("Gross profit"), "type": "bar", "data": [_num(r["profit"]) for r in rows]},
                    {"name": _("Gross margin rate"), "type": "line", "yAxisIndex": 1,
                     "data": [None if r["rate"] is None else float(r["rate"] * 100) for r in rows]}]},
        note=_("Gross margin rate = (sales − cost) / sales; “—” where there are no sales."))


# 4.5 Turnover at dealers ----------------------------------------------------------------------------------

def stock_months(flt: AnalysisFilter) -> tuple[datetime.date, datetime.date]:
    """Opening stock: the end of the month before the period; closing stock: the end of the period's last month."""
    return add_months(first_of_month(flt.date_from), -1), first_of_month(flt.date_to)


def _turnover_rows(user, flt: AnalysisFilter) -> list[dict]:
    opening_month, closing_month = stock_months(flt)
    stock = (DealerStock.objects.filter(customer_filter(user, flt, "customer__"),
                                        month__in=[opening_month, closing_month])
             .values("customer_id", "customer__code", "customer__name", "product_id", "product__code",
                     "product__name", "month", "amount"))
    pairs: dict[tuple[int, int], dict] = {}
    for s in stock:
        row = pairs.setdefault((s["customer_id"], s["product_id"]), {
            "customer_code": s["customer__code"], "customer_name": s["customer__name"], "product_id": s["product_id"],
            "product_code": s["product__code"], "product_name": s["product__name"], "opening": None, "closing": None})
        row["opening" if s["month"] == opening_month else "closing"] = money(s["amount"])
    if not pairs:
        return []
    sales = (goods_lines(user, flt).filter(customer_id__in={c for c, _p in pairs}, product_id__in={p for _c, p in pairs})
             .values("customer_id", "product_id").annotate(sales=Sum("amount")).order_by())
    sold = {(s["customer_id"], s["product_id"]): money(s["sales"]) for s in sales}
    rows = []
    for key, row in pairs.items():
        row["sales"] = sold.get(key, ZERO)
        row["average"] = rules.average_stock(row["opening"], row["closing"])
        row["turnover"] = rules.turnover(row["sales"], row["average"])
        rows.append(row)
    rows.sort(key=lambda r: (r["customer_code"], r["product_code"]))
    return rows


def turnover(user, flt: AnalysisFilter) -> Report:
    rows = _turnover_rows(user, flt)
    opening_month, closing_month = stock_months(flt)
    sales = sum((r["sales"] for r in rows), ZERO)
    opening = sum((r["opening"] or ZERO for r in rows), ZERO)
    closing = sum((r["closing"] or ZERO for r in rows), ZERO)
    average = rules.average_stock(opening, closing) if rows else None
    labels = [f"{r['customer_code']} / {r['product_code']}" for r in rows]
    return Report(
        "turnover", _("Turnover at dealers"),
        [Column("customer_code", _("Dealer code")), Column("customer_name", _("Dealer")),
         Column("product_code", _("Product code")), Column("product_name", _("Product")),
         Column("opening", _("Opening stock (%(month)s)") % {"month": opening_month.strftime("%Y-%m")}, "money"),
         Column("closing", _("Closing stock (%(month)s)") % {"month": closing_month.strftime("%Y-%m")}, "money"),
         Column("average", _("Average stock"), "money"), Column("sales", _("Sales to the dealer"), "money"),
         Column("turnover", _("Turnover"), "number")],
        rows, {"opening": opening, "closing": closing, "average": average, "sales": sales,
               "turnover": rules.turnover(sales, average)},
        {"tooltip": {"trigger": "axis"}, "grid": {"left": 70, "right": 20, "top": 20, "bottom": 60},
         "xAxis": {"type": "category", "data": labels}, "yAxis": {"type": "value"},
         "series": [{"name": _("Turnover"), "type": "bar", "data": [_num(r["turnover"]) for r in rows]}]},
        note=_("Average stock = (opening stock + closing stock) / 2 (the one reported when the other is missing); "
               "turnover = sales to the dealer in the period / average stock."))


# 4.6 / 4.7 Cross ratio and contribution ratio --------------------------------------------------------------

def cross(user, flt: AnalysisFilter) -> Report:
    items = _product_sales(user, flt)
    total = sum((i["sales"] for i in items), ZERO)
    at_dealers: dict[int, dict] = {}
    for r in _turnover_rows(user, flt):
        d = at_dealers.setdefault(r["product_id"], {"sales": ZERO, "average": ZERO, "known": False})
        d["sales"] += r["sales"]
        if r["average"] is not None:
            d["average"] += r["average"]
            d["known"] = True
    rows = []
    for i in items:
        d = at_dealers.get(i["key"])
        rate = rules.gross_margin(i["sales"], i["cost"])
        share = rules.share(i["sales"], total)
        turn = rules.turnover(d["sales"], d["average"]) if d and d["known"] else None
        cr = rules.cross_ratio(rate, turn)
        rows.append({"code": i["code"], "name": i["name"], "sales": i["sales"], "rate": rate, "share": share,
                     "stock": d["average"] if d and d["known"] else None, "turnover": turn, "cross": cr,
                     "contribution": rules.contribution_ratio(cr, share)})
    rows.sort(key=lambda r: (r["contribution"] is None, -(r["contribution"] or 0), -r["sales"], r["code"]))
    labels = [r["code"] or r["name"] for r in rows]
    return Report(
        "cross", _("Cross ratio and contribution ratio by product"),
        [Column("code", _("Product code")), Column("name", _("Product")), Column("sales", _("Sales"), "money"),
         Column("share", _("Share of sales"), "ratio"), Column("rate", _("Gross margin rate"), "ratio"),
         Column("stock", _("Average dealer stock"), "money"), Column("turnover", _("Turnover"), "number"),
         Column("cross", _("Cross ratio"), "number"), Column("contribution", _("Contribution ratio"), "number")],
        rows, {"sales": total},
        {"tooltip": {"trigger": "axis"}, "legend": {"bottom": 0},
         "grid": {"left": 60, "right": 20, "top": 20, "bottom": 50},
         "xAxis": {"type": "category", "data": labels}, "yAxis": {"type": "value"},
         "series": [{"name": _("Cross ratio"), "type": "bar", "data": [_num(r["cross"]) for r in rows]},
                    {"name": _("Contribution ratio"), "type": "bar", "data": [_num(r["contribution"]) for r in rows]}]},
        note=_("Cross ratio = gross margin rate × turnover at the dealers that report stock; "
               "contribution ratio = cross ratio × share of sales."))


# 4.3 Each customer's product mix -----------------------------------------------------------------------------

def visible_customer(user, pk: int) -> Customer:
    """The customer, if user may see it (user None: the system sees all); raises Customer.DoesNotExist."""
    if user is not None and scope_of(user) is None:
        raise Customer.DoesNotExist
    return Customer.objects.filter(Q() if user is None else customer_q(user)).get(pk=pk)


def _product_title(code: str | None, name: str | None) -> str:
    return " ".join(t for t in (code, name) if t)


def _mix_chart(bars: list[tuple[str, dict]], keys: list, titles: dict) -> dict:
    """A 100 % stacked horizontal bar per (label, {key: share}), one series per key, first bar at the top."""
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"bottom": 0, "type": "scroll"},
        "grid": {"left": 10, "right": 30, "top": 10, "bottom": 40, "containLabel": True},
        "xAxis": {"type": "value", "min": 0, "max": 100, "axisLabel": {"formatter": "{value} %"}},
        "yAxis": {"type": "category", "inverse": True, "data": [label for label, _s in bars],
                  "axisLabel": {"width": 160, "overflow": "truncate"}},
        "series": [{"name": titles[k], "type": "bar", "stack": "mix", "barMaxWidth": 28,
                    **({"itemStyle": {"color": "#adb5bd"}} if k == OTHER else {}),  # the rest: grey
                    "data": [None if shares.get(k) is None else round(float(shares[k] * 100), 2)
                             for _label, shares in bars]} for k in keys],
    }


def mix(user, flt: AnalysisFilter) -> Report:
    """Customers × the top N products by sales in the filters: each product's share of the customer's sales and
    the gap to the same share among all customers in the filters (the user's scope). With flt.customer: that
    customer's product rows (customer_mix)."""
    if flt.customer:
        return customer_mix(user, flt)
    lines = goods_lines(user, flt)
    company: dict = {}
    titles: dict = {OTHER: _("Other / no product")}
    for p in _product_sales(user, flt):
        company[p["key"]] = p["sales"]
        if p["key"] is not None:
            titles[p["key"]] = _product_title(p["code"], p["name"])
    top = rules.top_keys({k: v for k, v in company.items() if k is not None}, flt.top or MIX_TOP)
    keys = [*top, OTHER]
    company_mix = rules.mix(rules.bucket(company, top, OTHER))
    # One row per customer: the total and a conditional sum per top product; "other" is the rest.
    grouped = (lines.values("customer_id", "customer__code", "customer__name", "customer__is_active")
               .annotate(sales=Sum("amount"), **{f"p{k}": Sum("amount", filter=Q(product_id=k)) for k in top})
               .order_by())
    rows, shown_active = [], 0
    for g in grouped:
        total = money(g["sales"])
        if total <= 0:
            continue
        shown_active += bool(g["customer__is_active"])
        amounts = {k: money(g[f"p{k}"]) for k in top}
        amounts[OTHER] = total - sum(amounts.values(), ZERO)
        shares = rules.mix(amounts)
        row = {"customer_id": g["customer_id"], "code": g["customer__code"], "name": g["customer__name"],
               "sales": total}
        for k in keys:
            row[f"share_{k}"] = shares[k]
            row[f"gap_{k}"] = rules.share_gap(shares[k], company_mix[k])
        rows.append(row)
    rows.sort(key=lambda r: (-r["sales"], r["code"]))
    without_sales = Customer.objects.filter(customer_filter(user, flt), is_active=True).count() - shown_active
    total = sum(company.values(), ZERO)
    columns = [Column("code", _("Code")), Column("name", _("Customer"), drill="customer_id"),
               Column("sales", _("Sales"), "money")]
    for k in keys:
        columns += [Column(f"share_{k}", titles[k], "ratio", sub=f"gap_{k}"),
                    Column(f"gap_{k}", _("%(product)s: gap (percentage points)") % {"product": titles[k]}, "points",
                           page=False)]
    totals = {"sales": total, **{f"share_{k}": company_mix[k] for k in keys}}
    charted = rows[:MIX_CHART_CUSTOMERS]
    chart = _mix_chart([(r["name"], {k: r[f"share_{k}"] for k in keys}) for r in charted], keys, titles)
    note = _("Each cell: the product's share of the customer's sales in the period, and under it the gap to the "
             "share among all customers in these filters, in percentage points (negative: the customer buys less "
             "of it than the others). The total row is the mix of all these customers. Products outside the top "
             "%(top)d and lines without a product are under “Other / no product”.") % {"top": len(top) or (
                 flt.top or MIX_TOP)}
    if without_sales > 0:
        note += " " + ngettext(
            "%(count)d customer in these filters had no sales in the period and is not shown.",
            "%(count)d customers in these filters had no sales in the period and are not shown.",
            without_sales) % {"count": without_sales}
    return Report("mix", _("Customer product mix"), columns, rows, totals, chart, note,
                  chart_height=max(320, 30 * len(charted) + 80))


def customer_mix(user, flt: AnalysisFilter) -> Report:
    """One customer's sales per product in the period (quantity, gross profit, share) against the share of the
    product among all customers in the same filters; products the customer did not buy are listed with a
    share of 0 (the cross-selling gaps). Raises Customer.DoesNotExist when the user may not see the customer."""
    customer = visible_customer(user, flt.customer)
    mine = Q(customer_id=customer.pk)
    grouped = (goods_lines(user, dataclasses.replace(flt, customer=None))
               .values("product_id", "product__code", "product__name")
               .annotate(company=Sum("amount"), sales=Sum("amount", filter=mine),
                         quantity=Sum("quantity", filter=mine), cost=Sum("cost", filter=mine))
               .order_by())
    items = {}
    for g in grouped:
        items[g["product_id"]] = {
            "key": g["product_id"], "code": g["product__code"] or "",
            "name": g["product__name"] or _("Other / no product"), "company": money(g["company"]),
            "sales": money(g["sales"]), "cost": money(g["cost"]), "quantity": Decimal(str(g["quantity"] or 0))}
    own = rules.mix({k: i["sales"] for k, i in items.items()})
    company = rules.mix({k: i["company"] for k, i in items.items()})
    rows = []
    for k, i in items.items():
        if i["sales"] == 0 and i["company"] == 0:
            continue
        rows.append({"code": i["code"], "name": i["name"], "quantity": i["quantity"], "sales": i["sales"],
                     "profit": rules.gross_profit(i["sales"], i["cost"]), "share": own[k],
                     "company_share": company[k], "gap": rules.share_gap(own[k], company[k]), "_key": k,
                     "_company": i["company"]})
    rows.sort(key=lambda r: (r["_key"] is None, -r["sales"], -r["_company"], r["code"]))
    sales = sum((r["sales"] for r in rows), ZERO)
    company_total = sum((r["_company"] for r in rows), ZERO)
    top = rules.top_keys({r["_key"]: r["_company"] for r in rows if r["_key"] is not None}, flt.top or MIX_TOP)
    keys = [*top, OTHER]
    titles = {r["_key"]: _product_title(r["code"], r["name"]) for r in rows}
    titles[OTHER] = _("Other / no product")
    bars = [(customer.name, rules.mix(rules.bucket({r["_key"]: r["sales"] for r in rows}, top, OTHER))),
            (_("All customers in these filters"),
             rules.mix(rules.bucket({r["_key"]: r["_company"] for r in rows}, top, OTHER)))]
    note = _("Share: the product's share of this customer's sales in the period; share of all customers: the "
             "same among all customers in these filters; gap = share − share of all customers, in percentage "
             "points. Products the customer did not buy show a share of 0: the largest negative gaps are the "
             "cross-selling opportunities.")
    if sales <= 0:
        note += " " + _("This customer had no sales in the period.")
    return Report(
        "mix", _("Product mix of %(customer)s") % {"customer": customer.name},
        [Column("code", _("Product code")), Column("name", _("Product")), Column("quantity", _("Quantity"), "qty"),
         Column("sales", _("Sales"), "money"), Column("profit", _("Gross profit"), "money"),
         Column("share", _("Share of the customer's sales"), "ratio"),
         Column("company_share", _("Share among all customers"), "ratio"),
         Column("gap", _("Gap (percentage points)"), "points")],
        rows, {"sales": sales, "profit": sum((r["profit"] for r in rows), ZERO),
               "share": rules.share(sales, sales), "company_share": rules.share(company_total, company_total)},
        _mix_chart(bars, keys, titles), note, chart_height=200,
        customer={"id": customer.pk, "code": customer.code, "name": customer.name})


BUILDERS = {"composition": composition, "transactions": transactions, "products": products, "margin": margin,
            "cross": cross, "turnover": turnover, "mix": mix}


def build(name: str, user, flt: AnalysisFilter) -> Report:
    return BUILDERS[name](user, flt)
