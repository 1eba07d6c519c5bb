from django.urls import path

from . import views

app_name = "loyalty"
urlpatterns = [
    path("", views.index, name="index"),
    path("rules/", views.stage_rules, name="rules"),
]
