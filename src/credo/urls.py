from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from credo.api.api import api, unknown_url
from credo.core import notification_views
from credo.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", core_views.CredoLoginView.as_view(), name="login"),
    path("logout/", core_views.logout_view, name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/<int:pk>/", notification_views.notification_open, name="notification_open"),
    path("notifications/read/", notification_views.notifications_mark_read, name="notifications_read"),
    path("notifications/bell/", notification_views.notification_bell, name="notification_bell"),
    path("customers/", include("credo.customers.urls")),
    path("ledger/", include("credo.sales.urls")),
    path("receivables/", include("credo.receivables.urls")),
    path("collection/", include("credo.collection.urls")),
    path("credit/", include("credo.credit.urls")),
    path("rating/", include("credo.rating.urls")),
    path("limits/", include("credo.limits.urls")),
    path("risk/", include("credo.risk.urls")),
    path("classification/", include("credo.classification.urls")),
    path("analysis/", include("credo.analysis.urls")),
    path("segments/", include("credo.segments.urls")),
    path("visits/", include("credo.visits.urls")),
    path("calendar/", include("credo.worktime.urls")),
    path("sla/", include("credo.sla.urls")),
    path("servqual/", include("credo.servqual.urls")),
    path("complaints/", include("credo.complaints.urls")),
    path("public/complaint/", include("credo.complaints.public_urls")),
    path("s/", include("credo.servqual.public_urls")),
    path("service/", include("credo.servicedesk.urls")),
    path("improvement/", include("credo.improvement.urls")),
    path("claims/", include("credo.claims.urls")),
    path("loyalty/", include("credo.loyalty.urls")),
    path("api/", api.urls),
    re_path(r"^api/", unknown_url),
    path("admin/", admin.site.urls),
    path("media/<path:path>", core_views.protected_media, name="media"),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
else:
    urlpatterns += [path("static/<path:path>", serve, {"document_root": settings.STATIC_ROOT})]
