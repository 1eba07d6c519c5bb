"""Read side of loyalty (SPEC §8.3–§8.4): the indicators per customer, class, territory and month, the RFM view and
one customer's loyalty, within the user's scope and the analysis filters. Each is an analysis Report (page,
workbook and API show the same figures); the per-customer figures come from figures.customer_figures (grouped
SQL), the month trend from the month sales table (whole calendar months)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from credo.analysis.queries import AnalysisFilter, Column, Report, customer_filter, first_of_month, money
from credo.complaints.rules import per_hundred_orders
from credo.customers.queries import get_customer_for_user
from credo.customers.rules import add_months
from credo.sales.models import CustomerMonthSales

from . import definitions, rules, services
from .figures import ZERO, Figures, complaints, customer_figures, goods_invoices, orders

GROUPS = ("class", "territory")
PAGE_ROWS = 50


@dataclass
class Totals:
    customers: int = 0
    buyers: int = 0
    repeat_buyers: int = 0
    new: int = 0
    sales: Decimal = ZERO
    invoices: int = 0
    orders: int = 0
    complaints: int = 0
    active_months: int = 0
    months: int = 0
    wallet_sales: Decimal = ZERO
    potential: Decimal = ZERO
    volume_before: Decimal = ZERO
    paid_before: Decimal = ZERO
    volume_now: Decimal = ZERO
    paid_now: Decimal = ZERO
    kept_buying: int = 0
    incidents: int = 0

    def add(self, f: Figures, stage: str | None, stages: dict) -> None:
        self.customers += 1
        self.buyers += 1 if f.invoices else 0
        self.repeat_buyers += 1 if f.repeat_buyer else 0
        self.new += 1 if f.new else 0
        self.sales += f.sales
        self.invoices += f.invoices
        self.orders += f.orders
        self.complaints += f.complaints
        self.active_months += f.active_months
        self.months += f.months
        if f.potential:
            self.wallet_sales += f.sales
            self.potential += f.potential
        self.volume_before += f.volume_before
        self.paid_before += f.paid_before
        self.volume_now += f.volume_now
        self.paid_now += f.paid_now
        t = f.tolerance
        self.kept_buying += t.kept_buying
        self.incidents += t.complaints
        if stage:
            stages[stage] += 1

    def row(self) -> dict:
        return {"customers": self.customers, "buyers": self.buyers, "new": self.new,
                "repurchase_rate": rules.repurchase_rate(self.buyers, self.repeat_buyers),
                "complaint_rate": per_hundred_orders(self.complaints, self.orders),
                "average_transaction": rules.average_transaction(self.sales, self.invoices),
                "sales": self.sales, "invoices": self.invoices, "orders": self.orders, "complaints": self.complaints,
                "price_sensitivity": rules.price_sensitivity(self.volume_before, self.paid_before, self.volume_now,
                                                             self.paid_now).value,
                "tolerance": rules.ratio(self.kept_buying, self.incidents),
                "share_of_wallet": rules.share_of_wallet(self.wallet_sales, self.potential),
                "repeat_rate": rules.repeat_purchase_rate(self.active_months, self.months)}


def _indicator_columns() -> list[Column]:
    t = definitions.title
    return [Column("customers", _("Customers"), "int"), Column("buyers", _("Buying customers"), "int"),
            Column("new", _("New customers"), "int"),
            Column("repurchase_rate", t("repurchase_rate"), "ratio"),
            Column("complaint_rate", t("complaint_rate"), "number"),
            Column("average_transaction", t("average_transaction"), "money"),
            Column("price_sensitivity", t("price_sensitivity"), "number"),
            Column("tolerance", t("tolerance"), "ratio"), Column("share_of_wallet", t("share_of_wallet"), "ratio"),
            Column("repeat_rate", t("repeat_rate"), "ratio"),
            Column("sales", _("Sales"), "money", page=False), Column("invoices", _("Invoices"), "int", page=False),
            Column("orders", _("Orders"), "int", page=False), Column("complaints", _("Complaints"), "int", page=False)]


def _stage_columns() -> list[Column]:
    return [Column(f"stage_{s}", definitions.stage_label(s), "int") for s in rules.STAGES]


def staged(user, flt: AnalysisFilter) -> list[tuple[Figures, str | None]]:
    """Each customer's figures and stage by the rules in force today (whatever the period: an edit of the rules
    shows at once in every report)."""
    thresholds, _row = services.current_rules()
    return [(f, rules.stage(f.stage_inputs(), thresholds)) for f in customer_figures(user, flt)]


def by_group(user, flt: AnalysisFilter, group: str, rows: list | None = None) -> Report:
    group = group if group in GROUPS else "class"
    rows = staged(user, flt) if rows is None else rows
    totals, stages = defaultdict(Totals), defaultdict(lambda: defaultdict(int))
    everything, all_stages = Totals(), defaultdict(int)
    for f, stage in rows:
        key = (f.klass if group == "class" else f.territory) or "—"
        totals[key].add(f, stage, stages[key])
        everything.add(f, stage, all_stages)
    out = [{"group": k, **totals[k].row(), **{f"stage_{s}": stages[k][s] for s in rules.STAGES}}
           for k in sorted(totals)]
    title = _("Class") if group == "class" else _("Territory")
    chart = {"tooltip": {"trigger": "axis"}, "legend": {"bottom": 0},
             "grid": {"left": 50, "right": 20, "top": 20, "bottom": 50, "containLabel": True},
             "xAxis": {"type": "category", "data": [r["group"] for r in out]}, "yAxis": {"type": "value"},
             "series": [{"name": definitions.stage_label(s), "type": "bar", "stack": "stage",
                         "data": [r[f"stage_{s}"] for r in out]} for s in rules.STAGES]}
    return Report(f"by_{group}", _("Loyalty by %(group)s") % {"group": title.lower()},
                  [Column("group", title), *_indicator_columns(), *_stage_columns()], out,
                  {"group": _("Total"), **everything.row(), **{f"stage_{s}": all_stages[s] for s in rules.STAGES}},
                  chart)


def month_keys(flt: AnalysisFilter) -> list:
    start, end = first_of_month(flt.date_from), first_of_month(flt.date_to)
    return [add_months(start, i) for i in range(rules.months_between(start, end))]


def _month(value):
    return (value.date() if hasattr(value, "date") else value).replace(day=1)


def by_month(user, flt: AnalysisFilter) -> Report:
    """Per calendar month (whole months): buyers and repeat buyers (two or more invoices in the month), sales,
    invoices, orders and complaints, and the rates from them."""
    months = month_keys(flt)
    sold = {_month(g["month"]): g for g in CustomerMonthSales.objects.filter(
        customer_filter(user, flt, "customer__"), month__gte=months[0], month__lte=months[-1], invoices__gt=0)
        .values("month").annotate(buyers=Count("pk"), repeat=Count("pk", filter=Q(invoices__gte=rules.REPEAT_INVOICES)),
                                  sales=Sum("sales"), invoices=Sum("invoices")).order_by()}
    placed = {_month(g["m"]): g["n"] for g in orders(user, flt).annotate(m=TruncMonth("order_date"))
              .values("m").annotate(n=Count("pk")).order_by()}
    made = {_month(g["m"]): g["n"] for g in complaints(user, flt).annotate(m=TruncMonth("received_at"))
            .values("m").annotate(n=Count("pk")).order_by()}
    rows = []
    for m in months:
        s = sold.get(m, {})
        buyers, invoices, sales = s.get("buyers", 0), s.get("invoices", 0) or 0, money(s.get("sales"))
        rows.append({"month": f"{m:%Y-%m}", "buyers": buyers, "repurchase_rate": rules.repurchase_rate(
            buyers, s.get("repeat", 0)), "sales": sales, "invoices": invoices,
            "average_transaction": rules.average_transaction(sales, invoices), "orders": placed.get(m, 0),
            "complaints": made.get(m, 0), "complaint_rate": per_hundred_orders(made.get(m, 0), placed.get(m, 0))})
    t = definitions.title
    chart = {"tooltip": {"trigger": "axis"}, "legend": {"bottom": 0},
             "grid": {"left": 60, "right": 60, "top": 20, "bottom": 50, "containLabel": True},
             "xAxis": {"type": "category", "data": [r["month"] for r in rows]},
             "yAxis": [{"type": "value", "name": "%"}, {"type": "value"}],
             "series": [{"name": t("repurchase_rate"), "type": "line", "data": [
                 None if r["repurchase_rate"] is None else float(r["repurchase_rate"] * 100) for r in rows]},
                 {"name": t("complaint_rate"), "type": "line", "data": [
                     None if r["complaint_rate"] is None else float(r["complaint_rate"]) for r in rows]},
                 {"name": t("average_transaction"), "type": "bar", "yAxisIndex": 1, "data": [
                     None if r["average_transaction"] is None else float(r["average_transaction"]) for r in rows]}]}
    return Report("by_month", _("Loyalty indicators by month"),
                  [Column("month", _("Month")), Column("buyers", _("Buying customers"), "int"),
                   Column("repurchase_rate", t("repurchase_rate"), "ratio"),
                   Column("average_transaction", t("average_transaction"), "money"),
                   Column("complaint_rate", t("complaint_rate"), "number"), Column("sales", _("Sales"), "money"),
                   Column("invoices", _("Invoices"), "int"), Column("orders", _("Orders"), "int"),
                   Column("complaints", _("Complaints"), "int")], rows, chart=chart,
                  note=_("Whole calendar months: the first and last month count all their days."))


def customer_row(f: Figures, stage: str | None, rfm: rules.Rfm | None = None) -> dict:
    s, t = f.sensitivity, f.tolerance
    return {"id": f.id, "code": f.code, "name": f.name, "klass": f.klass, "territory": f.territory,
            "new": _("yes") if f.new else "", "first_order": f.first_order, "invoices": f.invoices, "sales": f.sales,
            "average_transaction": f.average_transaction, "orders": f.orders, "complaints": f.complaints,
            "complaint_rate": f.complaint_rate, "active_months": f.active_months, "months": f.months,
            "repeat_rate": f.repeat_rate, "repeat_buyer": f.repeat_buyer, "potential": f.potential,
            "share_of_wallet": f.share_of_wallet, "volume_change": s.volume_change,
            "discount_change": s.discount_change, "price_sensitivity": s.value,
            "incidents": t.complaints, "kept_buying": t.kept_buying, "orders_before": t.orders_before,
            "orders_after": t.orders_after, "tolerance": t.share, "after_before": t.after_before,
            "stage_code": stage or "", "stage": definitions.stage_label(stage),
            "rfm": rfm.code if rfm else "", "last_invoice": f.last_invoice}


def customers(user, flt: AnalysisFilter, rows: list | None = None, limit: int | None = PAGE_ROWS) -> Report:
    rows = staged(user, flt) if rows is None else rows
    t = definitions.title
    out = [customer_row(f, stage) for f, stage in rows]
    return Report("customers", _("Loyalty by customer"), [
        Column("code", _("Code")), Column("name", _("Customer")), Column("klass", _("Class")),
        Column("new", _("New")), Column("invoices", _("Invoices"), "int"), Column("sales", _("Sales"), "money"),
        Column("average_transaction", t("average_transaction"), "money"),
        Column("complaint_rate", t("complaint_rate"), "number"), Column("repeat_rate", t("repeat_rate"), "ratio"),
        Column("share_of_wallet", t("share_of_wallet"), "ratio"),
        Column("price_sensitivity", t("price_sensitivity"), "number"), Column("tolerance", t("tolerance"), "ratio"),
        Column("stage", t("stage"))], out[:limit] if limit else out,
        note=_("The %(n)s customers with the largest sales; the workbook has all %(total)s.") % {
            "n": limit, "total": len(out)} if limit and len(out) > limit else "")


def rfm_scores(user, flt: AnalysisFilter, rows: list | None = None) -> dict[int, rules.Rfm]:
    rows = staged(user, flt) if rows is None else rows
    return rules.rfm_scores({f.id: ((flt.date_to - f.last_invoice).days, f.invoices, f.sales)
                             for f, _stage in rows if f.invoices})


def rfm(user, flt: AnalysisFilter, rows: list | None = None, limit: int | None = PAGE_ROWS) -> Report:
    rows = staged(user, flt) if rows is None else rows
    scores = rfm_scores(user, flt, rows)
    out = [{"id": f.id, "code": f.code, "name": f.name, "recency_days": (flt.date_to - f.last_invoice).days,
            "invoices": f.invoices, "sales": f.sales, "r": scores[f.id].recency, "f": scores[f.id].frequency,
            "m": scores[f.id].monetary, "rfm": scores[f.id].code} for f, _stage in rows if f.id in scores]
    out.sort(key=lambda r: (-(r["r"] + r["f"] + r["m"]), r["code"]))
    cells = defaultdict(int)
    for r in out:
        cells[(r["r"], r["f"])] += 1
    chart = {"tooltip": {"position": "top"}, "grid": {"left": 60, "right": 20, "top": 20, "bottom": 60},
             "xAxis": {"type": "category", "name": "R", "data": ["1", "2", "3", "4", "5"]},
             "yAxis": {"type": "category", "name": "F", "data": ["1", "2", "3", "4", "5"]},
             "visualMap": {"min": 0, "max": max(cells.values(), default=1), "orient": "horizontal", "left": "center",
                           "bottom": 0, "calculable": True},
             "series": [{"name": _("Customers"), "type": "heatmap", "label": {"show": True},
                         "data": [[r - 1, f - 1, n] for (r, f), n in sorted(cells.items())]}]}
    return Report("rfm", _("RFM scores"), [
        Column("code", _("Code")), Column("name", _("Customer")),
        Column("recency_days", _("Days since the last purchase"), "int"), Column("invoices", _("Invoices"), "int"),
        Column("sales", _("Sales"), "money"), Column("r", "R", "int"), Column("f", "F", "int"),
        Column("m", "M", "int"), Column("rfm", _("RFM"))], out[:limit] if limit else out, chart=chart,
        note=definitions.definition("rfm"))


def sections(user, flt: AnalysisFilter, limit: int | None = PAGE_ROWS) -> list[Report]:
    rows = staged(user, flt)
    return [by_month(user, flt), by_group(user, flt, "class", rows), by_group(user, flt, "territory", rows),
            customers(user, flt, rows, limit), rfm(user, flt, rows, limit)]


def customer_loyalty(user, customer_id: int, flt: AnalysisFilter) -> dict | None:
    """One customer's figures, stage and RFM (scored among every customer in the user's scope who bought in the
    period: one grouped query); None when it did nothing in the period; 404 outside the scope."""
    get_customer_for_user(user, customer_id)
    period = AnalysisFilter(flt.date_from, flt.date_to)
    mine = staged(user, AnalysisFilter(flt.date_from, flt.date_to, customer=customer_id))
    if not mine:
        return None
    population = (goods_invoices(user, period).values("customer_id")
                  .annotate(n=Count("pk"), sales=Sum("amount"), last=Max("invoice_date")).order_by())
    scores = rules.rfm_scores({g["customer_id"]: ((flt.date_to - g["last"]).days, g["n"], money(g["sales"]))
                               for g in population})
    f, stage = mine[0]
    return customer_row(f, stage, scores.get(f.id))
