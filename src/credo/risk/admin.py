from django.contrib import admin

from credo.core.admin import AuditedAdmin

from .models import RiskClass, RiskClassRule, RiskSettings


@admin.register(RiskClass)
class RiskClassAdmin(AuditedAdmin):
    list_display = ["code", "profile_zh", "policy_zh"]


@admin.register(RiskClassRule)
class RiskClassRuleAdmin(AuditedAdmin):
    list_display = ["position", "risk_class", "risk_levels", "importances", "sales_classes", "min_annual_sales",
                    "max_annual_sales", "min_completeness", "max_completeness", "description", "is_active"]
    list_editable = ["is_active"]
    ordering = ["position", "id"]


@admin.register(RiskSettings)
class RiskSettingsAdmin(AuditedAdmin):
    list_display = ["__str__", "high_exposure_amount", "updated_at"]
