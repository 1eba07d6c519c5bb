from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SegmentsConfig(AppConfig):
    name = "credo.segments"
    label = "segments"
    verbose_name = _("Customer value")

    def ready(self):
        from credo.core.context import NAVIGATION, add_navigation
        from credo.customers.card import register_tab

        from .views import value_tab_context

        register_tab("value", _("Customer value"), "segments/tabs/value.html", value_tab_context,
                     permission="classification.view", after="classification")
        add_navigation(NAVIGATION, _("Customer classification"), [
            (_("Value segments"), "segments:index", "classification.view", "diamond"),
            (_("Customers to review"), "segments:review", "classification.view", "list-check"),
        ])
