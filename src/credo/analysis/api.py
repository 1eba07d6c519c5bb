"""REST endpoints of the analysis app (read only, plus recording dealer stock). Scoped like the pages.
Every report returns {report, title, filter, customer, columns, rows, totals}; amounts are strings with 2
decimals, ratios (and share gaps) fractions with 4 decimals, null where a figure cannot be computed.
/mix?customer=ID is one customer's product mix (404 when the user may not see that customer)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from credo.core.api_inputs import InputSchema, Money, decimal_input
from credo.core.errors import ValidationError
from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers.models import Customer
from credo.sales.models import Product

from . import queries, services
from .exporting import report_json

router = Router()


class ReportParams(InputSchema):
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    territory: int | None = None
    manager: int | None = None
    kind: str = ""
    klass: str = ""
    customer: int | None = None
    by: str = ""
    expected: decimal_input(5, 2) | None = None  # percent
    top: int | None = None  # mix: products with their own column (default 8)


class ReportOut(Schema):
    report: str
    title: str
    filter: dict
    customer: dict | None = None
    columns: list[dict]
    rows: list[dict]
    totals: dict


def _run(request, name: str, params: ReportParams) -> dict:
    if not has_perm(request.user, "analysis.view"):
        raise PermissionDenied(_("You may not view the customer analysis."))
    data = {k: ("" if v is None else str(v)) for k, v in params.dict().items()}
    try:
        flt = queries.AnalysisFilter.from_mapping(data)
    except ValueError as exc:
        raise ValidationError({str(exc): [_("Bad value.")]}) from exc
    try:
        return report_json(queries.build(name, request.user, flt), flt)
    except Customer.DoesNotExist as exc:
        raise Http404(_("No such customer.")) from exc


def _endpoint(name: str, summary: str):
    def view(request, params: Query[ReportParams]):
        return _run(request, name, params)

    view.__name__ = f"report_{name}"
    router.get(f"/{name}", response=ReportOut, summary=summary, operation_id=f"analysis_{name}")(view)


for _name, _summary in [("composition", "Customer composition (by kind, territory, importance, lifecycle, manager)"),
                        ("transactions", "Monthly/annual sales per customer, share, expected share"),
                        ("products", "Product composition: Pareto of sales"),
                        ("margin", "Gross margin by product or customer"),
                        ("cross", "Cross ratio and contribution ratio by product"),
                        ("turnover", "Turnover at dealers (sales / average dealer stock)"),
                        ("mix", "Each customer's product mix against all customers' (one customer with customer=ID)")]:
    _endpoint(_name, _summary)


class StockIn(InputSchema):
    customer: int
    product: int
    month: datetime.date
    amount: Money
    quantity: decimal_input(14, 3) | None = None


class StockOut(Schema):
    id: int
    customer: int
    product: int
    month: datetime.date
    amount: str
    quantity: str | None


@router.post("/stock", response=StockOut, summary="Record a dealer's stock of a product at a month end")
def record_stock(request, payload: StockIn):
    customer = get_object_or_404(Customer.objects.filter(customer_q(request.user)), pk=payload.customer)
    product = get_object_or_404(Product, pk=payload.product)
    row = services.record_stock(request.user, customer, product, payload.month, payload.amount, payload.quantity)
    return {"id": row.pk, "customer": row.customer_id, "product": row.product_id, "month": row.month,
            "amount": f"{row.amount:.2f}", "quantity": None if row.quantity is None else str(row.quantity)}
