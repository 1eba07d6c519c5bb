from django.urls import path

from . import views

app_name = "risk"

urlpatterns = [
    path("", views.watchlist, name="watchlist"),
    path("customers/<int:customer_pk>/record/", views.record_signal, name="record"),
    path("customers/<int:customer_pk>/check/", views.check_customer, name="check"),
    path("signals/<int:pk>/clear/", views.clear_signal, name="clear"),
    path("signals/<int:pk>/file/", views.signal_file, name="signal_file"),
]
