"""Every posting to the sales ledger. One function per operation, one transaction each.

Locking: every posting for a customer first locks that customer's balance row (select_for_update),
then the documents it touches, always in that order, so concurrent postings for one customer are
serialised and cannot deadlock. The balance row is updated in the same transaction.
Errors: ValidationError naming the field, or PermissionDenied; nothing is posted when either is raised.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from credo.core import audit, timeline
from credo.core.clock import business_today
from credo.core.errors import PermissionDenied, ValidationError, require
from credo.core.models import AuditEntry
from credo.core.money import money
from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers.models import Customer

from . import events, rules
from .models import (
    Allocation,
    CreditNote,
    CustomerBalance,
    CustomerMonthSales,
    Invoice,
    InvoiceLine,
    LedgerSettings,
    PaymentMethod,
    Receipt,
    ReceiptReversal,
    SalesOrder,
    WriteOff,
    WriteOffRecovery,
)

ZERO = Decimal("0.00")

# Functions (customer) -> days that decide a customer's credit period; the credit app adds its policy here.
CREDIT_DAYS_RULES: list = []
# Functions (customer, amount, locked balance) -> reason or None, run before an invoice without an order is posted
# (it raises exposure like an order); a reason refuses the invoice. The credit app adds its limit check here.
INVOICE_CHECKS: list = []
# Functions called at the end of post_receipt (with the receipt) and reverse_receipt (with the reversal), in the
# same transaction; the credit app watches them for late payment and bounced cheques.
RECEIPT_HOOKS: list = []
REVERSAL_HOOKS: list = []


def credit_days_for(customer) -> int:
    for rule in CREDIT_DAYS_RULES:
        days = rule(customer)
        if days is not None:
            return days
    return LedgerSettings.current().default_credit_days


def _require_post(user, customer, perm="ledger.post"):
    require(has_perm(user, perm), _("Your role may not post to the ledger."))
    if not Customer.objects.filter(customer_q(user), pk=customer.pk).exists():
        raise PermissionDenied(_("This customer is not in your scope."))


def lock_balance(customer_id: int) -> CustomerBalance:
    """The customer's balance row, locked for this transaction (created on first use)."""
    balance = CustomerBalance.objects.select_for_update().filter(customer_id=customer_id).first()
    if balance is not None:
        return balance
    try:
        with transaction.atomic():
            CustomerBalance.objects.create(customer_id=customer_id)
    except IntegrityError:
        pass  # created by a concurrent posting in the meantime
    return CustomerBalance.objects.select_for_update().get(customer_id=customer_id)


def _check_date(field: str, day: datetime.date | None, errors: dict):
    if day is None:
        errors.setdefault(field, []).append(_("Enter the date."))
        return
    closed = LedgerSettings.current().closed_through
    if closed and day <= closed:
        errors.setdefault(field, []).append(
            _("The books are closed through %(date)s; use a later date.") % {"date": closed.isoformat()})


def _check_number(field: str, number: str, model, errors: dict):
    if not number.strip():
        errors.setdefault(field, []).append(_("Enter the document number."))
    elif model.objects.filter(number=number.strip()).exists():
        errors.setdefault(field, []).append(_("Number %(number)s is already used.") % {"number": number.strip()})


def _positive(field: str, amount, errors: dict) -> Decimal | None:
    if amount is None:
        errors.setdefault(field, []).append(_("Enter the amount."))
        return None
    amount = money(amount)
    if amount <= 0:
        errors.setdefault(field, []).append(_("The amount must be greater than zero."))
    return amount


def _raise(errors: dict):
    if errors:
        raise ValidationError(errors)


def _refresh_oldest_due(balance: CustomerBalance):
    balance.oldest_open_due_date = Invoice.objects.filter(
        customer_id=balance.customer_id, open_amount__gt=0).aggregate(d=Min("due_date"))["d"]


