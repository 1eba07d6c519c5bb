from django import forms
from django.utils.translation import gettext_lazy as _

from credo.core.forms import DateInput, StyledMixin

from .models import ClassificationRun


class ComputeForm(StyledMixin, forms.Form):
    method = forms.ChoiceField(label=_("method"), choices=ClassificationRun.Method.choices)
    period_from = forms.DateField(label=_("period from"), widget=DateInput)
    period_to = forms.DateField(label=_("period to"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class OverrideForm(StyledMixin, forms.Form):
    klass = forms.ChoiceField(label=_("class"), choices=[("", _("as computed"))] + [(k, k) for k in "ABCD"],
                              required=False)
    reason = forms.CharField(label=_("reason"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class PolicyForm(StyledMixin, forms.Form):
    klass = forms.ChoiceField(label=_("class"), choices=[(k, k) for k in "ABCD"])
    text = forms.CharField(label=_("service policy"), widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
