"""Forms of the risk pages: they parse and show; the services decide (and raise the field errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from credo.core.clock import business_today
from credo.core.forms import DateInput, StyledMixin

from .models import RECORDED_KINDS
from .services import MAX_EVIDENCE


class _Styled(StyledMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self._style()


class RecordSignalForm(_Styled):
    kind = forms.ChoiceField(label=_("signal"), choices=[(k.value, k.label) for k in RECORDED_KINDS])
    detected_on = forms.DateField(label=_("date seen or heard"), widget=DateInput())
    evidence = forms.CharField(label=_("evidence"), max_length=MAX_EVIDENCE, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("What was seen or heard, where, and from whom."))
    file = forms.FileField(label=_("file"), required=False,
                           help_text=_("A photo, a court notice, a letter … (optional)"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"detected_on": business_today()})
        super().__init__(*args, **kwargs)


class ClearSignalForm(_Styled):
    note = forms.CharField(label=_("why it no longer applies"), max_length=300)
