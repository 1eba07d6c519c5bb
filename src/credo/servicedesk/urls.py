from django.urls import path

from . import views

app_name = "servicedesk"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.intake, name="intake"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("<int:pk>/", views.ticket_detail, name="ticket"),
    path("<int:pk>/reply/", views.ticket_reply, name="reply"),
    path("<int:pk>/pause/", views.ticket_pause, name="pause"),
    path("<int:pk>/resume/", views.ticket_resume, name="resume"),
    path("<int:pk>/resolve/", views.ticket_resolve, name="resolve"),
    path("<int:pk>/reopen/", views.ticket_reopen, name="reopen"),
    path("<int:pk>/close/", views.ticket_close, name="close"),
    path("<int:pk>/assign/", views.ticket_assign, name="assign"),
    path("contracts/", views.contracts, name="contracts"),
    path("contracts/new/", views.contract_form, name="contract_new"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract"),
    path("contracts/<int:pk>/edit/", views.contract_form, name="contract_edit"),
    path("kb/", views.articles, name="articles"),
    path("kb/new/", views.article_form, name="article_new"),
    path("kb/<int:pk>/", views.article_detail, name="article"),
    path("kb/<int:pk>/edit/", views.article_form, name="article_edit"),
]
