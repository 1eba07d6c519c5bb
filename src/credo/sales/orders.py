"""Sales orders: draft → confirmed (or held) → invoiced / cancelled.

Confirmation runs every function in CONFIRMATION_CHECKS with the order and the customer's locked
balance row; the first that returns a reason (text, in figures) puts the order on credit hold.
The credit app registers its limit check here.
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


@transaction.atomic
def create_order(user, customer: Customer, *, number: str, order_date: datetime.date, lines) -> SalesOrder:
    """lines: [(product, quantity, unit_price or None for the list price)]."""
    _require(user, "order.create", customer)
    errors: dict = {}
    if not number.strip():
        errors["number"] = [_("Enter the document number.")]
    elif SalesOrder.objects.filter(number=number.strip()).exists():
        errors["number"] = [_("Number %(number)s is already used.") % {"number": number.strip()}]
    if not lines:
        errors["lines"] = [_("An order needs at least one line.")]
    rows = []
    for product, quantity, price in lines or ():
        quantity = Decimal(str(quantity))
        price = money(product.list_price if price is None else price)
        if not isinstance(product, Product) or quantity <= 0 or price < 0:
            errors["lines"] = [_("Each line needs a positive quantity and a price ≥ 0.")]
            break
        rows.append(OrderLine(product=product, quantity=quantity, unit_price=price, amount=money(quantity * price),
                              customer=customer))
    if errors:
        raise ValidationError(errors)
    order = SalesOrder.objects.create(customer=customer, number=number.strip(), order_date=order_date,
                                      amount=sum((r.amount for r in rows), Decimal("0.00")), created_by=user.username)
    for row in rows:
        row.order = order
    OrderLine.objects.bulk_create(rows)
    audit.record(user, AuditEntry.Action.CREATE, order, after=audit.snapshot(order), customer_id=customer.pk)
    return order


@transaction.atomic
def confirm_order(user, order: SalesOrder) -> SalesOrder:
    """Confirm, or put on credit hold with the reason in figures. Serialised per customer by the balance lock."""
    _require(user, "order.confirm", order.customer)
    balance = lock_balance(order.customer_id)
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    if order.status not in (SalesOrder.Status.DRAFT, SalesOrder.Status.HELD):
        raise ValidationError({"status": [_("Only a draft order can be confirmed.")]})
    before = audit.snapshot(order)
    reason = next((r for r in (check(order, balance) for check in CONFIRMATION_CHECKS) if r), None)
    if reason:
        order.status, order.hold_reason = SalesOrder.Status.HELD, reason
    else:
        order.status, order.hold_reason, order.confirmed_at = SalesOrder.Status.CONFIRMED, "", timezone.now()
        balance.open_orders += order.amount
        balance.save(update_fields=["open_orders", "updated_at"])
        timeline.add_event(order.customer_id, events.ORDER_CONFIRMED.code, actor=user, obj=order,
                           summary=f"{order.number} ¥{order.amount:,.2f}")
    order.save(update_fields=["status", "hold_reason", "confirmed_at"])
    audit.record_change(user, order, before, customer_id=order.customer_id, reason=reason or "")
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
