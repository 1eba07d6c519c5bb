"""Forms of the limit pages. They only lay out and keep what was typed: limits/inputs.py checks the values
(the same checks as the CLI and the API), and its ValidationError lands on these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from credo.core.forms import StyledMixin

from . import customer_inputs, present, rules, tables

GRADE_CHOICES = [("", _("— none —"))] + [(g, g) for g in rules.GRADES] + [
    (rules.NOT_RATED, _("NR (not rated)"))]


def _amount(label, required=True, help_text=""):
    return forms.CharField(label=label, required=required, help_text=help_text,
                           widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))


class _MethodForm(StyledMixin, forms.Form):
    method = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, policy, *args, **kwargs):
        self.policy = policy
        super().__init__(*args, **kwargs)
        self._style_unbound()

    def _style_unbound(self):
        # A bound form is styled when it is cleaned; styling it here would clean it before all fields exist.
        if not self.is_bound:
            self._style()

    def raw(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "method"}


class WorkingCapitalForm(_MethodForm):
    current_assets = _amount(_("current assets (流动资产)"))
    inventory = _amount(_("inventory (存货)"))
    current_liabilities = _amount(_("current liabilities (流动负债)"))
    total_liabilities = _amount(_("total liabilities (负债总额)"))
    net_assets = _amount(_("net assets (净资产)"))
    grade = forms.ChoiceField(label=_("risk grade"), choices=GRADE_CHOICES, required=False)
    supplier_share = forms.CharField(label=_("our share of the customer's purchases"), required=False,
                                     help_text=_("A fraction or a percentage: 0.4 or 40%."))
    figure_high = forms.BooleanField(label=_("the figure looks high for the grade (额度偏高)"), required=False)


class SalesVolumeForm(_MethodForm):
    quarter_orders = _amount(_("last quarter's orders, or the forecast (上季度订货量)"))
    credit_days = forms.CharField(label=_("standard credit period (days)"), required=False)
    grade = forms.ChoiceField(label=_("risk grade (table 3-10)"), choices=GRADE_CHOICES, required=False)
    overdue_amount_days = _amount(_("overdue amount × days overdue, ¥·days (table 3-11)"), required=False,
                                  help_text=_("Leave empty to use the grade table only; 0 means no overdue."))

    def __init__(self, policy, *args, **kwargs):
        super().__init__(policy, *args, **kwargs)
        self.fields["credit_days"].widget.attrs["placeholder"] = str(policy.standard_credit_days)
        self._style_unbound()


class CollectionsForm(_MethodForm):
    credit_days = forms.CharField(label=_("standard credit period (days)"), required=False)
    weights = forms.CharField(label=_("weights, newest month first"), required=False)

    def __init__(self, policy, *args, **kwargs):
        super().__init__(policy, *args, **kwargs)
        weights = tables.parse_collection_weights(policy.collection_weights)
        self.months = len(weights)
        for n in range(1, self.months + 1):
            label = _("collections in month %(n)d (1 = newest)") % {"n": n}
            self.fields[f"month_{n}"] = _amount(label)
        self.fields["weights"].widget.attrs["placeholder"] = ", ".join(rules.plain(w) for w in weights)
        self.fields["credit_days"].widget.attrs["placeholder"] = str(policy.standard_credit_days)
        self.order_fields([f"month_{n}" for n in range(1, self.months + 1)] + ["weights", "credit_days"])
        self._style_unbound()

    def raw(self) -> dict:
        data = self.cleaned_data
        return {"monthly": [data.get(f"month_{n}", "") or "" for n in range(1, self.months + 1)],
                "weights": data.get("weights") or None, "credit_days": data.get("credit_days")}


class RevenueTierForm(_MethodForm):
    revenue = _amount(_("annual revenue (营业额)"))

    def __init__(self, policy, *args, **kwargs):
        super().__init__(policy, *args, **kwargs)
        add_level_fields(self, policy)
        self._style_unbound()


def add_level_fields(form, policy, required=False):
    levels = tables.parse_level_percentages(policy.level_percentages)
    choices = [("", "—")] + [(str(n), f"{n} ({present.percentage_text(p)} %)") for n, p in sorted(levels.items())]
    for item in tables.parse_assessment_items(policy.assessment_items):
        form.fields[f"level_{item.code}"] = forms.ChoiceField(label=present.item_label(item.code, item.label),
                                                              choices=choices, required=required)


FORMS = {rules.WORKING_CAPITAL: WorkingCapitalForm, rules.SALES_VOLUME: SalesVolumeForm,
         rules.COLLECTIONS: CollectionsForm, rules.REVENUE_TIER: RevenueTierForm}


class ProposeForm(StyledMixin, forms.Form):
    """What the user adds to the customer's data when proposing its limits."""

    supplier_share = forms.CharField(label=_("our share of its purchases"), required=False,
                                     help_text=_("0.4 or 40%; empty: no supplier correction."))
    figure_high = forms.BooleanField(label=_("the figure looks high for the grade (额度偏高)"), required=False)
    forecast_orders = _amount(_("forecast of the quarter's orders"), required=False,
                              help_text=_("Empty: last full quarter's confirmed and invoiced orders."))
    tables = forms.ChoiceField(label=_("sales-volume risk tables"), initial=customer_inputs.BOTH, choices=[
        (customer_inputs.BOTH, _("grade and credit record")), (customer_inputs.GRADE, _("grade (table 3-10)")),
        (customer_inputs.RECORD, _("credit record (table 3-11)"))])

    def __init__(self, policy, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if tables.parse_revenue_tiers(policy.revenue_tiers).rows:
            add_level_fields(self, policy)
        self._style()
