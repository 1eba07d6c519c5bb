"""Reads of the complaint management view (SPEC §7.3): complaints received in a period, within the user's scope and
the analysis filters (territory, account manager, customer kind, class), counted by category, product, customer,
cause, channel and severity; the business hours each step took; SLA compliance and breaches; repeats; the
complaint rate per 100 orders by customer, class, product and month. Each section is an analysis Report, so the
page, the Excel workbook and the API show the same figures."""

import datetime
from collections import Counter, defaultdict

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from credo.analysis.queries import AnalysisFilter, Column, Report, class_provider, customer_filter
from credo.core.clock import day_bounds
from credo.sales.models import OrderLine, SalesOrder
from credo.sla.models import Kind, Metric, Severity, SlaClock, SlaPause
from credo.worktime.queries import company_calendar

from . import rules
from .models import STEP_NAMES, Category, Cause, Channel, Complaint, ComplaintStep

# Sections other apps add to the view: functions (user, flt) -> Report (credo.improvement: open actions).
EXTRA_SECTIONS: list = []
DIMENSIONS = ("category", "product", "customer", "cause", "channel", "severity")
RATE_GROUPS = ("customer", "class", "product", "month")
TOP_ROWS = 30


def dimension_titles() -> dict[str, str]:
    return {"category": _("Category"), "product": _("Product"), "customer": _("Customer"), "cause": _("Cause"),
            "channel": _("Channel"), "severity": _("Severity")}


def rate_titles() -> dict[str, str]:
    return {"customer": _("Customer"), "class": _("Class"), "product": _("Product"), "month": _("Month")}


def complaints(user, flt: AnalysisFilter):
    start, end = day_bounds(flt.date_from, flt.date_to)
    return Complaint.objects.filter(customer_filter(user, flt, "customer__"), customer__isnull=False,
                                    received_at__gte=start, received_at__lt=end)


def _orders(user, flt: AnalysisFilter):
    return SalesOrder.objects.filter(customer_filter(user, flt, "customer__"), order_date__gte=flt.date_from,
                                     order_date__lte=flt.date_to).exclude(status=SalesOrder.Status.CANCELLED)


def bar_chart(labels: list[str], series: list[tuple[str, list]], kind: str = "bar") -> dict:
    return {"tooltip": {"trigger": "axis"}, "legend": {"bottom": 0},
            "grid": {"left": 60, "right": 20, "top": 20, "bottom": 70, "containLabel": True},
            "xAxis": {"type": "category", "data": labels, "axisLabel": {"rotate": 30 if len(labels) > 8 else 0}},
            "yAxis": {"type": "value"},
            "series": [{"name": name, "type": kind, "data": data} for name, data in series]}


# --- complaints by one dimension ---------------------------------------------------------------------------

def _labels(dimension: str, keys) -> dict:
    if dimension == "category":
        return dict(Category.choices)
    if dimension == "cause":
        return {**dict(Cause.choices), "": _("Not analysed yet")}
    if dimension == "channel":
        return dict(Channel.choices)
    if dimension == "severity":
        return dict(Severity.choices)
    if dimension == "product":
        from credo.sales.models import Product

        found = {p.pk: f"{p.code} {p.name}" for p in Product.objects.filter(pk__in=[k for k in keys if k])}
        return {**found, None: _("(no product)")}
    from credo.customers.models import Customer

    return {c.pk: f"{c.code} {c.name}" for c in Customer.objects.filter(pk__in=[k for k in keys if k])}


