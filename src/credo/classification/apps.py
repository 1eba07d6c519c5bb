from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def sales_classes(customer_ids) -> dict[int, str]:
    """Risk provider: {customer id: effective pyramid class of the latest pyramid snapshot}."""
    from .queries import latest_pyramid_classes

    return latest_pyramid_classes(customer_ids)


class ClassificationConfig(AppConfig):
    name = "credo.classification"
    label = "classification"
    verbose_name = _("Customer classification")

    def ready(self):
        from credo.core.context import NAVIGATION
        from credo.customers.card import register_tab
        from credo.risk.sources import SALES_CLASS_PROVIDERS

        from .views import classification_tab_context

        register_tab("classification", _("Classification"), "classification/tabs/classification.html",
                     classification_tab_context, permission="classification.view")
        if not any(str(label) == str(_("Customer classification")) for label, _items in NAVIGATION):
            NAVIGATION.append((_("Customer classification"), [
                (_("Customer pyramid"), "classification:pyramid", "classification.view", "chart-arcs"),
                (_("Class movement"), "classification:movement", "classification.view", "arrows-exchange"),
                (_("Lifecycle × importance"), "classification:grid", "classification.view", "layout-grid"),
                (_("Service policy per class"), "classification:policy", "classification.view", "clipboard-list"),
            ]))

        if sales_classes not in SALES_CLASS_PROVIDERS:
            SALES_CLASS_PROVIDERS.append(sales_classes)