def _open_invoices(customer_id: int):
    """Open invoices, oldest due first, locked (after the balance row)."""
    return list(Invoice.objects.select_for_update().filter(customer_id=customer_id, open_amount__gt=0)
                .order_by("due_date", "id"))


def _apply(source_field: str, source, invoices_plan, on: datetime.date, user) -> Decimal:
    """Write allocations from source to invoices and lower their open amounts. Returns the total."""
    total = ZERO
    rows = []
    for invoice, applied in invoices_plan:
        invoice.open_amount -= applied
        invoice.save(update_fields=["open_amount"])
        rows.append(Allocation(customer_id=invoice.customer_id, invoice=invoice, amount=applied,
                               allocation_date=on, created_by=user.username, **{source_field: source}))
        total += applied
    Allocation.objects.bulk_create(rows)
    return total


def _unapplied_credits(customer_id: int):
    """Receipts and credit notes with money not yet applied, oldest first, locked."""
    receipts = Receipt.objects.select_for_update().filter(customer_id=customer_id, unapplied_amount__gt=0,
                                                           is_reversed=False).order_by("receipt_date", "id")
    notes = CreditNote.objects.select_for_update().filter(customer_id=customer_id, unapplied_amount__gt=0
                                                          ).order_by("note_date", "id")
    credits = [(r.receipt_date, 0, r.pk, "receipt", r) for r in receipts]
    credits += [(n.note_date, 1, n.pk, "credit_note", n) for n in notes]
    return [(kind, doc) for *_key, kind, doc in sorted(credits, key=lambda c: c[:3])]


@transaction.atomic
def post_invoice(user, customer: Customer, *, number: str, invoice_date: datetime.date, amount=None, lines=None,
                 due_date: datetime.date | None = None, order: SalesOrder | None = None, note: str = "",
                 kind: str = Invoice.Kind.GOODS) -> Invoice:
    """Post an invoice. lines: [{"product", "description", "quantity", "unit_price", "cost"}] (amount = Σ);
    due date from the customer's credit period unless given. Unapplied payments are applied to it."""
    _require_post(user, customer)
    errors: dict = {}
    _check_number("number", number, Invoice, errors)
    _check_date("invoice_date", invoice_date, errors)
    line_rows = []
    if lines:
        for line in lines:
            quantity, price = Decimal(line["quantity"]), money(line["unit_price"])
            if quantity <= 0 or price < 0:
                errors.setdefault("lines", []).append(_("Each line needs a positive quantity and a price ≥ 0."))
                break
            line_rows.append(InvoiceLine(product=line.get("product"), description=line.get("description", ""),
                                         quantity=quantity, unit_price=price, amount=money(quantity * price),
                                         cost=money(line.get("cost") or 0), customer=customer))
        amount = sum((row.amount for row in line_rows), ZERO)
    amount = _positive("amount", amount, errors)
    if invoice_date and due_date is None:
        due_date = rules.due_date(invoice_date, credit_days_for(customer))
    if invoice_date and due_date and due_date < invoice_date:
        errors.setdefault("due_date", []).append(_("The due date cannot be before the invoice date."))
    _raise(errors)

    balance = lock_balance(customer.pk)
    if order is None and kind == Invoice.Kind.GOODS:
        refused = next((r for r in (check(customer, amount, balance) for check in INVOICE_CHECKS) if r), None)
        if refused:
            raise ValidationError({"amount": [refused]})
    invoice = Invoice.objects.create(customer=customer, number=number.strip(), invoice_date=invoice_date,
                                     due_date=due_date, amount=amount, open_amount=amount, order=order,
                                     posted_by=user.username, note=note, kind=kind)
    for row in line_rows:
        row.invoice = invoice
    InvoiceLine.objects.bulk_create(line_rows)
    if kind == Invoice.Kind.GOODS:
        add_month_sales(customer.pk, invoice_date, amount, sum((row.cost for row in line_rows), ZERO))

    applied_total = ZERO
    for kind, credit in _unapplied_credits(customer.pk):
        if invoice.open_amount <= 0:
            break
        applied = min(credit.unapplied_amount, invoice.open_amount)
        _apply(kind, credit, [(invoice, applied)], invoice_date, user)
        credit.unapplied_amount -= applied
        credit.save(update_fields=["unapplied_amount"])
        applied_total += applied

    if order is not None:
        _close_order_on_invoice(order, balance)
    balance.receivable += amount - applied_total
    balance.unapplied_credit -= applied_total
    balance.invoiced_total += amount
    balance.last_invoice_date = max(filter(None, [balance.last_invoice_date, invoice_date]))
    _refresh_oldest_due(balance)
    balance.save()
    _first_order(customer, invoice_date)
    audit.record(user, AuditEntry.Action.CREATE, invoice, after=audit.snapshot(invoice), customer_id=customer.pk)
    timeline.add_event(customer.pk, events.INVOICE_POSTED.code, actor=user, obj=invoice,
                       summary=f"{invoice.number} ¥{amount:,.2f}")
    return invoice


