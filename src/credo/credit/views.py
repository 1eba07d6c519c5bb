"""Credit pages: the card's Credit tab, application forms and decision pages, the approvals queue, the limit review
list, credit stops and orders on hold. Thin: forms parse, services write, queries read."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credo.core.clock import business_today
from credo.core.money import parse_money
from credo.core.roles import Role, has_perm
from credo.customers.queries import get_customer_for_user
from credo.customers.views import _add_errors
from credo.sales.models import CustomerBalance, SalesOrder

from . import approvals, control, queries, services
from .authority import step_for, tiers
from .forms import DecisionForm, LimitApplicationForm, PolicyForm, ReasonForm, StopForm
from .models import ApplicationKind, CreditApplication, split_roles


def _require(user, perm: str):
    if not has_perm(user, perm):
        raise PermissionDenied(_("Your role may not do this."))


def _tab_url(customer_id: int) -> str:
    return reverse("customers:detail", args=[customer_id]) + "?tab=credit"


def balance_of(customer_id: int) -> CustomerBalance:
    zero = Decimal("0.00")
    return CustomerBalance.objects.filter(customer_id=customer_id).first() or CustomerBalance(
        customer_id=customer_id, receivable=zero, unapplied_credit=zero, open_orders=zero, invoiced_total=zero,
        paid_total=zero)


def role_labels(text: str) -> str:
    labels = dict(Role.choices)
    return " / ".join(str(labels.get(code, code)) for code in split_roles(text))


def standing(customer_id: int, amount=Decimal("0.00")) -> control.CheckResult:
    """The check's figures right now (read only, nothing locked): exposure, headroom, what would hold an order."""
    return control.evaluate(customer_id, amount, balance_of(customer_id))


def _limit_computation(computation_id):
    """(id, text, url) of a limits-app computation, guarded: that app is installed separately."""
    if not computation_id:
        return None
    text, url = f"#{computation_id}", None
    try:
        from credo.limits.models import LimitComputation

        found = LimitComputation.objects.filter(pk=computation_id).first()
        if found is not None:
            text = f"#{found.pk} {getattr(found, 'get_method_display', lambda: '')() or getattr(found, 'method', '')}"
    except Exception:  # noqa: BLE001 - the limits app may not be there yet
        pass
    try:
        url = reverse("limits:computation", args=[computation_id])
    except NoReverseMatch:
        url = None
    return {"id": computation_id, "text": text, "url": url}


def _computed_limit(computation_id):
    """The credit line (else the limit) a limits-app computation proposed, if that app is there."""
    try:
        from credo.limits.models import LimitComputation

        found = LimitComputation.objects.filter(pk=computation_id).values("credit_line", "limit").first()
    except Exception:  # noqa: BLE001 - the limits app may not be there yet
        return None
    if not found:
        return None
    return found["credit_line"] if found["credit_line"] is not None else found["limit"]


# ---------------------------------------------------------------------------------------------- card tab


def credit_tab_context(request, customer) -> dict:
    user = request.user
    result = standing(customer.pk)
    profile = result.profile
    applications = list(queries.visible_applications(user).filter(customer=customer)[:30])
    orders = list(customer.orders.order_by("-order_date", "-id")[:30])
    pending_release = set(CreditApplication.objects.filter(order__in=orders, status__in=["review", "approval"])
                          .values_list("order_id", flat=True))
    for order in orders:
        order.release_pending = order.pk in pending_release
    return {
        "profile": profile,
        "has_profile": not profile._state.adding,
        "check": result,
        "figures": result.assessment,
        "policy": result.policy,
        "grade": queries.grade_info(customer.pk),
        "risk_level": result.risk_level,
        "applications": applications,
        "orders": orders,
        "stops": customer.credit_stops.all()[:30],
        "can_apply": has_perm(user, "credit.apply") and customer.is_active,
        "can_stop": has_perm(user, "credit.stop") and customer.is_active,
        "can_policy": has_perm(user, "credit.policy") and customer.is_active,
        "can_order": has_perm(user, "order.create") and customer.is_active,
        "can_confirm": has_perm(user, "order.confirm"),
        "investigated": queries.has_investigation(customer.pk),
        "today": business_today(),
    }


