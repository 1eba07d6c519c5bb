"""Sales orders: draft → confirmed (or held) → invoiced / cancelled (→ reopened: draft and confirmed again).

Confirmation runs every function in CONFIRMATION_CHECKS with the order and the customer's locked
balance row; the first that returns a reason (text, in figures) puts the order on credit hold.
The credit app registers its limit check here. Every path that raises exposure runs the same checks:
confirming, raising the lines of a confirmed order, reopening a cancelled order (and, in services,
posting an invoice without an order). A hold is released only by release_hold, which the credit app
calls once an approver has decided.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credo.core import audit, timeline
from credo.core.errors import PermissionDenied, ValidationError, require
from credo.core.models import AuditEntry
from credo.core.money import money
from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers.models import Customer

from . import events
from .models import OrderLine, Product, SalesOrder
from .services import lock_balance, post_invoice

CONFIRMATION_CHECKS: list = []


def _require(user, perm, customer):
    require(has_perm(user, perm), _("Your role may not do this."))
    if not Customer.objects.filter(customer_q(user), pk=customer.pk).exists():
        raise PermissionDenied(_("This customer is not in your scope."))


def _line_rows(customer, lines, errors: dict) -> list[OrderLine]:
    """Order lines from [(product, quantity, unit_price or None for the list price)]; problems go to errors."""
    if not lines:
        errors["lines"] = [_("An order needs at least one line.")]
    rows = []
    for product, quantity, price in lines or ():
        try:
            quantity = Decimal(str(quantity))
            price = money(product.list_price if price is None else price)
        except (ArithmeticError, AttributeError, TypeError, ValueError):
            quantity = price = Decimal("-1")
        if not isinstance(product, Product) or quantity <= 0 or price < 0:
            errors["lines"] = [_("Each line needs a positive quantity and a price ≥ 0.")]
            break
        rows.append(OrderLine(product=product, quantity=quantity, unit_price=price, amount=money(quantity * price),
                              customer=customer))
    return rows


@transaction.atomic
def create_order(user, customer: Customer, *, number: str, order_date: datetime.date, lines) -> SalesOrder:
    """lines: [(product, quantity, unit_price or None for the list price)]."""
    _require(user, "order.create", customer)
    errors: dict = {}
    if not number.strip():
        errors["number"] = [_("Enter the document number.")]
    elif SalesOrder.objects.filter(number=number.strip()).exists():
        errors["number"] = [_("Number %(number)s is already used.") % {"number": number.strip()}]
    rows = _line_rows(customer, lines, errors)
    if errors:
        raise ValidationError(errors)
    order = SalesOrder.objects.create(customer=customer, number=number.strip(), order_date=order_date,
                                      amount=sum((r.amount for r in rows), Decimal("0.00")), created_by=user.username)
    for row in rows:
        row.order = order
    OrderLine.objects.bulk_create(rows)
    audit.record(user, AuditEntry.Action.CREATE, order, after=audit.snapshot(order), customer_id=customer.pk)
    return order


def _hold_reason(order, balance) -> str | None:
    """The first reason a check gives, or None. The order must not be counted in balance.open_orders."""
    return next((r for r in (check(order, balance) for check in CONFIRMATION_CHECKS) if r), None)


def _mark_confirmed(user, order, balance):
    order.status, order.hold_reason, order.confirmed_at = SalesOrder.Status.CONFIRMED, "", timezone.now()
    balance.open_orders += order.amount
    balance.save(update_fields=["open_orders", "updated_at"])
    timeline.add_event(order.customer_id, events.ORDER_CONFIRMED.code, actor=user, obj=order,
                       summary=f"{order.number} ¥{order.amount:,.2f}")


def _confirm_locked(user, order, balance) -> str | None:
    """Confirm a draft or held order (both locked, the order not counted in open_orders), or hold it."""
    reason = _hold_reason(order, balance)
    if reason:
        order.status, order.hold_reason = SalesOrder.Status.HELD, reason
        timeline.add_event(order.customer_id, events.ORDER_HELD.code, actor=user, obj=order,
                           summary=f"{order.number} ¥{order.amount:,.2f}: {reason}"[:300])
    else:
        _mark_confirmed(user, order, balance)
    order.save(update_fields=["status", "hold_reason", "confirmed_at"])
    return reason


@transaction.atomic
def confirm_order(user, order: SalesOrder) -> SalesOrder:
    """Confirm, or put on credit hold with the reason in figures. Serialised per customer by the balance lock."""
    _require(user, "order.confirm", order.customer)
    balance = lock_balance(order.customer_id)
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    if order.status not in (SalesOrder.Status.DRAFT, SalesOrder.Status.HELD):
        raise ValidationError({"status": [_("Only a draft order can be confirmed.")]})
    before = audit.snapshot(order)
    reason = _confirm_locked(user, order, balance)
    audit.record_change(user, order, before, customer_id=order.customer_id, reason=reason or "")
    return order


@transaction.atomic
def change_order_lines(user, order: SalesOrder, lines) -> SalesOrder:
    """Replace an order's lines (quantities, prices). A draft stays a draft; a held order goes back to draft (its
    hold was about the old amount). A confirmed order that grows is checked again like a new confirmation: when
    the check fails it goes back on hold and no longer counts in the customer's open orders."""
    _require(user, "order.confirm", order.customer)
    errors: dict = {}
    rows = _line_rows(order.customer, lines, errors)
    if errors:
        raise ValidationError(errors)
    balance = lock_balance(order.customer_id)
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    if order.status in (SalesOrder.Status.INVOICED, SalesOrder.Status.CANCELLED):
        raise ValidationError({"status": [_("An invoiced or cancelled order cannot be changed.")]})
    before = {**audit.snapshot(order), "lines": _lines_snapshot(order.lines.all())}
    old_amount, new_amount = order.amount, sum((r.amount for r in rows), Decimal("0.00"))
    order.lines.all().delete()
    for row in rows:
        row.order = order
    OrderLine.objects.bulk_create(rows)
    order.amount = new_amount
    reason = None
    if order.status == SalesOrder.Status.CONFIRMED:
        balance.open_orders -= old_amount
        if new_amount > old_amount:
            reason = _hold_reason(order, balance)
        if reason:
            order.status, order.hold_reason, order.confirmed_at = SalesOrder.Status.HELD, reason, None
            balance.save(update_fields=["open_orders", "updated_at"])
            timeline.add_event(order.customer_id, events.ORDER_HELD.code, actor=user, obj=order,
                               summary=f"{order.number} ¥{order.amount:,.2f}: {reason}"[:300])
        else:
            balance.open_orders += new_amount
            balance.save(update_fields=["open_orders", "updated_at"])
    elif order.status == SalesOrder.Status.HELD:
        order.status, order.hold_reason = SalesOrder.Status.DRAFT, ""
    order.save(update_fields=["amount", "status", "hold_reason", "confirmed_at"])
    audit.record_change(user, order, before, customer_id=order.customer_id, reason=reason or "",
                        extra_after={"lines": _lines_snapshot(rows)})
    timeline.add_event(order.customer_id, events.ORDER_CHANGED.code, actor=user, obj=order,
                       summary=f"{order.number} ¥{old_amount:,.2f} → ¥{new_amount:,.2f}")
    return order


