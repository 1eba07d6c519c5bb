"""The company business calendar's tables: weekday working hours (versioned by the date they are valid from),
holidays and make-up working days (调休上班), and the stamp that tells every process when its cached calendar
is out of date.

Working hours are policy rows with a validity period, as the project's policy tables are (see Versioned in
credo.receivables.models): a WorkWeek is one version of the week, in force from valid_from until the next
version; its WorkingInterval rows are the intervals of each weekday (several a day, none for a rest day).
The calendar counts each day with the hours then in force, so a change of hours from July leaves the elapsed
business time of June as it was. Every change goes through credo.worktime.services (audited, with before and
after) or the admin (audited by AuditedAdmin); either way CalendarStamp changes and caches reload.
"""

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import rules

DEFAULT_VALID_FROM = datetime.date(2000, 1, 1)


class Weekday(models.IntegerChoices):
    MONDAY = 0, pgettext_lazy("weekday", "Monday")
    TUESDAY = 1, pgettext_lazy("weekday", "Tuesday")
    WEDNESDAY = 2, pgettext_lazy("weekday", "Wednesday")
    THURSDAY = 3, pgettext_lazy("weekday", "Thursday")
    FRIDAY = 4, pgettext_lazy("weekday", "Friday")
    SATURDAY = 5, pgettext_lazy("weekday", "Saturday")
    SUNDAY = 6, pgettext_lazy("weekday", "Sunday")


class WorkWeek(models.Model):
    """One version of the weekday working hours, in force from valid_from until the next version."""

    valid_from = models.DateField(_("valid from"), unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.CharField(_("created by"), max_length=150, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("weekday working hours")
        verbose_name_plural = _("weekday working hours")

    def __str__(self):
        return f"{self.valid_from:%Y-%m-%d}"

    @property
    def version(self) -> dict:
        return {"id": self.pk, "valid_from": self.valid_from.isoformat()}

    def spec(self) -> dict[int, list[tuple[datetime.time, datetime.time]]]:
        """{weekday: [(start, end), …]} for rules.Calendar (prefetch `intervals` for many versions)."""
        week: dict[int, list] = {day: [] for day in range(7)}
        for interval in self.intervals.all():
            week[interval.weekday].append((interval.start, interval.end))
        return week


class WorkingInterval(models.Model):
    """One working interval of a weekday in a version of the week: start ≤ t < end, company time."""

    week = models.ForeignKey(WorkWeek, on_delete=models.CASCADE, related_name="intervals",
                             verbose_name=_("weekday working hours"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))

    class Meta:
        ordering = ["week", "weekday", "start"]
        verbose_name = _("working interval")
        verbose_name_plural = _("working intervals")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="worktime_interval_end_after_start"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="worktime_interval_weekday"),
            models.UniqueConstraint(fields=["week", "weekday", "start"], name="worktime_interval_unique_start"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})


class Holiday(models.Model):
    """A day off for the whole company (法定节假日 and the days given with it): no working time that day."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=50, blank=True, help_text=_("For example 春节 or 国庆节."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.CharField(_("created by"), max_length=150, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("company holiday")
        verbose_name_plural = _("company holidays")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}".strip()

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.date and MakeUpDay.objects.filter(date=self.date).exists():
            raise ValidationError({"date": _("%(date)s is a make-up working day; remove it there first.")
                                   % {"date": self.date.isoformat()}})


class MakeUpDay(models.Model):
    """调休上班: a rest day (usually a Saturday or Sunday) that is worked. Without intervals of its own it works the
    standard day: Monday's hours in the version in force that day."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("note"), max_length=100, blank=True, help_text=_("For example 国庆节调休上班."))
    hours = models.JSONField(_("own working hours"), default=list, blank=True,
                             help_text=_('Intervals [["09:00", "12:00"], …]; empty: the hours of a standard '
                                         'working day (Monday).'))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.CharField(_("created by"), max_length=150, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("make-up working day")
        verbose_name_plural = _("make-up working days")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}".strip()

    def clean(self):
        from django.core.exceptions import ValidationError

        from .services import interval_message

        if self.date and Holiday.objects.filter(date=self.date).exists():
            raise ValidationError({"date": _("%(date)s is a holiday; remove it there first.")
                                   % {"date": self.date.isoformat()}})
        try:
            self.hours = rules.day_pairs(rules.normalise_day(self.hours or []))
        except rules.CalendarError as exc:
            raise ValidationError({"hours": interval_message(exc)}) from None

    def spans(self) -> tuple[rules.Span, ...] | None:
        return rules.normalise_day(self.hours) if self.hours else None


class CalendarStamp(models.Model):
    """One row whose token changes with every change of the calendar (services, admin, demo): a process keeps
    its Calendar while the token it was built under is still the one in the database. A fresh random token
    each time, never a counter, so a rolled-back change can never be mistaken for a later one."""

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar stamp")

    def __str__(self):
        return self.token


def touch_calendar() -> None:
    """Mark the calendar changed (a new token): every process reloads it on its next read."""
    import uuid

    updated = CalendarStamp.objects.filter(pk=1).update(token=uuid.uuid4().hex)
    if not updated:
        CalendarStamp.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
