"""Credit control (SPEC §5.1, §5.7, §5.8): the credit profile and policy of each customer, the policy defaults per
risk grade, the authority tiers that route applications, the applications with every step of their decision,
and the history of credit stops.

The profile keeps the figures the order check reads (limit, status) so that the check is one row per table; the
status is derived from the live stops and written by the services in the same transaction as the stop.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from credo.core.roles import Role
from credo.customers.models import Customer
from credo.sales.models import MONEY, SalesOrder


class RiskLevel(models.TextChoices):
    """The seed's 6-level risk scale used by the limit methods (rating maps the 10 grades onto it)."""

    AA = "AA", "AA"
    A = "A", "A"
    BB = "BB", "BB"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    NR = "NR", _("NR (not rated)")


class SettlementMode(models.TextChoices):
    MONTHLY = "monthly", _("Monthly (月结)")
    QUARTERLY = "quarterly", _("Quarterly (季结)")
    PREVIOUS_BATCH = "previous_batch", _("Pay the previous batch on the next (押批结)")


class CollectionPlan(models.TextChoices):
    """Which collection policy (收账政策) applies: how the dunning schedule is used for this customer."""

    RELATIONSHIP = "relationship", _("Relationship first: call and visit before letters")
    STANDARD = "standard", _("Standard dunning schedule")
    STRICT = "strict", _("Strict: letters from the first day overdue, deliveries stopped")


class CreditStatus(models.TextChoices):
    NORMAL = "normal", _("Normal")
    CASH_ONLY = "cash_only", _("Credit stopped: cash only (信用停止)")
    TRADE_STOPPED = "trade_stopped", _("Trade stopped (中止交易)")


PERCENT = {"max_digits": 5, "decimal_places": 2}


class PolicyDefault(models.Model):
    """The credit policy a customer of a risk grade starts with, and how orders of such customers are checked.
    One row per grade; the company edits them in the admin (audited)."""

    risk_level = models.CharField(_("risk grade"), max_length=2, choices=RiskLevel.choices, unique=True)
    credit_days = models.PositiveSmallIntegerField(_("credit period (days)"))
    discount_percent = models.DecimalField(_("cash discount %"), **PERCENT, default=Decimal("0"))
    discount_days = models.PositiveSmallIntegerField(_("discount if paid within (days)"), default=0)
    settlement_mode = models.CharField(_("settlement mode"), max_length=16, choices=SettlementMode.choices,
                                       default=SettlementMode.MONTHLY)
    collection_plan = models.CharField(_("collection policy"), max_length=16, choices=CollectionPlan.choices,
                                       default=CollectionPlan.STANDARD)
    credit_standard = models.TextField(_("credit standard"), blank=True,
                                       help_text=_("Minimum conditions for a customer of this grade to get credit."))
    grace_days = models.PositiveSmallIntegerField(
        _("grace days for overdue invoices"), default=0,
        help_text=_("Orders go on hold when an invoice is overdue by more than this many days."))
    tolerance_percent = models.DecimalField(
        _("tolerance over the limit %"), **PERCENT, default=Decimal("0"),
        help_text=_("Exposure may exceed the limit by this percentage before orders go on hold."))
    count_open_orders = models.BooleanField(_("count confirmed, not invoiced orders"), default=True)
    count_unbilled_deliveries = models.BooleanField(
        _("count delivered, not invoiced goods"), default=True,
        help_text=_("Kept for when deliveries are recorded; the ledger does not record deliveries yet."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("credit policy default")
        verbose_name_plural = _("credit policy defaults per grade")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(discount_percent__gte=0) & Q(discount_percent__lt=100),
                                   name="credit_policy_discount_range"),
            models.CheckConstraint(condition=Q(tolerance_percent__gte=0) & Q(tolerance_percent__lte=100),
                                   name="credit_policy_tolerance_range"),
        ]

    def __str__(self):
        return self.get_risk_level_display()


