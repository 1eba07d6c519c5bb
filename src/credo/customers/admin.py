"""The customer file is read-only in the admin: changes go through the pages, API or import,
which validate, audit and add timeline events."""

from django.contrib import admin
from django.db import models

from .models import Assignment, BankAccount, Contact, Customer, FormerName, Tag


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ContactInline(ReadOnlyInline):
    model = Contact
    fields = ["name", "title", "mobile", "decision_role", "is_primary"]


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ["manager", "started_at", "ended_at", "assigned_by", "reason"]


class BankAccountInline(ReadOnlyInline):
    model = BankAccount
    fields = ["bank_name", "account_number", "valid_from", "valid_to"]


class FormerNameInline(ReadOnlyInline):
    model = FormerName
    fields = ["name", "used_until", "note"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "importance", "territory", "account_manager", "is_active"]
    list_filter = ["kind", "importance", "is_active", "territory"]
    search_fields = ["code", "name", "credit_code"]
    list_select_related = ["territory", "account_manager"]
    inlines = [ContactInline, AssignmentInline, BankAccountInline, FormerNameInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Tag)
