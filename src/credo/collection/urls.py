from django.urls import path

from . import views

app_name = "collection"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("run/", views.run_dunning_now, name="run"),
    path("open/<int:customer_pk>/", views.open_case, name="open"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/letters/new/", views.issue_letter, name="issue_letter"),
    path("<int:pk>/plans/<int:plan_pk>/end/", views.end_plan, name="end_plan"),
    path("<int:pk>/<slug:action>/", views.case_action, name="action"),
    path("letters/<int:pk>.pdf", views.letter_pdf, name="letter_pdf"),
    path("entries/<int:pk>/file/", views.entry_file, name="entry_file"),
]