def _first_order(customer, day):
    Customer.objects.filter(pk=customer.pk, first_order_date__isnull=True).update(first_order_date=day)
    Customer.objects.filter(pk=customer.pk, first_order_date__gt=day).update(first_order_date=day)


def _close_order_on_invoice(order, balance):
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != SalesOrder.Status.CONFIRMED:
        raise ValidationError({"order": [_("Only a confirmed order can be invoiced.")]})
    order.status = SalesOrder.Status.INVOICED
    order.save(update_fields=["status"])
    balance.open_orders -= order.amount


@transaction.atomic
def post_receipt(user, customer: Customer, *, number: str, receipt_date: datetime.date, amount, method: str,
                 reference: str = "", invoice: Invoice | None = None, allocations=None,
                 idempotency_key: str | None = None) -> Receipt:
    """Post money received. allocations: [(invoice, amount)] by hand; else `invoice` first, then FIFO
    (oldest due first). What is left stays unapplied and goes to the next invoices posted."""
    _require_post(user, customer)
    if idempotency_key:
        earlier = Receipt.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            if earlier.customer_id != customer.pk or earlier.amount != money(amount):
                raise ValidationError({"idempotency_key": [_("This key was used for a different payment.")]})
            return earlier
    errors: dict = {}
    _check_number("number", number, Receipt, errors)
    _check_date("receipt_date", receipt_date, errors)
    amount = _positive("amount", amount, errors)
    if method not in PaymentMethod.values:
        errors.setdefault("method", []).append(_("Choose a payment method."))
    if invoice is not None and invoice.customer_id != customer.pk:
        errors.setdefault("invoice", []).append(_("This invoice belongs to another customer."))
    _raise(errors)

    balance = lock_balance(customer.pk)
    open_invoices = _open_invoices(customer.pk)
    plan = _receipt_plan(amount, open_invoices, invoice, allocations)
    planned = sum((value for _inv, value in plan), ZERO)
    receipt = Receipt.objects.create(customer=customer, number=number.strip(), receipt_date=receipt_date,
                                     amount=amount, unapplied_amount=amount - planned, method=method,
                                     reference=reference, idempotency_key=idempotency_key or None,
                                     posted_by=user.username)
    applied = _apply("receipt", receipt, plan, receipt_date, user)

    balance.receivable -= applied
    balance.unapplied_credit += amount - applied
    balance.paid_total += amount
    if balance.last_payment_date is None or receipt_date >= balance.last_payment_date:
        balance.last_payment_date, balance.last_payment_amount = receipt_date, amount
    # The locked open invoices are all of them, oldest due first: no query needed for the oldest still open.
    balance.oldest_open_due_date = next((inv.due_date for inv in open_invoices if inv.open_amount > 0), None)
    balance.save()
    audit.record(user, AuditEntry.Action.CREATE, receipt, after=audit.snapshot(receipt), customer_id=customer.pk)
    timeline.add_event(customer.pk, events.RECEIPT_POSTED.code, actor=user, obj=receipt,
                       summary=f"{receipt.number} ¥{amount:,.2f} {receipt.get_method_display()}")
    for hook in RECEIPT_HOOKS:
        hook(receipt)
    return receipt


