"""Classification snapshots (SPEC §2): one ClassificationRun per computation (method, period, rule version and
parameters, who and when, totals), one ClassResult per active customer with the computed class, sales, rank and
shares, and an optional manual override with its reason (the "effective class" honours it). ClassPolicy holds
the editable service policy per class (defaults in `policies.DEFAULT_POLICIES`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from credo.customers.models import Customer

from . import rules

MONEY = {"max_digits": 18, "decimal_places": 2}
SHARE = {"max_digits": 9, "decimal_places": 8}  # a fraction 0 … 1


class ClassificationRun(models.Model):
    class Method(models.TextChoices):
        PYRAMID = rules.PYRAMID, _("Pyramid by purchase amount")
        ABC = rules.ABC, _("ABC by share of sales")

    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period to"))
    rule_version = models.CharField(_("rule version"), max_length=20, default=rules.RULE_VERSION)
    params = models.JSONField(_("parameters"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_by_name = models.CharField(_("created by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    customer_count = models.PositiveIntegerField(_("customers"), default=0)
    total_sales = models.DecimalField(_("total sales"), **MONEY, default=0)
    totals = models.JSONField(_("customers per class"), default=dict)
    sales_per_class = models.JSONField(_("sales per class"), default=dict)
    top20_share = models.DecimalField(_("share of sales of the top 20 %"), **SHARE, default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("classification snapshot")
        verbose_name_plural = _("classification snapshots")
        indexes = [models.Index(fields=["method", "-created_at", "-id"], name="class_run_method_created")]

    def __str__(self):
        return f"{self.get_method_display()} {self.period_from}…{self.period_to}"

    @property
    def classes(self):
        return rules.CLASSES[self.method]


class ClassResult(models.Model):
    run = models.ForeignKey(ClassificationRun, on_delete=models.CASCADE, related_name="results",
                            verbose_name=_("snapshot"))
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="class_results",
                                 verbose_name=_("customer"))
    klass = models.CharField(_("computed class"), max_length=2)
    sales = models.DecimalField(_("sales"), **MONEY, default=0)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    share = models.DecimalField(_("share of sales"), **SHARE, default=0)
    cumulative_share = models.DecimalField(_("cumulative share"), **SHARE, default=0)
    never_bought = models.BooleanField(_("potential (never bought)"), default=False)
    override_class = models.CharField(_("class set by hand"), max_length=2, blank=True)
    override_reason = models.CharField(_("reason"), max_length=500, blank=True)
    overridden_by = models.CharField(_("overridden by"), max_length=150, blank=True)
    overridden_at = models.DateTimeField(_("overridden at"), null=True, blank=True)

    class Meta:
        ordering = ["run", "rank", "customer_id"]
        verbose_name = _("customer class")
        verbose_name_plural = _("customer classes")
        constraints = [models.UniqueConstraint(fields=["run", "customer"], name="class_result_run_customer")]
        indexes = [models.Index(fields=["customer", "run"], name="class_result_customer_run")]

    def __str__(self):
        return f"{self.customer_id}: {self.effective_class}"

    @property
    def effective_class(self) -> str:
        return self.override_class or self.klass


class ClassPolicy(models.Model):
    """The service policy of a class (§2.2); text editable, defaults from the seed."""

    klass = models.CharField(_("class"), max_length=2, unique=True)
    text = models.TextField(_("service policy"))

    class Meta:
        ordering = ["klass"]
        verbose_name = _("class service policy")
        verbose_name_plural = _("class service policies")

    def __str__(self):
        return self.klass
