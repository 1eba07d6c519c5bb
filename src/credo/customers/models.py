import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from credo.core.models import Territory, TimeStamped

from . import rules


class CustomerKind(models.TextChoices):
    RETAIL = "retail", _("Retail consumer")
    BUSINESS = "business", _("Business customer")
    DEALER = "dealer", _("Dealer / agent")
    INTERNAL = "internal", _("Internal customer")


class Importance(models.TextChoices):
    KEY = "key", _("Key")
    GENERAL = "general", _("General")
    SCATTERED = "scattered", _("Scattered")


class Lifecycle(models.TextChoices):
    POTENTIAL = rules.POTENTIAL, _("Potential")
    NEW = rules.NEW, _("New")
    OLD = rules.OLD, _("Established")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")

    def __str__(self):
        return self.name


class Customer(TimeStamped):
    code = models.CharField(_("customer code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=60, blank=True)
    registered_capital = models.DecimalField(
        _("registered capital"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=60, blank=True)
    industry = models.CharField(_("industry"), max_length=60, blank=True)
    business_scope = models.TextField(_("business scope"), blank=True)
    registered_address = models.CharField(_("registered address"), max_length=300, blank=True)
    office_address = models.CharField(_("office address"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    kind = models.CharField(_("kind"), max_length=12, choices=CustomerKind.choices, default=CustomerKind.BUSINESS)
    importance = models.CharField(
        _("importance"), max_length=12, choices=Importance.choices, default=Importance.GENERAL
    )
    importance_reason = models.CharField(_("reason for importance"), max_length=200, blank=True)
    territory = models.ForeignKey(
        Territory, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("territory")
    )
    route = models.CharField(_("route"), max_length=40, blank=True)
    route_sequence = models.PositiveIntegerField(_("stop on route"), null=True, blank=True)
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="managed_customers", verbose_name=_("account manager"),
    )
    first_order_date = models.DateField(_("first order date"), null=True, blank=True)

    goals = models.TextField(_("goals and plans"), blank=True)
    opinions = models.TextField(_("likes and dislikes"), blank=True)
    situation = models.TextField(_("current problems and needs"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    tags = models.ManyToManyField(Tag, blank=True, verbose_name=_("tags"))

    is_active = models.BooleanField(_("active"), default=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from",
        verbose_name=_("merged into"),
    )

    # Derived keys for duplicate detection, kept by services.
    name_key = models.CharField(max_length=200, editable=False, db_index=True, default="")
    phone_key = models.CharField(max_length=40, editable=False, db_index=True, default="")

    class Meta:
        ordering = ["code"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code="") & Q(is_active=True),
                name="customer_credit_code_unique_active",
            ),
        ]
        indexes = [
            models.Index(fields=["name", "id"], name="customer_name_id"),
            models.Index(fields=["account_manager", "code"], name="customer_manager_code"),
            models.Index(fields=["territory", "code"], name="customer_territory_code"),
            models.Index(fields=["kind", "code"], name="customer_kind_code"),
            models.Index(fields=["importance", "code"], name="customer_importance_code"),
            models.Index(fields=["first_order_date"], name="customer_first_order"),
            models.Index(fields=["-updated_at", "id"], name="customer_updated"),
            models.Index(fields=["credit_code"], name="customer_credit_code"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def lifecycle_on(self, today: datetime.date, new_months: int) -> str:
        return rules.lifecycle(self.first_order_date, today, new_months)

    def refresh_keys(self):
        self.name_key = rules.normalise_name(self.name)
        self.phone_key = rules.normalise_phone(self.phone)


class FormerName(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="former_names")
    name = models.CharField(_("former name"), max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False, default="")
    used_until = models.DateField(_("used until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-used_until", "-id"]
        verbose_name = _("former name")

    def __str__(self):
        return self.name


class BankAccount(models.Model):
    """One row per account and period; a change closes the old row, so the history stays."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="bank_accounts")
    bank_name = models.CharField(_("bank"), max_length=120)
    account_name = models.CharField(_("account name"), max_length=200, blank=True)
    account_number = models.CharField(_("account number"), max_length=40)
    valid_from = models.DateField(_("used from"))
    valid_to = models.DateField(_("used until"), null=True, blank=True)
    created_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("bank account")

    def __str__(self):
        return f"{self.bank_name} {self.account_number}"

    @property
    def is_current(self):
        return self.valid_to is None


class DecisionRole(models.TextChoices):
    DECISION_MAKER = "decider", _("Decision maker")
    INFLUENCER = "influencer", _("Influencer")
    USER = "user", _("User")
    GATEKEEPER = "gatekeeper", _("Gatekeeper")
    PAYER = "payer", _("Payer")


class Contact(TimeStamped):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=60)
    title = models.CharField(_("title"), max_length=60, blank=True)
    department = models.CharField(_("department"), max_length=60, blank=True)
    phone = models.CharField(_("office phone"), max_length=40, blank=True)
    mobile = models.CharField(_("mobile"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    wechat = models.CharField(_("WeChat id"), max_length=60, blank=True)
    decision_role = models.CharField(_("role in buying decision"), max_length=12, choices=DecisionRole.choices,
                                     blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    birthday_md = models.CharField(max_length=4, blank=True, editable=False, db_index=True,
                                   help_text="MMDD of the birthday, for the reminders' indexed lookup")
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    native_place = models.CharField(_("native place"), max_length=60, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=30, blank=True)
    education_career = models.TextField(_("education and career"), blank=True)
    family = models.TextField(_("family background"), blank=True)
    personality_hobbies = models.TextField(_("personality and hobbies"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("still at the customer"), default=True)

    class Meta:
        ordering = ["-is_primary", "name", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["customer", "name"], name="contact_customer_name")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.birthday_md = self.birthday.strftime("%m%d") if self.birthday else ""
        if kwargs.get("update_fields") is not None and "birthday" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "birthday_md"}
        super().save(*args, **kwargs)


class Assignment(models.Model):
    """Account-manager history: the open row (ended_at null) is the current manager."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="assignments")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("account manager"))
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    assigned_by = models.CharField(_("assigned by"), max_length=150, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("account-manager assignment")
        constraints = [
            models.UniqueConstraint(fields=["customer"], condition=Q(ended_at__isnull=True),
                                    name="one_open_assignment_per_customer"),
        ]

    def __str__(self):
        return f"{self.customer_id} → {self.manager_id}"


class CompetitorPresence(models.Model):
    """A competitor at the customer, and its sales there against ours (竞品销售情况)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="competitors")
    competitor = models.CharField(_("competitor"), max_length=120)
    products = models.CharField(_("products"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    competitor_sales = models.DecimalField(_("competitor's sales"), max_digits=16, decimal_places=2,
                                           null=True, blank=True)
    our_sales = models.DecimalField(_("our sales"), max_digits=16, decimal_places=2, null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "competitor"]
        verbose_name = _("competitor at customer")

    def __str__(self):
        return f"{self.competitor} {self.year}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        LICENCE = "licence", _("Business licence")
        CONTRACT = "contract", _("Contract")
        STATEMENT = "statement", _("Financial statement")
        OTHER = "other", _("Other")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    uploaded_by = models.CharField(max_length=150, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("attachment")

    def __str__(self):
        return self.title
