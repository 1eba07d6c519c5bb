"""The credit file and rating (SPEC §5.2–5.5): financial statements per period (read by the limit methods and
the scorecards), investigations with their checklist and documents, 5C evaluations, the policy tables
(scorecard versions, grade scale, 5C weights) and the dated ratings."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
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
        return _("Financial statement for the period ending %(day)s") % {"day": self.period_end}


# ------------------------------------------------------------------------------------------ investigations


class ChecklistGroup(models.TextChoices):
    OPERATIONS = "operations", _("Business operations")
    FINANCES = "finances", _("Financial situation")
    PAYMENT = "payment", _("Payment behaviour")


class ChecklistQuestion(models.Model):
    """One question of the investigation checklist (seed: 信用调查的内容). A warning sign is the answer that
    worries: "yes" for most (has its bank account been frozen?), "no" for the others (is its cash sufficient?)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    group = models.CharField(_("group"), max_length=12, choices=ChecklistGroup.choices)
    text_zh = models.CharField(_("question (Chinese)"), max_length=200)
    text_en = models.CharField(_("question (English)"), max_length=200, blank=True)
    yes_is_warning = models.BooleanField(_("a “yes” is a warning sign"), default=True,
                                         help_text=_("Untick when a “no” is the warning sign."))
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("checklist question")
        verbose_name_plural = _("investigation checklist")

    def __str__(self):
        return self.text_zh

    def text(self, language: str) -> str:
        if (language or "").startswith("en") and self.text_en:
            return self.text_en
        return self.text_zh

    @property
    def warning_answer(self) -> str:
        return Answer.YES if self.yes_is_warning else Answer.NO


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class InvestigationKind(models.TextChoices):
    DIRECT = "direct", _("Direct")
    INDIRECT = "indirect", _("Indirect")


class InvestigationSource(models.TextChoices):
    VISIT = "visit", _("Visit")
    INTERVIEW = "interview", _("Interview")
    OBSERVATION = "observation", _("Observation")
    STATEMENTS = "statements", _("Financial statements")
    RATING_AGENCY = "rating_agency", _("Credit rating agency")
    BANK = "bank", _("Bank")
    TAX = "tax", _("Tax authority")
    MARKET_REGULATION = "market_regulation", _("Market regulation authority")
    CONSUMER_ASSOCIATION = "consumer_association", _("Consumer association")
    SECURITIES = "securities", _("Securities regulator")
    OTHER = "other", _("Other")


DIRECT_SOURCES = {InvestigationSource.VISIT, InvestigationSource.INTERVIEW, InvestigationSource.OBSERVATION}


class Investigation(models.Model):
    """A credit investigation (信用调查): what was found, from which source, with its documents and checklist."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMPLETED = "completed", _("Completed")

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="investigations",
                                 verbose_name=_("customer"))
    investigated_on = models.DateField(_("date"))
    kind = models.CharField(_("direct or indirect"), max_length=8, choices=InvestigationKind.choices)
    source = models.CharField(_("source"), max_length=20, choices=InvestigationSource.choices)
    findings = models.TextField(_("findings"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    investigator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("investigator"))
    created_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-investigated_on", "-id"]
        verbose_name = _("credit investigation")
        indexes = [models.Index(fields=["customer", "status", "investigated_on"], name="investigation_customer")]

    def __str__(self):
        return _("Investigation of %(day)s (%(source)s)") % {"day": self.investigated_on,
                                                              "source": self.get_source_display()}

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED


class InvestigationDocument(models.Model):
    """A file kept with an investigation; served only to users who may see the customer."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="documents")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="investigation_documents")
    file = models.FileField(_("file"), upload_to="credit_file/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    uploaded_by = models.CharField(max_length=150, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("investigation document")

    def __str__(self):
        return self.file_name or self.file.name


class ChecklistAnswer(models.Model):
    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="answers")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="checklist_answers")
    question = models.ForeignKey(ChecklistQuestion, on_delete=models.PROTECT, related_name="answers")
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices, default=Answer.UNKNOWN)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["question__position", "question_id"]
        verbose_name = _("checklist answer")
        constraints = [models.UniqueConstraint(fields=["investigation", "question"], name="answer_once_per_question")]

    def __str__(self):
        return f"{self.question_id}: {self.answer}"

    @property
    def is_warning(self) -> bool:
        return self.answer == self.question.warning_answer


