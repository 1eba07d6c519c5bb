"""Reads of the classification app: the period's sales (the sales app's month summary plus the edge days),
snapshots and their results scoped to the user, the movement since the previous snapshot of the same method, a
customer's class history and the latest pyramid class for the risk rules."""

import datetime
from decimal import Decimal

from django.db.models import Q, Sum

from credo.core.clock import business_today, day_bounds
from credo.core.scopes import customer_q
from credo.customers.models import Customer
from credo.sales.models import Invoice
from credo.sales.queries import active_goods_cents, customers_with_goods_before, goods_sales_by_customer

from . import rules
from .models import ClassificationRun, ClassResult


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last 12 months up to today (SPEC §2 default)."""
    today = today or business_today()
    try:
        start = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28)
    return start + datetime.timedelta(days=1), today


def period_sales(period_from: datetime.date, period_to: datetime.date) -> tuple[dict[int, Decimal], set[int]]:
    """({active customer id: goods sales in [from, to]}, ids that never bought goods up to `to`).

    The sums per customer come from the sales app's month summary (full months) plus the edge days from the
    invoices; who bought before the period from the same summary; then the list of active customer ids
    (inactive customers' sums are dropped). A customer who bought neither before nor in the period never
    bought."""
    in_period = goods_sales_by_customer(period_from, period_to)
    bought = customers_with_goods_before(period_from)
    ids = Customer.objects.filter(is_active=True).values_list("id", flat=True)
    sales = {cid: in_period.get(cid, Decimal(0)) for cid in ids}
    return sales, {cid for cid in sales if cid not in in_period and cid not in bought}


def period_cents(period_from: datetime.date, period_to: datetime.date) -> tuple[dict[int, int], set[int]]:
    """period_sales() in fen, summed in one statement (what the snapshot reads)."""
    return active_goods_cents(period_from, period_to)


def runs(method: str | None = None):
    qs = ClassificationRun.objects.all()
    return qs.filter(method=method) if method else qs


def latest_run(method: str = rules.PYRAMID) -> ClassificationRun | None:
    return runs(method).first()


def previous_run(run: ClassificationRun) -> ClassificationRun | None:
    return (runs(run.method).filter(Q(created_at__lt=run.created_at) | Q(created_at=run.created_at, id__lt=run.id))
            .first())


def results(user, run: ClassificationRun, *, klass: str = "", territory=None, manager=None):
    """The run's results the user may see, best rank first, optionally one effective class / territory /
    account manager."""
    qs = (ClassResult.objects.filter(customer_q(user, "customer__"), run=run)
          .select_related("customer", "customer__territory", "customer__account_manager"))
    if klass:
        qs = qs.filter(Q(override_class=klass) | Q(override_class="", klass=klass))
    if territory:
        qs = qs.filter(customer__territory=territory)
    if manager:
        qs = qs.filter(customer__account_manager=manager)
    return qs.order_by("rank", "customer__code")


def summary(rows, classes) -> dict[str, dict]:
    """{class: {"count", "sales"}} over result rows by effective class."""
    out = {k: {"count": 0, "sales": Decimal(0)} for k in classes}
    for row in rows:
        cell = out.setdefault(row.effective_class, {"count": 0, "sales": Decimal(0)})
        cell["count"] += 1
        cell["sales"] += row.sales
    return out


def _effective_classes(user, run: ClassificationRun) -> dict[int, str]:
    rows = (ClassResult.objects.filter(customer_q(user, "customer__"), run=run).order_by()
            .values_list("customer_id", "klass", "override_class"))
    return {cid: override or klass for cid, klass, override in rows}


def transitions(user, run: ClassificationRun) -> tuple[dict[tuple[str, str], int], list[tuple[int, str, str]]]:
    """Since the previous snapshot of the same method, over the user's customers: ({(before, now): customers}
    for every pair, "" before for customers new to the snapshot) and the changed ones [(customer id, before,
    now)] sorted by now, before, id. Two flat reads; empty when there is no previous snapshot."""
    prev = previous_run(run)
    if prev is None:
        return {}, []
    before = _effective_classes(user, prev)
    matrix: dict[tuple[str, str], int] = {}
    changed = []
    for cid, now in _effective_classes(user, run).items():
        old = before.get(cid, "")
        matrix[old, now] = matrix.get((old, now), 0) + 1
        if old != now:
            changed.append((cid, old, now))
    changed.sort(key=lambda item: (item[2], item[1], item[0]))
    return matrix, changed


def movement(user, run: ClassificationRun, changed: list[tuple[int, str, str]] | None = None) -> list[dict]:
    """The changed customers (all, or the given slice of `transitions`) with their customer and result rows:
    [{"customer", "before", "after", "row"}]."""
    if changed is None:
        changed = transitions(user, run)[1]
    rows = {r.customer_id: r for r in ClassResult.objects.filter(run=run, customer_id__in=[c for c, _b, _a in changed])
            .select_related("customer")}
    return [{"customer": rows[cid].customer, "before": old, "after": now, "row": rows[cid]}
            for cid, old, now in changed if cid in rows]


def customer_history(user, customer_id: int, method: str | None = None):
    """The customer's results over the snapshots, newest first (empty when out of scope)."""
    qs = ClassResult.objects.filter(customer_q(user, "customer__"), customer_id=customer_id).select_related("run")
    if method:
        qs = qs.filter(run__method=method)
    return qs.order_by("-run__created_at", "-run_id")


