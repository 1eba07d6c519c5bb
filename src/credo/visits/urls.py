from django.urls import path

from . import views

app_name = "visits"

urlpatterns = [
    path("", views.my_plan, name="my_plan"),
    path("<int:pk>/result/", views.record_result, name="result"),
    path("customers/<int:customer_id>/record/", views.record_contact, name="record"),
    path("caring/", views.caring, name="caring"),
    path("caring/record/", views.caring_record, name="caring_record"),
    path("team/", views.team_plan, name="team_plan"),
    path("compliance/", views.compliance, name="compliance"),
    path("policy/", views.policy, name="policy"),
]
