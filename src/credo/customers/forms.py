"""Forms: type parsing and widgets for pages and imports. Business rules stay in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from credo.core.forms import DateInput, MoneyField, StyledMixin

from .models import Attachment, BankAccount, CompetitorPresence, Contact, Customer, CustomerKind, Importance
from .services import CONTACT_FIELDS, CUSTOMER_FIELDS


class CustomerForm(StyledMixin, forms.ModelForm):
    tags = forms.CharField(label=_("tags"), required=False, help_text=_("Separate tags with commas."))
    website = forms.URLField(label=_("website"), required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Customer
        fields = [f for f in CUSTOMER_FIELDS]
        widgets = {
            "founded_on": DateInput(),
            "first_order_date": DateInput(),
            "business_scope": forms.Textarea,
        }
        field_classes = {"registered_capital": MoneyField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credit_code"].widget.attrs.update({"maxlength": 18, "autocomplete": "off"})
        self.fields["territory"].empty_label = _("(no territory)")
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())
        self._style()

    def validate_unique(self):
        pass  # uniqueness is a business rule checked (with a clearer message) by services.validate_customer

    def tag_names(self):
        raw = self.cleaned_data.get("tags") or ""
        return [t for t in raw.replace("，", ",").split(",") if t.strip()]

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in CUSTOMER_FIELDS}


class ContactForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = CONTACT_FIELDS
        widgets = {"birthday": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class BankAccountForm(StyledMixin, forms.ModelForm):
    reason = forms.CharField(label=_("reason"), required=False)

    class Meta:
        model = BankAccount
        fields = ["bank_name", "account_name", "account_number", "valid_from"]
        widgets = {"valid_from": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].required = False
        self._style()


class CompetitorForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = CompetitorPresence
        fields = ["competitor", "products", "year", "competitor_sales", "our_sales", "notes"]
        field_classes = {"competitor_sales": MoneyField, "our_sales": MoneyField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class AttachmentForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["kind", "title", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ReassignForm(StyledMixin, forms.Form):
    manager = forms.ModelChoiceField(label=_("new account manager"), queryset=None)
    reason = forms.CharField(label=_("reason"), max_length=300)

    def __init__(self, *args, managers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = managers
        self.fields["manager"].label_from_instance = lambda u: getattr(getattr(u, "profile", None), "display_name", "") or u.username
        self._style()


class MergeForm(StyledMixin, forms.Form):
    source_code = forms.CharField(label=_("code of the duplicate to merge into this customer"), max_length=30)
    reason = forms.CharField(label=_("reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class NoteForm(forms.Form):
    text = forms.CharField(label=_("note"), max_length=300, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


KIND_CHOICES = [("", _("All kinds")), *CustomerKind.choices]
IMPORTANCE_CHOICES = [("", _("All importance")), *Importance.choices]
