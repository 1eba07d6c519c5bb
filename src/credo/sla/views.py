"""The service-levels page of one kind of work (complaints, service requests): compliance per measure over a
period, the clocks due soonest, the breaches recorded, the targets in force with their versions, and (for the
administrator) the editor that saves a new version."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credo.core.clock import business_now, business_today
from credo.core.errors import require
from credo.core.roles import has_perm
from credo.core.view_helpers import add_form_errors, int_or_none

from . import queries, services
from .forms import PolicyForm
from .models import Kind, SlaPolicy

PERIODS = (30, 90, 365)


def _kind(request) -> str:
    kind = request.GET.get("kind") or request.POST.get("kind")
    return kind if kind in Kind.values else Kind.COMPLAINT


def _period(request) -> int:
    days = int_or_none(request.GET.get("days"))
    return days if days in PERIODS else 90


def _page(request, kind: str, form: PolicyForm | None = None, status: int = 200):
    user = request.user
    today = business_today()
    policy, targets, warn_percent = queries.in_force(kind, today)
    shown, shown_targets = policy, targets
    version_id = int_or_none(request.GET.get("version"))
    if version_id:
        shown = SlaPolicy.objects.filter(kind=kind, pk=version_id).first() or policy
        if shown is not None and shown != policy:
            shown_targets = shown.target_rows()
    days = _period(request)
    now = business_now()
    mine = request.GET.get("mine") == "1"
    can_manage = has_perm(user, "sla.manage")
    if form is None and can_manage:
        form = PolicyForm(kind=kind, initial=PolicyForm.initial_for(targets, f"{warn_percent.normalize():f}"))
    context = {
        "kind": kind, "kind_label": Kind(kind).label, "kinds": Kind.choices, "today": today,
        "days": days, "periods": PERIODS, "mine": mine,
        "metrics": queries.metric_labels(kind),
        "policy": policy, "warn_percent": warn_percent, "shown": shown,
        "grid": queries.grid(kind, shown_targets),
        "versions": queries.versions(kind),
        "compliance": queries.compliance(user, kind, now - datetime.timedelta(days=days), now),
        "due_rows": queries.due_soonest(user, kind, owner=user if mine else None),
        "breaches": queries.breaches(user, kind, since=now - datetime.timedelta(days=days)),
        "can_manage": can_manage, "form": form,
    }
    return render(request, "sla/levels.html", context, status=status)


@login_required
def levels(request):
    require(has_perm(request.user, "sla.view"), _("You may not do this."))
    return _page(request, _kind(request))


@login_required
@require_POST
def set_policy(request):
    require(has_perm(request.user, "sla.manage"), _("Your role may not change the service-level targets."))
    kind = _kind(request)
    form = PolicyForm(data=request.POST, kind=kind)
    if form.is_valid():
        data = form.cleaned_data
        try:
            policy = services.set_policy(request.user, kind, form.target_rows(), warn_percent=data["warn_percent"],
                                         valid_from=data.get("valid_from"), note=data.get("note", ""))
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Service-level targets saved, valid from %(date)s.")
                             % {"date": policy.valid_from.isoformat()})
            return redirect(reverse("sla:levels") + f"?kind={kind}#targets")
    return _page(request, kind, form=form, status=400)
