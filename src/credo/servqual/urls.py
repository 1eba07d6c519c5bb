from django.urls import path

from . import campaign_views, views

app_name = "servqual"
urlpatterns = [
    path("", views.instrument, name="instrument"),
    path("save/", views.save, name="save"),
    path("campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", campaign_views.campaign, name="campaign"),
    path("campaigns/<int:pk>/edit/", campaign_views.edit, name="edit"),
    path("campaigns/<int:pk>/status/", campaign_views.transition, name="transition"),
    path("campaigns/<int:pk>/distribute/", campaign_views.distribute, name="distribute"),
    path("campaigns/<int:pk>/enter/", campaign_views.enter, name="enter"),
    path("campaigns/<int:pk>/results/", campaign_views.results, name="results"),
]
