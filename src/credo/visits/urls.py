from django.urls import path

from . import views

app_name = "visits"

urlpatterns = [
    path("", views.my_plan, name="my_plan"),
    path("<int:pk>/result/", views.record_result, name="result"),
    path("team/", views.team_plan, name="team_plan"),
    path("compliance/", views.compliance, name="compliance"),
    path("policy/", views.policy, name="policy"),
]
