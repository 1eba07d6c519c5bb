"""The limit tables (one LimitPolicy row per version, valid from a date) and the stored computations.

A computation records the policy version it used, its inputs, every step and named figure, and its outcome
— "ok" with a limit and credit line, or "cannot_compute" with the reason naming the input.
"""

from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from credo.core.clock import business_today
from credo.customers.models import Customer
from credo.receivables.models import Versioned

from . import defaults, rules, tables

MONEY = {"max_digits": 18, "decimal_places": 2}


class LimitPolicy(Versioned):
    """The company's limit tables and standard credit period, in force from valid_from. Tables are JSON rows
    (see limits/defaults.py for their shape); clean() refuses a bad table naming the table and the row."""

    standard_credit_days = models.PositiveSmallIntegerField(
        _("standard credit period (days)"), default=defaults.STANDARD_CREDIT_DAYS,
        help_text=_("标准信用期限: used by the sales-volume (÷ 90) and collections (÷ 30) methods."))
    evaluation_table = models.JSONField(_("evaluation value → percentage (table 3-7)"),
                                        default=partial(defaults.table, "evaluation_table"),
                                        help_text=_('Rows {"up_to": bound, "percentage": percent}: a row holds the '
                                                    'values above the previous bound up to its own; the last row '
                                                    'has up_to null.'))
    grade_corrections = models.JSONField(_("grade corrections (table 3-8)"),
                                         default=partial(defaults.table, "grade_corrections"),
                                         help_text=_('Rows {"grade", "adjustment": percent up (+) or down (-), '
                                                     '"high_adjustment": percent when the figure looks high, or null '
                                                     'to review and recompute}. D cancels the limit; NR gives no '
                                                     'recommendation.'))
    grade_fit = models.JSONField(_("limits that fit each grade"), default=partial(defaults.table, "grade_fit"), blank=True,
                                 help_text=_('Rows {"grade", "min_percentage", "max_percentage", "max_limit": yuan '
                                             'or null}: outside the band the result asks to review the '
                                             'statements and recompute. Empty: no check.'))
    grade_factors = models.JSONField(_("risk factors by grade (table 3-10)"),
                                     default=partial(defaults.table, "grade_factors"),
                                     help_text=_('Rows {"grade", "percentage"} for AA, A, BB, B, C and D.'))
    record_factors = models.JSONField(_("risk factors by credit record (table 3-11)"),
                                      default=partial(defaults.table, "record_factors"),
                                      help_text=_('Rows {"up_to": overdue amount × days in ¥·days, "percentage"}; '
                                                  'the last row has up_to null.'))
    collection_weights = models.JSONField(_("weights of the monthly collections"),
                                          default=partial(defaults.table, "collection_weights"),
                                          help_text=_("Newest month first, e.g. [6, 5, 4, 3, 2, 1]."))
    revenue_tiers = models.JSONField(_("revenue tiers"), default=list, blank=True,
                                     help_text=_('Rows {"up_to": annual revenue, "base_limit": yuan}; the last row '
                                                 'has up_to null. Empty: the revenue-tier method does not run.'))
    assessment_items = models.JSONField(_("assessment items"), default=partial(defaults.table, "assessment_items"),
                                        help_text=_('Rows {"code", "weight", "label" (needed for your own '
                                                    'items)}.'))
    level_percentages = models.JSONField(_("credit percentage per level"),
                                         default=partial(defaults.table, "level_percentages"),
                                         help_text=_('Rows {"level": 1, "percentage": 100}.'))

    class Meta(Versioned.Meta):
        verbose_name = _("credit limit policy")
        verbose_name_plural = _("credit limit policies")
        constraints = [models.CheckConstraint(condition=Q(standard_credit_days__gte=1),
                                              name="limit_policy_credit_days_positive")]

    def __str__(self):
        return f"{self.valid_from}: {self.standard_credit_days} d"

    @classmethod
    def default(cls) -> "LimitPolicy":
        return cls(valid_from=defaults.VALID_FROM, standard_credit_days=defaults.STANDARD_CREDIT_DAYS,
                   **{name: defaults.table(name) for name in defaults.TABLES})

    def clean(self):
        errors = {}
        if not self.standard_credit_days or self.standard_credit_days < 1:
            errors["standard_credit_days"] = [_("The standard credit period must be at least 1 day.")]
        try:
            tables.validate_all({name: getattr(self, name) for name in defaults.TABLES})
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)

    @property
    def version(self) -> dict:
        return {"id": self.pk, "valid_from": self.valid_from.isoformat()}


class LimitComputation(models.Model):
    """One run of one method: for a customer, or a what-if (customer empty)."""

    class Method(models.TextChoices):
        WORKING_CAPITAL = rules.WORKING_CAPITAL, _("Working-capital method (营运资产法)")
        SALES_VOLUME = rules.SALES_VOLUME, _("Sales-volume method (销售量法)")
        COLLECTIONS = rules.COLLECTIONS, _("Collections method (回款额法)")
        REVENUE_TIER = rules.REVENUE_TIER, _("Revenue-tier method (基础信用额度法)")

    class Outcome(models.TextChoices):
        OK = "ok", _("Computed")
        CANNOT_COMPUTE = "cannot_compute", _("Cannot compute")

    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="limit_computations", verbose_name=_("customer"))
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    inputs = models.JSONField(_("inputs"), default=dict)
    steps = models.JSONField(_("steps"), default=list)
    result = models.JSONField(_("result"), default=dict)
    limit = models.DecimalField(_("limit"), **MONEY, null=True, blank=True)
    credit_line = models.DecimalField(_("credit line"), **MONEY, null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.OK)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    review_required = models.BooleanField(_("review required"), default=False)
    policy = models.ForeignKey(LimitPolicy, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("policy version"))
    policy_valid_from = models.DateField(_("policy valid from"), null=True, blank=True)
    as_of = models.DateField(_("as of"), default=business_today)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("credit limit computation")
        verbose_name_plural = _("credit limit computations")
        indexes = [models.Index(fields=["customer", "method", "-created_at"], name="limit_comp_customer_method")]
        constraints = [
            models.CheckConstraint(condition=Q(outcome="cannot_compute") | Q(credit_line__gte=0),
                                   name="limit_comp_line_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_method_display()} {self.credit_line if self.credit_line is not None else '—'}"

    @property
    def ok(self) -> bool:
        return self.outcome == self.Outcome.OK
