"""Forms of the credit-file pages: they parse and show; the services decide (and raise the field errors)."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from credo.core.forms import DateInput, MoneyField, StyledMixin

from . import defaults
from .models import (
    FIVEC_DIMENSIONS,
    Answer,
    FinancialStatement,
    FiveCWeights,
    Grade,
    Investigation,
    InvestigationKind,
    InvestigationSource,
    ItemSource,
    RatingReason,
    RiskLevel,
)

AMOUNT = {"max_digits": 18}


class _Styled(StyledMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self._style()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class StatementForm(_Styled):
    period_end = forms.DateField(label=_("period end"), widget=DateInput())
    current_assets = MoneyField(label=_("current assets"), **AMOUNT)
    inventory = MoneyField(label=_("inventory"), required=False, **AMOUNT)
    cash = MoneyField(label=_("cash"), required=False, **AMOUNT)
    total_assets = MoneyField(label=_("total assets"), required=False, **AMOUNT)
    current_liabilities = MoneyField(label=_("current liabilities"), **AMOUNT)
    total_liabilities = MoneyField(label=_("total liabilities"), **AMOUNT)
    net_assets = MoneyField(label=_("net assets (equity)"), **AMOUNT)
    revenue = MoneyField(label=_("revenue"), required=False, **AMOUNT)
    net_profit = MoneyField(label=_("net profit"), required=False, **AMOUNT)
    source = forms.CharField(label=_("source"), required=False, max_length=100,
                             help_text=FinancialStatement._meta.get_field("source").help_text)

    @classmethod
    def for_statement(cls, statement, data=None):
        initial = {f: getattr(statement, f) for f in cls.base_fields}
        return cls(data, initial=initial)


class InvestigationForm(_Styled):
    investigated_on = forms.DateField(label=_("date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("direct or indirect"), choices=InvestigationKind.choices,
                             help_text=_("Direct: a visit, an interview or an observation. Indirect: statements, "
                                         "agencies, banks, authorities."))
    source = forms.ChoiceField(label=_("source"), choices=InvestigationSource.choices)
    findings = forms.CharField(label=_("findings"), required=False, max_length=10000,
                               widget=forms.Textarea(attrs={"rows": 5}))
    documents = MultipleFileField(label=_("documents"), required=False,
                                  help_text=_("Business licence, bank letters, agency reports … (20 MB each)."))
    status = forms.ChoiceField(label=_("status"), choices=Investigation.Status.choices, initial="draft",
                               widget=forms.RadioSelect,
                               help_text=_("A completed investigation can no longer be changed."))

    def __init__(self, *args, questions=(), language="zh-hans", **kwargs):
        self.questions = list(questions)
        super().__init__(*args, **kwargs)
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = forms.ChoiceField(
                label=question.text(language), choices=Answer.choices, initial=Answer.UNKNOWN,
                widget=forms.RadioSelect, required=False)
        if not self.is_bound:
            self._style()

    def _style(self):
        super()._style()
        for name in ["status", *(f"q_{q.pk}" for q in self.questions)]:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "form-check-input"

    def answers(self) -> dict:
        return {q.pk: self.cleaned_data.get(f"q_{q.pk}") or Answer.UNKNOWN for q in self.questions}

    def question_rows(self):
        """(group label, [(question, bound field)]) in checklist order, for the template."""
        from .models import ChecklistGroup

        groups = []
        for code, label in ChecklistGroup.choices:
            rows = [(q, self[f"q_{q.pk}"]) for q in self.questions if q.group == code]
            if rows:
                groups.append((label, rows))
        return groups


class DocumentsForm(_Styled):
    documents = MultipleFileField(label=_("documents"))


class FiveCForm(_Styled):
    evaluated_on = forms.DateField(label=_("date"), widget=DateInput())
    notes = forms.CharField(label=_("notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, language="zh-hans", **kwargs):
        super().__init__(*args, **kwargs)
        english = (language or "").startswith("en")
        self.dimensions = []
        for dimension, zh, en, items in defaults.FIVEC:
            names = []
            for code, item_zh, item_en in items:
                name = f"{dimension}__{code}"
                self.fields[name] = forms.DecimalField(label=item_en if english else item_zh, required=False,
                                                       max_digits=5, decimal_places=2,
                                                       widget=forms.NumberInput(attrs={"step": "1", "min": 0,
                                                                                       "max": 100}))
                names.append(name)
            weight = f"weight_{dimension}"
            self.fields[weight] = forms.DecimalField(label=_("weight"), max_digits=5, decimal_places=4,
                                                     widget=forms.NumberInput(attrs={"step": "0.05"}))
            self.dimensions.append((dimension, en if english else zh, names, weight))
        if not self.is_bound:
            self._style()

    def dimension_rows(self):
        return [(dimension, label, [self[n] for n in names], self[weight])
                for dimension, label, names, weight in self.dimensions]

    def sub_scores(self) -> dict:
        data = self.cleaned_data
        return {dimension: {n.split("__", 1)[1]: data.get(n) for n in names}
                for dimension, _label, names, _weight in self.dimensions}

    def weights(self) -> dict:
        return {d: self.cleaned_data.get(f"weight_{d}") for d in FIVEC_DIMENSIONS}


class RateForm(_Styled):
    reason = forms.ChoiceField(label=_("reason"), choices=[(RatingReason.MANUAL, RatingReason.MANUAL.label),
                                                           (RatingReason.RISK_EVENT, RatingReason.RISK_EVENT.label)])
    note = forms.CharField(label=_("note"), required=False, max_length=300)


# ---------------------------------------------------------------------------------------------- policy


class JSONTextField(forms.CharField):
    def prepare_value(self, value):
        if isinstance(value, list):  # [[null, "10"], ["0.8", "30"]] shown as numbers: [[null, 10], [0.8, 30]]
            try:
                return "[" + ", ".join(f"[{'null' if b is None else b}, {s}]" for b, s in value) + "]"
            except (TypeError, ValueError):
                return json.dumps(value, ensure_ascii=False)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in ("", None):
            return []
        try:
            return json.loads(value, parse_float=str, parse_int=str)
        except ValueError as exc:
            raise forms.ValidationError(_("Write the score table as JSON, e.g. [[null, 0], [1.5, 80]].")) from exc


class ScorecardItemForm(_Styled):
    source = forms.ChoiceField(label=_("source"), choices=[("", "—"), *ItemSource.choices], required=False)
    label = forms.CharField(label=_("label"), required=False, max_length=100)
    weight = forms.DecimalField(label=_("weight"), required=False, max_digits=5, decimal_places=4)
    mapping = JSONTextField(label=_("score table"), required=False,
                            widget=forms.Textarea(attrs={"spellcheck": "false", "rows": 2}))
    missing_score = forms.DecimalField(label=_("score without data"), required=False, max_digits=5, decimal_places=2)


ScorecardFormSet = forms.formset_factory(ScorecardItemForm, extra=2)


class ScorecardNoteForm(_Styled):
    note = forms.CharField(label=_("what changed"), max_length=300, required=False)


class GradeScaleForm(_Styled):
    reason = forms.CharField(label=_("reason for the change"), max_length=300, required=False)

    def __init__(self, *args, bands=(), **kwargs):
        super().__init__(*args, **kwargs)
        by_grade = {b.grade: b for b in bands}
        for grade in Grade.values:
            band = by_grade.get(grade)
            self.fields[f"{grade}__min_score"] = forms.DecimalField(
                label=_("from score"), max_digits=5, decimal_places=2, initial=getattr(band, "min_score", None))
            self.fields[f"{grade}__risk_level"] = forms.ChoiceField(
                label=_("risk level"), choices=RiskLevel.choices, initial=getattr(band, "risk_level", None))
            self.fields[f"{grade}__guide_min_limit"] = MoneyField(
                label=_("approval guide: limit from"), required=False, **AMOUNT,
                initial=getattr(band, "guide_min_limit", None))
            self.fields[f"{grade}__meaning_zh"] = forms.CharField(
                label=_("meaning (Chinese)"), max_length=60, initial=getattr(band, "meaning_zh", ""))
            self.fields[f"{grade}__meaning_en"] = forms.CharField(
                label=_("meaning (English)"), max_length=60, required=False, initial=getattr(band, "meaning_en", ""))
        if not self.is_bound:
            self._style()

    def rows(self):
        keys = ("min_score", "risk_level", "guide_min_limit", "meaning_zh", "meaning_en")
        return [(grade, [self[f"{grade}__{k}"] for k in keys]) for grade in Grade.values]

    def grade_rows(self) -> dict:
        keys = ("min_score", "risk_level", "guide_min_limit", "meaning_zh", "meaning_en")
        return {grade: {k: self.cleaned_data.get(f"{grade}__{k}") for k in keys} for grade in Grade.values}


class FiveCWeightsForm(_Styled):
    reason = forms.CharField(label=_("reason for the change"), max_length=300, required=False)

    def __init__(self, *args, weights=None, **kwargs):
        super().__init__(*args, **kwargs)
        for dimension in FIVEC_DIMENSIONS:
            self.fields[dimension] = forms.DecimalField(
                label=FiveCWeights._meta.get_field(dimension).verbose_name, max_digits=5, decimal_places=4,
                initial=(weights or {}).get(dimension))
        self.order_fields([*FIVEC_DIMENSIONS, "reason"])
        if not self.is_bound:
            self._style()
