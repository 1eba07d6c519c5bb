from django import forms
from django.utils.translation import gettext_lazy as _

from credo.core.forms import DateInput, MoneyField, StyledMixin

from .models import CreditNote, PaymentMethod, ReceiptReversal


class ReceiptForm(StyledMixin, forms.Form):
    number = forms.CharField(label=_("receipt number"), max_length=40)
    receipt_date = forms.DateField(label=_("receipt date"), widget=DateInput)
    amount = MoneyField(label=_("amount"))
    method = forms.ChoiceField(label=_("method"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("reference"), max_length=100, required=False,
                                help_text=_("Bank reference, cheque or draft number."))
    invoice = forms.ChoiceField(label=_("apply to invoice first"), required=False)

    def __init__(self, *args, invoices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoice"].choices = [("", _("Oldest due first (FIFO)"))] + [
            (str(i.pk), f"{i.number} · {i.due_date:%Y-%m-%d} · ¥{i.open_amount:,.2f}") for i in invoices]
        self._style()


class InvoiceForm(StyledMixin, forms.Form):
    number = forms.CharField(label=_("invoice number"), max_length=40)
    invoice_date = forms.DateField(label=_("invoice date"), widget=DateInput)
    due_date = forms.DateField(label=_("due date"), widget=DateInput, required=False,
                               help_text=_("Empty: invoice date plus the customer's credit period."))
    amount = MoneyField(label=_("amount"))
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class CreditNoteForm(StyledMixin, forms.Form):
    number = forms.CharField(label=_("credit note number"), max_length=40)
    note_date = forms.DateField(label=_("date"), widget=DateInput)
    kind = forms.ChoiceField(label=_("kind"), choices=CreditNote.Kind.choices)
    amount = MoneyField(label=_("amount"))
    reason = forms.CharField(label=_("reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ReversalForm(StyledMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ReceiptReversal.Kind.choices)
    reversal_date = forms.DateField(label=_("date"), widget=DateInput)
    reason = forms.CharField(label=_("reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class DeliveryForm(StyledMixin, forms.Form):
    sent_on = forms.DateField(label=_("sent to customer on"), widget=DateInput, required=False)
    confirmed_on = forms.DateField(label=_("receipt confirmed by customer on"), widget=DateInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class WriteOffRequestForm(StyledMixin, forms.Form):
    amount = MoneyField(label=_("amount"))
    reason = forms.CharField(label=_("reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class RecoveryForm(StyledMixin, forms.Form):
    number = forms.CharField(label=_("receipt number"), max_length=40)
    receipt_date = forms.DateField(label=_("receipt date"), widget=DateInput)
    amount = MoneyField(label=_("amount recovered"))
    method = forms.ChoiceField(label=_("method"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("reference"), max_length=100, required=False)
    note = forms.CharField(label=_("note"), max_length=300, required=False,
                           help_text=_("Where the money came from: liquidation, court enforcement, guarantor …"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class WriteOffDecisionForm(StyledMixin, forms.Form):
    decision = forms.ChoiceField(label=_("decision"), choices=[("approve", _("Approve and post")),
                                                               ("reject", _("Reject"))])
    note = forms.CharField(label=_("decision note"), max_length=300, required=False)
    posting_date = forms.DateField(label=_("posting date"), widget=DateInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
