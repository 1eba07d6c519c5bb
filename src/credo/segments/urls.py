from django.urls import path

from . import views

app_name = "segments"
urlpatterns = [
    path("", views.index, name="index"),
    path("compute/", views.compute, name="compute"),
    path("export/", views.export, name="export"),
    path("review/", views.review, name="review"),
    path("review/<int:customer_id>/", views.decide, name="decide"),
    path("rates/", views.rates, name="rates"),
    path("customers/<int:customer_id>/costs/", views.add_cost, name="add_cost"),
    path("customers/<int:customer_id>/costs/<int:cost_id>/cancel/", views.cancel_cost, name="cancel_cost"),
    path("customers/<int:customer_id>/potential/", views.set_potential, name="potential"),
]