MANUAL_PLAN_MESSAGES = {
    "not_positive": lambda: _("Each allocated amount must be greater than zero."),
    "not_open": lambda: _("This invoice is not open for this customer."),
    "over_open": lambda: _("More than the invoice's open amount."),
    "over_amount": lambda: _("The allocations add up to more than the payment."),
}


def _receipt_plan(amount, open_invoices, invoice, allocations):
    if allocations:
        open_amounts = {inv.pk: inv.open_amount for inv in open_invoices}
        requested = [(inv.pk, money(value)) for inv, value in allocations]
        problems = rules.check_manual_plan(amount, requested, open_amounts)
        if problems:
            raise ValidationError({"allocations": [MANUAL_PLAN_MESSAGES[reason]() for reason in problems.values()]})
        by_pk = {inv.pk: inv for inv in open_invoices}
        return [(by_pk[pk], value) for pk, value in requested]
    ordered = open_invoices
    if invoice is not None:
        ordered = sorted(open_invoices, key=lambda inv: inv.pk != invoice.pk)
    plan, _left = rules.fifo_plan(amount, [(inv, inv.open_amount) for inv in ordered])
    return plan


@transaction.atomic
def post_credit_note(user, customer: Customer, *, number: str, note_date: datetime.date, kind: str, amount,
                     reason: str, invoice: Invoice | None = None, allocations=None) -> CreditNote:
    """A credit (return, allowance, claim, correction). allocations: [(invoice, amount)] by hand (one note spread
    over several invoices, each at most its open amount); else applied to `invoice` if given, else FIFO. What is
    left stays unapplied and goes to the next invoices posted."""
    _require_post(user, customer)
    errors: dict = {}
    _check_number("number", number, CreditNote, errors)
    _check_date("note_date", note_date, errors)
    amount = _positive("amount", amount, errors)
    if kind not in CreditNote.Kind.values:
        errors.setdefault("kind", []).append(_("Choose the kind of credit."))
    if not reason.strip():
        errors.setdefault("reason", []).append(_("Say why the customer is credited."))
    if invoice is not None and invoice.customer_id != customer.pk:
        errors.setdefault("invoice", []).append(_("This invoice belongs to another customer."))
    if allocations and any(inv.customer_id != customer.pk for inv, _value in allocations):
        errors.setdefault("allocations", []).append(_("This invoice belongs to another customer."))
    _raise(errors)
    balance = lock_balance(customer.pk)
    open_invoices = _open_invoices(customer.pk)
    plan = _receipt_plan(amount, open_invoices, invoice, allocations)
    note = CreditNote.objects.create(customer=customer, number=number.strip(), note_date=note_date, kind=kind,
                                     amount=amount, unapplied_amount=amount, invoice=invoice, reason=reason.strip(),
                                     posted_by=user.username)
    applied = _apply("credit_note", note, plan, note_date, user)
    note.unapplied_amount = amount - applied
    note.save(update_fields=["unapplied_amount"])
    balance.receivable -= applied
    balance.unapplied_credit += amount - applied
    _refresh_oldest_due(balance)
    balance.save()
    audit.record(user, AuditEntry.Action.CREATE, note, after=audit.snapshot(note), customer_id=customer.pk,
                 reason=reason)
    timeline.add_event(customer.pk, events.CREDIT_NOTE_POSTED.code, actor=user, obj=note,
                       summary=f"{note.number} ¥{amount:,.2f} {note.get_kind_display()}")
    return note