class CreditSettings(models.Model):
    """Company-wide credit-control settings (one row): when credit stops automatically, and the review cycle."""

    stop_on_bounced_cheque = models.BooleanField(_("stop credit on a bounced cheque"), default=True)
    returned_drafts_to_stop = models.PositiveSmallIntegerField(
        _("returned drafts that stop credit"), default=2,
        help_text=_("Credit stops when this many drafts of the customer have been returned (0: never)."))
    late_invoices_to_stop = models.PositiveSmallIntegerField(
        _("late-paid invoices that stop credit"), default=3, help_text=_("0: never."))
    late_window_months = models.PositiveSmallIntegerField(_("… within months"), default=6)
    review_months = models.PositiveSmallIntegerField(_("an approved limit is valid for (months)"), default=12)
    check_customers_without_limit = models.BooleanField(
        _("hold orders of customers without an approved limit"), default=False,
        help_text=_("Off: customers that have no approved limit yet (e.g. from before credit control started) are "
                    "checked only for credit and trade stops. On: they get no credit until a limit is approved, and "
                    "their first credit sale needs a completed investigation."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("credit-control settings")
        verbose_name_plural = _("credit-control settings")

    def __str__(self):
        return str(_("credit-control settings"))

    @classmethod
    def current(cls) -> "CreditSettings":
        return cls.objects.order_by("pk").first() or cls.objects.create()


class CreditProfile(models.Model):
    """A customer's credit policy (信用政策) and standing. Limit and status change only through approved
    applications, automatic stops and the admin, each audited."""

    customer = models.OneToOneField(Customer, on_delete=models.PROTECT, primary_key=True,
                                    related_name="credit_profile", verbose_name=_("customer"))
    limit = models.DecimalField(_("credit limit"), **MONEY, default=Decimal("0.00"),
                                help_text=_("0: no credit."))
    credit_days = models.PositiveSmallIntegerField(_("credit period (days)"), default=30)
    discount_percent = models.DecimalField(_("cash discount %"), **PERCENT, default=Decimal("0"))
    discount_days = models.PositiveSmallIntegerField(_("discount if paid within (days)"), default=0)
    settlement_mode = models.CharField(_("settlement mode"), max_length=16, choices=SettlementMode.choices,
                                       default=SettlementMode.MONTHLY)
    credit_standard = models.TextField(_("credit standard"), blank=True)
    collection_plan = models.CharField(_("collection policy"), max_length=16, choices=CollectionPlan.choices,
                                       default=CollectionPlan.STANDARD)
    collection_note = models.TextField(_("collection notes"), blank=True)
    status = models.CharField(_("credit status"), max_length=14, choices=CreditStatus.choices,
                              default=CreditStatus.NORMAL)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    status_since = models.DateField(_("since"), null=True, blank=True)
    limit_approved_on = models.DateField(_("limit approved on"), null=True, blank=True)
    limit_valid_until = models.DateField(_("limit valid until"), null=True, blank=True)
    limit_application = models.ForeignKey("CreditApplication", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+", verbose_name=_("approved by application"))
    trade_started_on = models.DateField(_("credit sales started on"), null=True, blank=True)
    target_annual_sales = models.DecimalField(_("target annual sales"), **MONEY, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("credit profile")
        constraints = [
            models.CheckConstraint(condition=Q(limit__gte=0), name="credit_limit_not_negative"),
            models.CheckConstraint(condition=Q(discount_percent__gte=0) & Q(discount_percent__lt=100),
                                   name="credit_profile_discount_range"),
        ]
        indexes = [models.Index(fields=["limit_approved_on"], name="credit_profile_approved_on"),
                   models.Index(fields=["status"], name="credit_profile_status")]

    def __str__(self):
        return f"{self.customer_id}: {self.limit}"

    @property
    def limit_is_approved(self) -> bool:
        return self.limit > 0 and self.limit_approved_on is not None


def _roles_field(label):
    return models.CharField(label, max_length=200, help_text=_(
        "Role codes separated by commas: salesperson, sales_manager, credit_controller, finance_clerk, "
        "executive, administrator."))


class AuthorityTier(models.Model):
    """Who applies, reviews and approves, by amount and credit period (SPEC §5.7). An application goes to the
    first tier (lowest level) whose amount and term cover it; above every tier, to the highest."""

    level = models.PositiveSmallIntegerField(_("tier"), unique=True)
    name = models.CharField(_("name"), max_length=60)
    limit_up_to = models.DecimalField(_("limit up to"), **MONEY, null=True, blank=True,
                                      help_text=_("Empty: any amount."))
    max_term_days = models.PositiveSmallIntegerField(_("longest credit period (days)"), null=True, blank=True,
                                                     help_text=_("Empty: any period."))
    applicant_roles = _roles_field(_("applicant roles"))
    reviewer_roles = models.CharField(_("reviewer roles"), max_length=200, blank=True,
                                      help_text=_("Empty: no review step, straight to the approver."))
    approver_roles = _roles_field(_("approver roles"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("approval authority tier")
        verbose_name_plural = _("approval authority tiers")
        ordering = ["level"]

    def __str__(self):
        return f"{self.level} {self.name}"

    def clean(self):
        for field in ("applicant_roles", "reviewer_roles", "approver_roles"):
            codes = split_roles(getattr(self, field))
            unknown = [c for c in codes if c not in Role.values]
            if unknown:
                raise ValidationError({field: _("Unknown role: %(role)s.") % {"role": ", ".join(unknown)}})
            if not codes and field != "reviewer_roles":
                raise ValidationError({field: _("Name at least one role.")})
            setattr(self, field, ",".join(codes))


def split_roles(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace("，", ",").split(",") if part.strip()]


class ApplicationKind(models.TextChoices):
    LIMIT = "limit", _("Credit limit (信用额度)")
    HOLD_RELEASE = "hold_release", _("Release of an order on credit hold (解除信用冻结)")
    LIFT_STOP = "lift_stop", _("Lift a credit stop (恢复信用)")
    STOP_TRADE = "stop_trade", _("Stop trade (中止交易)")
    RESUME_TRADE = "resume_trade", _("Resume trade (恢复交易)")
    START_TRADE = "start_trade", _("First credit sale (开始赊销)")


class ApplicationStatus(models.TextChoices):
    REVIEW = "review", _("Waiting for review")
    APPROVAL = "approval", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


PENDING = [ApplicationStatus.REVIEW, ApplicationStatus.APPROVAL]


class CreditApplication(models.Model):
    """An application (申请) for a limit, a hold release, lifting a stop, stopping/resuming trade or the first
    credit sale. The routing (tier and the roles of each step) is copied at submission, so later edits of the
    tier table do not change who decides an application already under way."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="credit_applications",
                                 verbose_name=_("customer"))
    kind = models.CharField(_("application type"), max_length=14, choices=ApplicationKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=ApplicationStatus.choices)
    amount = models.DecimalField(_("limit applied for"), **MONEY, null=True, blank=True)
    credit_days = models.PositiveSmallIntegerField(_("credit period (days)"), null=True, blank=True)
    order = models.ForeignKey(SalesOrder, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="credit_applications", verbose_name=_("order"))
    order_amount = models.DecimalField(_("order amount"), **MONEY, null=True, blank=True)
    # id of a credo.limits LimitComputation (a plain id: the apps are installed independently)
    computation_id = models.IntegerField(_("limit computation"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    limit_before = models.DecimalField(_("limit before"), **MONEY, default=Decimal("0.00"))
    exposure = models.DecimalField(_("exposure when applied"), **MONEY, default=Decimal("0.00"))
    routing_amount = models.DecimalField(_("amount for routing"), **MONEY)
    routing_days = models.PositiveSmallIntegerField(_("term for routing (days)"), default=0)
    tier = models.ForeignKey(AuthorityTier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    tier_level = models.PositiveSmallIntegerField(_("tier"))
    tier_name = models.CharField(_("tier name"), max_length=60)
    reviewer_roles = models.CharField(max_length=200, blank=True)
    approver_roles = models.CharField(max_length=200)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("applicant"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("reviewer"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("decided by"))
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("credit application")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One pending application of a kind per customer (per order for hold releases): two approvers
            # cannot act on duplicates.
            models.UniqueConstraint(fields=["customer", "kind"], name="credit_application_one_pending",
                                    condition=Q(status__in=["review", "approval"]) & ~Q(kind="hold_release")),
            models.UniqueConstraint(fields=["order"], name="credit_application_one_pending_release",
                                    condition=Q(status__in=["review", "approval"]) & Q(kind="hold_release")),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0),
                                   name="credit_application_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="credit_application_status"),
                   models.Index(fields=["customer", "created_at"], name="credit_application_customer")]

    def __str__(self):
        return self.number

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    def reviewer_role_list(self) -> list[str]:
        return split_roles(self.reviewer_roles)

    def approver_role_list(self) -> list[str]:
        return split_roles(self.approver_roles)


class ApplicationStep(models.Model):
    """One step of an application's way: submitted, recommended or rejected by the reviewer, approved or rejected
    by the approver, withdrawn. Never changed."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted")
        RECOMMEND = "recommend", _("Reviewed: recommended")
        REJECT = "reject", _("Rejected")
        APPROVE = "approve", _("Approved")
        WITHDRAW = "withdraw", _("Withdrawn")

    application = models.ForeignKey(CreditApplication, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("decision"), max_length=10, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(_("by"), max_length=150)
    role = models.CharField(_("role"), max_length=30, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("application step")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.application_id} {self.action}"

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.role


class StopKind(models.TextChoices):
    BOUNCED_CHEQUE = "bounced_cheque", _("Bounced cheque (支票退票)")
    RETURNED_DRAFTS = "returned_drafts", _("Drafts returned (汇票退票)")
    LATE_PAYMENTS = "late_payments", _("Repeated late payment (多次超期付款)")
    MANUAL = "manual", _("Stopped by the credit controller")
    TRADE_STOPPED = "trade_stopped", _("Trade stopped (中止交易)")


class CreditStop(models.Model):
    """A credit stop (停止信用发放) or a trade stop, from when until it was lifted by an approved application."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="credit_stops",
                                 verbose_name=_("customer"))
    kind = models.CharField(_("type of stop"), max_length=16, choices=StopKind.choices)
    reason = models.CharField(_("reason"), max_length=300)
    started_on = models.DateField(_("from"))
    started_by = models.CharField(_("by"), max_length=150)
    started_at = models.DateTimeField(auto_now_add=True)
    reversal_id = models.IntegerField(null=True, blank=True)  # the sales ReceiptReversal that caused it
    application = models.ForeignKey(CreditApplication, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="stops_started", verbose_name=_("decided by application"))
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    lifted_by = models.CharField(_("lifted by"), max_length=150, blank=True)
    lift_application = models.ForeignKey(CreditApplication, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="stops_lifted", verbose_name=_("lifted by application"))

    class Meta:
        verbose_name = _("credit stop")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["customer", "lifted_on"], name="credit_stop_customer")]

    def __str__(self):
        return f"{self.customer_id} {self.kind} {self.started_on}"

    @property
    def is_active(self) -> bool:
        return self.lifted_on is None
