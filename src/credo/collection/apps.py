from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionConfig(AppConfig):
    name = "credo.collection"
    label = "collection"
    verbose_name = _("Collection")

    def ready(self):
        from . import events  # noqa: F401  (registers timeline event kinds)
