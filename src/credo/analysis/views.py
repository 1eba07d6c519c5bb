"""Analysis pages: one page per report (filters, chart, table, export) and the dealer stock entry/import.
Reads only through queries.py; writes through services.py."""

import json
import tempfile
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers.models import Customer
from credo.customers.views import _add_errors

from . import queries, services
from .exporting import XLSX_TYPE, as_display, write_report_xlsx
from .forms import StockForm, StockImportForm
from .models import DealerStock
from .sections import filter_context


def _require_view(request):
    if not has_perm(request.user, "analysis.view"):
        raise PermissionDenied(_("You may not view the customer analysis."))


def _filter(request):
    try:
        return queries.AnalysisFilter.from_mapping(request.GET), None
    except ValueError as exc:
        return None, HttpResponseBadRequest(_("Bad value for %(field)s.") % {"field": exc})


def _by_choices(name):
    if name == "composition":
        return queries.composition_groups()
    if name == "margin":
        return [("product", _("Per product")), ("customer", _("Per customer"))]
    return []


def report_titles():
    return [("composition", _("Customer composition")), ("transactions", _("Transactions")),
            ("products", _("Product composition")), ("margin", _("Gross margin")),
            ("cross", _("Cross and contribution ratios")), ("turnover", _("Turnover at dealers")),
            ("mix", _("Customer product mix"))]


def _build(name, user, flt):
    try:
        return queries.build(name, user, flt)
    except Customer.DoesNotExist as exc:  # a customer the user may not see (or none): as if it did not exist
        raise Http404 from exc


def _cells(result, flt, row):
    """The page's cells of one row: text, numeric?, a drill-down link, and a small second figure under it."""
    types = {c.key: c.type for c in result.columns}
    cells = []
    for c in result.columns:
        if not c.page:
            continue
        cell = {"text": as_display(row.get(c.key), c.type), "num": c.type != "text", "link": "", "sub": "",
                "negative": False}
        if c.drill and row.get(c.drill):
            cell["link"] = "?" + urlencode({**flt.query(), "customer": row[c.drill]})
        if c.sub:
            value = row.get(c.sub)
            if value is not None:
                cell["sub"] = as_display(value, types.get(c.sub, "text"))
                cell["negative"] = value < 0
        cells.append(cell)
    return cells


@login_required
def report(request, name):
    _require_view(request)
    if name not in queries.REPORTS:
        raise Http404
    flt, error = _filter(request)
    if error:
        return error
    result = _build(name, request.user, flt)
    rows = [_cells(result, flt, row) for row in result.rows[:500]]
    columns = [c for c in result.columns if c.page]
    totals = [(as_display(result.totals.get(c.key), c.type) if c.key in result.totals else "", c.type != "text")
              for c in columns]
    if result.totals:
        totals[0] = (_("Total"), False)
    return render(request, "analysis/report.html", {**filter_context(request),
        "name": name, "report": result, "columns": columns, "filter": flt, "rows": rows, "totals": totals if result.totals else None,
        "truncated": len(result.rows) > 500, "chart_json": json.dumps(result.chart, ensure_ascii=False),
        "by_choices": _by_choices(name), "reports": report_titles(),
        "export_query": urlencode(flt.query()),   # the export has a URL of its own: no export=xlsx here
        "all_customers_query": urlencode({k: v for k, v in flt.query().items() if k != "customer"}),
    })


@login_required
def export(request, name):
    """The whole report within the user's scope and filters as .xlsx (constant memory, streamed out)."""
    _require_view(request)
    if name not in queries.REPORTS:
        raise Http404
    flt, error = _filter(request)
    if error:
        return error
    result = _build(name, request.user, flt)
    tmp = tempfile.TemporaryFile()
    write_report_xlsx(tmp, result, flt).close()
    tmp.seek(0)
    filename = f"{name}-{flt.date_from:%Y%m%d}-{flt.date_to:%Y%m%d}.xlsx"
    return FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


@login_required
def stock(request):
    """Dealer stock: the entry form, the import, and the latest entries within the user's scope."""
    _require_view(request)
    form = StockForm(user=request.user)
    upload = StockImportForm()
    if request.method == "POST" and "file" in request.FILES:
        upload = StockImportForm(request.POST, request.FILES)
        if upload.is_valid():
            file = upload.cleaned_data["file"]
            try:
                count = services.import_stock(request.user, file, file.name)
            except ValidationError as exc:
                for message in exc.message_dict.get("file", exc.messages):
                    upload.add_error("file", message)
            else:
                messages.success(request, _("%(count)d stock rows imported.") % {"count": count})
                return redirect("analysis:stock")
    elif request.method == "POST":
        form = StockForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_stock(request.user, data["customer"], data["product"], data["month"],
                                      data["amount"], data["quantity"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Stock recorded."))
                return redirect("analysis:stock")
    entries = (DealerStock.objects.filter(customer_q(request.user, "customer__"))
               .select_related("customer", "product").order_by("-month", "customer__code", "product__code")[:200])
    return render(request, "analysis/stock.html", {"form": form, "upload": upload, "entries": entries,
                                                   "reports": report_titles()})
