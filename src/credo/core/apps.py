from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "credo.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import admin_names, checks  # noqa: F401  (checks: registers the production checks)

        admin_names.apply()
