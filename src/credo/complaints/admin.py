from django.contrib import admin

from credo.core.admin import AuditedAdmin

from .models import ComplaintPolicy


@admin.register(ComplaintPolicy)
class ComplaintPolicyAdmin(AuditedAdmin):
    list_display = ["valid_from", "repeat_window_days", "note", "created_by"]
