"""The SERVQUAL instrument as data: versions, each with the five dimensions (weight, order) and their items.

A version is never changed once saved: saving the editor makes a new one, in force from its valid_from until a
later version starts (two versions of one day: the later saved wins). Survey campaigns (a later session) point
at the version they ask, so their answers keep the wording and weights they were given. An item's `key` (T1,
R3 …) stays with it across versions, so results can be compared item by item between campaigns.
"""

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import rules


class DimensionCode(models.TextChoices):
    TANGIBLES = "tangibles", _("Tangibles")
    RELIABILITY = "reliability", _("Reliability")
    RESPONSIVENESS = "responsiveness", _("Responsiveness")
    ASSURANCE = "assurance", _("Assurance")
    EMPATHY = "empathy", _("Empathy")


assert tuple(DimensionCode.values) == rules.DIMENSIONS


class InstrumentVersion(models.Model):
    valid_from = models.DateField(_("valid from"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    builtin = models.BooleanField(_("built-in"), default=False,
                                  help_text=_("The default instrument Credo ships, made on first use."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.CharField(_("created by"), max_length=150, blank=True)

    class Meta:
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("SERVQUAL instrument version")
        verbose_name_plural = _("SERVQUAL instrument versions")
        constraints = [
            models.UniqueConstraint(fields=["builtin"], condition=Q(builtin=True), name="servqual_one_builtin"),
        ]
        indexes = [models.Index(fields=["valid_from"], name="servqual_version_from")]

    def __str__(self):
        return f"SERVQUAL {self.valid_from:%Y-%m-%d} #{self.pk}"


class Dimension(models.Model):
    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="dimensions")
    code = models.CharField(_("dimension"), max_length=20, choices=DimensionCode.choices)
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=6)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("SERVQUAL dimension")
        verbose_name_plural = _("SERVQUAL dimensions")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="servqual_dimension_once"),
            models.CheckConstraint(condition=Q(weight__gte=0, weight__lte=1), name="servqual_weight_range"),
        ]

    def __str__(self):
        return self.get_code_display()


class Item(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(_("key"), max_length=10)
    position = models.PositiveSmallIntegerField(_("position"))
    text_zh = models.CharField(_("text (Chinese)"), max_length=300)
    text_en = models.CharField(_("text (English)"), max_length=300)

    class Meta:
        ordering = ["dimension", "position"]
        verbose_name = _("SERVQUAL item")
        verbose_name_plural = _("SERVQUAL items")
        constraints = [models.UniqueConstraint(fields=["dimension", "key"], name="servqual_item_key_once")]

    def __str__(self):
        return f"{self.key} {self.text}"

    @property
    def text(self) -> str:
        """The text in the user's language (Chinese unless English is chosen)."""
        language = (translation.get_language() or "zh-hans").lower()
        return self.text_en if language.startswith("en") else self.text_zh


# The campaign tables belong to this app; they live in campaign_models.py.
from .campaign_models import (  # noqa: E402,F401
    Campaign,
    CampaignStatus,
    Channel,
    Response,
    ResponseItem,
    SurveyLink,
)
