from django.contrib import admin

from credo.core.admin import AuditedAdmin

from .models import Holiday, RankHolder, Visit, VisitPolicy


@admin.register(VisitPolicy)
class VisitPolicyAdmin(AuditedAdmin):
    list_display = ["customer_class", "role", "kind", "minimum_per_month", "target_per_month", "note"]
    list_editable = ["minimum_per_month", "target_per_month"]
    list_filter = ["customer_class", "role", "kind"]


@admin.register(Visit)
class VisitAdmin(AuditedAdmin):
    list_display = ["customer", "person", "kind", "purpose", "rank", "status", "planned_date", "done_date"]
    list_filter = ["status", "kind", "purpose", "rank"]
    raw_id_fields = ["customer", "person", "contacts"]


@admin.register(Holiday)
class HolidayAdmin(AuditedAdmin):
    list_display = ["name", "date"]
    list_editable = ["date"]
    list_filter = ["name"]
    date_hierarchy = "date"
    ordering = ["-date"]


@admin.register(RankHolder)
class RankHolderAdmin(AuditedAdmin):
    list_display = ["user", "rank"]
    list_filter = ["rank"]
    raw_id_fields = ["user"]
