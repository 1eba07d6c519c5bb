"""Classification pages: the pyramid (chart of counts and sales per class, customers per class in the user's
scope, filters by snapshot / territory / account manager, drill into a class), the movement since the previous
snapshot, computing a snapshot, overriding a class, the Excel export, the service policies and the card tab.
Reads in queries.py, writes in services.py."""

import json
import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credo.core.models import Territory
from credo.core.roles import has_perm
from credo.core.scopes import OWN, assignable_managers, scope_of
from credo.core.view_helpers import add_form_errors, int_or_none
from credo.customers.models import Customer, Importance, Lifecycle

from . import queries, rules, services
from .exporting import XLSX_TYPE, write_classes_xlsx
from .forms import ComputeForm, OverrideForm, PolicyForm
from .models import ClassificationRun, ClassResult
from .policies import policies

PAGE_SIZE = 100
CLASS_NAMES = {"pyramid": {"A": "VIP客户", "B": "主要客户", "C": "普通客户", "D": "小客户"}}


def _require(user, permission):
    if not has_perm(user, permission):
        raise PermissionDenied(_("You may not do this."))



def _selected_run(request):
    method = request.GET.get("method") or rules.PYRAMID
    if method not in rules.METHODS:
        method = rules.PYRAMID
    run_id = int_or_none(request.GET.get("run"))
    run = ClassificationRun.objects.filter(pk=run_id).first() if run_id else queries.latest_run(method)
    return (run.method if run else method), run


def _filters(request):
    return {"klass": (request.GET.get("klass") or "").upper()[:2], "territory": int_or_none(request.GET.get("territory")),
            "manager": int_or_none(request.GET.get("manager"))}


def _summary(user, run, flt):
    """Counts and sales per effective class over the user's customers (grouped in the database)."""
    rows = (queries.results(user, run, territory=flt["territory"], manager=flt["manager"]).order_by()
            .values("klass", "override_class").annotate(n=Count("id"), sales=Sum("sales")))
    out = {k: {"klass": k, "count": 0, "sales": 0} for k in run.classes}
    for r in rows:
        cell = out[r["override_class"] or r["klass"]]
        cell["count"] += r["n"]
        cell["sales"] += r["sales"] or 0
    return list(out.values())


@login_required
def pyramid(request):
    _require(request.user, "classification.view")
    method, run = _selected_run(request)
    flt = _filters(request)
    context = {"method": method, "run": run, "filter": flt, "methods": ClassificationRun.Method.choices,
               "snapshots": queries.runs(method)[:50], "can_run": has_perm(request.user, "classification.run"),
               "can_override": has_perm(request.user, "classification.override"),
               "compute_form": ComputeForm(initial={"method": method,
                                                    **dict(zip(("period_from", "period_to"),
                                                               queries.default_period(), strict=True))}),
               "territories": Territory.objects.order_by("code"),
               "managers": assignable_managers(request.user).order_by("username")
               if scope_of(request.user) != OWN else []}
    if run is not None:
        summary = _summary(request.user, run, flt)
        for cell in summary:
            cell["name"] = CLASS_NAMES.get(run.method, {}).get(cell["klass"], "")
        page = max(1, int_or_none(request.GET.get("page")) or 1)
        rows = queries.results(request.user, run, **flt)
        count = rows.count()
        context.update({
            "summary": summary, "rows": rows[(page - 1) * PAGE_SIZE:page * PAGE_SIZE], "count": count,
            "page_number": page, "has_next": page * PAGE_SIZE < count,
            "chart_json": json.dumps({"classes": [c["klass"] for c in summary],
                                      "counts": [c["count"] for c in summary],
                                      "sales": [str(c["sales"]) for c in summary]}),
            "query": request.GET.urlencode(),
        })
    return render(request, "classification/pyramid.html", context)


@login_required
def movement(request):
    """Class movement since the previous snapshot: the transition matrix, a Sankey of the changes and the
    changed customers, a page at a time, optionally one transition (from → to)."""
    _require(request.user, "classification.view")
    method, run = _selected_run(request)
    context = {"method": method, "run": run, "previous": queries.previous_run(run) if run else None,
               "snapshots": queries.runs(method)[:50], "methods": ClassificationRun.Method.choices}
    if run is not None:
        matrix, changed = queries.transitions(request.user, run)
        before_class, after_class = request.GET.get("from"), request.GET.get("to")
        if before_class is not None and after_class:
            changed = [c for c in changed if c[1] == before_class and c[2] == after_class]
        page = max(1, int_or_none(request.GET.get("page")) or 1)
        classes = list(run.classes)
        context.update({
            "moved": queries.movement(request.user, run, changed[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]),
            "count": len(changed), "page_number": page, "has_next": page * PAGE_SIZE < len(changed),
            "transition": (before_class, after_class) if after_class else None,
            "matrix": [{"before": b, "cells": [{"after": a, "count": matrix.get((b, a), 0)} for a in classes]}
                       for b in [*classes, ""] if any(matrix.get((b, a)) for a in classes) or b] if matrix else [],
            "has_changes": any(b != a for b, a in matrix),
            "classes": classes,
            "sankey_json": json.dumps({"classes": classes, "new": _("new"), "links": [
                {"from": b, "to": a, "value": n} for (b, a), n in sorted(matrix.items()) if b != a]}),
        })
    return render(request, "classification/movement.html", context)


