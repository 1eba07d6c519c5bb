from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "credo.sla"
    label = "sla"
    verbose_name = _("Service levels")

    def ready(self):
        from credo.core.context import NAVIGATION, add_navigation

        add_navigation(NAVIGATION, _("Service"), [(_("Service levels"), "sla:levels", "sla.view", "clock-exclamation")])
