"""Risk pages: the watch list, the card's Risk tab, recording and clearing a signal, checking a customer now.
Thin: forms parse, services write, watchlist/classes read."""

import csv
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credo.core.clock import business_today
from credo.core.models import Territory
from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers.queries import get_customer_for_user
from credo.customers.views import _add_errors, _managers_for_filter

from . import classes, labels, rules, services, sources
from .forms import ClearSignalForm, RecordSignalForm
from .models import COMPUTED_KINDS, RECORDED_KINDS, RiskClass, RiskClassCode, RiskSignal, SignalKind
from .watchlist import WatchFilter, customer_signals, export_rows, kind_labels, watch_groups, watch_rows

PAGE_SIZE = 50
EXPORT_LIMIT = 200_000
EXPORT_BATCH = 1000


def _require(user, action: str):
    if not has_perm(user, action):
        raise PermissionDenied(_("Your role may not do this."))


def _tab_url(customer_pk: int) -> str:
    return reverse("customers:detail", args=[customer_pk]) + "?tab=risk"


# ---------------------------------------------------------------------------------------------- watch list


@login_required
def watchlist(request):
    _require(request.user, "risk.view")
    flt = WatchFilter.from_mapping(request.GET)
    groups = watch_groups(request.user, flt)
    if request.GET.get("export") == "csv":
        return _export(groups)
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = watch_rows(list(page.object_list))
    return render(request, "risk/watchlist.html", {
        "page": page,
        "rows": rows,
        "filter": flt,
        "page_exposure": sum((r.exposure for r in rows), Decimal("0.00")),
        "kind_choices": [("", _("All signals")), *SignalKind.choices],
        "class_choices": [("", _("All classes")), *RiskClassCode.choices],
        "territories": Territory.objects.order_by("code"),
        "managers": _managers_for_filter(request.user),
        "can_configure": request.user.is_staff,
    })


class _Echo:
    def write(self, value):
        return value


def _export(groups) -> StreamingHttpResponse:
    """The filtered watch list as CSV, streamed a thousand customers at a time."""
    labels = kind_labels()
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so that Excel opens the UTF-8 file with the Chinese intact
        yield writer.writerow([_("Customer code"), _("Customer"), _("Signals"), _("Kinds"), _("Latest"),
                               _("Risk class"), _("Receivable"), _("Open orders"), _("Account manager"),
                               _("Territory")])
        for start in range(0, EXPORT_LIMIT, EXPORT_BATCH):
            batch = list(groups[start:start + EXPORT_BATCH])
            for row in export_rows(batch, labels):
                yield writer.writerow(row)
            if len(batch) < EXPORT_BATCH:
                break

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="risk-watch-list-{business_today()}.csv"'
    return response


# ---------------------------------------------------------------------------------------------- card tab


def class_context(customer) -> dict:
    assignment = classes.current_assignment(customer.pk)
    if assignment is None:
        return {"assignment": None}
    language = get_language() or "zh-hans"
    risk_class = RiskClass.objects.filter(code=assignment.risk_class).first()
    inputs = assignment.inputs or {}
    missing = set(inputs.get("missing", []))
    rule = classes.as_rule(assignment.rule) if assignment.rule else None
    return {
        "assignment": assignment,
        "class_profile": risk_class.profile(language) if risk_class else "",
        "class_policy": risk_class.policy(language) if risk_class else "",
        "inputs": inputs,
        "completeness_items": [(labels.COMPLETENESS[code], weight, code not in missing)
                               for code, weight in rules.COMPLETENESS_ITEMS],
        "rule_conditions": [(labels.CONDITIONS.get(name, name), value) for name, value in rule.conditions()]
        if rule else [],
    }


def risk_tab_context(request, customer) -> dict:
    active, cleared = customer_signals(customer.pk)
    can_record = has_perm(request.user, "risk.record") and customer.is_active
    grade = sources.grade_info(customer.pk)
    return {
        "investigation_warnings": sources.investigation_warnings(customer.pk, get_language() or "zh-hans"),
        **class_context(customer),
        "grade": grade,
        "active_signals": active,
        "cleared_signals": cleared,
        "can_record": can_record,
        "record_form": RecordSignalForm() if can_record else None,
        "clear_form": ClearSignalForm() if can_record else None,
        "computed_kinds": [SignalKind(k).label for k in COMPUTED_KINDS],
        "recorded_kinds": [SignalKind(k).label for k in RECORDED_KINDS],
        "can_configure": request.user.is_staff,
    }


# ---------------------------------------------------------------------------------------------- actions


@login_required
def record_signal(request, customer_pk):
    """The record form: inline on the card tab; this page shows it again with the errors when input is bad."""
    customer = get_customer_for_user(request.user, customer_pk)
    _require(request.user, "risk.record")
    form = RecordSignalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signal = services.record_signal(request.user, customer, kind=data["kind"], evidence=data["evidence"],
                                            detected_on=data["detected_on"], file=data["file"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Risk signal recorded: %(kind)s.") % {"kind": signal.get_kind_display()})
            return redirect(_tab_url(customer.pk))
    return render(request, "risk/record.html", {"form": form, "customer": customer})


@login_required
@require_POST
def clear_signal(request, pk):
    signal = RiskSignal.objects.filter(customer_q(request.user, "customer__"), pk=pk).first()
    if signal is None:
        raise Http404
    _require(request.user, "risk.record")
    form = ClearSignalForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"note": form.errors.get("note", [_("Say why the signal no longer applies.")])})
        services.clear_signal(request.user, signal, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Signal cleared: %(kind)s.") % {"kind": signal.get_kind_display()})
    return redirect(_tab_url(signal.customer_id))


@login_required
@require_POST
def check_customer(request, customer_pk):
    customer = get_customer_for_user(request.user, customer_pk)
    _require(request.user, "risk.record")
    result = services.check_customer(request.user, customer)
    assignment = classes.current_assignment(customer.pk)
    messages.success(request, _("Checked: %(new)d new signals, %(cleared)d cleared; risk class %(cls)s.") % {
        "new": sum(result.new.values()), "cleared": sum(result.cleared.values()),
        "cls": assignment.risk_class if assignment else "—"})
    return redirect(_tab_url(customer.pk))


@login_required
def signal_file(request, pk):
    """A recorded signal's file, only to users who may see its customer."""
    _require(request.user, "risk.view")
    signal = RiskSignal.objects.filter(customer_q(request.user, "customer__"), pk=pk).exclude(file="").first()
    if signal is None:
        raise Http404
    name = signal.file_name or signal.file.name.rsplit("/", 1)[-1]
    return FileResponse(signal.file.open("rb"), as_attachment=True, filename=name)
