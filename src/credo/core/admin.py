from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import audit, lockout
from .auth import ThrottledLoginFormMixin
from .models import ApiToken, AuditEntry, CompanyProfile, LoginThrottle, Profile, Team, Territory


class LockoutAdminAuthenticationForm(ThrottledLoginFormMixin, AdminAuthenticationForm):
    pass


# The admin's sign-in page says when a paused attempt may try again, like the sign-in page.
admin.site.login_form = LockoutAdminAuthenticationForm


class AuditedAdmin(admin.ModelAdmin):
    """Changes made in the admin are audited like changes made through services."""

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if change:
            audit.record_change(request.user, obj, before, reason="admin")
        else:
            audit.record(request.user, AuditEntry.Action.CREATE, obj, after=audit.snapshot(obj), reason="admin")

    def delete_model(self, request, obj):
        audit.record(request.user, AuditEntry.Action.DELETE, obj, before=audit.snapshot(obj), reason="admin")
        super().delete_model(request, obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "action", "object_type", "object_repr", "customer_id", "reason"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_repr", "object_id", "reason", "request_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Territory)
class TerritoryAdmin(AuditedAdmin):
    list_display = ["code", "name", "parent"]
    search_fields = ["code", "name"]


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ["name", "manager", "territory"]


@admin.register(CompanyProfile)
class CompanyProfileAdmin(AuditedAdmin):
    list_display = ["name", "new_customer_months", "updated_at"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class CredoUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "email", "is_active", "profile_role", "profile_team"]
    list_select_related = ["profile", "profile__team"]

    @admin.display(description="role")
    def profile_role(self, obj):
        return getattr(getattr(obj, "profile", None), "role", "")

    @admin.display(description="team")
    def profile_team(self, obj):
        return getattr(getattr(obj, "profile", None), "team", "")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at"]
    actions = ["revoke"]

    @admin.action(description="Revoke selected tokens")
    def revoke(self, request, queryset):
        from django.utils import timezone

        queryset.update(revoked_at=timezone.now())


class PausedFilter(admin.SimpleListFilter):
    title = _("paused now")
    parameter_name = "paused"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(locked_until__gt=now)
        if self.value() == "no":
            return queryset.exclude(locked_until__gt=now)
        return queryset


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    """Failed sign-ins per (username, address) and per address; read-only but for the audited unlock."""

    list_display = ["shown_username", "shown_address", "failures", "first_failure_at", "last_failure_at",
                    "locked_until", "paused_now"]
    list_filter = [PausedFilter]
    search_fields = ["username", "address"]
    actions = ["unlock"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_unlock_permission(self, request):
        return request.user.has_perm("core.delete_loginthrottle")

    @admin.display(description=_("username"), ordering="username")
    def shown_username(self, obj):
        return obj.username or _("(every username)")

    @admin.display(description=_("address"), ordering="address")
    def shown_address(self, obj):
        return obj.address or _("(unknown address)")

    @admin.display(description=_("paused now"), boolean=True)
    def paused_now(self, obj):
        return obj.locked_until is not None and obj.locked_until > timezone.now()

    @admin.action(description=_("Unlock: forget these failed sign-ins"), permissions=["unlock"])
    def unlock(self, request, queryset):
        count = lockout.unlock(request.user, queryset, reason="admin")
        self.message_user(request, ngettext("Unlocked %(count)d entry.", "Unlocked %(count)d entries.", count)
                          % {"count": count})