@transaction.atomic
def reverse_receipt(user, receipt: Receipt, *, kind: str, reversal_date: datetime.date, reason: str) -> ReceiptReversal:
    """A bounced cheque or a returned draft: the money never arrived. Its allocations are undone by
    negative allocations, so the invoices are open again; the reversal is an event the credit checks count."""
    _require_post(user, receipt.customer)
    errors: dict = {}
    _check_date("reversal_date", reversal_date, errors)
    if kind not in ReceiptReversal.Kind.values:
        errors.setdefault("kind", []).append(_("Choose the kind of reversal."))
    if not reason.strip():
        errors.setdefault("reason", []).append(_("Say why the payment is reversed."))
    _raise(errors)
    balance = lock_balance(receipt.customer_id)
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    if receipt.is_reversed:
        raise ValidationError({"receipt": [_("This payment has already been reversed.")]})
    if reversal_date < receipt.receipt_date:
        raise ValidationError({"reversal_date": [_("A reversal cannot be dated before the payment.")]})
    reopened = ZERO
    originals = list(Allocation.objects.filter(receipt=receipt, amount__gt=0, reversed_by__isnull=True)
                     .select_related("invoice").order_by("id"))
    invoices = {inv.pk: inv for inv in Invoice.objects.select_for_update().filter(
        pk__in=[a.invoice_id for a in originals]).order_by("id")}
    for original in originals:
        invoice = invoices[original.invoice_id]
        invoice.open_amount += original.amount
        invoice.save(update_fields=["open_amount"])
        Allocation.objects.create(customer_id=receipt.customer_id, invoice=invoice, receipt=receipt,
                                  amount=-original.amount, allocation_date=reversal_date, reverses=original,
                                  created_by=user.username)
        reopened += original.amount
    balance.receivable += reopened
    balance.unapplied_credit -= receipt.unapplied_amount
    balance.paid_total -= receipt.amount
    receipt.is_reversed = True
    receipt.unapplied_amount = ZERO
    receipt.save(update_fields=["is_reversed", "unapplied_amount"])
    _refresh_oldest_due(balance)
    balance.save()
    reversal = ReceiptReversal.objects.create(receipt=receipt, customer_id=receipt.customer_id,
                                              reversal_date=reversal_date, kind=kind, reason=reason.strip(),
                                              posted_by=user.username)
    audit.record(user, AuditEntry.Action.CREATE, reversal, after=audit.snapshot(reversal),
                 customer_id=receipt.customer_id, reason=reason)
    timeline.add_event(receipt.customer_id, events.RECEIPT_REVERSED.code, actor=user, obj=reversal,
                       summary=f"{receipt.number} ¥{receipt.amount:,.2f} {reversal.get_kind_display()}")
    for hook in REVERSAL_HOOKS:
        hook(reversal)
    return reversal


@transaction.atomic
def request_write_off(user, invoice: Invoice, *, amount, reason: str) -> WriteOff:
    _require_post(user, invoice.customer, "ledger.write_off_request")
    errors: dict = {}
    amount = _positive("amount", amount, errors)
    if amount is not None and amount > invoice.open_amount:
        errors.setdefault("amount", []).append(_("More than the invoice's open amount."))
    if not reason.strip():
        errors.setdefault("reason", []).append(_("Say why the amount cannot be collected."))
    _raise(errors)
    write_off = WriteOff.objects.create(customer_id=invoice.customer_id, invoice=invoice, amount=amount,
                                        reason=reason.strip(), requested_by=user)
    audit.record(user, AuditEntry.Action.CREATE, write_off, after=audit.snapshot(write_off),
                 customer_id=invoice.customer_id, reason=reason)
    timeline.add_event(invoice.customer_id, events.WRITE_OFF_REQUESTED.code, actor=user, obj=write_off,
                       summary=f"{invoice.number} ¥{amount:,.2f}")
    return write_off


