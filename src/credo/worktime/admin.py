from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from credo.core import audit
from credo.core.admin import AuditedAdmin
from credo.core.models import AuditEntry

from . import rules
from .models import Holiday, MakeUpDay, WorkingInterval, WorkWeek
from .services import _week_snapshot


class IntervalFormSet(forms.BaseInlineFormSet):
    """The intervals of one weekday may not overlap (each interval's end after its start is the model's check)."""

    def clean(self):
        super().clean()
        by_day: dict[int, list] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or data.get("start") is None or data.get("end") is None:
                continue
            by_day.setdefault(data["weekday"], []).append((data["start"], data["end"]))
        for pairs in by_day.values():
            try:
                rules.normalise_day(pairs)
            except rules.CalendarError as exc:
                if exc.code == "overlap":
                    raise forms.ValidationError(_("The intervals %(intervals)s overlap.")
                                                % {"intervals": exc.detail}) from None


class CreatedByAdmin(AuditedAdmin):
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user.get_username()
        super().save_model(request, obj, form, change)


class WorkingIntervalInline(admin.TabularInline):
    model = WorkingInterval
    formset = IntervalFormSet
    extra = 0


@admin.register(WorkWeek)
class WorkWeekAdmin(CreatedByAdmin):
    """A version of the weekday hours with its intervals; the change is audited with the whole week before
    and after (the calendar page is the ordinary place to change it)."""

    list_display = ["valid_from", "note", "created_by", "created_at"]
    ordering = ["-valid_from"]
    inlines = [WorkingIntervalInline]

    def save_related(self, request, form, formsets, change):
        week = form.instance
        before = getattr(request, "_worktime_week_before", None) if change else None
        super().save_related(request, form, formsets, change)
        after = _week_snapshot(week)
        if before != after:
            audit.record(request.user, AuditEntry.Action.UPDATE, week, before=before, after=after,
                         reason="admin")

    def save_model(self, request, obj, form, change):
        request._worktime_week_before = _week_snapshot(WorkWeek.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)


@admin.register(Holiday)
class HolidayAdmin(CreatedByAdmin):
    list_display = ["date", "name", "created_by"]
    date_hierarchy = "date"
    search_fields = ["name"]
    ordering = ["-date"]


@admin.register(MakeUpDay)
class MakeUpDayAdmin(CreatedByAdmin):
    list_display = ["date", "name", "hours", "created_by"]
    date_hierarchy = "date"
    ordering = ["-date"]
