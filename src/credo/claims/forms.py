"""Forms of the claim pages: they parse and show; the services decide (and raise the field errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from credo.core.forms import DateInput, MoneyField, StyledMixin

LINE_ROWS = 3  # invoices offered on the page; the API takes any number


class _Styled(StyledMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self._style()


class ClaimForm(_Styled):
    amount_claimed = MoneyField(label=_("Amount claimed"))
    amount_agreed = MoneyField(label=_("Amount agreed"), required=False,
                               help_text=_("Empty: the amount claimed."))
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, invoices=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(str(inv.pk), f"{inv.number} · {inv.invoice_date:%Y-%m-%d} · "
                                               f"¥{inv.open_amount:,.2f}") for inv in invoices]
        for n in range(1, LINE_ROWS + 1):
            self.fields[f"invoice_{n}"] = forms.ChoiceField(label=_("Invoice %(n)s") % {"n": n}, choices=choices,
                                                            required=n == 1)
            self.fields[f"amount_{n}"] = MoneyField(label=_("Amount to credit %(n)s") % {"n": n}, required=False)
        if not self.is_bound:
            self._style()

    def lines(self) -> list[tuple[str, object]]:
        data = self.cleaned_data
        return [(data[f"invoice_{n}"], data[f"amount_{n}"]) for n in range(1, LINE_ROWS + 1)
                if data.get(f"invoice_{n}")]

    def line_rows(self):
        return [(self[f"invoice_{n}"], self[f"amount_{n}"]) for n in range(1, LINE_ROWS + 1)]


class RejectForm(_Styled):
    reason = forms.CharField(label=_("Why rejected"), max_length=300, required=False)


class ApproveForm(_Styled):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class SettleForm(_Styled):
    settled_on = forms.DateField(label=_("Credit note date"), required=False, widget=DateInput())


class WithdrawForm(_Styled):
    reason = forms.CharField(label=_("Why withdrawn"), max_length=300, required=False)


class ReturnForm(_Styled):
    returned_on = forms.DateField(label=_("Returned on"), required=False, widget=DateInput())
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=14, decimal_places=3, required=False)
    description = forms.CharField(label=_("Goods"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


ACTION_FORMS = {"submit": None, "approve": ApproveForm, "reject": RejectForm, "settle": SettleForm,
                "withdraw": WithdrawForm, "return": ReturnForm}
