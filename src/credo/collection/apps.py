from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionConfig(AppConfig):
    name = "credo.collection"
    label = "collection"
    verbose_name = _("Collection")

    def ready(self):
        from credo.core.home import HOME_PANELS
        from credo.customers.card import register_tab
        from credo.customers.services import MERGE_HANDLERS

        from . import events  # noqa: F401  (registers timeline event kinds)
        from .panels import my_cases_panel, promises_due_panel
        from .services import merge_cases
        from .views import collection_tab_context

        MERGE_HANDLERS["collection.collectioncase"] = merge_cases
        HOME_PANELS.extend([my_cases_panel, promises_due_panel])
        register_tab("collection", _("Collection"), "collection/tabs/collection.html", collection_tab_context,
                     permission="collection.view", after="ledger")
