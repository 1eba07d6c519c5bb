"""Customer value (SPEC §2.4, §2.5, §6.7): what serving each customer costs, its estimated potential, the value
segment snapshots and the review list decisions.

CostRates holds the company's unit costs (one row): a visit, a call, a mail, each dunning letter level, the
annual cost of capital for the receivables' opportunity cost. CustomerCost records costs that no document
shows (a complaint's compensation, a lawyer's fee, extra service). CustomerPotential is the estimate of what the
customer buys per year of our kind of goods from everyone (its "wallet"). A SegmentRun is one computation with
its period, rates and parameters; a SegmentResult one customer's profit working and segment."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from credo.customers.models import Customer

from . import rules

MONEY = {"max_digits": 18, "decimal_places": 2}
SHARE = {"max_digits": 9, "decimal_places": 8}


class CostRates(models.Model):
    visit = models.DecimalField(_("cost of a visit"), **MONEY, default=rules.DEFAULT_RATES["visit"])
    call = models.DecimalField(_("cost of a phone call"), **MONEY, default=rules.DEFAULT_RATES["call"])
    mail = models.DecimalField(_("cost of a mail"), **MONEY, default=rules.DEFAULT_RATES["mail"])
    notice_letter = models.DecimalField(_("cost of an advance notice"), **MONEY,
                                        default=rules.DEFAULT_RATES["notice_letter"])
    warning_letter = models.DecimalField(_("cost of a warning letter"), **MONEY,
                                         default=rules.DEFAULT_RATES["warning_letter"])
    lawyer_letter = models.DecimalField(_("cost of a lawyer's letter"), **MONEY,
                                        default=rules.DEFAULT_RATES["lawyer_letter"])
    capital_rate = models.DecimalField(_("cost of capital per year (%)"), max_digits=6, decimal_places=3,
                                       default=rules.DEFAULT_RATES["capital_rate"])
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("cost rates")
        verbose_name_plural = _("cost rates")
        constraints = [models.CheckConstraint(
            condition=Q(visit__gte=0) & Q(call__gte=0) & Q(mail__gte=0) & Q(notice_letter__gte=0)
            & Q(warning_letter__gte=0) & Q(lawyer_letter__gte=0) & Q(capital_rate__gte=0),
            name="cost_rates_not_negative")]

    def __str__(self):
        return str(_("cost rates"))

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in rules.DEFAULT_RATES}


class CostKind(models.TextChoices):
    SERVICE = rules.SERVICE, _("Service")
    COMPLAINT = rules.COMPLAINT, _("Complaint")
    COLLECTION = rules.COLLECTION, _("Collection")
    BAD_DEBT = rules.BAD_DEBT, _("Bad debt")


class CustomerCost(models.Model):
    """A cost of serving a customer that no document in Credo shows. Entries are never edited: a wrong one is
    cancelled (kept, with who and why) and entered again."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="recorded_costs",
                                 verbose_name=_("customer"))
    kind = models.CharField(_("kind of cost"), max_length=12, choices=CostKind.choices)
    cost_date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    description = models.CharField(_("description"), max_length=300)
    created_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.CharField(_("cancelled by"), max_length=150, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    class Meta:
        ordering = ["-cost_date", "-id"]
        verbose_name = _("recorded cost")
        verbose_name_plural = _("recorded costs")
        indexes = [models.Index(fields=["cost_date", "customer"], name="customer_cost_date")]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="customer_cost_positive")]

    def __str__(self):
        return f"{self.customer_id} {self.kind} {self.amount}"


