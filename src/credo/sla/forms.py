"""The targets editor: one hours field per severity × class × measure (empty: no target; an empty class A
cell falls back to the any-class target), the warning share, the date the version starts and a note."""

from django import forms
from django.utils.translation import gettext_lazy as _

from credo.core.forms import DateInput, DecimalInputField, StyledMixin

from .models import METRICS_OF_KIND, Severity
from .queries import GRID_CLASSES


def cell_name(severity: str, customer_class: str, metric: str) -> str:
    return f"h_{severity}_{customer_class or 'any'}_{metric}"


class PolicyForm(StyledMixin, forms.Form):
    warn_percent = DecimalInputField(label=_("warn at (per cent of the target)"), max_digits=4, decimal_places=1,
                                     min_value=1, max_value=99)
    valid_from = forms.DateField(label=_("valid from"), widget=DateInput, required=False,
                                 help_text=_("Empty: today. Clocks already running keep the targets they started "
                                             "with."))
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, kind: str, classes=GRID_CLASSES, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.classes = list(classes)
        for cls in self.classes:
            for severity in Severity.values:
                for metric in METRICS_OF_KIND[kind]:
                    self.fields[cell_name(severity, cls, metric)] = DecimalInputField(
                        max_digits=8, decimal_places=2, required=False, min_value=0, label=metric,
                        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 4}))
        self._style()

    def grid(self):
        """Rows for the template: (class, severity label, [bound fields in measure order])."""
        labels = dict(Severity.choices)
        return [(cls, labels[severity], [self[cell_name(severity, cls, m)] for m in METRICS_OF_KIND[self.kind]])
                for cls in self.classes for severity in Severity.values]

    def target_rows(self) -> list[dict]:
        rows = []
        for cls in self.classes:
            for severity in Severity.values:
                for metric in METRICS_OF_KIND[self.kind]:
                    hours = self.cleaned_data.get(cell_name(severity, cls, metric))
                    if hours is not None:
                        rows.append({"severity": severity, "customer_class": cls, "metric": metric, "hours": hours})
        return rows

    @staticmethod
    def initial_for(targets, warn_percent) -> dict:
        initial = {"warn_percent": warn_percent}
        for t in targets:
            initial[cell_name(t.severity, t.customer_class, t.metric)] = f"{t.hours.normalize():f}"
        return initial
