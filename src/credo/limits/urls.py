from django.urls import path

from . import views

app_name = "limits"
urlpatterns = [
    path("", views.calculator, name="calculator"),
    path("computations/<int:pk>/", views.computation, name="computation"),
    path("customers/<int:customer_pk>/propose/", views.propose, name="propose"),
]
