from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from . import audit
from .auth import ThrottledLoginFormMixin
from .models import ApiToken, AuditEntry, CompanyProfile, Profile, Team, Territory


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
