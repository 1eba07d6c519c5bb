"""Models of the analysis app: the monthly stock dealers report of our products (for 商品周转率)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from credo.customers.models import Customer
from credo.sales.models import Product


class DealerStock(models.Model):
    """A dealer's stock of one product at the end of a month (money terms; quantity optional)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="dealer_stock",
                                 verbose_name=_("dealer"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product"))
    month = models.DateField(_("month"), help_text=_("First day of the month; stock at the month end."))
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3, null=True, blank=True)
    amount = models.DecimalField(_("stock amount"), max_digits=16, decimal_places=2)
    recorded_by = models.CharField(max_length=150, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "customer_id", "product_id"]
        verbose_name = _("dealer stock")
        verbose_name_plural = _("dealer stock")
        constraints = [
            models.UniqueConstraint(fields=["customer", "product", "month"], name="dealer_stock_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="dealer_stock_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["month", "customer"], name="dealer_stock_month")]

    def __str__(self):
        return f"{self.customer_id} {self.product_id} {self.month:%Y-%m}"
