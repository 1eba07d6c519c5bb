"""Forms of the visit pages: they parse and show; the services decide (and raise the field errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from credo.core.forms import DateInput, StyledMixin

from .models import Kind, Purpose, Status


class _Styled(StyledMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self._style()


class ResultForm(_Styled):
    """The short form of a visit result, made for a phone: done or missed, outcome, next step."""

    status = forms.ChoiceField(label=_("Result"), choices=[(Status.DONE, _("Done")), (Status.MISSED, _("Missed"))],
                               widget=forms.RadioSelect)
    done_date = forms.DateField(label=_("Done on"), required=False, widget=DateInput())
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)
    next_step_date = forms.DateField(label=_("Next step on"), required=False, widget=DateInput())
    contacts = forms.MultipleChoiceField(label=_("Contacts met"), required=False,
                                         widget=forms.CheckboxSelectMultiple)
    latitude = forms.DecimalField(label=_("Latitude"), required=False, widget=forms.HiddenInput)
    longitude = forms.DecimalField(label=_("Longitude"), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        if contacts:
            self.fields["contacts"].choices = [(str(c.pk), c.name) for c in contacts]
        else:
            del self.fields["contacts"]

    def _style(self):
        super()._style()
        for name in ("status", "contacts"):
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "form-check-input"


class RecordForm(ResultForm):
    """A contact that was not planned: visit, phone call (电话追踪) or mail (邮件追踪), any purpose incl. caring."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    field_order = ["kind", "done_date", "purpose", "contacts", "outcome", "next_step", "next_step_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["status"]
        self.fields["done_date"].required = False
        self.order_fields(self.field_order)


class PolicyForm(_Styled):
    minimum_per_month = forms.DecimalField(label=_("Minimum per month"), max_digits=6, decimal_places=3)
    target_per_month = forms.DecimalField(label=_("Target per month"), max_digits=6, decimal_places=3)
