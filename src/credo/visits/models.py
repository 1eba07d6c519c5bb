"""Models of the visits app: the visit policy table and visit / call records (planned and done)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from credo.core.models import TimeStamped
from credo.customers.models import Contact, Customer

from . import rules


class Kind(models.TextChoices):
    """How the contact was made (追踪服务): visit (走访/巡视), phone (电话追踪), mail or e-mail (邮件追踪).
    The policy table plans visits and calls only."""

    VISIT = rules.VISIT, _("Visit")
    CALL = rules.CALL, _("Phone call")
    MAIL = rules.MAIL, _("Mail or e-mail")


class PolicyRole(models.TextChoices):
    SALESPERSON = rules.SALESPERSON, _("Salesperson")
    SALES_MANAGER = rules.SALES_MANAGER, _("Business manager")
    MARKETING_DIRECTOR = rules.MARKETING_DIRECTOR, _("Marketing director")
    EXECUTIVE = rules.EXECUTIVE, _("General manager / VP")


class CustomerClass(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


class VisitPolicy(models.Model):
    """客户访问管理表: how often a role contacts a customer of a class, per month (minimum and target)."""

    customer_class = models.CharField(_("customer class"), max_length=1, choices=CustomerClass.choices)
    role = models.CharField(_("role"), max_length=20, choices=PolicyRole.choices)
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices[:2])
    minimum_per_month = models.DecimalField(_("minimum per month"), max_digits=6, decimal_places=3, default=0)
    target_per_month = models.DecimalField(_("target per month"), max_digits=6, decimal_places=3, default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["customer_class", "role", "kind"]
        verbose_name = _("visit policy")
        verbose_name_plural = _("visit policy")
        constraints = [
            models.UniqueConstraint(fields=["customer_class", "role", "kind"], name="visit_policy_unique"),
            models.CheckConstraint(condition=Q(minimum_per_month__gte=0) & Q(target_per_month__gte=models.F(
                "minimum_per_month")), name="visit_policy_target_at_least_minimum"),
        ]

    def __str__(self):
        return f"{self.customer_class} {self.role} {self.kind}"


class Purpose(models.TextChoices):
    SALES = "sales", _("Selling")
    COLLECTION = "collection", _("Collecting payment")
    COMPLAINT = "complaint", _("Complaint follow-up")
    SERVICE = "service", _("Service")
    CREDIT = "credit", _("Credit investigation")
    RELATIONSHIP = "relationship", _("Relationship")
    INSPECTION = "inspection", _("Inspection (listen, advise, help)")
    CARING = rules.CARING, _("Caring (greetings on a birthday, holiday or anniversary)")


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class Visit(TimeStamped):
    """One visit or call: planned by the plan (plan_month + sequence set) or recorded as it happened."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="visits",
                                 verbose_name=_("customer"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits",
                               verbose_name=_("person"))
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices, default=Kind.VISIT)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices, default=Purpose.SALES)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    done_date = models.DateField(_("done on"), null=True, blank=True)
    plan_month = models.DateField(_("plan month"), null=True, blank=True, help_text="first day of the month")
    sequence = models.PositiveSmallIntegerField(_("number in the month"), null=True, blank=True)
    route_order = models.PositiveSmallIntegerField(_("stop on the day's route"), null=True, blank=True)
    customer_class = models.CharField(_("customer class"), max_length=1, blank=True)
    rank = models.CharField(_("rank"), max_length=20, choices=PolicyRole.choices, default=PolicyRole.SALESPERSON,
                            help_text=_("In which rank of the visit policy the person made the contact; above "
                                        "salesperson it is a level follow-up (水平追踪)."))
    occasion = models.CharField(_("occasion"), max_length=40, blank=True,
                                help_text="the caring reminder (queries.caring_reminders key) a greeting answered")
    contacts = models.ManyToManyField(Contact, blank=True, related_name="visits", verbose_name=_("contacts met"))
    outcome = models.TextField(_("outcome"), blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_date = models.DateField(_("next step on"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    recorded_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["planned_date", "route_order", "id"]
        verbose_name = _("visit or call")
        verbose_name_plural = _("visits and calls")
        constraints = [
            models.UniqueConstraint(fields=["customer", "person", "kind", "plan_month", "sequence"],
                                    condition=Q(plan_month__isnull=False), name="visit_plan_unique"),
            models.CheckConstraint(condition=~Q(status="done") | Q(done_date__isnull=False),
                                   name="visit_done_has_date"),
        ]
        indexes = [
            models.Index(fields=["person", "planned_date"], name="visit_person_planned"),
            models.Index(fields=["customer", "done_date"], name="visit_customer_done"),
            models.Index(fields=["plan_month", "person"], name="visit_month_person"),
            models.Index(fields=["status", "planned_date"], name="visit_status_planned"),
        ]

    def __str__(self):
        when = self.done_date or self.planned_date
        return f"{self.get_kind_display()} {self.customer_id} {when}"

    @property
    def is_level_follow_up(self) -> bool:
        """水平追踪: made by a business manager, marketing director or GM/VP."""
        return self.rank in rules.LEVEL_RANKS


class RankHolder(models.Model):
    """Who holds a senior rank of the visit policy that no role names: the marketing director(s), and the
    general manager / VPs when not every user with the executive role should visit (with no GM/VP row here,
    every active executive shares the GM/VP visits). Business managers are the teams' managers."""

    class Rank(models.TextChoices):
        MARKETING_DIRECTOR = rules.MARKETING_DIRECTOR, _("Marketing director")
        EXECUTIVE = rules.EXECUTIVE, _("General manager / VP")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="visit_rank",
                                verbose_name=_("user"))
    rank = models.CharField(_("rank"), max_length=20, choices=Rank.choices)

    class Meta:
        ordering = ["rank", "user__username"]
        verbose_name = _("senior rank holder")
        verbose_name_plural = _("senior rank holders")

    def __str__(self):
        return f"{self.user} {self.get_rank_display()}"


class Holiday(models.Model):
    """A holiday on which account managers greet their customers (温情追踪). One row per holiday and year,
    since the lunar holidays (春节, 中秋…) move; edited in the admin."""

    name = models.CharField(_("name"), max_length=50)
    date = models.DateField(_("date"))

    class Meta:
        ordering = ["date", "name"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        constraints = [models.UniqueConstraint(fields=["name", "date"], name="visit_holiday_unique")]

    def __str__(self):
        return f"{self.name} {self.date:%Y-%m-%d}"
