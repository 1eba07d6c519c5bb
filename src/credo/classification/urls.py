from django.urls import path

from . import views

app_name = "classification"
urlpatterns = [
    path("", views.pyramid, name="pyramid"),
    path("movement/", views.movement, name="movement"),
    path("export/", views.export, name="export"),
    path("compute/", views.compute, name="compute"),
    path("results/<int:pk>/override/", views.override, name="override"),
    path("policy/", views.policy, name="policy"),
    path("grid/", views.grid, name="grid"),
]
