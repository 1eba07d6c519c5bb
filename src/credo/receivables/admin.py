from django.contrib import admin

from .models import AgingBucketSet, CostOfCapital


@admin.register(AgingBucketSet)
class AgingBucketSetAdmin(admin.ModelAdmin):
    list_display = ["valid_from", "bounds", "note", "created_at"]
    ordering = ["-valid_from"]

    def save_model(self, request, obj, form, change):
        obj.created_by = obj.created_by or request.user.get_username()
        super().save_model(request, obj, form, change)


@admin.register(CostOfCapital)
class CostOfCapitalAdmin(admin.ModelAdmin):
    list_display = ["valid_from", "annual_rate", "note", "created_at"]
    ordering = ["-valid_from"]

    def save_model(self, request, obj, form, change):
        obj.created_by = obj.created_by or request.user.get_username()
        super().save_model(request, obj, form, change)