def by_dimension(user, flt: AnalysisFilter, dimension: str) -> Report:
    """Complaints by `dimension`: how many, their share, how many still open, repeats, and how many passed a
    service-level target somewhere (first response, a step or the resolution)."""
    dimension = dimension if dimension in DIMENSIONS else "category"
    field = {"product": "product_id", "customer": "customer_id"}.get(dimension, dimension)
    rows_qs = complaints(user, flt)
    breached = set(SlaClock.objects.filter(kind=Kind.COMPLAINT, breached_at__isnull=False,
                                           subject_id__in=rows_qs.values("pk")).values_list("subject_id", flat=True))
    grouped = defaultdict(lambda: {"complaints": 0, "open": 0, "repeats": 0, "breached": 0})
    for key, pk, status, repeat in rows_qs.values_list(field, "pk", "status", "is_repeat"):
        g = grouped[key]
        g["complaints"] += 1
        g["open"] += status == "open"
        g["repeats"] += bool(repeat)
        g["breached"] += pk in breached
    total = sum(g["complaints"] for g in grouped.values())
    labels = _labels(dimension, grouped)
    ordered = sorted(grouped.items(), key=lambda kv: (-kv[1]["complaints"], str(labels.get(kv[0], kv[0]))))
    if dimension in ("product", "customer"):
        ordered = ordered[:TOP_ROWS]
    rows = [{"key": key, "name": str(labels.get(key, key)), **g, "share": rules.share(g["complaints"], total)}
            for key, g in ordered]
    title = dimension_titles()[dimension]
    columns = [Column("name", title), Column("complaints", _("Complaints"), "int"),
               Column("share", _("Share"), "ratio"), Column("open", _("Still open"), "int"),
               Column("repeats", _("Repeats"), "int"), Column("breached", _("Past a service level"), "int")]
    totals = {"name": _("Total"), "complaints": total, "share": rules.share(total, total),
              "open": sum(r["open"] for r in rows), "repeats": sum(r["repeats"] for r in rows),
              "breached": sum(r["breached"] for r in rows)}
    chart = bar_chart([r["name"] for r in rows], [(_("Complaints"), [r["complaints"] for r in rows])])
    return Report(f"by_{dimension}", _("Complaints by %(dimension)s") % {"dimension": title.lower()}, columns, rows,
                  totals, chart)


# --- time per step -----------------------------------------------------------------------------------------

def step_times(user, flt: AnalysisFilter) -> Report:
    """Per step: how many were closed, average and median business hours from opening to closing (waiting on the
    customer left out, as the SLA counts it), and how many were closed after their due time."""
    calendar = company_calendar()
    subjects = complaints(user, flt).values("pk")
    steps = list(ComplaintStep.objects.filter(complaint_id__in=subjects, closed_at__isnull=False)
                 .values_list("complaint_id", "number", "opened_at", "closed_at", "due_at"))
    pauses = defaultdict(list)
    for row in SlaPause.objects.filter(kind=Kind.COMPLAINT, subject_id__in={s[0] for s in steps}):
        pauses[row.subject_id].append(row.as_rule())
    spent, late = defaultdict(list), Counter()
    for complaint_id, number, opened, closed, due in steps:
        took = calendar.business_time_between(opened, closed, pauses.get(complaint_id, ()))
        spent[number].append(rules.hours(took.total_seconds()))
        late[number] += bool(due and closed > due)
    rows = [{"key": n, "name": f"{n}. {STEP_NAMES[n]}", "closed": len(spent[n]), "average": rules.average(spent[n]),
             "median": rules.median(spent[n]), "late": late[n], "late_share": rules.share(late[n], len(spent[n]))}
            for n in rules.STEPS]
    columns = [Column("name", _("Step")), Column("closed", _("Closed"), "int"),
               Column("average", _("Average (business hours)"), "number"),
               Column("median", _("Median (business hours)"), "number"), Column("late", _("Closed late"), "int"),
               Column("late_share", _("Late share"), "ratio")]
    chart = bar_chart([str(r["key"]) for r in rows],
                   [(_("Average (business hours)"), [float(r["average"]) if r["average"] is not None else None
                                                     for r in rows]),
                    (_("Median (business hours)"), [float(r["median"]) if r["median"] is not None else None
                                                    for r in rows])])
    return Report("step_times", _("Time per step"), columns, rows, {}, chart)


# --- SLA compliance ----------------------------------------------------------------------------------------

