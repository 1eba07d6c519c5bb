"""Collection of overdue money (SPEC §6.4–6.6): one case per customer in arrears, the promises made in it,
instalment plans, bad-debt measures, penalty interest charged and the dunning letters sent.

A letter stores the text and the invoice list it was made with, so the PDF reads the same forever even when
the schedule's wording changes later.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from credo.customers.models import Customer
from credo.sales.models import MONEY, CreditNote, Invoice

from . import rules


class DebtorType(models.TextChoices):
    TOUGH = "tough", _("Tough (强硬型)")
    SCHEMING = "scheming", _("Scheming (阴谋型)")
    COOPERATIVE = "cooperative", _("Cooperative (合作型)")
    EMOTIONAL = "emotional", _("Emotional (感情型)")
    STUBBORN = "stubborn", _("Stubborn (固执型)")
    VAIN = "vain", _("Vain (虚荣型)")


class DebtorGuidance(models.Model):
    """How to approach each type of debtor; the company edits the wording (SPEC §6.6)."""

    debtor_type = models.CharField(_("debtor type"), max_length=12, choices=DebtorType.choices, unique=True)
    guidance_zh = models.TextField(_("guidance (Chinese)"))
    guidance_en = models.TextField(_("guidance (English)"), blank=True)

    class Meta:
        verbose_name = _("debtor guidance")
        verbose_name_plural = _("debtor guidance")
        ordering = ["debtor_type"]

    def __str__(self):
        return self.get_debtor_type_display()

    def text(self, language: str) -> str:
        if language.startswith("en") and self.guidance_en:
            return self.guidance_en
        return self.guidance_zh


class CollectionPolicy(models.Model):
    """Company-wide collection settings (one row)."""

    penalty_daily_rate = models.DecimalField(
        _("penalty interest per day"), max_digits=8, decimal_places=6, default=Decimal("0.0005"),
        help_text=_("As a fraction of the overdue principal: 0.0005 is 0.05 % a day."))
    penalty_grace_days = models.PositiveSmallIntegerField(_("days overdue before interest runs"), default=0)
    promise_grace_days = models.PositiveSmallIntegerField(
        _("days after a promised date before the promise counts as broken"), default=0)
    finance_department = models.CharField(_("finance department name"), max_length=60, default="财务部")
    legal_department = models.CharField(_("legal department name"), max_length=60, default="法务部")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("collection policy")
        verbose_name_plural = _("collection policy")
        constraints = [models.CheckConstraint(condition=Q(penalty_daily_rate__gte=0) & Q(penalty_daily_rate__lt=1),
                                              name="collection_penalty_rate_range")]

    def __str__(self):
        return f"{self.penalty_daily_rate}/day"

    @classmethod
    def current(cls) -> "CollectionPolicy":
        return cls.objects.order_by("pk").first() or cls.objects.create()


class LetterLevel(models.TextChoices):
    NOTICE = "notice", _("Advance notice (预告)")
    WARNING = "warning", _("Warning (警告)")
    LAWYER = "lawyer", _("Lawyer's letter (律师信)")


LEVEL_ORDER = {LetterLevel.NOTICE: 1, LetterLevel.WARNING: 2, LetterLevel.LAWYER: 3}


class DunningStep(models.Model):
    """One row of the letter schedule: from how many days overdue the letter goes out, and its wording."""

    level = models.CharField(_("letter"), max_length=8, choices=LetterLevel.choices, unique=True)
    days_overdue = models.PositiveSmallIntegerField(_("sent from days overdue"))
    title = models.CharField(_("title"), max_length=60)
    from_legal = models.BooleanField(_("sent in the name of the legal department"), default=False)
    body = models.TextField(_("text"), help_text=_(
        "Paragraphs separated by blank lines. Placeholders: {customer} {company} {total} {count} {oldest_due} "
        "{max_days} {pay_by} {department} {date}."))
    reply_days = models.PositiveSmallIntegerField(_("days given to pay"), default=7)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("dunning letter step")
        verbose_name_plural = _("dunning letter schedule")
        ordering = ["days_overdue"]

    def __str__(self):
        return f"{self.get_level_display()} +{self.days_overdue}"

    def clean(self):
        try:
            rules.check_letter_template(self.body)
        except ValueError as exc:
            raise ValidationError({"body": _("Unknown placeholder {%(name)s}.") % {"name": exc.args[0]}}) from exc
        others = DunningStep.objects.exclude(pk=self.pk).filter(is_active=True)
        for other in others:
            lower = LEVEL_ORDER[other.level] < LEVEL_ORDER[self.level]
            if (lower and other.days_overdue >= self.days_overdue) or (
                    not lower and other.days_overdue <= self.days_overdue):
                raise ValidationError({"days_overdue": _(
                    "Letters must escalate: each level needs more days overdue than the one before.")})


class CollectionCase(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Being collected")
        LEGAL = "legal", _("Handed over to legal")
        CLOSED = "closed", _("Closed")

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="collection_cases",
                                 verbose_name=_("customer"))
    number = models.CharField(_("case number"), max_length=20, unique=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(_("opened on"))
    opened_by = models.CharField(_("opened by"), max_length=150)
    overdue_at_opening = models.DecimalField(_("overdue when opened"), **MONEY, default=0)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="collection_cases", verbose_name=_("collector"))
    reason = models.TextField(_("reason given by the customer"), blank=True)
    debtor_type = models.CharField(_("debtor type"), max_length=12, choices=DebtorType.choices, blank=True)
    penalty_daily_rate = models.DecimalField(_("penalty interest per day (this case)"), max_digits=8,
                                             decimal_places=6, null=True, blank=True,
                                             help_text=_("Empty: the company's rate."))
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="escalated_cases", verbose_name=_("escalated to"))
    legal_on = models.DateField(_("handed over to legal on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_note = models.CharField(_("closing note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("collection case")
        ordering = ["-opened_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["customer"], condition=~Q(status="closed"),
                                               name="one_live_case_per_customer")]
        indexes = [models.Index(fields=["status", "customer"], name="case_status_customer")]

    def __str__(self):
        return self.number

    @property
    def is_live(self) -> bool:
        return self.status != self.Status.CLOSED


class CaseEntry(models.Model):
    """The case's log: notes, evidence (with a file), escalations and hand-overs, newest first."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        REASON = "reason", _("Reason given")
        EVIDENCE = "evidence", _("Evidence")
        ESCALATION = "escalation", _("Escalation")
        LEGAL = "legal", _("Hand-over to legal")
        CLOSED = "closed", _("Closed")
        PLAN_ENDED = "plan_ended", _("Instalment plan ended")

    case = models.ForeignKey(CollectionCase, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to="collection/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case entry")

    def __str__(self):
        return f"{self.case_id} {self.kind}"


