"""Ledger pages: the card's ledger tab and the posting forms. Thin: forms parse, services post."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from credo.core.clock import business_today
from credo.core.roles import has_perm
from credo.customers.queries import get_customer_for_user
from credo.customers.views import _add_errors

from . import services
from .forms import (
    CreditNoteForm,
    DeliveryForm,
    InvoiceForm,
    ReceiptForm,
    RecoveryForm,
    ReversalForm,
    WriteOffDecisionForm,
    WriteOffRequestForm,
)
from .models import CreditNote, CustomerBalance, Invoice, Receipt, WriteOff

# Functions (credit notes) -> {note id: [(text, url)]}: where a credit note came from (a claim and its complaint),
# shown on the ledger tab. Apps above the ledger register here (the ledger imports none of them).
CREDIT_NOTE_REFERENCES: list = []


def credit_notes_with_references(customer, limit: int = 20) -> list[CreditNote]:
    notes = list(CreditNote.objects.filter(customer=customer).order_by("-note_date", "-id")[:limit])
    for note in notes:
        note.references = []
    for references in CREDIT_NOTE_REFERENCES:
        found = references(notes)
        for note in notes:
            note.references.extend(found.get(note.pk, []))
    return notes


def ledger_tab_context(request, customer) -> dict:
    today = business_today()
    open_invoices = list(Invoice.objects.filter(customer=customer, open_amount__gt=0).order_by("due_date", "id")[:100])
    for invoice in open_invoices:
        invoice.days_overdue = max((today - invoice.due_date).days, 0)
    return {
        "balance": CustomerBalance.objects.filter(customer=customer).first(),
        "open_invoices": open_invoices,
        "recent_invoices": Invoice.objects.filter(customer=customer).order_by("-invoice_date", "-id")[:10],
        "receipts": Receipt.objects.filter(customer=customer).select_related("reversal").order_by("-receipt_date", "-id")[:20],
        "credit_notes": credit_notes_with_references(customer),
        "can_post": has_perm(request.user, "ledger.post"),
        "can_track": has_perm(request.user, "ledger.track_delivery"),
        "can_write_off": has_perm(request.user, "ledger.write_off_request"),
        "write_offs": WriteOff.objects.filter(customer=customer).select_related("invoice", "requested_by")
        .annotate(recovered=Sum("recoveries__amount"))[:20],
        "today": today,
    }


def _ledger_url(customer):
    return reverse("customers:detail", args=[customer.pk]) + "?tab=ledger"


def _posting_page(request, customer, form, title, post, permission="ledger.post"):
    if not has_perm(request.user, permission):
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            post(form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Posted."))
            return redirect(_ledger_url(customer))
    return render(request, "sales/posting_form.html", {"form": form, "customer": customer, "title": title})


@login_required
def receipt_create(request, pk):
    customer = get_customer_for_user(request.user, pk)
    invoices = Invoice.objects.filter(customer=customer, open_amount__gt=0).order_by("due_date", "id")[:200]
    form = ReceiptForm(request.POST or None, invoices=invoices,
                       initial={"receipt_date": business_today(), "method": "transfer"})

    def post(data):
        invoice = invoices.model.objects.filter(customer=customer, pk=data["invoice"]).first() if data["invoice"] else None
        services.post_receipt(request.user, customer, number=data["number"], receipt_date=data["receipt_date"],
                              amount=data["amount"], method=data["method"], reference=data["reference"],
                              invoice=invoice)

    return _posting_page(request, customer, form, _("Record a payment"), post)


@login_required
def invoice_create(request, pk):
    customer = get_customer_for_user(request.user, pk)
    form = InvoiceForm(request.POST or None, initial={"invoice_date": business_today()})

    def post(data):
        services.post_invoice(request.user, customer, number=data["number"], invoice_date=data["invoice_date"],
                              due_date=data["due_date"], amount=data["amount"], note=data["note"])

    return _posting_page(request, customer, form, _("Post an invoice"), post)


@login_required
def credit_note_create(request, pk):
    customer = get_customer_for_user(request.user, pk)
    form = CreditNoteForm(request.POST or None, initial={"note_date": business_today()})

    def post(data):
        services.post_credit_note(request.user, customer, number=data["number"], note_date=data["note_date"],
                                  kind=data["kind"], amount=data["amount"], reason=data["reason"])

    return _posting_page(request, customer, form, _("Post a credit note"), post)


@login_required
def receipt_reverse(request, pk, receipt_pk):
    customer = get_customer_for_user(request.user, pk)
    receipt = Receipt.objects.filter(customer=customer, pk=receipt_pk).first()
    if receipt is None:
        raise Http404
    form = ReversalForm(request.POST or None, initial={"reversal_date": business_today(),
                                                       "kind": "bounced_cheque"})

    def post(data):
        services.reverse_receipt(request.user, receipt, kind=data["kind"], reversal_date=data["reversal_date"],
                                 reason=data["reason"])

    title = _("Reverse payment %(number)s") % {"number": receipt.number}
    return _posting_page(request, customer, form, title, post)


@login_required
def invoice_delivery(request, pk, invoice_pk):
    customer = get_customer_for_user(request.user, pk)
    invoice = Invoice.objects.filter(customer=customer, pk=invoice_pk).first()
    if invoice is None:
        raise Http404
    form = DeliveryForm(request.POST or None, initial={"sent_on": invoice.sent_on or business_today(),
                                                       "confirmed_on": invoice.receipt_confirmed_on})

    def post(data):
        services.record_invoice_delivery(request.user, invoice, sent_on=data["sent_on"],
                                         confirmed_on=data["confirmed_on"])

    title = _("Delivery of invoice %(number)s") % {"number": invoice.number}
    return _posting_page(request, customer, form, title, post, permission="ledger.track_delivery")


@login_required
def write_off_request(request, pk, invoice_pk):
    customer = get_customer_for_user(request.user, pk)
    invoice = Invoice.objects.filter(customer=customer, pk=invoice_pk, open_amount__gt=0).first()
    if invoice is None:
        raise Http404
    form = WriteOffRequestForm(request.POST or None, initial={"amount": invoice.open_amount})

    def post(data):
        services.request_write_off(request.user, invoice, amount=data["amount"], reason=data["reason"])

    title = _("Request a write-off of invoice %(number)s (open %(open)s)") % {
        "number": invoice.number, "open": f"¥{invoice.open_amount:,.2f}"}
    return _posting_page(request, customer, form, title, post, permission="ledger.write_off_request")


@login_required
def write_off_decide(request, pk, write_off_pk):
    customer = get_customer_for_user(request.user, pk)
    write_off = WriteOff.objects.filter(customer=customer, pk=write_off_pk).select_related("invoice").first()
    if write_off is None:
        raise Http404
    form = WriteOffDecisionForm(request.POST or None, initial={"posting_date": business_today()})

    def post(data):
        services.decide_write_off(request.user, write_off, approve=data["decision"] == "approve", note=data["note"],
                                  posting_date=data["posting_date"])

    title = _("Decide the write-off of ¥%(amount)s on invoice %(number)s: %(reason)s") % {
        "amount": f"{write_off.amount:,.2f}", "number": write_off.invoice.number, "reason": write_off.reason}
    return _posting_page(request, customer, form, title, post, permission="ledger.write_off_approve")


@login_required
def write_off_recover(request, pk, write_off_pk):
    customer = get_customer_for_user(request.user, pk)
    write_off = WriteOff.objects.filter(customer=customer, pk=write_off_pk,
                                        status=WriteOff.Status.POSTED).select_related("invoice").first()
    if write_off is None:
        raise Http404
    form = RecoveryForm(request.POST or None, initial={"receipt_date": business_today(), "method": "transfer"})

    def post(data):
        services.post_recovery(request.user, write_off, number=data["number"], receipt_date=data["receipt_date"],
                               amount=data["amount"], method=data["method"], reference=data["reference"],
                               note=data["note"])

    title = _("Record money recovered on written-off invoice %(number)s") % {"number": write_off.invoice.number}
    return _posting_page(request, customer, form, title, post)
