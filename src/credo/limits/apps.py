from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LimitsConfig(AppConfig):
    name = "credo.limits"
    label = "limits"
    verbose_name = _("Credit limits")
