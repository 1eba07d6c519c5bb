"""The public SERVQUAL answer page: a one-time link that needs no login."""

from django.urls import path

from . import public_views

app_name = "servqual_public"

urlpatterns = [
    path("<str:token>/", public_views.answer, name="answer"),
]