# ---------------------------------------------------------------------------------------------- applications


def _application_page(request, customer, form, title, submit, *, kind, extra=None, order=None):
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = approvals.apply(
                request.user, customer, kind=kind, reason=data["reason"], amount=data.get("amount"),
                credit_days=data.get("credit_days"), computation_id=data.get("computation_id"), order=order)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Application %(number)s submitted: %(tier)s.") % {
                "number": application.number, "tier": application.tier_name})
            return redirect("credit:application", application.pk)
    return render(request, "credit/apply.html", {
        "form": form, "customer": customer, "title": title, "submit": submit, "check": standing(customer.pk),
        "order": order, **(extra or {})})


@login_required
def limit_apply(request, pk):
    """A limit application; GET ?amount=…&computation=<id> fills it from a limit computation."""
    customer = get_customer_for_user(request.user, pk)
    _require(request.user, "credit.apply")
    profile = queries.credit_profile(customer.pk)
    initial = {"credit_days": profile.credit_days if profile else services.new_profile(customer.pk).credit_days,
               "amount": profile.limit if profile else None}
    try:
        if request.GET.get("amount"):
            initial["amount"] = parse_money(request.GET["amount"])
    except ValueError:
        pass
    computation = request.GET.get("computation") or request.POST.get("computation_id")
    if computation and str(computation).isdigit():
        initial["computation_id"] = int(computation)
        if not request.GET.get("amount"):
            proposed = _computed_limit(initial["computation_id"])
            if proposed is not None:
                initial["amount"] = proposed
    form = LimitApplicationForm(request.POST or None, initial=initial)
    return _application_page(request, customer, form, _("Apply for a credit limit"), _("Submit the application"),
                             kind=ApplicationKind.LIMIT,
                             extra={"computation": _limit_computation(initial.get("computation_id")),
                                    "is_limit": True})


APPLY_TITLES = {
    ApplicationKind.LIFT_STOP: (_("Apply to lift the credit stop"), "lock-open"),
    ApplicationKind.STOP_TRADE: (_("Apply to stop trade"), "hand-stop"),
    ApplicationKind.RESUME_TRADE: (_("Apply to resume trade"), "player-play"),
    ApplicationKind.START_TRADE: (_("Apply for the first credit sale"), "player-play"),
}


@login_required
def apply(request, pk, kind):
    if kind not in APPLY_TITLES:
        raise Http404
    customer = get_customer_for_user(request.user, pk)
    _require(request.user, "credit.apply")
    form = ReasonForm(request.POST or None)
    return _application_page(request, customer, form, APPLY_TITLES[kind][0], _("Submit the application"), kind=kind)


@login_required
def release_apply(request, pk):
    order = _order_or_404(request.user, pk)
    _require(request.user, "credit.apply")
    form = ReasonForm(request.POST or None)
    title = _("Apply to release order %(number)s from credit hold") % {"number": order.number}
    return _application_page(request, order.customer, form, title, _("Request release"),
                             kind=ApplicationKind.HOLD_RELEASE, order=order)


def _order_or_404(user, pk) -> SalesOrder:
    order = queries.visible_orders(user).filter(pk=pk).select_related("customer").first()
    if order is None:
        raise Http404
    return order


def _application_or_404(user, pk) -> CreditApplication:
    application = queries.visible_applications(user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def _render_application(request, application, form=None):
    user = request.user
    step = step_for(user, application)
    if form is None and step:
        form = DecisionForm(step=step)
    return render(request, "credit/application.html", {
        "application": application,
        "customer": application.customer,
        "steps": application.steps.all(),
        "step": step,
        "form": form,
        "can_withdraw": application.is_pending and application.applicant_id == user.pk,
        "reviewers": role_labels(application.reviewer_roles),
        "approvers": role_labels(application.approver_roles),
        "check": standing(application.customer_id, application.order_amount or Decimal("0.00")),
        "computation": _limit_computation(application.computation_id),
        "own": application.applicant_id == user.pk,
        "was_reviewer": application.reviewer_id == user.pk and application.status == "approval",
    })


@login_required
def application_detail(request, pk):
    _require(request.user, "credit.view")
    return _render_application(request, _application_or_404(request.user, pk))


@login_required
@require_POST
def application_decide(request, pk):
    application = _application_or_404(request.user, pk)
    step = step_for(request.user, application)
    if step is None:
        raise PermissionDenied(_("You may not decide this application at this step."))
    form = DecisionForm(request.POST, step=step)
    if form.is_valid():
        try:
            application = approvals.decide(request.user, application, decision=form.cleaned_data["decision"],
                                           comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Application %(number)s: %(status)s.") % {
                "number": application.number, "status": application.get_status_display()})
            return redirect("credit:application", application.pk)
    return _render_application(request, application, form)


