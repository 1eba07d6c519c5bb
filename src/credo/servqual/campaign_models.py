"""SERVQUAL survey campaigns: a campaign asks one instrument version; its one-time links go to customers'
contacts; each answer (by link or entered by staff from paper or phone) is a Response with its item scores.

Links: the token is shown once (when the link is made) and only its sha256 is kept, so reading the database
does not let anyone answer for a contact. A link is used once (used_at) and expires (expires_at).

Anonymous campaigns: a Response keeps the customer (for scope, class and territory) and the day, never the
contact nor the link it came through, and no time of day; the link keeps its contact (to send it and to show
who has answered) but nothing joins it to the answer. Results of an anonymous campaign are never shown per
customer.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from credo.customers.models import Contact, Customer

from .models import InstrumentVersion, Item


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")
    ANALYSED = "analysed", _("analysed")


class Campaign(models.Model):
    name = models.CharField(_("name"), max_length=120)
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="campaigns",
                                verbose_name=_("instrument version"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices,
                              default=CampaignStatus.DRAFT)
    link_days = models.PositiveSmallIntegerField(_("link expiry (days)"), default=14)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    analysed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "-pk"]
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        constraints = [models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                              name="servqual_campaign_period")]

    def __str__(self):
        return self.name


class SurveyLink(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="links")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["campaign", "customer", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "contact"], name="servqual_link_once")]
        indexes = [models.Index(fields=["campaign", "used_at"], name="servqual_link_used")]

    def __str__(self):
        return f"{self.campaign_id}/{self.pk}"


class Channel(models.TextChoices):
    LINK = "link", _("link")
    PAPER = "paper", _("paper")
    PHONE = "phone", _("phone")


class Response(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    link = models.OneToOneField(SurveyLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    answered_on = models.DateField(_("answered on"))

    class Meta:
        ordering = ["campaign", "pk"]
        indexes = [models.Index(fields=["campaign", "customer"], name="servqual_response_customer")]

    def __str__(self):
        return f"{self.campaign_id}/{self.pk}"


class ResponseItem(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    expectation = models.PositiveSmallIntegerField(null=True, blank=True)
    perception = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="servqual_score_once"),
            models.CheckConstraint(condition=Q(expectation__isnull=True) | Q(expectation__gte=1, expectation__lte=7),
                                   name="servqual_expectation_range"),
            models.CheckConstraint(condition=Q(perception__isnull=True) | Q(perception__gte=1, perception__lte=7),
                                   name="servqual_perception_range"),
        ]

    def __str__(self):
        return f"{self.response_id}/{self.item_id}"