class PromiseToPay(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Waiting")
        KEPT = "kept", _("Kept")
        BROKEN = "broken", _("Broken")

    case = models.ForeignKey(CollectionCase, on_delete=models.PROTECT, related_name="promises")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="payment_promises")
    made_on = models.DateField(_("promise made on"))
    promised_date = models.DateField(_("promised payment date"))
    amount = models.DecimalField(_("promised amount"), **MONEY)
    made_by = models.CharField(_("promised by (contact)"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    received = models.DecimalField(_("received towards it"), **MONEY, default=0)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-promised_date", "-id"]
        verbose_name = _("promise to pay")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="promise_amount_positive"),
            models.CheckConstraint(condition=Q(promised_date__gte=models.F("made_on")), name="promise_after_made"),
        ]
        indexes = [models.Index(fields=["status", "promised_date"], name="promise_status_date")]

    def __str__(self):
        return f"{self.customer_id} {self.amount} by {self.promised_date}"


class InstalmentPlan(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(CollectionCase, on_delete=models.PROTECT, related_name="plans")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="instalment_plans")
    agreed_on = models.DateField(_("agreed on"))
    total = models.DecimalField(_("total"), **MONEY)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-agreed_on", "-id"]
        verbose_name = _("instalment plan")
        constraints = [models.CheckConstraint(condition=Q(total__gt=0), name="plan_total_positive")]

    def __str__(self):
        return f"{self.case_id} {self.total}"