@login_required
@require_POST
def application_withdraw(request, pk):
    application = _application_or_404(request.user, pk)
    try:
        approvals.withdraw(request.user, application, comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Application withdrawn."))
    return redirect("credit:application", application.pk)


# ---------------------------------------------------------------------------------------------- lists


@login_required
def approvals_page(request):
    _require(request.user, "credit.view")
    user = request.user
    visible = queries.visible_applications(user)
    tier_rows = tiers()
    for tier in tier_rows:
        tier.applicants, tier.reviewers, tier.approvers = (
            role_labels(tier.applicant_roles), role_labels(tier.reviewer_roles), role_labels(tier.approver_roles))
    return render(request, "credit/approvals.html", {
        "waiting": queries.pending_for(user),
        "pending": visible.filter(status__in=["review", "approval"]).order_by("created_at")[:200],
        "mine": visible.filter(applicant=user).order_by("-created_at")[:50],
        "decided": visible.filter(status__in=["approved", "rejected", "withdrawn"]).order_by("-decided_at")[:50],
        "tiers": tier_rows,
        "can_configure": user.is_staff,
    })


@login_required
def held_orders_page(request):
    _require(request.user, "credit.view")
    orders = list(queries.held_orders(request.user)[:300])
    pending = set(CreditApplication.objects.filter(order__in=orders, status__in=["review", "approval"])
                  .values_list("order_id", flat=True))
    for order in orders:
        order.release_pending = order.pk in pending
    return render(request, "credit/held_orders.html", {
        "orders": orders, "can_apply": has_perm(request.user, "credit.apply")})


@login_required
def stops_page(request):
    _require(request.user, "credit.view")
    show_all = request.GET.get("all") == "1"
    return render(request, "credit/stops.html", {
        "stops": queries.stops(request.user, active_only=not show_all)[:500], "show_all": show_all,
        "can_apply": has_perm(request.user, "credit.apply")})


@login_required
def reviews_page(request):
    _require(request.user, "credit.approve")
    return render(request, "credit/reviews.html", {
        "profiles": queries.reviews_due(request.user), "can_apply": has_perm(request.user, "credit.apply"),
        "today": business_today()})


# ---------------------------------------------------------------------------------------------- profile actions


@login_required
def policy_edit(request, pk):
    customer = get_customer_for_user(request.user, pk)
    _require(request.user, "credit.policy")
    profile = queries.credit_profile(customer.pk) or services.new_profile(customer.pk)
    initial = {field: getattr(profile, field) for field in services.POLICY_FIELDS}
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        try:
            services.update_policy(request.user, customer, data, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Credit policy saved."))
            return redirect(_tab_url(customer.pk))
    return render(request, "credit/form.html", {"form": form, "customer": customer,
                                                "title": _("Credit policy terms"), "submit": _("Save")})


@login_required
def stop_credit(request, pk):
    customer = get_customer_for_user(request.user, pk)
    _require(request.user, "credit.stop")
    form = StopForm(request.POST or None, initial={"on": business_today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.stop_credit(request.user, customer, reason=form.cleaned_data["reason"],
                                 on=form.cleaned_data["on"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Credit stopped: the customer is cash only until the stop is lifted."))
            return redirect(_tab_url(customer.pk))
    hint = _("Takes effect at once: new orders go on hold unless paid in advance. Lifting the stop needs an "
             "approved application.")
    return render(request, "credit/form.html", {"form": form, "customer": customer, "title": _("Stop credit"),
                                                "submit": _("Stop credit"), "hint": hint, "danger": True})

