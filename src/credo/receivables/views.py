"""Receivables pages: aging (per customer / manager / territory, with the company totals chart and the
Excel export), the overdue list, and the monthly figures (DSO, collection rate). Reads only: queries.py."""

import json
import tempfile
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from credo.core.models import Territory
from credo.core.roles import has_perm
from credo.core.scopes import OWN, assignable_managers, scope_of

from . import queries, rules
from .exporting import XLSX_TYPE, write_aging_xlsx


def bucket_title(label: str) -> str:
    """The user's words for a machine label: "current" → 当前 / Current, "1-30" → 1–30 天, "180+" → 180 天以上."""
    if label == rules.CURRENT:
        return _("Current")
    if label.endswith("+"):
        return _("Over %(days)s days") % {"days": label[:-1]}
    low, high = label.split("-")
    return _("%(low)s–%(high)s days") % {"low": low, "high": high}


def _require_view(request):
    if not has_perm(request.user, "receivables.view"):
        raise PermissionDenied(_("You may not view receivables."))


def _filter(request):
    try:
        return queries.AgingFilter.from_mapping(request.GET), None
    except ValueError as exc:
        return None, HttpResponseBadRequest(_("Bad value for %(field)s.") % {"field": exc})


def _filter_choices(user):
    managers = []
    if scope_of(user) != OWN:
        managers = assignable_managers(user).select_related("profile").order_by("username")
    return {"territories": Territory.objects.order_by("code"), "managers": managers}


def _group_choices():
    return [("customer", _("Per customer")), ("manager", _("Per account manager")),
            ("territory", _("Per territory"))]


@login_required
def aging(request):
    _require_view(request)
    flt, error = _filter(request)
    if error:
        return error
    try:
        page = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page = 1
    size = queries.PAGE_SIZE
    # The opportunity cost column costs a heap read per invoice: only when asked for (?cost=1).
    with_cost = request.GET.get("cost") == "1"
    result = queries.aging(request.user, flt, limit=size, offset=(page - 1) * size, with_cost=with_cost)
    titles = [bucket_title(label) for label in result.labels]
    colours = rules.bucket_colours(len(result.labels))
    chart = {
        "titles": titles,
        "colours": colours,
        "values": [str(result.totals[label]) for label in result.labels],
    }
    rows = [{"row": row, "cells": [row.buckets[label] for label in result.labels]} for row in result.rows]
    return render(request, "receivables/aging.html", {
        "filter": flt,
        "result": result,
        "rows": rows,
        "bucket_titles": list(zip(titles, colours, strict=True)),
        "total_cells": [result.totals[label] for label in result.labels],
        "chart_json": json.dumps(chart, ensure_ascii=False),
        "page_number": page,
        "with_cost": with_cost,
        "group_choices": _group_choices(),
        "group_title": {"customer": _("Customer"), "manager": _("Account manager"),
                        "territory": _("Territory")}.get(flt.group, ""),
        "sort_choices": [("overdue", _("Most overdue first")), ("oldest", _("Oldest first")),
                         ("total", _("Largest balance first"))],
        **_filter_choices(request.user),
    })


@login_required
def aging_export(request):
    """Every row of the aging within the user's scope and filters, as .xlsx (constant memory, streamed out)."""
    _require_view(request)
    flt, error = _filter(request)
    if error:
        return error
    labels, rows = queries.iter_aging(request.user, flt)
    tmp = tempfile.TemporaryFile()
    workbook = write_aging_xlsx(tmp, flt, labels, rows, titles=[bucket_title(label) for label in labels],
                                group_title={"customer": _("Customer"), "manager": _("Account manager"),
                                             "territory": _("Territory"), "company": _("Company")}[flt.group])
    workbook.close()
    tmp.seek(0)
    name = f"aging-{flt.group}-{flt.as_of.strftime('%Y%m%d')}.xlsx"
    return FileResponse(tmp, as_attachment=True, filename=name, content_type=XLSX_TYPE)


@login_required
def overdue(request):
    _require_view(request)
    flt, error = _filter(request)
    if error:
        return error
    try:
        page = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page = 1
    size = 100
    rows, count, amount = queries.overdue_invoices(request.user, flt, limit=size, offset=(page - 1) * size)
    for inv in rows:
        inv.bucket_title = bucket_title(inv.bucket)
    return render(request, "receivables/overdue.html", {
        "filter": flt, "rows": rows, "count": count, "amount": amount, "page_number": page,
        "has_next": page * size < count, **_filter_choices(request.user),
    })


@login_required
def figures(request):
    _require_view(request)
    flt, error = _filter(request)
    if error:
        return error
    months = queries.monthly_figures(request.user, flt, months=12)
    for m in months:
        rate = m["collection_rate"]
        m["rate_pct"] = None if rate is None else (rate * 100).quantize(Decimal("0.1"))
    aging_result = queries.aging(request.user, flt, limit=1)
    chart = {
        "periods": [m["period"].strftime("%Y-%m") for m in months],
        "dso": [None if m["dso"] is None else str(m["dso"]) for m in months],
        "rate": [None if m["rate_pct"] is None else str(m["rate_pct"]) for m in months],
    }
    return render(request, "receivables/figures.html", {
        "filter": flt, "months": months, "result": aging_result, "chart_json": json.dumps(chart),
        **_filter_choices(request.user),
    })
