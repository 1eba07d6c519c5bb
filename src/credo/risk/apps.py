from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "credo.risk"
    label = "risk"
    verbose_name = _("Risk classes and signals")

    def ready(self):
        from credo.core.context import NAVIGATION
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
        add_navigation(NAVIGATION, (_("Risk watch list"), "risk:watchlist", "risk.view", "radar"))


def add_navigation(navigation: list, item: tuple) -> None:
    """Put the item in the "Credit" group (another credit app may have created it already), once."""
    group_label = _("Credit")
    for title, items in navigation:
        if str(title) == str(group_label):
            if all(existing[1] != item[1] for existing in items):
                items.append(item)
            return
    navigation.append((group_label, [item]))
