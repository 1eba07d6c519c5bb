"""Claims (索赔, SPEC §7.2): money a customer claims over a complaint, the amount agreed, the invoices it credits,
approval by the credit app's authority tiers, settlement as one credit note of kind "claim" in the ledger, and
goods returned (optional). Every table carries customer_id."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from credo.sales.models import MONEY

from . import rules


class Status(models.TextChoices):
    DRAFT = rules.DRAFT, _("Draft")
    SUBMITTED = rules.SUBMITTED, _("Waiting for approval")
    APPROVED = rules.APPROVED, _("Approved")
    REJECTED = rules.REJECTED, _("Rejected")
    SETTLED = rules.SETTLED, _("Settled")
    WITHDRAWN = rules.WITHDRAWN, _("Withdrawn")


class Claim(models.Model):
    number = models.CharField(_("claim number"), max_length=20, unique=True, null=True, blank=True)
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.PROTECT, related_name="claims",
                                  verbose_name=_("complaint"))
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="claims",
                                 verbose_name=_("customer"))
    amount_claimed = models.DecimalField(_("amount claimed"), **MONEY)
    amount_agreed = models.DecimalField(_("amount agreed"), **MONEY)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    tier_level = models.PositiveSmallIntegerField(_("authority tier"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("settled by"))
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    credit_note = models.OneToOneField("sales.CreditNote", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="claim", verbose_name=_("credit note"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdraw_reason = models.CharField(_("why withdrawn"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.CheckConstraint(condition=Q(amount_claimed__gt=0), name="claim_claimed_positive"),
            models.CheckConstraint(condition=Q(amount_agreed__gt=0) & Q(amount_agreed__lte=F("amount_claimed")),
                                   name="claim_agreed_within_claimed"),
            models.CheckConstraint(condition=~Q(status="settled") | Q(credit_note__isnull=False),
                                   name="claim_settled_has_credit_note"),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(decision_note=""),
                                   name="claim_rejected_has_reason"),
        ]
        indexes = [models.Index(fields=["customer", "status"], name="claim_customer_status"),
                   models.Index(fields=["status", "created_at"], name="claim_status_created")]

    def __str__(self):
        return self.number or f"#{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status == Status.SUBMITTED


class ClaimLine(models.Model):
    """How much of the agreed amount the credit note puts on one invoice."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    invoice = models.ForeignKey("sales.Invoice", on_delete=models.PROTECT, related_name="claim_lines",
                                verbose_name=_("invoice"))
    amount = models.DecimalField(_("amount to credit"), **MONEY)

    class Meta:
        ordering = ["claim", "id"]
        verbose_name = _("claim line")
        verbose_name_plural = _("claim lines")
        constraints = [
            models.UniqueConstraint(fields=["claim", "invoice"], name="claim_line_invoice_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_line_amount_positive"),
        ]

    def __str__(self):
        return f"{self.claim} {self.invoice_id} {self.amount}"


class GoodsReturn(models.Model):
    """Goods that came back on a claim (not needed for settlement)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="returns")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    returned_on = models.DateField(_("returned on"))
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3, null=True, blank=True)
    description = models.CharField(_("goods"), max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "returned_on", "id"]
        verbose_name = _("goods return")
        verbose_name_plural = _("goods returns")
        constraints = [models.CheckConstraint(condition=Q(quantity__isnull=True) | Q(quantity__gt=0),
                                              name="goods_return_quantity_positive")]

    def __str__(self):
        return f"{self.claim} {self.returned_on}"