class Instalment(models.Model):
    plan = models.ForeignKey(InstalmentPlan, on_delete=models.CASCADE, related_name="instalments")
    seq = models.PositiveSmallIntegerField(_("no."))
    due_date = models.DateField(_("due date"))
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        ordering = ["plan", "seq"]
        verbose_name = _("instalment")
        constraints = [models.UniqueConstraint(fields=["plan", "seq"], name="instalment_seq_unique"),
                       models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive")]

    def __str__(self):
        return f"{self.plan_id}#{self.seq}"


class BadDebtMeasure(models.Model):
    class Kind(models.TextChoices):
        ALLOWANCE = "allowance", _("Allowance (折让)")
        GOODS_BACK = "goods_back", _("Goods taken back (收回货物)")
        COLLATERAL = "collateral", _("Collateral realised (处理抵押品)")
        LEGAL_HELP = "legal_help", _("Legal help (寻求法律协助)")
        PRESERVATION = "preservation", _("Litigation preservation (诉讼保全)")
        CREDIT_STOP = "credit_stop", _("Credit stopped for some periods")

    case = models.ForeignKey(CollectionCase, on_delete=models.PROTECT, related_name="measures")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="bad_debt_measures")
    kind = models.CharField(_("measure"), max_length=12, choices=Kind.choices)
    taken_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY, null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300)
    credit_note = models.OneToOneField(CreditNote, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="bad_debt_measure", verbose_name=_("credit note posted"))
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-id"]
        verbose_name = _("bad-debt measure")

    def __str__(self):
        return f"{self.case_id} {self.kind}"


class PenaltyCharge(models.Model):
    """Interest charged on one overdue invoice for a run of days; the charge invoice carries the money."""

    source = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="penalty_charges",
                               verbose_name=_("overdue invoice"))
    charge_invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="charged_penalties",
                                       verbose_name=_("interest invoice"))
    case = models.ForeignKey(CollectionCase, null=True, blank=True, on_delete=models.PROTECT, related_name="charges")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="penalty_charges")
    from_date = models.DateField(_("from"))
    through_date = models.DateField(_("through"))
    daily_rate = models.DecimalField(_("rate per day"), max_digits=8, decimal_places=6)
    amount = models.DecimalField(_("interest"), **MONEY)
    working = models.JSONField(_("working"), default=list)

    class Meta:
        ordering = ["-through_date", "-id"]
        verbose_name = _("penalty interest charge")
        indexes = [models.Index(fields=["source", "through_date"], name="penalty_source_through")]

    def __str__(self):
        return f"{self.source_id} {self.from_date}–{self.through_date} {self.amount}"


class DunningLetter(models.Model):
    case = models.ForeignKey(CollectionCase, on_delete=models.PROTECT, related_name="letters")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="dunning_letters")
    level = models.CharField(_("letter"), max_length=8, choices=LetterLevel.choices)
    number = models.CharField(_("letter number"), max_length=30, unique=True)
    letter_date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=60)
    sender = models.CharField(_("sent by"), max_length=60)
    paragraphs = models.JSONField(default=list)
    invoices = models.JSONField(default=list)
    total = models.DecimalField(_("amount overdue"), **MONEY)
    max_days_overdue = models.PositiveIntegerField(_("days overdue"))
    pay_by = models.DateField(_("pay by"), null=True, blank=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-letter_date", "-id"]
        verbose_name = _("dunning letter")
        constraints = [models.UniqueConstraint(fields=["case", "level"], name="one_letter_per_level_per_case")]
        indexes = [models.Index(fields=["customer", "letter_date"], name="letter_customer_date")]

    def __str__(self):
        return self.number
