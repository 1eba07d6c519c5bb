from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LimitsConfig(AppConfig):
    name = "credo.limits"
    label = "limits"
    verbose_name = _("Credit limits")

    def ready(self):
        from credo.core.context import NAVIGATION, add_navigation
        from credo.customers.card import register_tab

        from . import events  # noqa: F401  (registers timeline event kinds)
        from .views import limits_tab_context

        register_tab("limits", _("Credit limits"), "limits/tabs/limits.html", limits_tab_context,
                     permission="credit.view", after="collection")
        add_navigation(NAVIGATION, _("Credit"), [(_("Limit calculator"), "limits:calculator", "credit.view",
                                                  "calculator")])