@login_required
def export(request):
    _require(request.user, "classification.view")
    _method, run = _selected_run(request)
    if run is None:
        raise Http404
    tmp = tempfile.TemporaryFile()
    workbook = write_classes_xlsx(tmp, run, queries.results(request.user, run, **_filters(request)).iterator(2000))
    workbook.close()
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=f"classes-{run.method}-{run.pk}.xlsx",
                        content_type=XLSX_TYPE)



@login_required
@require_POST
def compute(request):
    _require(request.user, "classification.run")
    form = ComputeForm(data=request.POST)
    if form.is_valid():
        try:
            run = services.compute_snapshot(request.user, form.cleaned_data["method"],
                                            form.cleaned_data["period_from"], form.cleaned_data["period_to"])
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Snapshot computed: %(n)d customers.") % {"n": run.customer_count})
            return redirect(reverse("classification:pyramid") + f"?run={run.pk}")
    for field, errors in form.errors.items():
        messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {' '.join(errors)}")
    return redirect("classification:pyramid")


@login_required
@require_POST
def override(request, pk):
    _require(request.user, "classification.override")
    form = OverrideForm(data=request.POST)
    row = ClassResult.objects.filter(pk=pk).select_related("run").first()
    if row is None:
        raise Http404
    if form.is_valid():
        try:
            services.override_class(request.user, pk, form.cleaned_data["klass"], form.cleaned_data["reason"])
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Class saved."))
    for field, errors in form.errors.items():
        messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {' '.join(errors)}")
    back = request.POST.get("next") or reverse("classification:pyramid") + f"?run={row.run_id}"
    return redirect(back if back.startswith("/") and not back.startswith("//") else "/")


@login_required
def policy(request):
    _require(request.user, "classification.view")
    can_edit = has_perm(request.user, "classification.override")
    form = PolicyForm(data=request.POST) if request.method == "POST" else None
    if form is not None:
        _require(request.user, "classification.override")
        if form.is_valid():
            try:
                services.save_policy(request.user, form.cleaned_data["klass"], form.cleaned_data["text"])
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, _("Service policy saved."))
                return redirect("classification:policy")
    texts = policies()
    return render(request, "classification/policy.html", {
        "policies": [{"klass": k, "text": t, "form": PolicyForm(initial={"klass": k, "text": t})}
                     for k, t in texts.items()], "can_edit": can_edit, "form": form})


def classification_tab_context(request, customer) -> dict:
    history = list(queries.customer_history(request.user, customer.pk)[:40])
    current = next((h for h in history if h.run.method == rules.PYRAMID), None)
    texts = policies()
    return {"class_current": current, "class_history": history,
            "class_policy": texts.get(current.effective_class, "") if current else "",
            "class_policies": texts, "class_can_override": has_perm(request.user, "classification.override"),
            "class_override_form": OverrideForm()}


@login_required
def grid(request):
    """§2.3 lifecycle × importance over the selected pyramid snapshot, and §2.2's behavioural D review list."""
    _require(request.user, "classification.view")
    run_id = int_or_none(request.GET.get("run"))
    run = (ClassificationRun.objects.filter(pk=run_id).first() if run_id else None) or queries.latest_run()
    context = {"run": run, "snapshots": queries.runs()[:50]}
    if run is not None:
        cells = queries.grid(request.user, run)
        labels = dict(Lifecycle.choices)
        context["grid"] = [{"lifecycle": labels.get(row[0]["lifecycle"], row[0]["lifecycle"]), "cells": row}
                           for row in cells]
        context["importances"] = [label for value, label in Importance.choices if value in rules.IMPORTANCES]
        context["heatmap_json"] = json.dumps({
            "x": [str(label) for label in context["importances"]],
            "y": [str(row["lifecycle"]) for row in context["grid"]],
            "cells": [[x, y, c["count"], str(c["sales"])] for y, row in enumerate(cells) for x, c in enumerate(row)]})
        flagged = rules.behavioural_d(queries.behaviour(request.user, run.period_from, run.period_to))
        customers = {c.pk: c for c in Customer.objects.filter(pk__in=list(flagged)[:500])}
        signal_labels = {"low_margin": _("margin below the median"), "pays_late": _("pays late"),
                         "demanding": _("much service per order")}
        context["flagged"] = sorted(({"customer": customers[cid], "signals": [signal_labels[s] for s in signals]}
                                     for cid, signals in flagged.items() if cid in customers),
                                    key=lambda f: f["customer"].code)
    return render(request, "classification/grid.html", context)
