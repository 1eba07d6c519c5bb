from django.urls import path

from . import views, views_import

app_name = "customers"

urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("export/", views_import.export_customers, name="export"),
    path("import/", views_import.import_page, name="import"),
    path("import/template/<str:kind>.<str:fmt>", views_import.import_template, name="import_template"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/edit/", views.customer_edit, name="edit"),
    path("<int:pk>/reassign/", views.customer_reassign, name="reassign"),
    path("<int:pk>/merge/", views.customer_merge, name="merge"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("<int:pk>/contacts/<int:contact_pk>/edit/", views.contact_edit, name="contact_edit"),
    path("<int:pk>/bank-accounts/new/", views.bank_account_create, name="bank_account_create"),
    path("<int:pk>/competitors/new/", views.competitor_create, name="competitor_create"),
    path("<int:pk>/attachments/new/", views.attachment_create, name="attachment_create"),
    path("<int:pk>/notes/new/", views.note_create, name="note_create"),
]
