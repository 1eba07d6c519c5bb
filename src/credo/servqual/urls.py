from django.urls import path

from . import views

app_name = "servqual"
urlpatterns = [
    path("", views.instrument, name="instrument"),
    path("save/", views.save, name="save"),
]
