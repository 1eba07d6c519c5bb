from django.contrib import admin

from .models import Claim


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    """Read-only: claims change only through their services (audited)."""

    list_display = ["number", "customer", "complaint", "amount_claimed", "amount_agreed", "status", "credit_note"]
    list_filter = ["status"]
    search_fields = ["number", "complaint__number", "customer__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