# ------------------------------------------------------------------------------------------ 5C


class FiveCEvaluation(models.Model):
    """A 5C evaluation (5C评价法): sub-item scores 0–100, the five dimension scores (mean of the assessed
    sub-items), the weights used and the weighted score."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="fivec_evaluations",
                                 verbose_name=_("customer"))
    evaluated_on = models.DateField(_("date"))
    sub_scores = models.JSONField(_("sub-item scores"), default=dict)
    character = models.DecimalField(_("character"), max_digits=5, decimal_places=2)
    capacity = models.DecimalField(_("capacity"), max_digits=5, decimal_places=2)
    capital = models.DecimalField(_("capital"), max_digits=5, decimal_places=2)
    collateral = models.DecimalField(_("collateral"), max_digits=5, decimal_places=2)
    condition = models.DecimalField(_("condition"), max_digits=5, decimal_places=2)
    weights = models.JSONField(_("weights"), default=dict)
    score = models.DecimalField(_("5C score"), max_digits=5, decimal_places=2)
    notes = models.TextField(_("notes"), blank=True)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("evaluator"))
    evaluator_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-evaluated_on", "-id"]
        verbose_name = _("5C evaluation")
        indexes = [models.Index(fields=["customer", "evaluated_on"], name="fivec_customer_date")]
        constraints = [models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="fivec_score_range")]

    def __str__(self):
        return _("5C evaluation of %(day)s: %(score)s") % {"day": self.evaluated_on, "score": self.score}

    def dimension_scores(self) -> dict:
        return {d: getattr(self, d) for d in FIVEC_DIMENSIONS}


FIVEC_DIMENSIONS = ("character", "capacity", "capital", "collateral", "condition")


class FiveCWeights(models.Model):
    """The company's default weights of the five dimensions (one row); an evaluation may use others."""

    character = models.DecimalField(_("character"), max_digits=5, decimal_places=4, default=Decimal("0.30"))
    capacity = models.DecimalField(_("capacity"), max_digits=5, decimal_places=4, default=Decimal("0.20"))
    capital = models.DecimalField(_("capital"), max_digits=5, decimal_places=4, default=Decimal("0.20"))
    collateral = models.DecimalField(_("collateral"), max_digits=5, decimal_places=4, default=Decimal("0.15"))
    condition = models.DecimalField(_("condition"), max_digits=5, decimal_places=4, default=Decimal("0.15"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("5C weights")
        verbose_name_plural = _("5C weights")

    def __str__(self):
        return " / ".join(str(getattr(self, d)) for d in FIVEC_DIMENSIONS)

    def as_dict(self) -> dict:
        return {d: getattr(self, d) for d in FIVEC_DIMENSIONS}

    def clean(self):
        from . import rules
        from .policy import explain

        try:
            rules.check_weights([(str(self._meta.get_field(d).verbose_name), getattr(self, d))
                                 for d in FIVEC_DIMENSIONS])
        except rules.RuleError as exc:
            raise ValidationError(explain(exc)) from exc

    @classmethod
    def current(cls) -> "FiveCWeights":
        return cls.objects.order_by("pk").first() or cls.objects.create()


# ------------------------------------------------------------------------------------------ grades


class Grade(models.TextChoices):
    AAA = "AAA", "AAA"
    AA = "AA", "AA"
    A = "A", "A"
    BBB = "BBB", "BBB"
    BB = "BB", "BB"
    B = "B", "B"
    CCC = "CCC", "CCC"
    CC = "CC", "CC"
    C = "C", "C"
    D = "D", "D"


class RiskLevel(models.TextChoices):
    """The seed's six-level risk scale read by the limit methods (plus NR, not rated, never stored)."""

    AA = "AA", "AA"
    A = "A", "A"
    BB = "BB", "BB"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


class GradeBand(models.Model):
    """One grade of the 10-grade scale: from which score, what it means, its risk level and approval guide."""

    grade = models.CharField(_("grade"), max_length=3, choices=Grade.choices, unique=True)
    min_score = models.DecimalField(_("from score"), max_digits=5, decimal_places=2)
    meaning_zh = models.CharField(_("meaning (Chinese)"), max_length=60)
    meaning_en = models.CharField(_("meaning (English)"), max_length=60, blank=True)
    risk_level = models.CharField(_("risk level"), max_length=2, choices=RiskLevel.choices)
    guide_min_limit = models.DecimalField(_("approval guide: credit limit from"), **MONEY, null=True, blank=True,
                                          help_text=_("Customers of this grade may be granted limits from this "
                                                      "amount up; empty: no guide."))
    position = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["position"]
        verbose_name = _("credit grade")
        verbose_name_plural = _("credit grade scale")
        constraints = [models.CheckConstraint(condition=Q(min_score__gte=0) & Q(min_score__lte=100),
                                              name="grade_min_score_range")]

    def __str__(self):
        return f"{self.grade} ≥ {self.min_score}"

    def meaning(self, language: str) -> str:
        if (language or "").startswith("en") and self.meaning_en:
            return self.meaning_en
        return self.meaning_zh

    def clean(self):
        from . import rules
        from .policy import explain

        bands = {b.grade: b for b in GradeBand.objects.exclude(pk=self.pk)}
        bands[self.grade] = self
        present = [bands[g] for g in Grade.values if g in bands]
        try:
            rules.validate_cutoffs([(b.grade, b.min_score) for b in present])
        except rules.RuleError as exc:
            raise ValidationError({"min_score": explain(exc)}) from exc
        try:
            rules.validate_risk_mapping([(b.grade, b.risk_level) for b in present])
        except rules.RuleError as exc:
            raise ValidationError({"risk_level": explain(exc)}) from exc


# ------------------------------------------------------------------------------------------ scorecards


class ItemSource(models.TextChoices):
    """Where a scorecard item's raw value comes from (the codes are read by rules.py)."""

    CURRENT_RATIO = "fin.current_ratio", _("Current ratio (latest statement)")
    QUICK_RATIO = "fin.quick_ratio", _("Quick ratio (latest statement)")
    CASH_RATIO = "fin.cash_ratio", _("Cash ratio (latest statement)")
    DEBT_RATIO = "fin.debt_ratio", _("Debt ratio: total liabilities ÷ total assets")
    DEBT_TO_EQUITY = "fin.debt_to_equity", _("Debt to net assets")
    SHORT_DEBT_TO_EQUITY = "fin.short_debt_to_equity", _("Short-term debt to net assets")
    NET_MARGIN = "fin.net_margin", _("Net margin: net profit ÷ revenue")
    RETURN_ON_EQUITY = "fin.return_on_equity", _("Return on net assets")
    NET_ASSETS = "fin.net_assets", _("Net assets (yuan)")
    FIVEC_SCORE = "fivec.score", _("5C score")
    FIVEC_CHARACTER = "fivec.character", _("5C: character")
    FIVEC_CAPACITY = "fivec.capacity", _("5C: capacity")
    FIVEC_CAPITAL = "fivec.capital", _("5C: capital")
    FIVEC_COLLATERAL = "fivec.collateral", _("5C: collateral")
    FIVEC_CONDITION = "fivec.condition", _("5C: condition")
    AVG_DAYS_LATE = "ledger.avg_days_late", _("Average days paid late (12 months)")
    OVERDUE_SHARE = "ledger.overdue_share", _("Share of the receivable overdue")
    OLDEST_OVERDUE_DAYS = "ledger.oldest_overdue_days", _("Days overdue of the oldest open invoice")
    BROKEN_PROMISES = "ledger.broken_promises", _("Broken promises to pay (12 months)")
    WARNING_SIGNS = "checklist.warning_signs", _("Warning signs in the latest investigation")
    WARNINGS_OPERATIONS = "checklist.warnings_operations", _("Warning signs: business operations")
    WARNINGS_FINANCES = "checklist.warnings_finances", _("Warning signs: financial situation")
    WARNINGS_PAYMENT = "checklist.warnings_payment", _("Warning signs: payment behaviour")


class Scorecard(models.Model):
    """One version of the scorecard Y = Σ aᵢ·xᵢ. Never edited: a change is saved as the next version, and a
    rating keeps the version it used."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("scorecard version")

    def __str__(self):
        return f"v{self.version}"


class ScorecardItem(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(_("source"), max_length=40, choices=ItemSource.choices)
    label = models.CharField(_("label"), max_length=100, blank=True,
                             help_text=_("Empty: the name of the source."))
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=4)
    mapping = models.JSONField(_("score table"), default=list, blank=True, help_text=_(
        '[[from, score], …] ascending, the first "from" null: a raw value scores as the last row whose '
        '"from" it reaches. Empty: the raw value is already a 0–100 score.'))
    missing_score = models.DecimalField(_("score without data"), max_digits=5, decimal_places=2, default=0)

    class Meta:
        ordering = ["scorecard", "position", "id"]
        verbose_name = _("scorecard item")
        constraints = [models.UniqueConstraint(fields=["scorecard", "source"], name="scorecard_item_source_once")]

    def __str__(self):
        return f"{self.source} × {self.weight}"

    @property
    def name(self) -> str:
        if self.label or self.source not in ItemSource.values:
            return self.label
        return str(ItemSource(self.source).label)


# ------------------------------------------------------------------------------------------ ratings


class SnapshotJSONField(models.JSONField):
    """A JSONField inserted with one placeholder per value: on PostgreSQL, Django's UNNEST bulk insert would
    pass the JSON as a text array, which psycopg escapes character by character (slow for a rating's
    snapshots). Having get_placeholder turns UNNEST off for the model."""

    def get_placeholder(self, value, compiler, connection):
        return "%s"


class RatingReason(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly re-rating")
    RISK_EVENT = "risk_event", _("Risk event")
    MANUAL = "manual", _("Rated by hand")
    FIRST = "first", _("First rating")


class Rating(models.Model):
    """A dated credit rating (snapshot): the inputs, every item's raw value, score and weight, the 5C used, the
    scorecard version and grade table used, the score, grade and risk level. The newest is `is_current`."""

    # (customer, as_of) and the partial unique index serve the customer's look-ups: no separate FK indexes.
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="ratings",
                                 verbose_name=_("customer"), db_index=False)
    as_of = models.DateField(_("as of"))
    reason = models.CharField(_("reason"), max_length=12, choices=RatingReason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    scorecard = models.ForeignKey(Scorecard, on_delete=models.PROTECT, related_name="ratings",
                                  verbose_name=_("scorecard version"), db_index=False)
    inputs = SnapshotJSONField(_("inputs"), default=dict)
    items = SnapshotJSONField(_("item scores"), default=list)
    fivec = SnapshotJSONField(_("5C used"), default=dict, blank=True)
    grade_table = SnapshotJSONField(_("grade table used"), default=list)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=3, choices=Grade.choices)
    risk_level = models.CharField(_("risk level"), max_length=2, choices=RiskLevel.choices)
    previous_grade = models.CharField(_("previous grade"), max_length=3, blank=True)
    is_current = models.BooleanField(default=True)
    rated_by = models.CharField(_("rated by"), max_length=150, blank=True)
    rated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-as_of", "-id"]
        verbose_name = _("credit rating")
        constraints = [
            models.UniqueConstraint(fields=["customer"], condition=Q(is_current=True), name="rating_one_current"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="rating_score_range"),
        ]
        indexes = [
            models.Index(fields=["customer", "as_of"], name="rating_customer_as_of"),
            models.Index(fields=["as_of", "customer"], name="rating_as_of_customer"),
        ]

    def __str__(self):
        return _("Credit rating %(grade)s of %(day)s") % {"grade": self.grade, "day": self.as_of}

    @property
    def moved(self) -> bool:
        return bool(self.previous_grade) and self.previous_grade != self.grade
