"""Forms of the complaint pages: they parse and show; the services decide (and raise the field errors)."""

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from credo.core.forms import StyledMixin
from credo.rating.forms import MultipleFileField
from credo.sla.models import Severity

from . import rules
from .models import STEP_NAMES, Category, Cause, Channel


class _Styled(StyledMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self._style()


class IntakeForm(_Styled):
    customer = forms.CharField(label=_("Customer (code or full name)"), max_length=200)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.NORMAL)
    contact_name = forms.CharField(label=_("Contact name"), max_length=100)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    product = forms.ModelChoiceField(label=_("Product"), queryset=None, required=False)
    product_text = forms.CharField(label=_("Product (as described)"), max_length=200, required=False)
    order_number = forms.CharField(label=_("Order number"), max_length=40, required=False)
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=40, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label=_("Attachments (photos, documents)"), required=False)

    def __init__(self, *args, **kwargs):
        from credo.sales.models import Product

        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(is_active=True).order_by("code")
        # the knowledge base answers while the agent types (the service desk's suggestions fragment)
        self.fields["description"].widget.attrs.update({
            "hx-get": reverse("servicedesk:suggestions"), "hx-trigger": "keyup changed delay:400ms, change",
            "hx-target": "#kb-suggestions", "hx-swap": "outerHTML"})


class PublicForm(_Styled):
    company_name = forms.CharField(label=_("Your company"), max_length=200)
    contact_name = forms.CharField(label=_("Your name"), max_length=100)
    contact_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    category = forms.ChoiceField(label=_("What is it about?"), choices=Category.choices)
    product_text = forms.CharField(label=_("Product or order"), max_length=200, required=False)
    description = forms.CharField(label=_("What happened?"), widget=forms.Textarea(attrs={"rows": 6}))
    attachments = MultipleFileField(label=_("Photos or documents (optional)"), required=False)
    # Left empty by people; robots fill every field they find.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1",
                                                                           "autocomplete": "off"}))


class CloseStepForm(_Styled):
    record = forms.CharField(label=_("Record"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    cause = forms.ChoiceField(label=_("Where the cause lies"), choices=[("", "—"), *Cause.choices], required=False)
    department = forms.CharField(label=_("Responsible department"), max_length=60, required=False)


def _owners():
    return (get_user_model().objects.filter(is_active=True, profile__isnull=False).select_related("profile")
            .order_by("username"))


class _OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = getattr(getattr(obj, "profile", None), "display_name", "") or obj.username
        role = obj.profile.get_role_display() if getattr(obj, "profile", None) else ""
        return f"{name} ({obj.username}, {role})" if role else name


class AssignForm(_Styled):
    owner = _OwnerField(label=_("Owner of the open step"), queryset=None, required=False,
                        empty_label=_("— nobody —"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _owners()


class MeasureForm(_Styled):
    text = forms.CharField(label=_("Emergency measure"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PauseForm(_Styled):
    reason = forms.CharField(label=_("Waiting on the customer for"), max_length=300, required=False)


class ReopenForm(_Styled):
    to_step = forms.TypedChoiceField(label=_("Start again at step"), coerce=int,
                                     choices=[(n, f"{n} · {STEP_NAMES[n]}") for n in rules.STEPS])
    reason = forms.CharField(label=_("Reason"), max_length=rules.REASON_LENGTH, required=False)


class LinkForm(_Styled):
    customer = forms.CharField(label=_("Customer (code or full name)"), max_length=200)


class AttachForm(_Styled):
    attachments = MultipleFileField(label=_("Add files"), required=False)


class WindowForm(_Styled):
    repeat_window_days = forms.IntegerField(label=_("Repeat window (days)"), min_value=1,
                                            max_value=rules.MAX_REPEAT_WINDOW_DAYS)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
