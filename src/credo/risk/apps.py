from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "credo.risk"
    label = "risk"
    verbose_name = _("Risk classes and signals")

    def ready(self):
        from credo.core.context import NAVIGATION, add_navigation
        from credo.core.home import HOME_PANELS
        from credo.customers.card import register_tab
        from credo.customers.services import MERGE_HANDLERS

        from . import events  # noqa: F401  (registers timeline event kinds)
        from .panels import new_signals_panel
        from .services import merge_classes, merge_signals
        from .views import risk_tab_context

        MERGE_HANDLERS["risk.risksignal"] = merge_signals
        MERGE_HANDLERS["risk.riskclassassignment"] = merge_classes
        HOME_PANELS.append(new_signals_panel)
        register_tab("risk", _("Risk"), "risk/tabs/risk.html", risk_tab_context, permission="risk.view",
                     after="credit_file")
        add_navigation(NAVIGATION, _("Credit"), [(_("Risk watch list"), "risk:watchlist", "risk.view", "radar")])
