"""Tables of the service desk (SPEC §9.4): tickets (service requests that are not complaints) with their
entries, service contracts with the products they cover, and the knowledge base.

A ticket's reference number is FW-<year>-<six digits> (服务, the year of intake, the row's id). Its SLA clocks
(first response, resolution) live in credo.sla under kind "ticket"; the status here says what the desk does,
the clocks what the time says. `complaint_id` is the complaint the ticket became (credo.complaints is built
alongside and is not imported: the id is kept as a plain integer and wired later).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from credo.core.models import TimeStamped
from credo.customers.models import Contact, Customer
from credo.sales.models import Product
from credo.sla.models import Severity

from . import rules


class TicketType(models.TextChoices):
    INSTALLATION = "installation", _("Installation")
    MAINTENANCE = "maintenance", _("Maintenance")
    QUESTION = "question", _("Question")
    OTHER = "other", _("Other")


class TicketStatus(models.TextChoices):
    NEW = rules.NEW, pgettext_lazy("ticket status", "New")
    IN_PROGRESS = rules.IN_PROGRESS, _("In progress")
    WAITING_CUSTOMER = rules.WAITING_CUSTOMER, _("Waiting for the customer")
    RESOLVED = rules.RESOLVED, _("Resolved")
    CLOSED = rules.CLOSED, pgettext_lazy("ticket status", "Closed")


class ContractStatus(models.TextChoices):
    DRAFT = rules.DRAFT, _("Draft")
    ACTIVE = rules.ACTIVE, pgettext_lazy("contract status", "Active")
    TERMINATED = rules.TERMINATED, _("Terminated")


class ServiceContract(TimeStamped):
    """服务合同: what the company owes a customer in service (terms), for which products, from when to when."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="service_contracts",
                                 verbose_name=_("customer"))
    number = models.CharField(_("contract number"), max_length=40, unique=True)
    terms = models.TextField(_("terms"))
    all_products = models.BooleanField(_("covers all products"), default=False)
    products = models.ManyToManyField(Product, blank=True, related_name="service_contracts",
                                      verbose_name=_("covered products"))
    starts_on = models.DateField(_("starts on"))
    expires_on = models.DateField(_("expires on"))
    status = models.CharField(_("status"), max_length=12, choices=ContractStatus.choices,
                              default=ContractStatus.ACTIVE)
    reminded_for = models.DateField(_("expiry reminded"), null=True, blank=True,
                                    help_text="the expiry date the account manager was reminded of")
    created_by = models.CharField(_("created by"), max_length=150, blank=True)

    class Meta:
        ordering = ["expires_on", "id"]
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")
        constraints = [
            models.CheckConstraint(condition=Q(expires_on__gte=models.F("starts_on")),
                                   name="service_contract_dates_in_order"),
        ]
        indexes = [
            models.Index(fields=["customer", "status", "expires_on"], name="service_contract_customer"),
            models.Index(fields=["expires_on"], condition=Q(status="active"), name="service_contract_expiring"),
        ]

    def __str__(self):
        return self.number

    def state(self, today) -> str:
        return rules.contract_state(self.status, self.starts_on, self.expires_on, today)


class Ticket(TimeStamped):
    number = models.CharField(_("reference number"), max_length=20, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="tickets",
                                 verbose_name=_("customer"))
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets",
                                verbose_name=_("contact"))
    type = models.CharField(_("type"), max_length=14, choices=TicketType.choices, default=TicketType.QUESTION)
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets",
                                verbose_name=_("product"))
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices, default=Severity.NORMAL)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="service_tickets", verbose_name=_("owner"))
    status = models.CharField(_("status"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.NEW)
    resolution = models.TextField(_("resolution"), blank=True)
    contract = models.ForeignKey(ServiceContract, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="tickets", verbose_name=_("covered by contract"))
    customer_class = models.CharField(_("customer class"), max_length=1, blank=True,
                                      help_text="the class at intake, which chose the SLA targets")
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    complaint_id = models.PositiveBigIntegerField(_("converted to complaint"), null=True, blank=True)
    converted_at = models.DateTimeField(_("converted at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        constraints = [
            models.CheckConstraint(condition=~Q(status__in=[rules.RESOLVED, rules.CLOSED]) | ~Q(resolution=""),
                                   name="ticket_resolved_has_resolution"),
        ]
        indexes = [
            models.Index(fields=["customer", "created_at"], name="ticket_customer_created"),
            models.Index(fields=["status", "created_at"], name="ticket_status_created"),
            models.Index(fields=["owner", "status"], name="ticket_owner_status"),
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in rules.OPEN_STATUSES

    @property
    def covered(self) -> bool:
        return self.contract_id is not None


class TicketEntry(models.Model):
    """What happened on a ticket, in order: replies to the customer, internal notes, pauses and resumes, the
    resolution, reopening, assignment, conversion."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply to the customer")
        NOTE = "note", _("Internal note")
        PAUSE = "pause", _("Waiting for the customer")
        RESUME = "resume", _("Resumed")
        RESOLVE = "resolve", _("Resolved")
        REOPEN = "reopen", _("Reopened")
        CLOSE = "close", _("Closed")
        ASSIGN = "assign", _("Assigned")
        CONVERT = "convert", _("Converted to a complaint")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="entries")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    body = models.TextField(_("text"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("author"))
    author_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("ticket entry")
        verbose_name_plural = _("ticket entries")

    def __str__(self):
        return f"{self.ticket_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ArticleCategory(models.TextChoices):
    INSTALLATION = "installation", _("Installation")
    MAINTENANCE = "maintenance", _("Maintenance")
    USAGE = "usage", _("Use and operation")
    BILLING = "billing", _("Billing and payment")
    DELIVERY = "delivery", _("Orders and delivery")
    OTHER = "other", _("Other")


class Article(TimeStamped):
    """知识库文章. Tags are kept as one line of words separated by commas, so that a plain icontains finds them
    on SQLite and PostgreSQL alike."""

    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=14, choices=ArticleCategory.choices,
                                default=ArticleCategory.OTHER)
    tags = models.CharField(_("tags"), max_length=300, blank=True, help_text=_("Words separated by commas."))
    body = models.TextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="kb_articles", verbose_name=_("author"))
    published = models.BooleanField(_("published"), default=False)
    source_complaint_id = models.PositiveBigIntegerField(_("written from complaint"), null=True, blank=True)
    source_ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="articles", verbose_name=_("written from service request"))

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        indexes = [models.Index(fields=["published", "category"], name="kb_article_published")]

    def __str__(self):
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return rules.split_tags(self.tags)