def _lines_snapshot(lines) -> list:
    return [[line.product_id, str(line.quantity), str(line.unit_price)] for line in lines]


@transaction.atomic
def reopen_order(user, order: SalesOrder, *, reason: str) -> SalesOrder:
    """Reopen a cancelled order: it goes through confirmation again (confirmed, or on credit hold)."""
    _require(user, "order.confirm", order.customer)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the order is reopened.")]})
    balance = lock_balance(order.customer_id)
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != SalesOrder.Status.CANCELLED:
        raise ValidationError({"status": [_("Only a cancelled order can be reopened.")]})
    before = audit.snapshot(order)
    timeline.add_event(order.customer_id, events.ORDER_REOPENED.code, actor=user, obj=order, summary=order.number)
    hold = _confirm_locked(user, order, balance)
    audit.record_change(user, order, before, customer_id=order.customer_id,
                        reason=reason.strip() + (f" · {hold}" if hold else ""))
    return order


@transaction.atomic
def release_hold(user, order: SalesOrder, *, reason: str, max_amount: Decimal | None = None) -> SalesOrder:
    """Confirm a held order without its checks: the release an approver decided. Who may release is decided by
    the caller (the credit app's approvals); the order must still be held and no larger than what was approved."""
    balance = lock_balance(order.customer_id)
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != SalesOrder.Status.HELD:
        raise ValidationError({"order": [_("The order is no longer on credit hold.")]})
    if max_amount is not None and order.amount > max_amount:
        raise ValidationError({"order": [_("The order has grown since the release was applied for.")]})
    before = audit.snapshot(order)
    _mark_confirmed(user, order, balance)
    order.save(update_fields=["status", "hold_reason", "confirmed_at"])
    audit.record_change(user, order, before, customer_id=order.customer_id, reason=reason)
    timeline.add_event(order.customer_id, events.HOLD_RELEASED.code, actor=user, obj=order,
                       summary=f"{order.number} ¥{order.amount:,.2f}: {reason}"[:300])
    return order


@transaction.atomic
def cancel_order(user, order: SalesOrder, *, reason: str) -> SalesOrder:
    _require(user, "order.confirm", order.customer)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the order is cancelled.")]})
    balance = lock_balance(order.customer_id)
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    if order.status in (SalesOrder.Status.INVOICED, SalesOrder.Status.CANCELLED):
        raise ValidationError({"status": [_("An invoiced or cancelled order cannot be cancelled.")]})
    before = audit.snapshot(order)
    if order.status == SalesOrder.Status.CONFIRMED:
        balance.open_orders -= order.amount
        balance.save(update_fields=["open_orders", "updated_at"])
    order.status = SalesOrder.Status.CANCELLED
    order.save(update_fields=["status"])
    audit.record_change(user, order, before, customer_id=order.customer_id, reason=reason)
    timeline.add_event(order.customer_id, events.ORDER_CANCELLED.code, actor=user, obj=order, summary=order.number)
    return order


def invoice_order(user, order: SalesOrder, *, number: str, invoice_date: datetime.date, due_date=None):
    """Invoice a confirmed order with its lines (cost from the product)."""
    lines = [{"product": line.product, "description": line.product.name, "quantity": line.quantity,
              "unit_price": line.unit_price, "cost": money(line.product.cost * line.quantity)}
             for line in order.lines.select_related("product")]
    return post_invoice(user, order.customer, number=number, invoice_date=invoice_date, lines=lines,
                        due_date=due_date, order=order)
