"""Forms of the collection pages: they parse and show; the services decide (and raise the field errors)."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from credo.core.forms import DateInput, MoneyField, StyledMixin
from credo.core.roles import PERMISSIONS

from .models import BadDebtMeasure, DebtorType
from .services import MAX_INSTALMENTS


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        profile = getattr(obj, "profile", None)
        name = (profile.display_name if profile else "") or obj.get_full_name() or obj.username
        role = profile.get_role_display() if profile else ""
        return f"{name} · {role}" if role else name


class _Styled(StyledMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:  # a bound form is styled when it is cleaned (after the subclass set its choices)
            self._style()


def collectors(case):
    """Who may own a case: people whose role acts on collection cases (and the current owner)."""
    users = get_user_model().objects.filter(is_active=True)
    found = users.filter(profile__role__in=PERMISSIONS["collection.act"])
    if case is not None and case.owner_id:
        found = users.filter(Q(pk__in=found.values("pk")) | Q(pk=case.owner_id))
    return found.select_related("profile").order_by("username")


class CaseForm(_Styled):
    reason = forms.CharField(label=_("reason given by the customer"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("What the customer says is the cause of not paying; a change is logged."))
    debtor_type = forms.ChoiceField(label=_("debtor type"), required=False,
                                    choices=[("", _("(not assessed)")), *DebtorType.choices])
    owner = UserChoiceField(label=_("collector"), queryset=None, required=False, empty_label=_("(unchanged)"))
    penalty_daily_rate = forms.DecimalField(
        label=_("penalty interest per day (this case)"), required=False, max_digits=8, decimal_places=6,
        help_text=_("A fraction of the overdue principal, e.g. 0.0005 = 0.05 % a day. Empty: unchanged."))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = collectors(case)


class EntryForm(_Styled):
    text = forms.CharField(label=_("note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("file"), required=False,
                           help_text=_("The customer's letter, a delivery receipt, a bank slip …"))
    evidence = forms.BooleanField(label=_("this is evidence"), required=False)


class PromiseForm(_Styled):
    promised_date = forms.DateField(label=_("promised payment date"), widget=DateInput)
    amount = MoneyField(label=_("promised amount"))
    made_on = forms.DateField(label=_("promise made on"), widget=DateInput, required=False,
                              help_text=_("Empty: today."))
    made_by = forms.CharField(label=_("promised by (contact)"), max_length=100, required=False)
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class EscalateForm(_Styled):
    to_user = UserChoiceField(label=_("escalate to"), queryset=None)
    note = forms.CharField(label=_("what the manager should do"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = targets.select_related("profile").order_by("username")


class LegalForm(_Styled):
    on = forms.DateField(label=_("handed over on"), widget=DateInput, required=False, help_text=_("Empty: today."))
    note = forms.CharField(label=_("what legal should pursue"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class PlanForm(_Styled):
    total = MoneyField(label=_("total to pay in instalments"))
    count = forms.IntegerField(label=_("number of instalments"), min_value=1, max_value=MAX_INSTALMENTS)
    first_due = forms.DateField(label=_("first instalment due on"), widget=DateInput)
    every_months = forms.IntegerField(label=_("every … months"), min_value=1, max_value=12, initial=1)
    agreed_on = forms.DateField(label=_("agreed on"), widget=DateInput, required=False, help_text=_("Empty: today."))
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class EndPlanForm(_Styled):
    outcome = forms.ChoiceField(label=_("outcome"), choices=[("completed", _("Completed: everything was paid")),
                                                              ("cancelled", _("Cancelled: the customer did not keep it"))])
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class MeasureForm(_Styled):
    kind = forms.ChoiceField(label=_("measure"), choices=BadDebtMeasure.Kind.choices)
    description = forms.CharField(label=_("description"), max_length=300)
    taken_on = forms.DateField(label=_("date"), widget=DateInput, required=False, help_text=_("Empty: today."))
    amount = MoneyField(label=_("amount"), required=False,
                        help_text=_("Needed for an allowance, goods taken back or collateral realised."))
    until = forms.DateField(label=_("credit stopped until"), widget=DateInput, required=False)
    credit_note_number = forms.CharField(
        label=_("credit note number"), max_length=40, required=False,
        help_text=_("Allowance or goods taken back: a number here posts the credit note to the ledger at once."))

    def __init__(self, *args, can_post=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_post:
            del self.fields["credit_note_number"]


class CloseForm(_Styled):
    note = forms.CharField(label=_("why the case is closed"), max_length=300,
                           help_text=_("Paid, settled, written off …"))


class ChargeInterestForm(_Styled):
    number = forms.CharField(label=_("interest invoice number"), max_length=40, required=False,
                             help_text=_("Empty: FX-<customer code>-<date>."))
