from django import forms
from django.utils.translation import gettext_lazy as _

from credo.core.forms import MoneyField, StyledMixin
from credo.core.scopes import customer_q
from credo.customers.models import Customer, CustomerKind
from credo.sales.models import Product


class StockForm(StyledMixin, forms.Form):
    customer = forms.ModelChoiceField(label=_("dealer"), queryset=Customer.objects.none())
    product = forms.ModelChoiceField(label=_("product"), queryset=Product.objects.filter(is_active=True))
    month = forms.DateField(label=_("month"), widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
                            input_formats=["%Y-%m", "%Y-%m-%d"])
    amount = MoneyField(label=_("stock amount"), min_value=0)
    quantity = forms.DecimalField(label=_("quantity"), max_digits=14, decimal_places=3, min_value=0, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.filter(customer_q(user), kind=CustomerKind.DEALER)
        self._style()


class StockImportForm(StyledMixin, forms.Form):
    file = forms.FileField(label=_("file (.xlsx or .csv)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
