"""Forms of the improvement pages: they parse and show; the services decide (and raise the field errors)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from credo.core.forms import StyledMixin

from . import rules
from .models import ActionKind, Failure, Measure, RecoveryKind, ServicePromise, Unit


class _Styled(StyledMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self._style()


class _UserField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = getattr(obj.profile, "display_name", "") or obj.username
        return f"{name} ({obj.username}, {obj.profile.get_role_display()})"


def _users():
    return (get_user_model().objects.filter(is_active=True, profile__isnull=False).select_related("profile")
            .order_by("username"))


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class ActionForm(_Styled):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices, initial=ActionKind.CORRECTIVE)
    title = forms.CharField(label=_("Title"), max_length=rules.TITLE_LENGTH, required=False)
    cause = forms.CharField(label=_("Cause addressed"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                            help_text=_("The cause found in step 2 of the complaints this action serves."))
    owner = _UserField(label=_("Owner"), queryset=None, required=False)
    due_date = forms.DateField(label=_("Due date"), widget=_DateInput(), required=False)
    complaints = forms.CharField(label=_("Complaints (reference numbers, comma separated)"), max_length=2000,
                                 required=False)

    def __init__(self, *args, with_complaints=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _users()
        if not with_complaints:
            del self.fields["complaints"]
        if not self.is_bound:
            self._style()


class CompleteForm(_Styled):
    outcome = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class VerifyForm(_Styled):
    effect = forms.CharField(label=_("Effect found"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                             help_text=_("Did the cause stop recurring? Someone other than the owner verifies."))


class CancelForm(_Styled):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300, required=False)


class LinkForm(_Styled):
    complaints = forms.CharField(label=_("Complaints (reference numbers, comma separated)"), max_length=2000,
                                 required=False)


class PromiseForm(_Styled):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    customer_text = forms.CharField(label=_("Text shown to customers"), max_length=300, required=False)
    measure = forms.ChoiceField(label=_("Measures"), choices=Measure.choices)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial=Unit.BUSINESS_HOURS,
                             help_text=ServicePromise._meta.get_field("unit").help_text)
    budget = forms.CharField(label=_("Promised within (hours or days)"), max_length=20, required=False)
    valid_from = forms.DateField(label=_("Valid from"), widget=_DateInput(), required=False)
    valid_to = forms.DateField(label=_("Valid to"), widget=_DateInput(), required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class RecoveryForm(_Styled):
    complaint = forms.CharField(label=_("Complaint (reference number)"), max_length=20, required=False)
    ticket = forms.CharField(label=_("Service request (reference number)"), max_length=20, required=False)
    failure = forms.ChoiceField(label=_("After"), choices=Failure.choices, initial=Failure.COMPLAINT)
    promise = forms.ModelChoiceField(label=_("Promise broken"), queryset=ServicePromise.objects.none(),
                                     required=False)
    kind = forms.ChoiceField(label=_("What was done"), choices=RecoveryKind.choices)
    description = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    done_by = _UserField(label=_("Done by"), queryset=None, required=False, empty_label=_("— me —"))
    cost = forms.CharField(label=_("Cost (¥)"), max_length=20, required=False,
                           help_text=_("Money or goods given (discount, replacement, gift, travel). For an "
                                       "on-site visit only the cost beyond the visit itself: recorded visits are "
                                       "priced in the customer's value already."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_by"].queryset = _users()
        self.fields["promise"].queryset = ServicePromise.objects.order_by("name")
        if not self.is_bound:
            self._style()