def latest_pyramid_classes(customer_ids) -> dict[int, str]:
    """{customer id: effective pyramid class in the latest pyramid snapshot} for the ids given (those in it)."""
    run = latest_run(rules.PYRAMID)
    ids = list(customer_ids)
    if run is None or not ids:
        return {}
    found = {}
    for start in range(0, len(ids), 5000):
        for cid, klass, override in ClassResult.objects.filter(run=run, customer_id__in=ids[start:start + 5000]) \
                .values_list("customer_id", "klass", "override_class"):
            found[cid] = override or klass
    return found


def grid(user, run: ClassificationRun, today: datetime.date | None = None) -> list[list[dict]]:
    """§2.3: counts and sales (of the snapshot) per lifecycle × importance over the user's customers; one
    grouped query."""
    from django.db.models import Case, CharField, Count, Value, When

    from credo.core.models import CompanyProfile
    from credo.customers import rules as customer_rules

    today = today or business_today()
    since = customer_rules.new_since(today, CompanyProfile.current().new_customer_months)
    lifecycle = Case(When(customer__first_order_date__isnull=True, then=Value(customer_rules.POTENTIAL)),
                     When(customer__first_order_date__gt=since, then=Value(customer_rules.NEW)),
                     default=Value(customer_rules.OLD), output_field=CharField())
    rows = (ClassResult.objects.filter(customer_q(user, "customer__"), run=run).annotate(lc=lifecycle)
            .values("lc", "customer__importance").annotate(n=Count("id"), total=Sum("sales")).order_by()
            .values_list("lc", "customer__importance", "n", "total"))
    return rules.grid(rows)


def behaviour(user, period_from: datetime.date, period_to: datetime.date) -> list[rules.Behaviour]:
    """The inputs of the behavioural D flag for the user's active customers who bought in the period: sales and
    cost (goods invoice lines, or the invoice amount at zero cost when an invoice has no lines), overdue open
    goods invoices at the end of the period, invoice count, complaints and service requests received in the
    period. Grouped queries, one per source."""
    from django.db.models import Count

    from credo.sales.models import InvoiceLine

    scope = customer_q(user, "customer__")
    goods = Invoice.objects.filter(scope, kind=Invoice.Kind.GOODS, invoice_date__range=(period_from, period_to),
                                   customer__is_active=True)
    sales = {cid: (total, n) for cid, total, n in goods.values("customer_id").annotate(
        total=Sum("amount"), n=Count("id")).order_by().values_list("customer_id", "total", "n")}
    cost = dict(InvoiceLine.objects.filter(invoice__in=goods).values("customer_id")
                .annotate(c=Sum("cost")).order_by().values_list("customer_id", "c"))
    overdue = dict(Invoice.objects.filter(scope, kind=Invoice.Kind.GOODS, open_amount__gt=0,
                                          due_date__lt=period_to)
                   .values("customer_id").annotate(o=Sum("open_amount")).order_by()
                   .values_list("customer_id", "o"))
    load = service_load(scope, period_from, period_to)
    return [rules.Behaviour(cid, total, cost.get(cid) or Decimal(0), overdue.get(cid) or Decimal(0), n,
                            load.get(cid, 0)) for cid, (total, n) in sales.items()]


def service_load(scope, period_from: datetime.date, period_to: datetime.date) -> dict[int, int]:
    """{customer id: complaints + service requests received in the period} (SPEC §2.2 "complaint or service load"),
    counted by the company's calendar day of receipt."""
    from django.db.models import Count

    from credo.complaints.models import Complaint
    from credo.servicedesk.models import Ticket

    start, end = day_bounds(period_from, period_to)
    load: dict[int, int] = {}
    for model, field in ((Complaint, "received_at"), (Ticket, "created_at")):
        rows = (model.objects.filter(scope, customer__isnull=False, **{f"{field}__gte": start, f"{field}__lt": end})
                .values("customer_id").annotate(n=Count("id")).order_by().values_list("customer_id", "n"))
        for cid, n in rows:
            load[cid] = load.get(cid, 0) + n
    return load


# The name the visits and analysis apps ask for: the class each customer is served by (the latest pyramid).
current_classes = latest_pyramid_classes
