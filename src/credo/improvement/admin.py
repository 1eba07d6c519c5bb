from django.contrib import admin

from .models import ImprovementAction, RecoveryAction, ServicePromise


@admin.register(ServicePromise)
class ServicePromiseAdmin(admin.ModelAdmin):
    list_display = ("name", "measure", "unit", "budget", "valid_from", "valid_to", "active")


@admin.register(ImprovementAction)
class ImprovementActionAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "kind", "owner", "due_date", "status")
    list_filter = ("status", "kind")
    readonly_fields = [f.name for f in ImprovementAction._meta.concrete_fields]

    def has_add_permission(self, request):   # writes go through the services (audit, notifications)
        return False


@admin.register(RecoveryAction)
class RecoveryActionAdmin(admin.ModelAdmin):
    list_display = ("done_at", "customer", "kind", "cost")
    readonly_fields = [f.name for f in RecoveryAction._meta.concrete_fields]

    def has_add_permission(self, request):
        return False
