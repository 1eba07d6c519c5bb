from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Territory(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = _("territory")
        verbose_name_plural = _("territories")

    def __str__(self):
        return self.name


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_teams",
        verbose_name=_("manager"),
    )
    territory = models.ForeignKey(Territory, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("territory"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return self.name


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members",
                             verbose_name=_("team"))
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("user profile")

    def __str__(self):
        return self.display_name or self.user.get_username()


class CompanyProfile(models.Model):
    """The company's own settings that users edit (one row)."""

    name = models.CharField(_("company name"), max_length=200, default="示例贸易有限公司")
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    new_customer_months = models.PositiveSmallIntegerField(
        _("months a customer counts as new"), default=12,
        help_text=_("A customer whose first order is younger than this is 'new', older is 'old'."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("company profile")

    def __str__(self):
        return self.name

    @classmethod
    def current(cls) -> "CompanyProfile":
        return cls.objects.order_by("pk").first() or cls.objects.create()


class AuditEntry(models.Model):
    """Who changed what, when, from what to what, and why. Written by services, never edited."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        MERGE = "merge", _("merged")
        ASSIGN = "assign", _("reassigned")
        IMPORT = "import", _("imported")
        UNLOCK = "unlock", _("unlocked")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    username = models.CharField(_("user"), max_length=150, blank=True)
    request_id = models.CharField(max_length=36, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    customer_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type} {self.object_id}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class CustomerEvent(models.Model):
    """Business-event log per customer; the card's timeline. Kinds are registered in timeline.py."""

    customer_id = models.BigIntegerField(db_index=False)
    kind = models.CharField(max_length=60)
    at = models.DateTimeField()
    actor = models.CharField(max_length=150, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["customer_id", "-at"], name="event_customer_at")]

    def __str__(self):
        return f"{self.kind} {self.at:%Y-%m-%d}"


class LoginThrottle(models.Model):
    """Failed sign-ins for one username from one client address: the sign-in throttle (credo.core.lockout).

    One row per (username, address); username "" is the looser count of every username from that address
    (password spraying). Usernames are stored case-folded, whether or not such a user exists. A row lives
    for its window (settings LOGIN_FAILURE_WINDOW_HOURS / LOGIN_ADDRESS_WINDOW_MINUTES) and its pause, and
    is deleted by a successful sign-in (the pair only), by an administrator's unlock, or by the clean-up.
    """

    username = models.CharField(_("username"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=64, blank=True,
                               help_text=_("IPv4 address, or the /64 network of an IPv6 address."))
    failures = models.PositiveIntegerField(_("failures"), default=0)
    first_failure_at = models.DateTimeField(_("first failure"))
    last_failure_at = models.DateTimeField(_("last failure"))
    locked_until = models.DateTimeField(_("paused until"), null=True, blank=True)

    class Meta:
        ordering = ["-last_failure_at", "-id"]
        verbose_name = _("failed sign-ins")
        verbose_name_plural = _("failed sign-ins")
        constraints = [
            models.UniqueConstraint(fields=["username", "address"], name="login_throttle_pair"),
            models.CheckConstraint(condition=models.Q(last_failure_at__gte=models.F("first_failure_at")),
                                   name="login_throttle_order"),
        ]
        indexes = [
            models.Index(fields=["address"], name="login_throttle_address"),
            models.Index(fields=["first_failure_at"], name="login_throttle_first"),
        ]

    def __str__(self):
        from django.utils.translation import gettext

        who = self.username or gettext("(every username)")
        return f"{who} @ {self.address or gettext('(unknown address)')}"


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class Notification(models.Model):
    """A message to one user inside Credo (the bell in the top bar); sent by e-mail too when mail is set up.
    Written by credo.core.notifications.notify(); the text is final (in the company's language)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name=_("user"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    customer_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_created"),
            models.Index(fields=["user"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
