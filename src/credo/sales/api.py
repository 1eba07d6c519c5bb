"""REST endpoints of the ledger: balances, invoices, receipts. Scoped like the customer file."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from credo.core.api_inputs import InputSchema, Limit, Money
from credo.core.errors import ValidationError
from credo.customers.queries import get_customer_for_user

from . import services
from .models import CustomerBalance, Invoice, PaymentMethod, Receipt

router = Router()


class BalanceOut(Schema):
    customer_id: int
    receivable: Decimal
    unapplied_credit: Decimal
    open_orders: Decimal
    oldest_open_due_date: datetime.date | None
    last_invoice_date: datetime.date | None
    last_payment_date: datetime.date | None
    last_payment_amount: Decimal | None


class InvoiceOut(Schema):
    id: int
    number: str
    customer_id: int
    invoice_date: datetime.date
    due_date: datetime.date
    amount: Decimal
    open_amount: Decimal
    note: str


class InvoiceIn(InputSchema):
    number: str
    invoice_date: datetime.date
    amount: Money
    due_date: datetime.date | None = None
    note: str = ""


class ReceiptOut(Schema):
    id: int
    number: str
    customer_id: int
    receipt_date: datetime.date
    amount: Decimal
    unapplied_amount: Decimal
    method: str
    reference: str
    is_reversed: bool


class ReceiptIn(InputSchema):
    number: str
    receipt_date: datetime.date
    amount: Money
    method: PaymentMethod
    reference: str = ""
    invoice_number: str | None = None
    idempotency_key: str | None = None


@router.get("/customers/{int:customer_id}/balance", response=BalanceOut, summary="A customer's kept balance")
def balance(request, customer_id: int):
    customer = get_customer_for_user(request.user, customer_id)
    zero = Decimal("0.00")
    return CustomerBalance.objects.filter(customer=customer).first() or CustomerBalance(
        customer=customer, receivable=zero, unapplied_credit=zero, open_orders=zero)


@router.get("/customers/{int:customer_id}/invoices", response=list[InvoiceOut], summary="A customer's invoices")
def invoices(request, customer_id: int, open_only: bool = False, limit: Limit(500) = 100):
    customer = get_customer_for_user(request.user, customer_id)
    rows = Invoice.objects.filter(customer=customer)
    if open_only:
        rows = rows.filter(open_amount__gt=0)
    return rows.order_by("-invoice_date", "-id")[:limit]


@router.post("/customers/{int:customer_id}/invoices", response={201: InvoiceOut}, summary="Post an invoice")
def post_invoice(request, customer_id: int, payload: InvoiceIn):
    customer = get_customer_for_user(request.user, customer_id)
    invoice = services.post_invoice(request.user, customer, number=payload.number, invoice_date=payload.invoice_date,
                                    amount=payload.amount, due_date=payload.due_date, note=payload.note)
    return Status(201, invoice)


@router.post("/customers/{int:customer_id}/receipts", response={201: ReceiptOut, 200: ReceiptOut},
             summary="Post a payment (FIFO unless invoice_number is given; idempotency_key makes retries safe)")
def post_receipt(request, customer_id: int, payload: ReceiptIn):
    customer = get_customer_for_user(request.user, customer_id)
    invoice = None
    if payload.invoice_number:
        invoice = Invoice.objects.filter(customer=customer, number=payload.invoice_number).first()
        if invoice is None:
            raise ValidationError({"invoice_number": [_("This customer has no invoice %(number)s.")
                                                      % {"number": payload.invoice_number}]})
    key = payload.idempotency_key
    replay = bool(key) and Receipt.objects.filter(idempotency_key=key).exists()
    receipt = services.post_receipt(request.user, customer, number=payload.number, receipt_date=payload.receipt_date,
                                    amount=payload.amount, method=payload.method, reference=payload.reference,
                                    invoice=invoice, idempotency_key=key)
    return Status(200 if replay else 201, receipt)
