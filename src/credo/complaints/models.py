"""Complaints (客户投诉, SPEC §7.1): the complaint, its six steps per round (a reopen starts a new round), the
emergency measures (应急措施), reopens, attachments, and the repeat-detection window as a dated policy row.

Every table carries customer_id (null only while a complaint from the public form waits to be linked to a
customer). A claim (索赔) will point at a complaint with its own foreign key; nothing here needs to change.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from credo.sla.models import Severity

from . import rules


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")
    EMAIL = "email", _("E-mail")
    WEB_FORM = "web_form", _("Web form")
    WECHAT = "wechat", _("WeChat")


class Category(models.TextChoices):
    QUALITY = "quality", _("Quality")
    DELIVERY = "delivery", _("Delivery")
    SERVICE = "service", _("Service")
    PRICE = "price", _("Price")
    BILLING = "billing", _("Billing")
    OTHER = "other", _("Other")


class Cause(models.TextChoices):
    """Where step 2 found the cause (the management view counts complaints by it)."""
    MATERIAL = "material", _("Raw material")
    PRODUCTION = "production", _("Production process")
    DESIGN = "design", _("Product design")
    SUPPLIER = "supplier", _("Supplier")
    TRANSPORT = "transport", _("Transport")
    STORAGE = "storage", _("Storage and handling")
    INSTALLATION = "installation", _("Installation")
    STAFF = "staff", _("Our staff's service")
    DOCUMENTS = "documents", _("Documents and invoicing")
    MISUSE = "misuse", _("Used wrongly by the customer")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")
    OTHER = "other", _("Other")


class Priority(models.IntegerChoices):
    HIGH = rules.HIGH, _("High (class A or key customer)")
    MEDIUM = rules.MEDIUM, _("Medium (class B)")
    NORMAL = rules.NORMAL, _("Normal")


class Status(models.TextChoices):
    OPEN = rules.OPEN, _("Open")
    CLOSED = rules.CLOSED, _("Closed")


STEP_NAMES = {
    1: _("Record / listen"),
    2: _("Analyse the cause"),
    3: _("Find a solution"),
    4: _("Tell the customer"),
    5: _("Carry it out"),
    6: _("Review the result"),
}
STEP_HINTS = {
    1: _("What the customer says happened, in their words."),
    2: _("The cause the responsible department found and how it was verified."),
    3: _("The solution decided, and who agreed it."),
    4: _("What the customer was told, when and how, and their answer."),
    5: _("What was done (replacement, repair, credit, visit …)."),
    6: _("Whether it worked and what the company changes so it does not happen again."),
}


class ComplaintPolicy(models.Model):
    """The repeat-detection window, in force from valid_from until the next row (history kept)."""

    valid_from = models.DateField(_("valid from"), unique=True)
    repeat_window_days = models.PositiveIntegerField(_("repeat window (days)"),
                                                     default=rules.DEFAULT_REPEAT_WINDOW_DAYS)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.CharField(_("created by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("complaint settings")
        verbose_name_plural = _("complaint settings")
        constraints = [models.CheckConstraint(
            condition=Q(repeat_window_days__gte=1, repeat_window_days__lte=rules.MAX_REPEAT_WINDOW_DAYS),
            name="complaint_policy_window_range")]

    def __str__(self):
        return f"{self.valid_from:%Y-%m-%d}: {self.repeat_window_days}"


class Complaint(models.Model):
    number = models.CharField(_("reference number"), max_length=20, unique=True, null=True, blank=True)
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="complaints", verbose_name=_("customer"))
    company_name = models.CharField(_("company as given"), max_length=200, blank=True,
                                    help_text=_("What the submitter typed on the public form."))
    contact_name = models.CharField(_("contact name"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    product = models.ForeignKey("sales.Product", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="complaints", verbose_name=_("product"))
    product_text = models.CharField(_("product (as described)"), max_length=200, blank=True)
    order = models.ForeignKey("sales.SalesOrder", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="complaints", verbose_name=_("order"))
    invoice = models.ForeignKey("sales.Invoice", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="complaints", verbose_name=_("invoice"))
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices, default=Severity.NORMAL)
    description = models.TextField(_("description"))
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    customer_class = models.CharField(_("SLA customer class"), max_length=2, blank=True)
    current_step = models.PositiveSmallIntegerField(_("current step"), default=rules.FIRST_STEP)
    round = models.PositiveSmallIntegerField(_("round"), default=1, help_text=_("1, and one more per reopen."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    due_at = models.DateTimeField(_("current step due"), null=True, blank=True)
    waiting = models.BooleanField(_("waiting on the customer"), default=False)
    repeat_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="repeats",
                                  verbose_name=_("repeat of"))
    is_repeat = models.BooleanField(_("repeat complaint"), default=False)
    repeat_reason = models.CharField(_("repeat because"), max_length=20, blank=True)
    cause = models.CharField(_("cause"), max_length=14, choices=Cause.choices, blank=True,
                             help_text=_("Found in step 2."))
    department = models.CharField(_("responsible department"), max_length=60, blank=True)
    received_at = models.DateTimeField(_("received at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["priority", "due_at", "id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        constraints = [
            models.CheckConstraint(condition=Q(current_step__gte=1, current_step__lte=6),
                                   name="complaint_step_range"),
            models.CheckConstraint(condition=Q(is_repeat=False) | Q(repeat_of__isnull=False),
                                   name="complaint_repeat_has_original"),
            models.CheckConstraint(condition=Q(customer__isnull=False) | Q(channel="web_form"),
                                   name="complaint_customer_unless_public"),
        ]
        indexes = [
            models.Index(fields=["priority", "due_at"], name="complaint_queue", condition=Q(status="open")),
            models.Index(fields=["customer", "received_at"], name="complaint_customer_received"),
        ]

    def __str__(self):
        return self.number or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def step_name(self):
        return STEP_NAMES[self.current_step]


class ComplaintStep(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="steps")
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    number = models.PositiveSmallIntegerField(_("step"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="complaint_steps", verbose_name=_("owner"))
    opened_at = models.DateTimeField(_("opened at"))
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    record = models.TextField(_("record"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("closed by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    superseded = models.BooleanField(_("ended by a reopen"), default=False,
                                     help_text=_("The complaint was reopened before this step was closed."))

    class Meta:
        ordering = ["complaint", "round", "number"]
        verbose_name = _("complaint step")
        verbose_name_plural = _("complaint steps")
        constraints = [
            models.UniqueConstraint(fields=["complaint", "round", "number"], name="complaint_step_once_per_round"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=6), name="complaint_step_number_range"),
            models.CheckConstraint(condition=Q(closed_at__isnull=True) | ~Q(record=""),
                                   name="complaint_step_closed_has_record"),
        ]
        indexes = [models.Index(fields=["owner", "due_at"], name="complaint_step_owner_due",
                                condition=Q(closed_at__isnull=True, superseded=False))]

    def __str__(self):
        return f"{self.complaint} {self.round}.{self.number}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and not self.superseded

    @property
    def name(self):
        return STEP_NAMES[self.number]

    @property
    def hint(self):
        return STEP_HINTS[self.number]


class EmergencyMeasure(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="measures")
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    step = models.PositiveSmallIntegerField(_("step"))
    text = models.TextField(_("measure"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_("by"))
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("emergency measure")
        verbose_name_plural = _("emergency measures")

    def __str__(self):
        return f"{self.complaint} {self.at:%Y-%m-%d %H:%M}"


class ComplaintReopen(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="reopens")
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    from_step = models.PositiveSmallIntegerField(_("from step"))
    to_step = models.PositiveSmallIntegerField(_("back to step"))
    was_closed = models.BooleanField(_("the complaint was closed"), default=False)
    round = models.PositiveSmallIntegerField(_("new round"))
    reason = models.CharField(_("reason"), max_length=rules.REASON_LENGTH)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_("by"))
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("reopen")
        verbose_name_plural = _("reopens")

    def __str__(self):
        return f"{self.complaint} → {self.to_step}"


def _upload_to(instance, filename):
    return f"complaints/{instance.complaint_id}/{filename}"


class ComplaintAttachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    file = models.FileField(_("file"), upload_to=_upload_to, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("complaint attachment")
        verbose_name_plural = _("complaint attachments")

    def __str__(self):
        return self.name
