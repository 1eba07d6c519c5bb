"""Service-level tables: the targets (versioned per kind of work), the running and stopped clocks, the pauses
of a subject, and the escalations the scan sent.

A clock belongs to a subject named by kind and id ("complaint" 17, "ticket" 3): the app that owns the subject
starts and stops its clocks through credo.sla.services and registers the kind (credo.sla.registry) so the scan
can name it and tell whom to notify. Each clock keeps its due and warning moments, computed on the business
calendar when it starts or resumes, so the scan only compares moments (an index on each, open clocks only).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import rules


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    TICKET = "ticket", _("Service request")


class Severity(models.TextChoices):
    CRITICAL = "critical", pgettext_lazy("severity", "Critical")
    MAJOR = "major", pgettext_lazy("severity", "Major")
    NORMAL = "normal", pgettext_lazy("severity", "Normal")
    MINOR = "minor", pgettext_lazy("severity", "Minor")


class Metric(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    STEP_1 = "step_1", _("Step 1: record")
    STEP_2 = "step_2", _("Step 2: analyse the cause")
    STEP_3 = "step_3", _("Step 3: find a solution")
    STEP_4 = "step_4", _("Step 4: tell the customer")
    STEP_5 = "step_5", _("Step 5: carry it out")
    STEP_6 = "step_6", _("Step 6: review the result")
    RESOLUTION = "resolution", _("Resolution")


METRICS_OF_KIND = {
    Kind.COMPLAINT: [m.value for m in Metric],
    Kind.TICKET: [Metric.FIRST_RESPONSE.value, Metric.RESOLUTION.value],
}


def step_metric(number: int) -> str:
    return f"step_{number}"


class SlaPolicy(models.Model):
    """One version of the targets of one kind of work, in force from valid_from until the next version."""

    kind = models.CharField(_("kind of work"), max_length=20, choices=Kind.choices)
    valid_from = models.DateField(_("valid from"))
    warn_percent = models.DecimalField(
        _("warn at (per cent of the target)"), max_digits=4, decimal_places=1, default=rules.DEFAULT_WARN_PERCENT,
        help_text=_("When this share of a target's business time is used, the owner and their manager are told."))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.CharField(_("created by"), max_length=150, blank=True)

    class Meta:
        ordering = ["kind", "-valid_from"]
        verbose_name = _("service-level targets")
        verbose_name_plural = _("service-level targets")
        constraints = [
            models.UniqueConstraint(fields=["kind", "valid_from"], name="sla_policy_one_per_day"),
            models.CheckConstraint(condition=Q(warn_percent__gte=1, warn_percent__lte=99),
                                   name="sla_policy_warn_percent_range"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.valid_from:%Y-%m-%d}"

    @property
    def version(self) -> dict:
        return {"id": self.pk, "kind": self.kind, "valid_from": self.valid_from.isoformat()}

    def target_rows(self) -> list[rules.Target]:
        return [t.as_rule() for t in self.targets.all()]


class SlaTarget(models.Model):
    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="targets")
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices)
    customer_class = models.CharField(_("customer class"), max_length=10, blank=True,
                                      help_text=_("Empty: any class. A: class A customers (pyramid or ABC) and key "
                                                  "customers."))
    metric = models.CharField(_("measure"), max_length=20, choices=Metric.choices)
    hours = models.DecimalField(_("business hours"), max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["policy", "severity", "customer_class", "metric"]
        verbose_name = _("service-level target")
        verbose_name_plural = _("service-level targets")
        constraints = [
            models.UniqueConstraint(fields=["policy", "severity", "customer_class", "metric"],
                                    name="sla_target_unique_row"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="sla_target_hours_positive"),
        ]

    def __str__(self):
        return f"{self.severity}/{self.customer_class or '*'}/{self.metric}: {self.hours} h"

    def as_rule(self) -> rules.Target:
        return rules.Target(self.severity, self.customer_class, self.metric, self.hours)


class SlaClock(models.Model):
    kind = models.CharField(_("kind of work"), max_length=20, choices=Kind.choices)
    subject_id = models.PositiveBigIntegerField(_("subject"))
    metric = models.CharField(_("measure"), max_length=20, choices=Metric.choices)
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="sla_clocks")
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices)
    customer_class = models.CharField(_("customer class"), max_length=10, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="sla_clocks", verbose_name=_("owner"))
    policy = models.ForeignKey(SlaPolicy, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    target_hours = models.DecimalField(_("target (business hours)"), max_digits=8, decimal_places=2)
    warn_percent = models.DecimalField(max_digits=4, decimal_places=1, default=rules.DEFAULT_WARN_PERCENT)
    started_at = models.DateTimeField(_("started at"))
    warn_at = models.DateTimeField(_("warning at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True, help_text=_("Empty while paused."))
    paused = models.BooleanField(_("paused"), default=False)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breach recorded at"), null=True, blank=True)
    over = models.DurationField(_("business time over the target"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("service-level clock")
        verbose_name_plural = _("service-level clocks")
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject_id", "metric"], condition=Q(stopped_at__isnull=True),
                                    name="sla_clock_one_running"),
            models.CheckConstraint(condition=Q(target_hours__gt=0), name="sla_clock_target_positive"),
        ]
        indexes = [
            models.Index(fields=["due_at"], name="sla_clock_running_due",
                         condition=Q(stopped_at__isnull=True, breached_at__isnull=True)),
            models.Index(fields=["warn_at"], name="sla_clock_running_warn",
                         condition=Q(stopped_at__isnull=True, warned_at__isnull=True)),
            models.Index(fields=["kind", "subject_id"], name="sla_clock_subject"),
            models.Index(fields=["owner", "due_at"], name="sla_clock_owner_due",
                         condition=Q(stopped_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.kind} {self.subject_id} {self.metric}"

    @property
    def target(self):
        return rules.hours_delta(self.target_hours)

    @property
    def breached(self) -> bool:
        return self.breached_at is not None or bool(self.over)


class SlaPause(models.Model):
    """The subject waits on the customer: every clock of the subject stops counting from started_at to
    ended_at."""

    kind = models.CharField(_("kind of work"), max_length=20, choices=Kind.choices)
    subject_id = models.PositiveBigIntegerField(_("subject"))
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="sla_pauses")
    started_at = models.DateTimeField(_("paused at"))
    ended_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("pause of the service clock")
        verbose_name_plural = _("pauses of the service clock")
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject_id"], condition=Q(ended_at__isnull=True),
                                    name="sla_pause_one_open"),
        ]
        indexes = [models.Index(fields=["kind", "subject_id"], name="sla_pause_subject")]

    def __str__(self):
        return f"{self.kind} {self.subject_id} {self.started_at:%Y-%m-%d %H:%M}"

    def as_rule(self) -> rules.Pause:
        return (self.started_at, self.ended_at)


class SlaEscalation(models.Model):
    """What the scan (or the stop of a late clock) recorded: a warning or a breach of one clock, once each."""

    class Level(models.TextChoices):
        WARNING = rules.WARNING, _("Warning")
        BREACH = rules.BREACHED, _("Breach")

    clock = models.ForeignKey(SlaClock, on_delete=models.CASCADE, related_name="escalations")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    at = models.DateTimeField(_("at"))
    over = models.DurationField(_("business time over the target"), null=True, blank=True)
    notified = models.JSONField(_("notified users"), default=list, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [models.UniqueConstraint(fields=["clock", "level"], name="sla_escalation_once")]

    def __str__(self):
        return f"{self.clock} {self.level}"
