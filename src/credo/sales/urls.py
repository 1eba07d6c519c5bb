from django.urls import path

from . import views

app_name = "sales"

urlpatterns = [
    path("customers/<int:pk>/receipts/new/", views.receipt_create, name="receipt_create"),
    path("customers/<int:pk>/invoices/new/", views.invoice_create, name="invoice_create"),
    path("customers/<int:pk>/credit-notes/new/", views.credit_note_create, name="credit_note_create"),
    path("customers/<int:pk>/receipts/<int:receipt_pk>/reverse/", views.receipt_reverse, name="receipt_reverse"),
    path("customers/<int:pk>/invoices/<int:invoice_pk>/delivery/", views.invoice_delivery, name="invoice_delivery"),
    path("customers/<int:pk>/invoices/<int:invoice_pk>/write-off/", views.write_off_request, name="write_off_request"),
    path("customers/<int:pk>/write-offs/<int:write_off_pk>/decide/", views.write_off_decide, name="write_off_decide"),
    path("customers/<int:pk>/write-offs/<int:write_off_pk>/recover/", views.write_off_recover,
         name="write_off_recover"),
]
