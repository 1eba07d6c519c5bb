from django.contrib import admin

from credo.core.admin import AuditedAdmin

from .models import LimitComputation, LimitPolicy


@admin.register(LimitPolicy)
class LimitPolicyAdmin(AuditedAdmin):
    list_display = ["valid_from", "standard_credit_days", "note", "created_by", "created_at"]
    ordering = ["-valid_from"]

    def save_model(self, request, obj, form, change):
        obj.created_by = obj.created_by or request.user.get_username()
        super().save_model(request, obj, form, change)


@admin.register(LimitComputation)
class LimitComputationAdmin(admin.ModelAdmin):
    """Computations are records: read them here, never change them."""

    list_display = ["created_at", "customer", "method", "outcome", "limit", "credit_line", "review_required",
                    "policy_valid_from", "created_by_name"]
    list_filter = ["method", "outcome", "review_required"]
    search_fields = ["customer__code", "customer__name", "created_by_name"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
