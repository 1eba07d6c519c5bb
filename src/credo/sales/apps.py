from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "credo.sales"
    label = "sales"
    verbose_name = _("Sales ledger")

    def ready(self):
        from . import events  # noqa: F401  (registers timeline event kinds)
