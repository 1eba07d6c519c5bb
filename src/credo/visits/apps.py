from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "credo.visits"
    label = "visits"
    verbose_name = _("Visits")

    def ready(self):
        from credo.core.context import NAVIGATION
        from credo.core.home import HOME_PANELS
        from credo.customers.card import register_tab

        from . import events  # noqa: F401  (registers timeline event kinds)
        from .panels import overdue_contacts_panel
        from .views import visits_tab_context

        HOME_PANELS.append(overdue_contacts_panel)
        NAVIGATION.append((_("Visits"), [
            (_("My plan"), "visits:my_plan", "visits.view", "walk"),
            (_("Team plan"), "visits:team_plan", "visits.plan", "route"),
            (_("Visit compliance"), "visits:compliance", "visits.view", "chart-bar"),
            (_("Visit policy"), "visits:policy", "visits.view", "table"),
        ]))
        register_tab("visits", _("Visits"), "visits/tabs/visits.html", visits_tab_context,
                     permission="visits.view", after="overview")
