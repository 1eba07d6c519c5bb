"""Per-customer figures of loyalty for a period: a handful of grouped queries (goods invoices, orders, complaints,
product lines of this and the previous period, potentials, complaints' surrounding orders), each over every
customer in the user's scope and filters at once, joined by customer id. Nothing here loops queries over
customers."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, ExpressionWrapper, F, Max, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from credo.analysis.queries import AnalysisFilter, class_provider, customer_filter, money
from credo.complaints.models import Complaint
from credo.complaints.rules import per_hundred_orders
from credo.core.clock import day_bounds
from credo.customers.models import Customer
from credo.sales.models import Invoice, InvoiceLine, SalesOrder

from . import rules

ZERO = Decimal("0.00")
VOLUME = ExpressionWrapper(F("quantity") * F("product__list_price"), output_field=DecimalField(max_digits=30,
                                                                                                  decimal_places=5))


@dataclass
class Figures:
    id: int
    code: str = ""
    name: str = ""
    territory: str = ""
    manager: str = ""
    klass: str = ""
    first_order: datetime.date | None = None
    new: bool = False
    invoices: int = 0
    sales: Decimal = ZERO
    last_invoice: datetime.date | None = None
    active_months: int = 0
    months: int = 0
    orders: int = 0
    complaints: int = 0
    potential: Decimal | None = None
    volume_before: Decimal = ZERO
    paid_before: Decimal = ZERO
    volume_now: Decimal = ZERO
    paid_now: Decimal = ZERO
    windows: list = field(default_factory=list)  # (orders before, orders after) per complaint

    @property
    def repeat_buyer(self) -> bool:
        return rules.is_repeat_buyer(self.invoices)

    @property
    def average_transaction(self):
        return rules.average_transaction(self.sales, self.invoices)

    @property
    def complaint_rate(self):
        return per_hundred_orders(self.complaints, self.orders)

    @property
    def repeat_rate(self):
        return rules.repeat_purchase_rate(self.active_months, self.months)

    @property
    def share_of_wallet(self):
        return rules.share_of_wallet(self.sales, self.potential)

    @property
    def sensitivity(self) -> rules.Sensitivity:
        return rules.price_sensitivity(self.volume_before, self.paid_before, self.volume_now, self.paid_now)

    @property
    def tolerance(self) -> rules.Tolerance:
        return rules.tolerance(self.windows)

    def stage_inputs(self) -> dict:
        return {"invoices": self.invoices, "repeat_rate": self.repeat_rate, "share_of_wallet": self.share_of_wallet,
                "tolerance": self.tolerance.share}


def previous_period(flt: AnalysisFilter) -> tuple[datetime.date, datetime.date]:
    """The period of the same length just before (cut at the first day of the calendar)."""
    if flt.date_from == datetime.date.min:
        return datetime.date.min, datetime.date.min
    before_to = flt.date_from - datetime.timedelta(days=1)
    try:
        return before_to - (flt.date_to - flt.date_from), before_to
    except OverflowError:
        return datetime.date.min, before_to


def goods_invoices(user, flt: AnalysisFilter):
    return Invoice.objects.filter(customer_filter(user, flt, "customer__"), kind=Invoice.Kind.GOODS,
                                  invoice_date__gte=flt.date_from, invoice_date__lte=flt.date_to)


def orders(user, flt: AnalysisFilter):
    return SalesOrder.objects.filter(customer_filter(user, flt, "customer__"), order_date__gte=flt.date_from,
                                     order_date__lte=flt.date_to).exclude(status=SalesOrder.Status.CANCELLED)


def complaints(user, flt: AnalysisFilter):
    start, end = day_bounds(flt.date_from, flt.date_to)
    return Complaint.objects.filter(customer_filter(user, flt, "customer__"), customer__isnull=False,
                                    received_at__gte=start, received_at__lt=end)


def _customers(user, flt: AnalysisFilter) -> dict[int, Figures]:
    """The customers in scope with a goods invoice, an order or a complaint in the period."""
    invoice = goods_invoices(None, AnalysisFilter(flt.date_from, flt.date_to)).filter(customer=OuterRef("pk"))
    order = orders(None, AnalysisFilter(flt.date_from, flt.date_to)).filter(customer=OuterRef("pk"))
    complaint = complaints(None, AnalysisFilter(flt.date_from, flt.date_to)).filter(customer=OuterRef("pk"))
    rows = (Customer.objects.filter(customer_filter(user, flt))
            .filter(Q(Exists(invoice)) | Q(Exists(order)) | Q(Exists(complaint)))
            .values("pk", "code", "name", "first_order_date", "territory__name", "account_manager__username"))
    out = {}
    for r in rows:
        first = r["first_order_date"]
        out[r["pk"]] = Figures(r["pk"], r["code"], r["name"], r["territory__name"] or "",
                               r["account_manager__username"] or "", first_order=first,
                               new=rules.is_new(flt.date_from, flt.date_to, first),
                               months=rules.eligible_months(flt.date_from, flt.date_to, first))
    return out


def _add_invoices(found: dict[int, Figures], user, flt: AnalysisFilter) -> None:
    grouped = (goods_invoices(user, flt).values("customer_id")
               .annotate(n=Count("pk"), sales=Sum("amount"), last=Max("invoice_date"),
                         months=Count(TruncMonth("invoice_date"), distinct=True)).order_by())
    for g in grouped:
        f = found.get(g["customer_id"])
        if f is not None:
            f.invoices, f.sales, f.last_invoice = g["n"], money(g["sales"]), g["last"]
            f.active_months = g["months"]


def _add_counts(found: dict[int, Figures], user, flt: AnalysisFilter) -> None:
    for cid, n in orders(user, flt).values("customer_id").annotate(n=Count("pk")).order_by() \
            .values_list("customer_id", "n"):
        if cid in found:
            found[cid].orders = n
    for cid, n in complaints(user, flt).values("customer_id").annotate(n=Count("pk")).order_by() \
            .values_list("customer_id", "n"):
        if cid in found:
            found[cid].complaints = n


def _add_prices(found: dict[int, Figures], user, flt: AnalysisFilter) -> None:
    before_from, before_to = previous_period(flt)
    now, before = Q(invoice__invoice_date__gte=flt.date_from), Q(invoice__invoice_date__lte=before_to)
    grouped = (InvoiceLine.objects.filter(customer_filter(user, flt, "customer__"), invoice__kind=Invoice.Kind.GOODS,
                                          product__isnull=False, product__list_price__gt=0,
                                          invoice__invoice_date__gte=before_from,
                                          invoice__invoice_date__lte=flt.date_to)
               .values("customer_id")
               .annotate(volume_now=Sum(VOLUME, filter=now), paid_now=Sum("amount", filter=now),
                         volume_before=Sum(VOLUME, filter=before), paid_before=Sum("amount", filter=before))
               .order_by())
    for g in grouped:
        f = found.get(g["customer_id"])
        if f is not None:
            f.volume_now, f.paid_now = money(g["volume_now"]), money(g["paid_now"])
            f.volume_before, f.paid_before = money(g["volume_before"]), money(g["paid_before"])


def _add_potentials(found: dict[int, Figures], flt: AnalysisFilter) -> None:
    try:
        from credo.segments.costs import annual_potentials
        from credo.segments.rules import potential_for_period
    except ImportError:
        return
    days = (flt.date_to - flt.date_from).days + 1
    for cid, (annual, _basis) in annual_potentials(flt.date_to).items():
        if cid in found:
            found[cid].potential = potential_for_period(annual, days)


def _add_tolerance(found: dict[int, Figures], user, flt: AnalysisFilter, days: int) -> None:
    received = defaultdict(list)
    for cid, at in complaints(user, flt).values_list("customer_id", "received_at"):
        received[cid].append(timezone.localdate(at))
    if not received:
        return
    first = min(min(v) for v in received.values()) - datetime.timedelta(days=days)
    last = max(max(v) for v in received.values()) + datetime.timedelta(days=days)
    placed = defaultdict(list)
    for cid, day in (SalesOrder.objects.filter(customer__in=complaints(user, flt).values("customer_id"),
                                               order_date__gte=first, order_date__lte=last)
                     .exclude(status=SalesOrder.Status.CANCELLED).values_list("customer_id", "order_date")):
        placed[cid].append(day)
    for cid, complaint_days in received.items():
        if cid not in found:
            continue
        order_days = sorted(placed.get(cid, []))
        found[cid].windows.extend(rules.orders_around(day, order_days, days) for day in complaint_days)


def _add_classes(found: dict[int, Figures]) -> None:
    provider = class_provider()
    if provider is None or not found:
        return
    for cid, klass in provider(list(found)).items():
        found[cid].klass = str(klass or "")


def customer_figures(user, flt: AnalysisFilter, tolerance_days: int = rules.DEFAULT_TOLERANCE_DAYS
                     ) -> list[Figures]:
    """Every customer in scope and filters active in the period, with all its figures."""
    found = _customers(user, flt)
    if found:
        _add_invoices(found, user, flt)
        _add_counts(found, user, flt)
        _add_prices(found, user, flt)
        _add_potentials(found, flt)
        _add_tolerance(found, user, flt, tolerance_days)
        _add_classes(found)
    return sorted(found.values(), key=lambda f: (-f.sales, f.code))
