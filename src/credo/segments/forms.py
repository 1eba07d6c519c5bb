from django import forms
from django.utils.translation import gettext_lazy as _

from credo.core.forms import DateInput, StyledMixin

from . import rules
from .models import CostKind, ReviewDecision


class Styled(StyledMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ComputeForm(Styled):
    period_from = forms.DateField(label=_("period from"), widget=DateInput)
    period_to = forms.DateField(label=_("period to"), widget=DateInput)
    most_valuable_percent = forms.DecimalField(label=_("most valuable: per cent of buying customers"),
                                               initial=rules.DEFAULT_PARAMS["most_valuable_percent"])
    most_growable_percent = forms.DecimalField(label=_("most growable: per cent of buying customers"),
                                               initial=rules.DEFAULT_PARAMS["most_growable_percent"])
    review_c_percent = forms.DecimalField(label=_("review: least profitable per cent of class C"),
                                          initial=rules.DEFAULT_PARAMS["review_c_percent"])


class CostForm(Styled):
    kind = forms.ChoiceField(label=_("kind of cost"), choices=CostKind.choices)
    cost_date = forms.DateField(label=_("date"), widget=DateInput)
    amount = forms.CharField(label=_("amount"), max_length=30)
    description = forms.CharField(label=_("description"), max_length=300)


class CancelCostForm(Styled):
    reason = forms.CharField(label=_("reason for cancelling"), max_length=300)


class PotentialForm(Styled):
    annual_purchases = forms.CharField(label=_("estimated annual purchases"), max_length=30, required=False,
                                       help_text=_("What the customer buys per year of our kind of goods, from "
                                                   "all suppliers. Leave empty to remove the estimate."))
    basis = forms.CharField(label=_("basis of the estimate"), max_length=300, required=False)


class RatesForm(Styled):
    visit = forms.CharField(label=_("cost of a visit"), max_length=20)
    call = forms.CharField(label=_("cost of a phone call"), max_length=20)
    mail = forms.CharField(label=_("cost of a mail"), max_length=20)
    notice_letter = forms.CharField(label=_("cost of an advance notice"), max_length=20)
    warning_letter = forms.CharField(label=_("cost of a warning letter"), max_length=20)
    lawyer_letter = forms.CharField(label=_("cost of a lawyer's letter"), max_length=20)
    capital_rate = forms.CharField(label=_("cost of capital per year (%)"), max_length=20)


class DecisionForm(Styled):
    decision = forms.ChoiceField(label=_("decision"), choices=ReviewDecision.Decision.choices)
    note = forms.CharField(label=_("note"), max_length=500)