@transaction.atomic
def decide_write_off(user, write_off: WriteOff, *, approve: bool, note: str = "",
                     posting_date: datetime.date | None = None) -> WriteOff:
    """Approve (posts it against the invoice) or reject a requested write-off; never by the requester."""
    _require_post(user, write_off.customer, "ledger.write_off_approve")
    if write_off.requested_by_id == user.pk:
        raise PermissionDenied(_("Nobody approves their own request."))
    balance = lock_balance(write_off.customer_id)
    write_off = WriteOff.objects.select_for_update().get(pk=write_off.pk)
    if write_off.status != WriteOff.Status.REQUESTED:
        raise ValidationError({"status": [_("This write-off has already been decided.")]})
    before = audit.snapshot(write_off)
    write_off.decided_by, write_off.decided_at, write_off.decision_note = user, timezone.now(), note
    if approve:
        posting_date = posting_date or business_today()
        errors: dict = {}
        _check_date("posting_date", posting_date, errors)
        invoice = Invoice.objects.select_for_update().get(pk=write_off.invoice_id)
        if write_off.amount > invoice.open_amount:
            errors.setdefault("amount", []).append(_("More than the invoice's open amount."))
        _raise(errors)
        _apply("write_off", write_off, [(invoice, write_off.amount)], posting_date, user)
        write_off.status, write_off.posting_date = WriteOff.Status.POSTED, posting_date
        balance.receivable -= write_off.amount
        _refresh_oldest_due(balance)
        balance.save()
        timeline.add_event(write_off.customer_id, events.WRITE_OFF_POSTED.code, actor=user, obj=write_off,
                           summary=f"{invoice.number} ¥{write_off.amount:,.2f}")
    else:
        write_off.status = WriteOff.Status.REJECTED
    write_off.save()
    audit.record_change(user, write_off, before, customer_id=write_off.customer_id, reason=note)
    return write_off


@transaction.atomic
def post_recovery(user, write_off: WriteOff, *, number: str, receipt_date: datetime.date, amount, method: str,
                  reference: str = "", note: str = "") -> WriteOffRecovery:
    """Post money recovered on a written-off debt: reinstate that much of the write-off and pay it at once."""
    _require_post(user, write_off.customer)
    errors: dict = {}
    _check_number("number", number, Receipt, errors)
    _check_date("receipt_date", receipt_date, errors)
    amount = _positive("amount", amount, errors)
    if method not in PaymentMethod.values:
        errors.setdefault("method", []).append(_("Choose a payment method."))
    _raise(errors)
    balance = lock_balance(write_off.customer_id)
    write_off = WriteOff.objects.select_for_update().get(pk=write_off.pk)
    recovered = sum((r.amount for r in write_off.recoveries.all()), ZERO)
    if write_off.status != WriteOff.Status.POSTED:
        errors.setdefault("write_off", []).append(_("Only a posted write-off can be recovered."))
    elif amount > write_off.amount - recovered:
        errors.setdefault("amount", []).append(
            _("More than is still written off (¥%(left)s).") % {"left": f"{write_off.amount - recovered:,.2f}"})
    if receipt_date < (write_off.posting_date or receipt_date):
        errors.setdefault("receipt_date", []).append(_("A recovery cannot be dated before the write-off."))
    _raise(errors)
    invoice = Invoice.objects.select_for_update().get(pk=write_off.invoice_id)
    Allocation.objects.create(customer_id=write_off.customer_id, invoice=invoice, write_off=write_off, amount=-amount,
                              allocation_date=receipt_date, created_by=user.username)
    receipt = Receipt.objects.create(customer_id=write_off.customer_id, number=number.strip(),
                                     receipt_date=receipt_date, amount=amount, unapplied_amount=ZERO, method=method,
                                     reference=reference, posted_by=user.username)
    Allocation.objects.create(customer_id=write_off.customer_id, invoice=invoice, receipt=receipt, amount=amount,
                              allocation_date=receipt_date, created_by=user.username)
    recovery = WriteOffRecovery.objects.create(write_off=write_off, receipt=receipt, customer_id=write_off.customer_id,
                                               amount=amount, recovered_on=receipt_date, note=note.strip(),
                                               posted_by=user.username)
    balance.paid_total += amount
    if balance.last_payment_date is None or receipt_date >= balance.last_payment_date:
        balance.last_payment_date, balance.last_payment_amount = receipt_date, amount
    balance.save()
    audit.record(user, AuditEntry.Action.CREATE, recovery, after=audit.snapshot(recovery),
                 customer_id=write_off.customer_id, reason=note)
    timeline.add_event(write_off.customer_id, events.WRITE_OFF_RECOVERED.code, actor=user, obj=recovery,
                       summary=f"{invoice.number} ¥{amount:,.2f}")
    return recovery


