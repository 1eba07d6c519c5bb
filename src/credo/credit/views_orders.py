"""Order pages (the sales app has none): create, see status and hold reason in figures, change lines, confirm,
cancel, reopen, and ask for a release. Every confirmation path runs the credit check in sales.orders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credo.core.clock import business_today
from credo.core.roles import has_perm
from credo.customers.queries import get_customer_for_user
from credo.customers.views import _add_errors
from credo.sales import orders as order_service
from credo.sales.models import SalesOrder

from .forms import OrderForm, OrderLinesForm, ReasonForm
from .models import CreditApplication
from .views import _order_or_404, _require, standing


def _order_url(order) -> str:
    from django.urls import reverse

    return reverse("credit:order", args=[order.pk])


def _outcome_message(request, order):
    if order.status == SalesOrder.Status.HELD:
        messages.warning(request, _("Order %(number)s is on credit hold: %(reason)s") % {
            "number": order.number, "reason": order.hold_reason})
    else:
        messages.success(request, _("Order %(number)s: %(status)s.") % {
            "number": order.number, "status": order.get_status_display()})


def _next_number() -> str:
    today = business_today()
    count = SalesOrder.objects.filter(number__startswith=f"SO{today:%Y%m%d}").count()
    return f"SO{today:%Y%m%d}-{count + 1:03d}"


@login_required
def order_create(request, pk):
    customer = get_customer_for_user(request.user, pk)
    _require(request.user, "order.create")
    form = OrderForm(request.POST or None, initial={"number": _next_number(), "order_date": business_today()})
    if request.method == "POST" and form.is_valid():
        try:
            order = order_service.create_order(request.user, customer, number=form.cleaned_data["number"],
                                               order_date=form.cleaned_data["order_date"], lines=form.lines())
            if request.POST.get("confirm") == "1" and has_perm(request.user, "order.confirm"):
                order = order_service.confirm_order(request.user, order)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            _outcome_message(request, order)
            return redirect(_order_url(order))
    return render(request, "credit/order_form.html", {
        "form": form, "customer": customer, "title": _("New order"), "check": standing(customer.pk),
        "can_confirm": has_perm(request.user, "order.confirm")})


@login_required
def order_detail(request, pk):
    _require(request.user, "credit.view")
    order = _order_or_404(request.user, pk)
    applications = CreditApplication.objects.filter(order=order).select_related("applicant").order_by("-created_at")
    pending = next((a for a in applications if a.is_pending), None)
    counted = order.status == SalesOrder.Status.CONFIRMED
    return render(request, "credit/order.html", {
        "order": order,
        "customer": order.customer,
        "lines": order.lines.select_related("product"),
        "applications": applications,
        "pending_release": pending,
        # what the check says now: for an order not yet counted, with its amount; for a confirmed one, as it stands
        "check": standing(order.customer_id, 0 if counted else order.amount),
        "can_confirm": has_perm(request.user, "order.confirm"),
        "can_apply": has_perm(request.user, "credit.apply"),
        "reason_form": ReasonForm(),
    })


def _order_action(request, pk, call):
    order = _order_or_404(request.user, pk)
    if not has_perm(request.user, "order.confirm"):
        raise PermissionDenied(_("Your role may not do this."))
    try:
        order = call(order)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        _outcome_message(request, order)
    return redirect(_order_url(order))


@login_required
@require_POST
def order_confirm(request, pk):
    return _order_action(request, pk, lambda order: order_service.confirm_order(request.user, order))


@login_required
@require_POST
def order_cancel(request, pk):
    return _order_action(request, pk, lambda order: order_service.cancel_order(
        request.user, order, reason=request.POST.get("reason", "")))


@login_required
@require_POST
def order_reopen(request, pk):
    return _order_action(request, pk, lambda order: order_service.reopen_order(
        request.user, order, reason=request.POST.get("reason", "")))


@login_required
def order_lines(request, pk):
    order = _order_or_404(request.user, pk)
    _require(request.user, "order.confirm")
    form = OrderLinesForm(request.POST or None, initial=OrderLinesForm.initial_for(order))
    if request.method == "POST" and form.is_valid():
        try:
            order = order_service.change_order_lines(request.user, order, form.lines())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            _outcome_message(request, order)
            return redirect(_order_url(order))
    return render(request, "credit/order_form.html", {
        "form": form, "customer": order.customer, "order": order, "check": standing(order.customer_id),
        "title": _("Change the lines of order %(number)s") % {"number": order.number}})
