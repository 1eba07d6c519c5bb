"""Customer value pages: the value segments of a snapshot (summary per segment, the 80/20 check, the whale
curve, customers with their profit working, Excel export, computing a snapshot), the review list with
decisions, the cost rates, and the card tab (one customer's working, recorded costs and potential)."""

import json
import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credo.classification.queries import default_period
from credo.core.clock import business_today
from credo.core.errors import require
from credo.core.models import Territory
from credo.core.roles import has_perm
from credo.core.scopes import OWN, assignable_managers, scope_of
from credo.core.view_helpers import add_form_errors, int_or_none
from credo.customers.queries import get_customer_for_user

from . import queries, rules, services
from .exporting import XLSX_TYPE, write_segments_xlsx
from .forms import CancelCostForm, ComputeForm, CostForm, DecisionForm, PotentialForm, RatesForm
from .models import Segment, SegmentRun

PAGE_SIZE = 100
REVIEW_ROWS = 500  # the least profitable first; the API and the command give them all


def _require(user, permission):
    require(has_perm(user, permission), _("You may not do this."))


def _selected_run(request) -> SegmentRun | None:
    run_id = int_or_none(request.GET.get("run") or request.POST.get("run"))
    return SegmentRun.objects.filter(pk=run_id).first() if run_id else queries.latest_run()


def _filters(request) -> dict:
    segment = request.GET.get("segment") or ""
    return {"segment": segment if segment in rules.SEGMENTS else "", "territory": int_or_none(request.GET.get("territory")),
            "manager": int_or_none(request.GET.get("manager"))}



def _page(request, form=None, status=200):
    user = request.user
    run = _selected_run(request)
    flt = _filters(request)
    period_from, period_to = default_period()
    context = {"run": run, "filter": flt, "snapshots": queries.runs()[:50], "segments": Segment.choices,
               "can_run": has_perm(user, "classification.run"),
               "compute_form": form or ComputeForm(initial={"period_from": period_from, "period_to": period_to}),
               "territories": Territory.objects.order_by("code"),
               "managers": assignable_managers(user).order_by("username") if scope_of(user) != OWN else []}
    if run is not None:
        names = dict(Segment.choices)
        summary = queries.summary(user, run, territory=flt["territory"], manager=flt["manager"])
        for cell in summary:
            cell["name"] = names[cell["segment"]]
        page = max(1, int_or_none(request.GET.get("page")) or 1)
        rows = queries.results(user, run, **flt)
        count = rows.count()
        context.update({
            "summary": summary, "rows": rows[(page - 1) * PAGE_SIZE:page * PAGE_SIZE], "count": count,
            "page_number": page, "has_next": page * PAGE_SIZE < count, "query": request.GET.urlencode(),
            "chart_json": json.dumps({"curve": queries.whale_curve(user, run),
                                      "segments": [str(c["name"]) for c in summary],
                                      "profit": [str(c["profit"]) for c in summary]}),
        })
    return render(request, "segments/index.html", context, status=status)


@login_required
def index(request):
    _require(request.user, "classification.view")
    return _page(request)


@login_required
@require_POST
def compute(request):
    _require(request.user, "classification.run")
    form = ComputeForm(data=request.POST)
    if form.is_valid():
        data = form.cleaned_data
        params = {k: str(data[k]) for k in rules.DEFAULT_PARAMS if data.get(k) is not None}
        try:
            run = services.compute_segments(request.user, data["period_from"], data["period_to"], params=params)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Value segments computed for %(n)s customers.") % {"n": run.customer_count})
            return redirect(reverse("segments:index") + f"?run={run.pk}")
    return _page(request, form, status=400)


@login_required
def export(request):
    _require(request.user, "classification.view")
    run = _selected_run(request)
    if run is None:
        raise Http404
    tmp = tempfile.TemporaryFile()
    workbook = write_segments_xlsx(tmp, run, queries.results(request.user, run, **_filters(request)).iterator(2000))
    workbook.close()
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=f"value-segments-{run.pk}.xlsx", content_type=XLSX_TYPE)


@login_required
def review(request):
    _require(request.user, "classification.view")
    run = _selected_run(request)
    items = queries.review_list(request.user, run) if run else []
    return render(request, "segments/review.html", {
        "run": run, "snapshots": queries.runs()[:50], "items": items[:REVIEW_ROWS], "count": len(items),
        "can_decide": has_perm(request.user, "classification.override"), "form": DecisionForm(),
        "c_percent": rules.params_for(run.params)["review_c_percent"] if run else ""})


@login_required
@require_POST
def decide(request, customer_id: int):
    run = _selected_run(request)
    if run is None:
        raise Http404
    try:  # the service checks the decision and the note, naming the field
        services.decide_review(request.user, run.pk, customer_id, decision=request.POST.get("decision", ""),
                               note=request.POST.get("note", ""))
        messages.success(request, _("Decision saved."))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    except PermissionDenied:
        raise Http404 from None
    return redirect(reverse("segments:review") + f"?run={run.pk}")


def _error_text(exc) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(f"{field}: {' '.join(m)}" for field, m in exc.message_dict.items())
    return " ".join(exc.messages)


@login_required
def rates(request):
    _require(request.user, "classification.view")
    can_edit = has_perm(request.user, "value.rates")
    form = RatesForm(initial={k: str(v) for k, v in queries.current_rates().items()})
    status = 200
    if request.method == "POST":
        _require(request.user, "value.rates")
        form = RatesForm(data=request.POST)
        if form.is_valid():
            try:
                services.save_rates(request.user, form.cleaned_data)
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, _("Cost rates saved."))
                return redirect("segments:rates")
        status = 400
    return render(request, "segments/rates.html", {"form": form, "can_edit": can_edit}, status=status)


def _card(customer_id: int) -> str:
    return reverse("customers:detail", args=[customer_id]) + "?tab=value"


@login_required
@require_POST
def add_cost(request, customer_id: int):
    get_customer_for_user(request.user, customer_id)
    form = CostForm(data=request.POST)
    if form.is_valid():
        try:
            services.record_cost(request.user, customer_id, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Cost recorded."))
    else:
        messages.error(request, " ".join(f"{form[f].label}: {' '.join(e)}" for f, e in form.errors.items()))
    return redirect(_card(customer_id))


@login_required
@require_POST
def cancel_cost(request, customer_id: int, cost_id: int):
    get_customer_for_user(request.user, customer_id)
    form = CancelCostForm(data=request.POST)
    try:
        services.cancel_cost(request.user, cost_id, form.data.get("reason", ""))
        messages.success(request, _("Cost cancelled."))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(_card(customer_id))


@login_required
@require_POST
def set_potential(request, customer_id: int):
    get_customer_for_user(request.user, customer_id)
    form = PotentialForm(data=request.POST)
    form.is_valid()
    try:
        services.set_potential(request.user, customer_id, annual_purchases=form.data.get("annual_purchases", ""),
                               basis=form.data.get("basis", ""))
        messages.success(request, _("Potential saved."))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(_card(customer_id))


def value_tab_context(request, customer) -> dict:
    potential = queries.potential(customer.pk)
    return {"value_result": queries.customer_result(request.user, customer.pk),
            "value_costs": queries.recorded_costs(request.user, customer.pk)[:50],
            "value_potential": potential,
            "value_can_cost": has_perm(request.user, "value.costs"),
            "value_can_potential": has_perm(request.user, "value.potential"),
            "value_cost_form": CostForm(initial={"cost_date": business_today()}),
            "value_potential_form": PotentialForm(initial={
                "annual_purchases": potential.annual_purchases if potential else "",
                "basis": potential.basis if potential else ""})}
