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
        from .panels import caring_panel, overdue_contacts_panel
        from .views import visits_tab_context

        HOME_PANELS.append(overdue_contacts_panel)
        # The caring panel lists the account manager's contacts' birthdays along with anniversaries and holidays
        # and records the greeting with one click: it takes the place of the customer file's birthday panel.
        from credo.customers.panels import birthdays_panel

        if birthdays_panel in HOME_PANELS:
            HOME_PANELS[HOME_PANELS.index(birthdays_panel)] = caring_panel
        else:
            HOME_PANELS.append(caring_panel)
        NAVIGATION.append((_("Visits"), [
            (_("My plan"), "visits:my_plan", "visits.view", "walk"),
            (_("Caring reminders"), "visits:caring", "visits.view", "heart-handshake"),
            (_("Team plan"), "visits:team_plan", "visits.plan", "route"),
            (_("Visit compliance"), "visits:compliance", "visits.view", "chart-bar"),
            (_("Visit policy"), "visits:policy", "visits.view", "table"),
        ]))
        register_tab("visits", _("Visits"), "visits/tabs/visits.html", visits_tab_context,
                     permission="visits.view", after="overview")
