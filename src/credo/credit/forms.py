"""Forms of the credit pages: they parse and show; the services decide (and raise the field errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from credo.core.forms import DateInput, MoneyField, StyledMixin
from credo.sales.models import Product

from .models import CollectionPlan, SettlementMode


class _Styled(StyledMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self._style()


class LimitApplicationForm(_Styled):
    amount = MoneyField(label=_("limit applied for (¥)"), min_value=0)
    credit_days = forms.IntegerField(label=_("credit period (days)"), min_value=0, max_value=365)
    computation_id = forms.IntegerField(label=_("limit computation"), required=False, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea,
                             help_text=_("Why this limit: the method and figures used, the customer's prospects."))


class ReasonForm(_Styled):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea)


class DecisionForm(_Styled):
    decision = forms.ChoiceField(label=_("decision"), widget=forms.RadioSelect)
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea, required=False,
                              help_text=_("Required when rejecting."))

    def __init__(self, *args, step: str = "approve", **kwargs):
        super().__init__(*args, **kwargs)
        if step == "review":
            self.fields["decision"].choices = [("recommend", _("Recommend for approval")), ("reject", _("Reject"))]
        else:
            self.fields["decision"].choices = [("approve", _("Approve")), ("reject", _("Reject"))]

    def _style(self):
        super()._style()
        self.fields["decision"].widget.attrs["class"] = "form-check-input"


class PolicyForm(_Styled):
    discount_percent = forms.DecimalField(label=_("cash discount %"), min_value=0, max_value=99, max_digits=5,
                                          decimal_places=2, required=False)
    discount_days = forms.IntegerField(label=_("discount if paid within (days)"), min_value=0, max_value=365,
                                       required=False)
    settlement_mode = forms.ChoiceField(label=_("settlement mode"), choices=SettlementMode.choices)
    collection_plan = forms.ChoiceField(label=_("collection policy"), choices=CollectionPlan.choices)
    collection_note = forms.CharField(label=_("collection notes"), widget=forms.Textarea, required=False)
    credit_standard = forms.CharField(label=_("credit standard"), widget=forms.Textarea, required=False)
    target_annual_sales = MoneyField(label=_("target annual sales (¥)"), min_value=0, required=False)
    reason = forms.CharField(label=_("reason for the change"), required=False)


class StopForm(_Styled):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea)
    on = forms.DateField(label=_("from"), widget=DateInput)


LINE_COUNT = 5


class OrderLinesForm(_Styled):
    """Up to five lines: product, quantity, unit price (empty: the list price)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        products = Product.objects.filter(is_active=True).order_by("code")
        for n in range(LINE_COUNT):
            self.fields[f"product_{n}"] = forms.ModelChoiceField(products, label=_("product"), required=False)
            self.fields[f"quantity_{n}"] = forms.DecimalField(label=_("quantity"), required=False, max_digits=14,
                                                              decimal_places=3)
            self.fields[f"price_{n}"] = MoneyField(label=_("unit price (¥)"), required=False)
        if not self.is_bound:
            self._style()

    def line_rows(self):
        return [(self[f"product_{n}"], self[f"quantity_{n}"], self[f"price_{n}"]) for n in range(LINE_COUNT)]

    def lines(self) -> list:
        found = []
        for n in range(LINE_COUNT):
            product = self.cleaned_data.get(f"product_{n}")
            if product is None:
                continue
            found.append((product, self.cleaned_data.get(f"quantity_{n}") or 0, self.cleaned_data.get(f"price_{n}")))
        return found

    @staticmethod
    def initial_for(order) -> dict:
        initial = {}
        for n, line in enumerate(order.lines.select_related("product")[:LINE_COUNT]):
            initial.update({f"product_{n}": line.product_id, f"quantity_{n}": line.quantity,
                            f"price_{n}": line.unit_price})
        return initial


class OrderForm(OrderLinesForm):
    number = forms.CharField(label=_("order number"), max_length=40)
    order_date = forms.DateField(label=_("order date"), widget=DateInput)

    field_order = ["number", "order_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["number", "order_date"])
