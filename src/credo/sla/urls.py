from django.urls import path

from . import views

app_name = "sla"
urlpatterns = [
    path("", views.levels, name="levels"),
    path("targets/", views.set_policy, name="set_policy"),
]
