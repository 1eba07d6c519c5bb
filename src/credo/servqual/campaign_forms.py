"""Forms of the campaign pages: the campaign itself, the distribution filters, and the answer (one E and one P
radio group of 1–7 per item, every one optional) used by the public page and by staff entry."""

from django import forms
from django.utils.translation import gettext_lazy as _

from credo.core.forms import DateInput, StyledMixin
from credo.core.models import Territory
from credo.customers.models import CustomerKind

from . import rules
from .models import Channel

SCALE = [(str(n), str(n)) for n in range(rules.SCALE_MIN, rules.SCALE_MAX + 1)]


class CampaignForm(StyledMixin, forms.Form):
    name = forms.CharField(label=_("name"), max_length=120)
    period_start = forms.DateField(label=_("period from"), widget=DateInput)
    period_end = forms.DateField(label=_("period to"), widget=DateInput)
    link_days = forms.IntegerField(label=_("link expiry (days)"), min_value=1, max_value=365, initial=14)
    anonymous = forms.BooleanField(label=_("anonymous"), required=False,
                                   help_text=_("Answers are counted for the customer's class and territory, never "
                                               "shown with the person."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class DistributeForm(StyledMixin, forms.Form):
    territory = forms.ModelChoiceField(label=_("territory"), queryset=Territory.objects.order_by("code"),
                                       required=False)
    manager = forms.IntegerField(label=_("account manager"), required=False, widget=forms.Select)
    kind = forms.ChoiceField(label=_("kind"), choices=[("", "—"), *CustomerKind.choices], required=False)
    klass = forms.CharField(label=_("class"), max_length=20, required=False)
    renew = forms.BooleanField(label=_("new tokens for links not answered yet"), required=False)

    def __init__(self, *args, managers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].widget.choices = [("", "—"), *[(u.pk, u.get_full_name() or u.username)
                                                              for u in managers]]
        self._style()

    def filters(self) -> dict:
        data = self.cleaned_data
        return {"territory": data["territory"].pk if data.get("territory") else None, "manager": data.get("manager"),
                "kind": data.get("kind"), "klass": data.get("klass")}


def score_name(kind: str, key: str) -> str:
    return f"{kind}_{key}"


class AnswerForm(forms.Form):
    """E and P of each item as radio buttons 1–7; any may be left out."""

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            for kind, label in (("e", _("expectation")), ("p", _("perception"))):
                self.fields[score_name(kind, item.key)] = forms.ChoiceField(
                    label=label, choices=SCALE, required=False, widget=forms.RadioSelect)

    def rows(self):
        return [(item, self[score_name("e", item.key)], self[score_name("p", item.key)]) for item in self.items]

    def scores(self) -> dict:
        data = self.cleaned_data
        return {item.key: (data.get(score_name("e", item.key)) or None, data.get(score_name("p", item.key)) or None)
                for item in self.items}


class EntryForm(AnswerForm):
    """A paper or phone answer: the customer by code, the channel, and the scores."""

    customer = forms.CharField(label=_("customer code"), max_length=30)
    channel = forms.ChoiceField(label=_("channel"), choices=[(Channel.PAPER, Channel.PAPER.label),
                                                           (Channel.PHONE, Channel.PHONE.label)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].widget.attrs["class"] = "form-control"
        self.fields["channel"].widget.attrs["class"] = "form-select"
