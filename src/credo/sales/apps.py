from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "credo.sales"
    label = "sales"
    verbose_name = _("Sales ledger")

    def ready(self):
        from credo.core.home import HOME_PANELS
        from credo.customers.card import register_tab
        from credo.customers.services import MERGE_HANDLERS

        from . import events  # noqa: F401  (registers timeline event kinds)
        from .panels import due_soon_panel, receivables_panel, write_offs_to_decide_panel
        from .services import merge_balances, merge_month_sales
        from .views import ledger_tab_context

        MERGE_HANDLERS["sales.customerbalance"] = merge_balances
        MERGE_HANDLERS["sales.customermonthsales"] = merge_month_sales
        HOME_PANELS[:0] = [write_offs_to_decide_panel, receivables_panel, due_soon_panel]
        register_tab("ledger", _("Ledger"), "sales/tabs/ledger.html", ledger_tab_context, permission="ledger.view")