class CustomerPotential(models.Model):
    """What the customer is estimated to buy per year, from everyone, of the goods we sell (share of wallet)."""

    customer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="potential",
                                    verbose_name=_("customer"))
    annual_purchases = models.DecimalField(_("estimated annual purchases"), **MONEY)
    basis = models.CharField(_("basis of the estimate"), max_length=300, blank=True)
    updated_by = models.CharField(max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("customer potential")
        verbose_name_plural = _("customer potentials")
        constraints = [models.CheckConstraint(condition=Q(annual_purchases__gte=0), name="potential_not_negative")]

    def __str__(self):
        return f"{self.customer_id}: {self.annual_purchases}"


class Segment(models.TextChoices):
    MOST_VALUABLE = rules.MOST_VALUABLE, _("Most valuable")
    MOST_GROWABLE = rules.MOST_GROWABLE, _("Most growable")
    BELOW_ZERO = rules.BELOW_ZERO, _("Below zero")
    MAINTAIN = rules.MAINTAIN, _("Maintain")


class SegmentRun(models.Model):
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period to"))
    rule_version = models.CharField(_("rule version"), max_length=20, default=rules.RULE_VERSION)
    params = models.JSONField(_("parameters"), default=dict)
    rates = models.JSONField(_("cost rates"), default=dict)
    created_by_name = models.CharField(_("created by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    customer_count = models.PositiveIntegerField(_("customers"), default=0)
    totals = models.JSONField(_("customers per segment"), default=dict)
    total_sales = models.DecimalField(_("total sales"), **MONEY, default=0)
    total_profit = models.DecimalField(_("total profit after costs"), **MONEY, default=0)
    top20_sales_share = models.DecimalField(_("share of sales of the top 20 %"), **SHARE, null=True)
    top20_profit_share = models.DecimalField(_("share of profit of the top 20 %"), **SHARE, null=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("value segment snapshot")
        verbose_name_plural = _("value segment snapshots")

    def __str__(self):
        return f"{self.period_from}…{self.period_to}"


class SegmentResult(models.Model):
    run = models.ForeignKey(SegmentRun, on_delete=models.CASCADE, related_name="results")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="segment_results",
                                 verbose_name=_("customer"))
    segment = models.CharField(_("segment"), max_length=2, choices=Segment.choices)
    sales = models.DecimalField(_("sales"), **MONEY, default=0)
    gross_profit = models.DecimalField(_("gross profit"), **MONEY, default=0)
    service_cost = models.DecimalField(_("service cost"), **MONEY, default=0)
    complaint_cost = models.DecimalField(_("complaint cost"), **MONEY, default=0)
    collection_cost = models.DecimalField(_("collection cost"), **MONEY, default=0)
    bad_debt_cost = models.DecimalField(_("bad-debt cost"), **MONEY, default=0)
    profit = models.DecimalField(_("profit after costs"), **MONEY, default=0)
    profit_rank = models.PositiveIntegerField(_("rank by profit"), null=True)
    potential = models.DecimalField(_("potential in the period"), **MONEY, null=True)
    growth_gap = models.DecimalField(_("growth gap"), **MONEY, null=True)
    working = models.JSONField(_("working"), default=dict)

    class Meta:
        ordering = ["run", "profit_rank", "customer_id"]
        constraints = [models.UniqueConstraint(fields=["run", "customer"], name="segment_result_run_customer")]
        indexes = [models.Index(fields=["run", "segment", "profit_rank"], name="segment_result_run_segment"),
                   models.Index(fields=["customer", "run"], name="segment_result_customer_run")]

    def __str__(self):
        return f"{self.customer_id}: {self.segment}"

    @property
    def total_cost(self):
        return self.service_cost + self.complaint_cost + self.collection_cost + self.bad_debt_cost


class ReviewDecision(models.Model):
    """A decision on a customer of the review list (below zero, or the 5 % of C): never an automatic action."""

    class Decision(models.TextChoices):
        KEEP = "keep", _("Keep as is")
        REDUCE_SERVICE = "reduce", _("Reduce the cost of service")
        REPRICE = "reprice", _("Change prices or terms")
        CASH_ONLY = "cash", _("Sell for cash only")
        END = "end", _("End the relationship")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="value_reviews",
                                 verbose_name=_("customer"))
    run = models.ForeignKey(SegmentRun, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    note = models.CharField(_("note"), max_length=500)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        constraints = [models.UniqueConstraint(fields=["run", "customer"], name="review_decision_run_customer")]

    def __str__(self):
        return f"{self.customer_id}: {self.decision}"
