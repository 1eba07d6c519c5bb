"""Receivables policy tables: the aging buckets and the cost of capital, each versioned by validity date.

A computation uses the version in force on its as-of date and records which one (its id and valid_from).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import rules

DEFAULT_VALID_FROM = datetime.date(2000, 1, 1)
DEFAULT_COST_OF_CAPITAL = Decimal("0.06")


def default_bounds():
    return list(rules.DEFAULT_BOUNDS)


class Versioned(models.Model):
    valid_from = models.DateField(_("valid from"), unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150, blank=True)

    class Meta:
        abstract = True
        ordering = ["-valid_from"]

    @classmethod
    def in_force(cls, on: datetime.date):
        """The version valid on a date; the earliest one if the date precedes them all; else the default."""
        found = cls.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
        return found or cls.objects.order_by("valid_from").first() or cls.default()

    @property
    def version(self) -> dict:
        return {"id": self.pk, "valid_from": self.valid_from.isoformat()}


class AgingBucketSet(Versioned):
    """Upper bounds of the aging buckets in days overdue; the first is 0 (current), the last bucket is open."""

    bounds = models.JSONField(_("bucket upper bounds (days overdue)"), default=default_bounds,
                              help_text=_("For example [0, 30, 60, 90, 180]: current, 1–30, 31–60, 61–90, "
                                          "91–180 and more than 180 days overdue."))

    class Meta(Versioned.Meta):
        verbose_name = _("aging buckets")
        verbose_name_plural = _("aging buckets")

    def __str__(self):
        return f"{self.valid_from}: {self.bounds}"

    @classmethod
    def default(cls) -> "AgingBucketSet":
        return cls(valid_from=DEFAULT_VALID_FROM, bounds=default_bounds())

    def clean(self):
        try:
            self.bounds = list(rules.validate_bounds(self.bounds or []))
        except ValueError as exc:
            raise ValidationError({"bounds": _("Invalid bucket bounds: %(reason)s") % {"reason": exc}}) from exc

    @property
    def labels(self) -> list[str]:
        return rules.bucket_labels(self.bounds)


class CostOfCapital(Versioned):
    annual_rate = models.DecimalField(_("annual cost of capital"), max_digits=7, decimal_places=5,
                                      default=DEFAULT_COST_OF_CAPITAL,
                                      help_text=_("As a fraction: 0.06 is 6 % a year."))

    class Meta(Versioned.Meta):
        verbose_name = _("cost of capital")
        verbose_name_plural = _("cost of capital")
        constraints = [models.CheckConstraint(condition=Q(annual_rate__gte=0) & Q(annual_rate__lt=1),
                                              name="cost_of_capital_range")]

    def __str__(self):
        return f"{self.valid_from}: {self.annual_rate}"

    @classmethod
    def default(cls) -> "CostOfCapital":
        return cls(valid_from=DEFAULT_VALID_FROM, annual_rate=DEFAULT_COST_OF_CAPITAL)
