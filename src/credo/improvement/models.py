"""Service improvement (SPEC §7.3, §8.5): improvement actions (改善缺点) on the causes of complaints, service
promises (服务承诺) as data, and service recovery (服务补救) after a failure.

An improvement action may serve several complaints (ActionComplaint, which carries each complaint's customer so
the link can be scoped and sharded like every other customer-owned row). A recovery action always names its
customer and the complaint and/or service request it answers.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from . import rules


class ActionKind(models.TextChoices):
    CORRECTIVE = rules.CORRECTIVE, _("Corrective")
    PREVENTIVE = rules.PREVENTIVE, _("Preventive")


class ActionStatus(models.TextChoices):
    OPEN = rules.OPEN, _("Open")
    IN_PROGRESS = rules.IN_PROGRESS, _("In progress")
    DONE = rules.DONE, _("Done")
    VERIFIED = rules.VERIFIED, _("Verified")
    CANCELLED = rules.CANCELLED, _("Cancelled")


class ImprovementAction(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=ActionKind.choices, default=ActionKind.CORRECTIVE)
    title = models.CharField(_("title"), max_length=rules.TITLE_LENGTH)
    cause = models.TextField(_("cause addressed"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="improvement_actions",
                              verbose_name=_("owner"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    outcome = models.TextField(_("what was done"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("verified by"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    effect = models.TextField(_("effect found"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    due_reminded_for = models.DateField(_("due reminder sent for"), null=True, blank=True,
                                        help_text=_("The due date the owner was last reminded of."))
    complaints = models.ManyToManyField("complaints.Complaint", through="ActionComplaint", related_name="improvements",
                                        verbose_name=_("complaints"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=rules.STATUSES), name="improvement_status_known"),
            models.CheckConstraint(
                condition=~Q(status=rules.VERIFIED) | (Q(verified_by__isnull=False, verified_at__isnull=False)
                                                       & ~Q(effect="")),
                name="improvement_verified_has_effect"),
            models.CheckConstraint(condition=Q(verified_by__isnull=True) | ~Q(verified_by=F("owner")),
                                   name="improvement_verifier_not_owner"),
        ]
        indexes = [models.Index(fields=["owner", "due_date"], name="improvement_owner_due",
                                condition=Q(status__in=rules.NOT_DONE))]

    def __str__(self):
        return f"IA-{self.pk:05d} {self.title}" if self.pk else self.title

    @property
    def reference(self) -> str:
        return f"IA-{self.pk:05d}"

    def is_overdue(self, today) -> bool:
        return rules.is_overdue(self.status, self.due_date, today)


class ActionComplaint(models.Model):
    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="links")
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="improvement_links")
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        ordering = ["action", "complaint"]
        verbose_name = _("complaint of an improvement action")
        verbose_name_plural = _("complaints of improvement actions")
        constraints = [models.UniqueConstraint(fields=["action", "complaint"], name="improvement_link_once")]

    def __str__(self):
        return f"{self.action_id} ↔ {self.complaint_id}"


class Measure(models.TextChoices):
    COMPLAINT_FIRST_RESPONSE = "complaint_first_response", _("Complaint: first response")
    COMPLAINT_RESOLUTION = "complaint_resolution", _("Complaint: resolution")
    TICKET_FIRST_RESPONSE = "ticket_first_response", _("Service request: first response")
    TICKET_RESOLUTION = "ticket_resolution", _("Service request: resolution")


# measure → (SLA clock kind, SLA clock metric)
MEASURE_CLOCK = {
    Measure.COMPLAINT_FIRST_RESPONSE: ("complaint", "first_response"),
    Measure.COMPLAINT_RESOLUTION: ("complaint", "resolution"),
    Measure.TICKET_FIRST_RESPONSE: ("ticket", "first_response"),
    Measure.TICKET_RESOLUTION: ("ticket", "resolution"),
}


class Unit(models.TextChoices):
    BUSINESS_HOURS = rules.BUSINESS_HOURS, _("business hours")
    CALENDAR_DAYS = rules.CALENDAR_DAYS, _("calendar days")


class ServicePromise(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    customer_text = models.CharField(_("text shown to customers"), max_length=300)
    measure = models.CharField(_("measures"), max_length=30, choices=Measure.choices)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices, default=Unit.BUSINESS_HOURS,
                            help_text=_("Business hours count on the company calendar; calendar days count every "
                                        "day (for replacement-type promises)."))
    budget = models.DecimalField(_("promised within"), max_digits=8, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["measure", "name"]
        verbose_name = _("service promise")
        verbose_name_plural = _("service promises")
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="promise_budget_positive"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="promise_valid_range"),
        ]

    def __str__(self):
        return self.name

    @property
    def clock(self) -> tuple[str, str]:
        return MEASURE_CLOCK[self.measure]


class Failure(models.TextChoices):
    BROKEN_PROMISE = "promise", _("A broken service promise")
    SLA_BREACH = "sla_breach", _("A breached service-level clock")
    COMPLAINT = "complaint", _("A complaint")


class RecoveryKind(models.TextChoices):
    APOLOGY = "apology", _("Apology")
    DISCOUNT = "discount", _("Discount")
    FREE_REPLACEMENT = "replacement", _("Free replacement")
    GIFT = "gift", _("Gift")
    ON_SITE_VISIT = "visit", _("On-site visit")
    OTHER = "other", _("Other")


class RecoveryAction(models.Model):
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="recoveries",
                                 verbose_name=_("customer"))
    complaint = models.ForeignKey("complaints.Complaint", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="recoveries", verbose_name=_("complaint"))
    ticket = models.ForeignKey("servicedesk.Ticket", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="recoveries", verbose_name=_("service request"))
    failure = models.CharField(_("after"), max_length=12, choices=Failure.choices, default=Failure.COMPLAINT)
    promise = models.ForeignKey(ServicePromise, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="recoveries", verbose_name=_("promise broken"))
    kind = models.CharField(_("what was done"), max_length=12, choices=RecoveryKind.choices)
    description = models.TextField(_("details"), blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("done by"))
    done_at = models.DateTimeField(_("done at"))
    cost = models.DecimalField(_("cost (¥)"), max_digits=14, decimal_places=2, default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-done_at", "-id"]
        verbose_name = _("service recovery")
        verbose_name_plural = _("service recoveries")
        constraints = [
            models.CheckConstraint(condition=Q(complaint__isnull=False) | Q(ticket__isnull=False),
                                   name="recovery_has_subject"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="recovery_cost_not_negative"),
            models.CheckConstraint(condition=~Q(failure="promise") | Q(promise__isnull=False),
                                   name="recovery_promise_named"),
        ]
        indexes = [models.Index(fields=["customer", "done_at"], name="recovery_customer_done")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.done_at:%Y-%m-%d}"
