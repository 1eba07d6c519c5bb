"""The instrument editor: weights or importance points for the five dimensions, the date the new version
starts and a note (InstrumentForm), and one formset of items per dimension (edit the texts, remove, reorder
by number, add in the empty rows). The sums and the texts are checked by services.save_instrument."""

from django import forms
from django.utils.translation import gettext_lazy as _

from credo.core.forms import DateInput, StyledMixin

from . import rules
from .models import DimensionCode

ENTRY_CHOICES = [("weights", _("weights (summing to 1)")), ("points", _("importance points (summing to 100)"))]


def weight_field_name(code: str) -> str:
    return f"weight_{code}"


class InstrumentForm(StyledMixin, forms.Form):
    entry = forms.ChoiceField(label=_("enter as"), choices=ENTRY_CHOICES, initial="weights")
    valid_from = forms.DateField(label=_("valid from"), widget=DateInput, required=False,
                                 help_text=_("Empty: today. Earlier versions are kept."))
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in rules.DIMENSIONS:
            self.fields[weight_field_name(code)] = forms.CharField(
                label=DimensionCode(code).label, required=False, max_length=20,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}))
        self._style()

    def weight_fields(self):
        return [self[weight_field_name(code)] for code in rules.DIMENSIONS]

    def values(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(weight_field_name(code), "") for code in rules.DIMENSIONS}


class ItemForm(StyledMixin, forms.Form):
    key = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput)
    text_zh = forms.CharField(label=_("text (Chinese)"), max_length=300)
    text_en = forms.CharField(label=_("text (English)"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:   # a bound form is styled when cleaned, after the formset adds ORDER and DELETE
            self._style()


ItemFormSet = forms.formset_factory(ItemForm, extra=1, can_order=True, can_delete=True, max_num=12,
                                    validate_max=True)


def item_formsets(data=None, initial_items=None) -> dict[str, forms.BaseFormSet]:
    """One formset per dimension, prefixed items_<code>; initial_items {code: [Item, …]}."""
    sets = {}
    for code in rules.DIMENSIONS:
        initial = [{"key": i.key, "text_zh": i.text_zh, "text_en": i.text_en, "ORDER": n}
                   for n, i in enumerate((initial_items or {}).get(code, []), start=1)]
        sets[code] = ItemFormSet(data=data, initial=None if data is not None else initial, prefix=f"items_{code}")
    return sets


def formset_rows(formset) -> list[dict]:
    """The items of a valid formset in the order asked for, without the removed ones and the empty rows."""
    return [{"key": form.cleaned_data.get("key", ""), "text_zh": form.cleaned_data["text_zh"],
             "text_en": form.cleaned_data["text_en"]} for form in formset.ordered_forms]
