from django.urls import path

from . import views

app_name = "improvement"

urlpatterns = [
    path("", views.action_list, name="list"),
    path("new/", views.action_new, name="new"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("complaint/<int:complaint_pk>/link/", views.link_from_complaint, name="link_from_complaint"),
    path("promises/", views.promise_list, name="promises"),
    path("promises/new/", views.promise_edit, name="promise_new"),
    path("promises/<int:pk>/", views.promise_edit, name="promise_edit"),
    path("recovery/", views.recovery_list, name="recoveries"),
    path("recovery/new/", views.recovery_new, name="recovery_new"),
]
