from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def add_navigation(navigation: list, group_label, entries: list) -> None:
    """Add entries to the navigation group of that label (other credit apps may have created it first)."""
    for label, items in navigation:
        if str(label) == str(group_label):
            items.extend(e for e in entries if e[1] not in {i[1] for i in items})
            return
    navigation.append((group_label, list(entries)))


class LimitsConfig(AppConfig):
    name = "credo.limits"
    label = "limits"
    verbose_name = _("Credit limits")

    def ready(self):
        from credo.core.context import NAVIGATION
        from credo.customers.card import register_tab

        from . import events  # noqa: F401  (registers timeline event kinds)
        from .views import limits_tab_context

        register_tab("limits", _("Credit limits"), "limits/tabs/limits.html", limits_tab_context,
                     permission="credit.view", after="collection")
        add_navigation(NAVIGATION, _("Credit"), [(_("Limit calculator"), "limits:calculator", "credit.view",
                                                  "calculator")])
