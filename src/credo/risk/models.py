"""Risk classes CA1–CA5 with their policies (SPEC §5.9) and the risk-signal watch list (SPEC §5.10).

RiskClass        the five classes: profile and policy text (zh + en), edited by the company
RiskClassRule    the ordered rule table; the first active rule whose conditions all hold gives the class
RiskClassAssignment  a customer's class with the inputs and the rule that matched; one current row per
                 customer, a new row when the class or the rule changes (the history stays)
RiskSettings     the thresholds of the computed signals (one row)
RiskSignal       one signal on one customer: computed by the scan from ledger and order data, or recorded
                 by staff; active until cleared (by the scan when the figures no longer show it, by hand for
                 recorded ones)
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from credo.customers.models import Customer, Importance

from . import rules

MONEY = {"max_digits": 16, "decimal_places": 2}
CLASS_CODES = ["CA1", "CA2", "CA3", "CA4", "CA5"]


class RiskClassCode(models.TextChoices):
    CA1 = "CA1", "CA1"
    CA2 = "CA2", "CA2"
    CA3 = "CA3", "CA3"
    CA4 = "CA4", "CA4"
    CA5 = "CA5", "CA5"


class RiskClass(models.Model):
    """What a class means and the policy that goes with it; the company edits the wording."""

    code = models.CharField(_("class"), max_length=3, choices=RiskClassCode.choices, unique=True)
    profile_zh = models.TextField(_("profile (Chinese)"))
    profile_en = models.TextField(_("profile (English)"), blank=True)
    policy_zh = models.TextField(_("policy (Chinese)"))
    policy_en = models.TextField(_("policy (English)"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("risk class and policy")
        verbose_name_plural = _("risk classes and policies")

    def __str__(self):
        return self.code

    def profile(self, language: str) -> str:
        return self.profile_en if language.startswith("en") and self.profile_en else self.profile_zh

    def policy(self, language: str) -> str:
        return self.policy_en if language.startswith("en") and self.policy_en else self.policy_zh


class RiskClassRule(models.Model):
    """One row of the class table. Empty conditions hold for every customer; ranges are min ≤ x < max."""

    position = models.PositiveSmallIntegerField(_("order"), help_text=_("Rules are tried from the lowest number."))
    risk_class = models.CharField(_("class"), max_length=3, choices=RiskClassCode.choices)
    risk_levels = models.CharField(
        _("risk levels"), max_length=40, blank=True,
        help_text=_("Comma-separated levels of the 6-level scale (AA, A, BB, B, C, D, NR for not rated); "
                    "empty: any."))
    importances = models.CharField(
        _("importance"), max_length=60, blank=True,
        help_text=_("Comma-separated: key, general, scattered; empty: any."))
    sales_classes = models.CharField(
        _("sales classes"), max_length=60, blank=True,
        help_text=_("Comma-separated classes of the sales pyramid once classification is installed; empty: any. "
                    "A customer without a sales class does not match a rule that names classes."))
    min_annual_sales = models.DecimalField(_("annual sales from"), **MONEY, null=True, blank=True,
                                           help_text=_("Invoiced in the last 12 months, at least this (¥)."))
    max_annual_sales = models.DecimalField(_("annual sales below"), **MONEY, null=True, blank=True)
    min_completeness = models.PositiveSmallIntegerField(_("information completeness from (%)"), null=True,
                                                        blank=True)
    max_completeness = models.PositiveSmallIntegerField(_("information completeness below (%)"), null=True,
                                                        blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("risk class rule")
        verbose_name_plural = _("risk class rules")

    def __str__(self):
        return f"#{self.position} → {self.risk_class}"

    def clean(self):
        errors = {}
        unknown = set(rules.split_codes(self.risk_levels)) - set(rules.RISK_LEVELS)
        if unknown:
            errors["risk_levels"] = _("Unknown risk level: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        unknown = set(rules.split_codes(self.importances, upper=False)) - set(Importance.values)
        if unknown:
            errors["importances"] = _("Unknown importance: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        if None not in (self.min_annual_sales, self.max_annual_sales) and self.min_annual_sales >= self.max_annual_sales:
            errors["max_annual_sales"] = _("Must be above the lower bound.")
        if None not in (self.min_completeness, self.max_completeness) and self.min_completeness >= self.max_completeness:
            errors["max_completeness"] = _("Must be above the lower bound.")
        for name in ("min_completeness", "max_completeness"):
            value = getattr(self, name)
            if value is not None and value > 100:
                errors[name] = _("A percentage from 0 to 100.")
        if errors:
            raise ValidationError(errors)


class RiskClassAssignment(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="risk_classes",
                                 verbose_name=_("customer"))
    risk_class = models.CharField(_("class"), max_length=3, choices=RiskClassCode.choices)
    rule = models.ForeignKey(RiskClassRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("rule"))
    rule_text = models.CharField(_("rule that matched"), max_length=300, blank=True)
    inputs = models.JSONField(_("inputs"), default=dict)
    assigned_on = models.DateField(_("assigned on"))
    checked_on = models.DateField(_("last checked on"))
    assigned_by = models.CharField(max_length=150, blank=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["-assigned_on", "-id"]
        verbose_name = _("risk class assignment")
        constraints = [models.UniqueConstraint(fields=["customer"], condition=Q(is_current=True),
                                               name="one_current_risk_class")]
        indexes = [models.Index(fields=["risk_class", "customer"], condition=Q(is_current=True),
                                name="risk_class_current")]

    def __str__(self):
        return f"{self.customer_id} {self.risk_class}"


class RiskSettings(models.Model):
    """Thresholds of the computed signals and of the alerts (one row, edited in the admin)."""

    late_recent_days = models.PositiveSmallIntegerField(_("paying later: recent window (days)"), default=90)
    late_baseline_days = models.PositiveSmallIntegerField(_("paying later: compared with the days before (days)"),
                                                          default=365)
    late_min_payments = models.PositiveSmallIntegerField(_("paying later: payments needed in each window"),
                                                         default=2)
    late_days_increase = models.DecimalField(_("paying later: average days late up by at least"), max_digits=6,
                                             decimal_places=1, default=Decimal("10"))
    late_share_increase = models.DecimalField(_("late more often: share of late payments up by (points)"),
                                              max_digits=5, decimal_places=1, default=Decimal("25"))
    broken_promises_min = models.PositiveSmallIntegerField(_("broken promises: at least"), default=2)
    broken_promises_months = models.PositiveSmallIntegerField(_("broken promises: within months"), default=6)
    bounced_cheques_min = models.PositiveSmallIntegerField(_("bounced cheques: at least"), default=1)
    bounced_cheques_months = models.PositiveSmallIntegerField(_("bounced cheques: within months"), default=12)
    bank_changes_min = models.PositiveSmallIntegerField(_("bank-account changes: at least"), default=2)
    bank_changes_months = models.PositiveSmallIntegerField(_("bank-account changes: within months"), default=12)
    order_window_days = models.PositiveSmallIntegerField(_("large orders: orders of the last days"), default=30)
    order_history_min = models.PositiveSmallIntegerField(_("large orders: earlier orders needed for a median"),
                                                         default=3)
    order_median_factor = models.DecimalField(_("large orders: above the customer's median ×"), max_digits=5,
                                              decimal_places=2, default=Decimal("5"))
    region_average_factor = models.DecimalField(_("large orders: above the territory's average order ×"),
                                                max_digits=5, decimal_places=2, default=Decimal("5"))
    notes_months = models.PositiveSmallIntegerField(_("promissory notes: within months"), default=6)
    notes_share_percent = models.DecimalField(_("promissory notes: share of the money received (%)"),
                                              max_digits=5, decimal_places=1, default=Decimal("50"))
    notes_min_count = models.PositiveSmallIntegerField(_("promissory notes: at least"), default=2)
    sales_drop_percent = models.DecimalField(_("falling sales: quarter on quarter down by (%)"), max_digits=5,
                                             decimal_places=1, default=Decimal("20"))
    overdue_rise_percent = models.DecimalField(_("rising overdue: up by (%)"), max_digits=6, decimal_places=1,
                                               default=Decimal("10"))
    new_customer_order_amount = models.DecimalField(_("new or one-time customer: order from (¥)"), **MONEY,
                                                    default=Decimal("100000"))
    weak_customer_order_amount = models.DecimalField(_("weak customer: order from (¥)"), **MONEY,
                                                     default=Decimal("50000"))
    weak_risk_levels = models.CharField(_("weak customer: risk levels"), max_length=40, default="B,C,D")
    complaint_months = models.PositiveSmallIntegerField(_("complaints: within months"), default=6)
    complaint_min_count = models.PositiveSmallIntegerField(_("complaints: at least"), default=3)
    complaint_per_order = models.DecimalField(
        _("complaints: more than per order"), max_digits=5, decimal_places=2, default=Decimal("0.50"),
        help_text=_("Complaints received per order placed in the same months (a customer complaining without "
                    "ordering counts too)."))
    high_exposure_amount = models.DecimalField(
        _("alert: receivable above (¥)"), **MONEY, default=Decimal("500000"),
        help_text=_("A new signal on a customer owing more than this, or on a key customer, notifies its account "
                    "manager and the credit controllers."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("risk signal settings")
        verbose_name_plural = _("risk signal settings")

    def __str__(self):
        return str(_("risk signal settings"))

    @classmethod
    def current(cls) -> "RiskSettings":
        return cls.objects.order_by("pk").first() or cls.objects.create()


class SignalKind(models.TextChoices):
    # Computed from the ledger, orders, promises and the customer file.
    PAYING_LATER = "paying_later", _("Paying later than before (付款比过去延迟)")
    LATE_MORE_OFTEN = "late_more_often", _("Past due more often (经常超出最后期限)")
    BROKEN_PROMISES = "broken_promises", _("Broken payment promises (多次破坏付款承诺)")
    BOUNCED_CHEQUES = "bounced_cheques", _("Bounced cheques (银行退票)")
    BANK_CHANGES = "bank_changes", _("Frequent bank-account changes (频繁转换开户银行)")
    ORDER_ABOVE_USUAL = "order_above_usual", _("Order far above its usual size (突然下大订单)")
    ORDER_ABOVE_REGION = "order_above_region", _("Order beyond its region's capacity (超出区域销售能力)")
    MANY_NOTES = "many_notes", _("Many promissory notes (开出大量期票)")
    SALES_DOWN_OVERDUE_UP = "sales_down_overdue_up", _("Falling sales, rising overdue")
    NEW_CUSTOMER_LARGE_ORDER = "new_large_order", _("New or one-time customer with a large order")
    WEAK_CUSTOMER_LARGE_ORDER = "weak_large_order", _("Large order from a weak customer")
    COMPLAINT_LOAD = "complaint_load", _("Many complaints per order (投诉多、订单少)")
    # Recorded by staff (SPEC §5.10).
    OFFICE_MOVED = "office_moved", _("Office moved to a cheaper place (办公地点向低档搬迁)")
    STAFF_TURNOVER = "staff_turnover", _("Management or staff turnover (频繁转换管理层、业务人员)")
    LAWSUITS = "lawsuits", _("Lawsuits (受到法律诉讼)")
    CREDITORS_AT_DOOR = "creditors_at_door", _("Creditors at the door, boss unreachable (门前讨债的人增多)")
    NOT_ANSWERING = "not_answering", _("Not answering calls (不回复电话)")
    ACCIDENT = "accident", _("Accident or investigation (发生意外、被调查)")
    OWNER_CONFLICT = "owner_conflict", _("Conflict among owners (决策层矛盾)")
    SPECULATION = "speculation", _("Speculative investments (股票、期货等投资)")
    LOW_PRICE_SELLING = "low_price_selling", _("Selling at low prices (低价抛售商品)")
    DEALER_CREDIT = "dealer_credit", _("Heavy credit to its own dealers (对下属网络赊销较多)")
    BUSINESS_CHANGE = "business_change", _("Change of main business (主业发生转移)")
    FAST_EXPANSION = "fast_expansion", _("Over-fast expansion (经营扩张过快)")
    OTHER = "other", _("Other warning sign")


COMPUTED_KINDS = [
    SignalKind.PAYING_LATER, SignalKind.LATE_MORE_OFTEN, SignalKind.BROKEN_PROMISES, SignalKind.BOUNCED_CHEQUES,
    SignalKind.BANK_CHANGES, SignalKind.ORDER_ABOVE_USUAL, SignalKind.ORDER_ABOVE_REGION, SignalKind.MANY_NOTES,
    SignalKind.SALES_DOWN_OVERDUE_UP, SignalKind.NEW_CUSTOMER_LARGE_ORDER, SignalKind.WEAK_CUSTOMER_LARGE_ORDER,
    SignalKind.COMPLAINT_LOAD,
]
RECORDED_KINDS = [k for k in SignalKind if k not in COMPUTED_KINDS]


class RiskSignal(models.Model):
    class Source(models.TextChoices):
        COMPUTED = "computed", _("Computed")
        RECORDED = "recorded", _("Recorded")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLEARED = "cleared", _("Cleared")

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="risk_signals",
                                 verbose_name=_("customer"))
    kind = models.CharField(_("signal"), max_length=30, choices=SignalKind.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    evidence = models.TextField(_("evidence"), blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    detected_on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    recorded_by = models.CharField(_("recorded by"), max_length=150, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(_("file"), upload_to="risk/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)
    cleared_by = models.CharField(_("cleared by"), max_length=150, blank=True)
    clear_note = models.CharField(_("why cleared"), max_length=300, blank=True)

    class Meta:
        ordering = ["-detected_on", "-id"]
        verbose_name = _("risk signal")
        verbose_name_plural = _("risk signals")
        constraints = [
            # The scan can run twice (or twice at once) without duplicating a computed signal.
            models.UniqueConstraint(fields=["customer", "kind"], condition=Q(status="active", source="computed"),
                                    name="one_active_computed_signal"),
        ]
        indexes = [
            models.Index(fields=["customer", "status"], name="signal_customer_status"),
            models.Index(fields=["status", "detected_on"], name="signal_status_detected"),
        ]

    def __str__(self):
        return f"{self.customer_id} {self.kind} {self.detected_on}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE
