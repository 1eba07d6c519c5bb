from django.contrib import admin

from credo.core.admin import AuditedAdmin

from .models import Visit, VisitPolicy


@admin.register(VisitPolicy)
class VisitPolicyAdmin(AuditedAdmin):
    list_display = ["customer_class", "role", "kind", "minimum_per_month", "target_per_month", "note"]
    list_editable = ["minimum_per_month", "target_per_month"]
    list_filter = ["customer_class", "role", "kind"]


@admin.register(Visit)
class VisitAdmin(AuditedAdmin):
    list_display = ["customer", "person", "kind", "purpose", "status", "planned_date", "done_date"]
    list_filter = ["status", "kind", "purpose"]
    raw_id_fields = ["customer", "person", "contacts"]