def compliance(user, flt: AnalysisFilter) -> Report:
    """Per measure, the clocks of the period's complaints: finished on time, finished late, share on time; still
    running and already breached."""
    clocks = SlaClock.objects.filter(kind=Kind.COMPLAINT, subject_id__in=complaints(user, flt).values("pk"))
    late_q = Q(over__gt=datetime.timedelta(0)) | Q(breached_at__isnull=False)
    figures = {r["metric"]: r for r in clocks.values("metric").annotate(
        finished=Count("pk", filter=Q(stopped_at__isnull=False)),
        late=Count("pk", filter=Q(stopped_at__isnull=False) & late_q),
        running=Count("pk", filter=Q(stopped_at__isnull=True)),
        breached=Count("pk", filter=Q(stopped_at__isnull=True, breached_at__isnull=False))).order_by()}
    rows = []
    for metric, label in Metric.choices:
        f = figures.get(metric, {"finished": 0, "late": 0, "running": 0, "breached": 0})
        on_time = f["finished"] - f["late"]
        rows.append({"key": metric, "name": str(label), "finished": f["finished"], "on_time": on_time,
                     "late": f["late"], "on_time_share": rules.share(on_time, f["finished"]),
                     "running": f["running"], "breached": f["breached"]})
    columns = [Column("name", _("Measure")), Column("finished", _("Finished"), "int"),
               Column("on_time", _("On time"), "int"), Column("late", _("Late"), "int"),
               Column("on_time_share", _("On-time share"), "ratio"), Column("running", _("Running"), "int"),
               Column("breached", _("Running and breached"), "int")]
    chart = bar_chart([r["name"] for r in rows], [(_("On time"), [r["on_time"] for r in rows]),
                                               (_("Late"), [r["late"] for r in rows])])
    for series in chart["series"]:
        series["stack"] = "finished"
    return Report("compliance", _("Service-level compliance"), columns, rows, {}, chart)


# --- repeats -----------------------------------------------------------------------------------------------

def repeats(user, flt: AnalysisFilter) -> Report:
    """Customers with repeat complaints in the period: how many complaints, how many were repeats, the share."""
    counts = (complaints(user, flt).values("customer_id", "customer__code", "customer__name")
              .annotate(complaints=Count("pk"), repeats=Count("pk", filter=Q(is_repeat=True)))
              .filter(repeats__gt=0).order_by("-repeats", "-complaints", "customer__code")[:TOP_ROWS])
    rows = [{"key": r["customer_id"], "name": f"{r['customer__code']} {r['customer__name']}",
             "complaints": r["complaints"], "repeats": r["repeats"],
             "share": rules.share(r["repeats"], r["complaints"])} for r in counts]
    everything = complaints(user, flt).aggregate(n=Count("pk"), repeats=Count("pk", filter=Q(is_repeat=True)))
    columns = [Column("name", _("Customer")), Column("complaints", _("Complaints"), "int"),
               Column("repeats", _("Repeats"), "int"), Column("share", _("Repeat share"), "ratio")]
    totals = {"name": _("All customers"), "complaints": everything["n"], "repeats": everything["repeats"],
              "share": rules.share(everything["repeats"], everything["n"])}
    chart = bar_chart([r["name"] for r in rows], [(_("Repeats"), [r["repeats"] for r in rows])])
    return Report("repeats", _("Repeat complaints"), columns, rows, totals, chart)


# --- complaint rate per 100 orders -------------------------------------------------------------------------

