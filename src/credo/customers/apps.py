from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "credo.customers"
    label = "customers"
    verbose_name = _("Customer file")

    def ready(self):
        from credo.core.home import HOME_PANELS

        from . import events  # noqa: F401  (registers timeline event kinds)
        from .panels import birthdays_panel

        HOME_PANELS.append(birthdays_panel)
