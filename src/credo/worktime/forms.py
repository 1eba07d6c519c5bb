from django import forms
from django.utils.translation import gettext_lazy as _

from credo.core.forms import StyledMixin

from . import rules
from .models import Weekday

HOURS_HELP = _("For example 09:00-12:00, 13:30-18:00; empty for a rest day.")


class DateInput(forms.DateInput):
    """A browser date picker; its value is ISO whatever the language's date format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class Styled(StyledMixin, forms.Form):
    """The house's text check (StyledMixin); Tabler classes set at once, so an unbound form is styled too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def _style(self):
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if self._errors and name in self._errors:  # never validates early: fields are added after
                css += " is-invalid"
            field.widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        self._style()


class WeekForm(Styled):
    valid_from = forms.DateField(label=_("valid from"), widget=DateInput, required=False,
                                 help_text=_("Empty: today. Days before keep the hours they had."))
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for weekday, key in enumerate(rules.WEEKDAY_KEYS):
            self.fields[key] = forms.CharField(label=Weekday(weekday).label, required=False, max_length=200,
                                               help_text=HOURS_HELP if weekday == 0 else "")
        self._style()

    def day_fields(self):
        return [self[key] for key in rules.WEEKDAY_KEYS]


class HolidayForm(Styled):
    date = forms.DateField(label=_("date"), widget=DateInput)
    until = forms.DateField(label=_("until (optional)"), widget=DateInput, required=False,
                            help_text=_("To add several days at once, e.g. 1 to 7 October."))
    name = forms.CharField(label=_("name"), max_length=50, required=False, help_text=_("For example 春节 or 国庆节."))

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("until"):
            if data["until"] < data["date"]:
                self.add_error("until", _("The last day cannot be before the first."))
            elif (data["until"] - data["date"]).days > 60:
                self.add_error("until", _("At most 60 days at once."))
        return data

    def dates(self):
        import datetime

        first, last = self.cleaned_data["date"], self.cleaned_data.get("until") or self.cleaned_data["date"]
        return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


class MakeUpDayForm(Styled):
    date = forms.DateField(label=_("date"), widget=DateInput)
    name = forms.CharField(label=_("note"), max_length=100, required=False,
                           help_text=_("For example 国庆节调休上班."))
    hours = forms.CharField(label=_("own working hours"), max_length=200, required=False,
                            help_text=_("Empty: the hours of a standard working day (Monday)."))


class DueForm(Styled):
    start = forms.CharField(label=_("start"), max_length=40,
                            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                            help_text="")
    hours = forms.CharField(label=_("business hours"), max_length=20, help_text=_("1.5 is 90 minutes."))

    def __init__(self, *args, **kwargs):
        from django.conf import settings
        from django.utils.translation import gettext

        super().__init__(*args, **kwargs)
        self.fields["start"].help_text = gettext("Company time (%(zone)s).") % {"zone": settings.TIME_ZONE}
