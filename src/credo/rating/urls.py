from django.urls import path

from . import views

app_name = "rating"

urlpatterns = [
    path("due/", views.due_list, name="due"),
    path("policy/", views.policy_page, name="policy"),
    path("policy/scorecard/", views.policy_scorecard_edit, name="policy_scorecard"),
    path("policy/grades/", views.policy_grades_edit, name="policy_grades"),
    path("policy/fivec/", views.policy_fivec_edit, name="policy_fivec"),
    path("ratings/<int:pk>/", views.rating_detail, name="rating_detail"),
    path("customers/<int:customer_pk>/rate/", views.rate_now, name="rate_now"),
    path("customers/<int:customer_pk>/investigations/new/", views.investigation_create, name="investigation_create"),
    path("customers/<int:customer_pk>/statements/new/", views.statement_create, name="statement_create"),
    path("customers/<int:customer_pk>/fivec/new/", views.fivec_create, name="fivec_create"),
    path("investigations/<int:pk>/", views.investigation_detail, name="investigation_detail"),
    path("investigations/<int:pk>/edit/", views.investigation_edit, name="investigation_edit"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("statements/<int:pk>/edit/", views.statement_edit, name="statement_edit"),
]
