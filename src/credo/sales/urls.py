from django.urls import path

from . import views

app_name = "sales"

urlpatterns = [
    path("customers/<int:pk>/receipts/new/", views.receipt_create, name="receipt_create"),
    path("customers/<int:pk>/invoices/new/", views.invoice_create, name="invoice_create"),
    path("customers/<int:pk>/credit-notes/new/", views.credit_note_create, name="credit_note_create"),
    path("customers/<int:pk>/receipts/<int:receipt_pk>/reverse/", views.receipt_reverse, name="receipt_reverse"),
    path("customers/<int:pk>/invoices/<int:invoice_pk>/delivery/", views.invoice_delivery, name="invoice_delivery"),
]
