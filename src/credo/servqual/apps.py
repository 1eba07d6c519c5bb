from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServqualConfig(AppConfig):
    name = "credo.servqual"
    label = "servqual"
    verbose_name = _("SERVQUAL")

    def ready(self):
        from credo.core.context import NAVIGATION, add_navigation

        add_navigation(NAVIGATION, _("Satisfaction"),
                       [(_("SERVQUAL instrument"), "servqual:instrument", "servqual.view", "clipboard-check"),
                        (_("SERVQUAL campaigns"), "servqual:campaigns", "servqual.view", "send")])