def merge_balances(source: Customer, target: Customer):
    """Customer merge: the documents have moved to the target; its one balance row is recomputed from them."""
    from .queries import expected_balances

    lock_balance(target.pk)
    CustomerBalance.objects.filter(customer_id=source.pk).delete()
    figures = expected_balances([target.pk]).get(target.pk, {})
    last_receipt = Receipt.objects.filter(customer_id=target.pk, is_reversed=False).order_by("-receipt_date", "-id").first()
    last_invoice = Invoice.objects.filter(customer_id=target.pk).order_by("-invoice_date").first()
    CustomerBalance.objects.filter(customer_id=target.pk).update(
        **figures,
        last_invoice_date=last_invoice.invoice_date if last_invoice else None,
        last_payment_date=last_receipt.receipt_date if last_receipt else None,
        last_payment_amount=last_receipt.amount if last_receipt else None,
    )


@transaction.atomic
def record_invoice_delivery(user, invoice: Invoice, *, sent_on: datetime.date | None = None,
                            confirmed_on: datetime.date | None = None) -> Invoice:
    """Track that the invoice went out early and that the customer confirmed receiving it (SPEC §6.3):
    an invoice the customer never acknowledged is the first excuse for not paying on time."""
    _require_post(user, invoice.customer, "ledger.track_delivery")
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    errors: dict = {}
    today = business_today()
    sent = sent_on or invoice.sent_on
    for field, day in (("sent_on", sent_on), ("confirmed_on", confirmed_on)):
        if day and day > today:
            errors.setdefault(field, []).append(_("The date cannot be in the future."))
        if day and day < invoice.invoice_date:
            errors.setdefault(field, []).append(_("The date cannot be before the invoice date."))
    if confirmed_on and not sent:
        errors.setdefault("confirmed_on", []).append(_("Record when the invoice was sent first."))
    elif confirmed_on and sent and confirmed_on < sent:
        errors.setdefault("confirmed_on", []).append(_("The customer cannot confirm before the invoice was sent."))
    _raise(errors)
    before = audit.snapshot(invoice)
    if sent_on:
        invoice.sent_on = sent_on
    if confirmed_on:
        invoice.receipt_confirmed_on = confirmed_on
    invoice.save(update_fields=["sent_on", "receipt_confirmed_on"])
    audit.record_change(user, invoice, before, customer_id=invoice.customer_id)
    return invoice


# --- goods sales per customer and month (CustomerMonthSales) ---------------------------------------------------

_MONTH_TABLE = CustomerMonthSales._meta.db_table


