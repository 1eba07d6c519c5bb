"""The editable loyalty-stage rules: one row per version, in force from valid_from until the next (history kept,
each edit audited)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StageRules(models.Model):
    valid_from = models.DateField(_("valid from"), unique=True)
    thresholds = models.JSONField(_("thresholds"), help_text=_("{stage: {metric: threshold}}, see loyalty.rules."))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.CharField(_("created by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("loyalty stage rules")
        verbose_name_plural = _("loyalty stage rules")

    def __str__(self):
        return f"{self.valid_from:%Y-%m-%d}"
