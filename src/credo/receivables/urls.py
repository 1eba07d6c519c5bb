from django.urls import path

from . import views

app_name = "receivables"
urlpatterns = [
    path("aging/", views.aging, name="aging"),
    path("aging/export/", views.aging_export, name="aging_export"),
    path("overdue/", views.overdue, name="overdue"),
    path("figures/", views.figures, name="figures"),
]
