from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("", views.claim_list, name="list"),
    path("new/<int:complaint_pk>/", views.create, name="create"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
]
