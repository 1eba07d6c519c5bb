"""The public complaint form: a company link that needs no login."""

from django.urls import path

from . import views

app_name = "complaints_public"

urlpatterns = [
    path("", views.public_form, name="form"),
    path("done/", views.public_done, name="done"),
]
