from django.contrib import admin

from credo.core.admin import AuditedAdmin

from .models import CollectionPolicy, DebtorGuidance, DunningStep


@admin.register(DunningStep)
class DunningStepAdmin(AuditedAdmin):
    list_display = ["level", "days_overdue", "title", "from_legal", "reply_days", "is_active"]
    ordering = ["days_overdue"]


@admin.register(DebtorGuidance)
class DebtorGuidanceAdmin(AuditedAdmin):
    list_display = ["debtor_type", "guidance_zh"]


@admin.register(CollectionPolicy)
class CollectionPolicyAdmin(AuditedAdmin):
    list_display = ["penalty_daily_rate", "penalty_grace_days", "promise_grace_days", "updated_at"]