def _rate_counts(user, flt: AnalysisFilter, group: str) -> tuple[Counter, Counter, dict]:
    """(complaints per key, orders per key, labels) for one grouping."""
    found, orders = complaints(user, flt), _orders(user, flt)
    if group == "month":
        made = Counter()
        for received in found.values_list("received_at", flat=True):
            made[f"{timezone.localtime(received):%Y-%m}"] += 1
        placed = Counter(f"{d:%Y-%m}" for d in orders.values_list("order_date", flat=True))
        keys = rules.month_keys(flt.date_from, flt.date_to)
        return made, placed, {k: k for k in keys}
    if group == "product":
        made = Counter(dict(found.exclude(product__isnull=True).values("product_id").annotate(n=Count("pk"))
                            .order_by().values_list("product_id", "n")))
        placed = Counter(dict(OrderLine.objects.filter(order__in=orders).values("product_id")
                              .annotate(n=Count("order_id", distinct=True)).order_by()
                              .values_list("product_id", "n")))
        return made, placed, _labels("product", set(made) | set(placed))
    made = Counter(dict(found.values("customer_id").annotate(n=Count("pk")).order_by()
                        .values_list("customer_id", "n")))
    placed = Counter(dict(orders.values("customer_id").annotate(n=Count("pk")).order_by()
                          .values_list("customer_id", "n")))
    if group == "customer":
        return made, placed, _labels("customer", set(made) | set(placed))
    provider = class_provider()
    classes = provider(list(set(made) | set(placed))) if provider else {}
    by_class_made, by_class_placed = Counter(), Counter()
    for cid, n in made.items():
        by_class_made[str(classes.get(cid) or "—")] += n
    for cid, n in placed.items():
        by_class_placed[str(classes.get(cid) or "—")] += n
    keys = set(by_class_made) | set(by_class_placed)
    return by_class_made, by_class_placed, {k: k for k in keys}


def rates(user, flt: AnalysisFilter, group: str) -> Report:
    """Complaints per 100 orders (投诉率) by customer, class, product or month: the orders of the same period and
    filters; a product's orders are the orders with a line of it."""
    group = group if group in RATE_GROUPS else "month"
    made, placed, labels = _rate_counts(user, flt, group)
    keys = list(labels) if group == "month" else sorted(
        set(made) | set(placed), key=lambda k: (-made.get(k, 0), -placed.get(k, 0), str(labels.get(k, k))))
    if group in ("customer", "product"):
        keys = [k for k in keys if made.get(k)][:TOP_ROWS]
    rows = [{"key": k, "name": str(labels.get(k, k)), "complaints": made.get(k, 0), "orders": placed.get(k, 0),
             "rate": rules.per_hundred_orders(made.get(k, 0), placed.get(k, 0))} for k in keys]
    if group == "class":
        rows.sort(key=lambda r: r["name"])
    title = rate_titles()[group]
    columns = [Column("name", title), Column("complaints", _("Complaints"), "int"),
               Column("orders", _("Orders"), "int"), Column("rate", _("Per 100 orders"), "number")]
    all_made, all_placed = sum(made.values()), _orders(user, flt).count()
    totals = {"name": _("Total"), "complaints": all_made, "orders": all_placed,
              "rate": rules.per_hundred_orders(all_made, all_placed)}
    chart = bar_chart([r["name"] for r in rows], [(_("Per 100 orders"), [
        float(r["rate"]) if r["rate"] is not None else None for r in rows])],
        kind="line" if group == "month" else "bar")
    return Report(f"rate_{group}", _("Complaint rate per 100 orders by %(group)s") % {"group": title.lower()},
                  columns, rows, totals, chart)


def sections(user, flt: AnalysisFilter, dimension: str = "category", group: str = "month") -> list[Report]:
    """Everything the management view shows, in order (the workbook has one sheet each)."""
    return [by_dimension(user, flt, dimension), step_times(user, flt), compliance(user, flt), repeats(user, flt),
            rates(user, flt, group), *(section(user, flt) for section in EXTRA_SECTIONS)]


def summary(user, flt: AnalysisFilter) -> dict:
    """The figures above the sections: received, closed, still open, repeats, past a service level, per 100
    orders."""
    found = complaints(user, flt)
    counts = found.aggregate(n=Count("pk"), open=Count("pk", filter=Q(status="open")),
                             repeats=Count("pk", filter=Q(is_repeat=True)))
    late = (SlaClock.objects.filter(kind=Kind.COMPLAINT, breached_at__isnull=False, subject_id__in=found.values("pk"))
            .values("subject_id").distinct().count())
    orders = _orders(user, flt).count()
    return {"received": counts["n"], "open": counts["open"], "closed": counts["n"] - counts["open"],
            "repeats": counts["repeats"], "breached": late, "orders": orders,
            "rate": rules.per_hundred_orders(counts["n"], orders)}
