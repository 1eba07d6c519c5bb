"""The credit file: financial statements per period (read by the limit methods and the scorecards)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from credo.customers.models import Customer

MONEY = {"max_digits": 18, "decimal_places": 2}


class FinancialStatement(models.Model):
    """A customer's balance-sheet and income figures for one period (SPEC §5.2). Amounts in yuan."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="financial_statements",
                                 verbose_name=_("customer"))
    period_end = models.DateField(_("period end"))
    current_assets = models.DecimalField(_("current assets"), **MONEY)
    inventory = models.DecimalField(_("inventory"), **MONEY, default=0)
    total_assets = models.DecimalField(_("total assets"), **MONEY, null=True, blank=True)
    current_liabilities = models.DecimalField(_("current liabilities"), **MONEY)
    total_liabilities = models.DecimalField(_("total liabilities"), **MONEY)
    net_assets = models.DecimalField(_("net assets (equity)"), **MONEY)
    revenue = models.DecimalField(_("revenue"), **MONEY, null=True, blank=True)
    net_profit = models.DecimalField(_("net profit"), **MONEY, null=True, blank=True)
    cash = models.DecimalField(_("cash"), **MONEY, null=True, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True,
                              help_text=_("Audited report, tax filing, the customer's own figures …"))
    entered_by = models.CharField(max_length=150, blank=True)
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("financial statement")
        constraints = [
            models.UniqueConstraint(fields=["customer", "period_end"], name="statement_one_per_period"),
            models.CheckConstraint(condition=Q(current_assets__gte=0) & Q(inventory__gte=0)
                                   & Q(current_liabilities__gte=0) & Q(total_liabilities__gte=0),
                                   name="statement_amounts_not_negative"),
        ]

    def __str__(self):
        return f"{self.customer_id} {self.period_end}"