def _month_of(column: str) -> str:
    """SQL for the first day of the month of a date column."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"  # SQLite keeps dates as ISO text


def _money_sum(expression: str) -> str:
    # SQLite sums decimals as floats: round to the cent so that the kept figure is the exact one.
    return f"SUM({expression})" if connection.vendor == "postgresql" else f"ROUND(SUM({expression}), 2)"


def add_month_sales(customer_id: int, day: datetime.date, sales: Decimal, cost: Decimal, invoices: int = 1):
    """Add one goods invoice (or several) to the customer's row of that month, creating it if missing.

    One INSERT … ON CONFLICT DO UPDATE (PostgreSQL and SQLite ≥ 3.24) rather than get-or-create + F() update.
    post_invoice already holds the customer's balance row lock, so postings for one customer are serialised
    anyway; the upsert also stays right against writers that do not take that lock: the first invoice of a
    month from two transactions (the loser of the insert race adds to the winner's row instead of failing on
    the unique key) and a concurrent rebuild_month_sales (which locks the table, see there)."""
    month = day.replace(day=1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_MONTH_TABLE} (customer_id, month, sales, cost, invoices) VALUES (%s, %s, %s, %s, %s) "
            f"ON CONFLICT (month, customer_id) DO UPDATE SET sales = {_MONTH_TABLE}.sales + excluded.sales, "
            f"cost = {_MONTH_TABLE}.cost + excluded.cost, invoices = {_MONTH_TABLE}.invoices + excluded.invoices",
            [customer_id, month, money(sales), money(cost), invoices])


REBUILD_CHUNK = 5000  # customers per INSERT … SELECT when only some are rebuilt


@transaction.atomic
def rebuild_month_sales(customer_ids=None) -> int:
    """Recompute the month rows of the given customers (default: all) from their goods invoices and lines:
    delete them, then one INSERT … SELECT (per chunk of customers). Returns the number of rows written.

    On PostgreSQL the table is locked (SHARE ROW EXCLUSIVE) until commit: a posting's upsert waits for the
    rebuild, and the rebuild waits for postings that already added to a row, so that no invoice is counted
    twice or lost."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {_MONTH_TABLE} IN SHARE ROW EXCLUSIVE MODE")
    if customer_ids is None:
        CustomerMonthSales.objects.all().delete()
        return _insert_month_sales(None)
    ids = sorted(set(customer_ids))
    written = 0
    for start in range(0, len(ids), REBUILD_CHUNK):
        chunk = ids[start:start + REBUILD_CHUNK]
        CustomerMonthSales.objects.filter(customer_id__in=chunk).delete()
        written += _insert_month_sales(chunk)
    return written


def _insert_month_sales(customer_ids: list[int] | None) -> int:
    invoice, line = Invoice._meta.db_table, InvoiceLine._meta.db_table
    month = _month_of("i.invoice_date")
    params: list = [Invoice.Kind.GOODS]
    if customer_ids is None:
        # Everything: the lines grouped per invoice once, joined (one pass over each table).
        source = (f"{invoice} i LEFT JOIN (SELECT invoice_id, SUM(cost) AS cost FROM {line} GROUP BY invoice_id) l "
                  f"ON l.invoice_id = i.id WHERE i.kind = %s")
        cost = "COALESCE(l.cost, 0)"
    else:
        # Some customers: their invoices by the customer index, each invoice's lines by the invoice index.
        source = (f"{invoice} i WHERE i.kind = %s AND i.customer_id IN ({', '.join(['%s'] * len(customer_ids))})")
        cost = f"COALESCE((SELECT SUM(cost) FROM {line} WHERE invoice_id = i.id), 0)"
        params += customer_ids
    sql = (f"INSERT INTO {_MONTH_TABLE} (customer_id, month, sales, cost, invoices) "
           f"SELECT customer_id, month, {_money_sum('amount')}, {_money_sum('cost')}, COUNT(*) FROM "
           f"(SELECT i.customer_id, {month} AS month, i.amount, {cost} AS cost FROM {source}) x "
           f"GROUP BY customer_id, month")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def merge_month_sales(source: Customer, target: Customer):
    """Customer merge: the goods invoices have moved to the target; both customers' month rows are recomputed
    from them (the source's go, the target's take in the moved invoices)."""
    lock_balance(target.pk)
    rebuild_month_sales([source.pk, target.pk])
