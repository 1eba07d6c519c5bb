from django.contrib import admin

from credo.core.admin import AuditedAdmin

from .models import AuthorityTier, CreditProfile, CreditSettings, PolicyDefault


@admin.register(PolicyDefault)
class PolicyDefaultAdmin(AuditedAdmin):
    list_display = ["risk_level", "credit_days", "discount_percent", "discount_days", "settlement_mode",
                    "grace_days", "tolerance_percent", "count_open_orders", "count_unbilled_deliveries"]
    ordering = ["id"]


@admin.register(AuthorityTier)
class AuthorityTierAdmin(AuditedAdmin):
    list_display = ["level", "name", "limit_up_to", "max_term_days", "applicant_roles", "reviewer_roles",
                    "approver_roles"]


@admin.register(CreditSettings)
class CreditSettingsAdmin(AuditedAdmin):
    list_display = ["stop_on_bounced_cheque", "returned_drafts_to_stop", "late_invoices_to_stop",
                    "late_window_months", "review_months", "check_customers_without_limit"]


@admin.register(CreditProfile)
class CreditProfileAdmin(AuditedAdmin):
    """Corrections only: limits and stops go through applications."""

    list_display = ["customer", "limit", "credit_days", "status", "limit_approved_on", "limit_valid_until"]
    list_filter = ["status", "settlement_mode"]
    search_fields = ["customer__code", "customer__name"]
    raw_id_fields = ["customer", "limit_application"]
    readonly_fields = ["status", "status_reason", "status_since"]
