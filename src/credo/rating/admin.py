"""The rating policy tables in the admin (audited). The scorecard and the grade scale are best edited on the
rating policy page, which checks the whole table at once and saves a scorecard change as a new version."""

from django.contrib import admin

from credo.core.admin import AuditedAdmin

from .models import ChecklistQuestion, FiveCWeights, GradeBand, Scorecard, ScorecardItem


@admin.register(ChecklistQuestion)
class ChecklistQuestionAdmin(AuditedAdmin):
    list_display = ["position", "group", "text_zh", "text_en", "yes_is_warning", "is_active"]
    list_display_links = ["text_zh"]
    list_filter = ["group", "is_active", "yes_is_warning"]
    ordering = ["position", "id"]

    def has_delete_permission(self, request, obj=None):
        return False  # answers refer to the questions: deactivate instead


@admin.register(GradeBand)
class GradeBandAdmin(AuditedAdmin):
    list_display = ["grade", "min_score", "risk_level", "guide_min_limit", "meaning_zh", "meaning_en"]
    ordering = ["position"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FiveCWeights)
class FiveCWeightsAdmin(AuditedAdmin):
    list_display = ["character", "capacity", "capital", "collateral", "condition", "updated_at"]

    def has_add_permission(self, request):
        return not FiveCWeights.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class ScorecardItemInline(admin.TabularInline):
    model = ScorecardItem
    fields = ["position", "source", "label", "weight", "mapping", "missing_score"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    """Versions are read-only here: ratings point at them."""

    list_display = ["version", "note", "created_by", "created_at"]
    readonly_fields = ["version", "note", "created_by", "created_at"]
    inlines = [ScorecardItemInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
