"""Forms of the service-desk pages: they parse and show; the services decide (and raise the field errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from credo.core.forms import DateInput, StyledMixin
from credo.sla.models import Severity

from .models import ArticleCategory, ContractStatus, TicketType


class _Styled(StyledMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self._style()


class IntakeForm(_Styled):
    customer = forms.IntegerField(label=_("Customer"), widget=forms.HiddenInput)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=TicketType.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.NORMAL)
    product = forms.ChoiceField(label=_("Product"), required=False)
    contact = forms.ChoiceField(label=_("Contact"), required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, products=(), contacts=(), owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", "—")] + [(str(p.pk), f"{p.code} {p.name}") for p in products]
        self.fields["contact"].choices = [("", "—")] + [(str(c.pk), c.name) for c in contacts]
        self.fields["owner"].choices = [("", _("— the queue —"))] + [(str(u.pk), u.username) for u in owners]
        if not self.is_bound:
            self._style()


class TextForm(_Styled):
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(_Styled):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ResolveForm(_Styled):
    resolution = forms.CharField(label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(_Styled):
    owner = forms.ChoiceField(label=_("Owner"))

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(str(u.pk), u.username) for u in owners]
        if not self.is_bound:
            self._style()


class ContractForm(_Styled):
    number = forms.CharField(label=_("Contract number"), max_length=40)
    status = forms.ChoiceField(label=_("Status"), choices=ContractStatus.choices, initial=ContractStatus.ACTIVE)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    expires_on = forms.DateField(label=_("Expires on"), widget=DateInput())
    all_products = forms.BooleanField(label=_("Covers all products"), required=False)
    products = forms.MultipleChoiceField(label=_("Covered products"), required=False,
                                         widget=forms.SelectMultiple(attrs={"size": 8}))
    terms = forms.CharField(label=_("Terms"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].choices = [(str(p.pk), f"{p.code} {p.name}") for p in products]
        if not self.is_bound:
            self._style()


class ArticleForm(_Styled):
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=ArticleCategory.choices)
    tags = forms.CharField(label=_("Tags"), required=False, max_length=300,
                           help_text=_("Words separated by commas."))
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))
    published = forms.BooleanField(label=_("Published"), required=False)
