from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoyaltyConfig(AppConfig):
    name = "credo.loyalty"
    label = "loyalty"
    verbose_name = _("Loyalty")

    def ready(self):
        from credo.core.context import NAVIGATION, add_navigation
        from credo.customers.card import register_tab

        from .views import loyalty_tab_context

        register_tab("loyalty", _("Loyalty"), "loyalty/tabs/loyalty.html", loyalty_tab_context,
                     permission="loyalty.view", after="value")
        add_navigation(NAVIGATION, _("Service"), [
            (_("Loyalty"), "loyalty:index", "loyalty.view", "heart-handshake"),
        ])
