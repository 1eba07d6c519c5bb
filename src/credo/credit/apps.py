from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "credo.credit"
    label = "credit"
    verbose_name = _("Credit control")

    def ready(self):
        from credo.collection import dunning
        from credo.core.context import NAVIGATION, add_navigation
        from credo.core.home import HOME_PANELS
        from credo.customers.card import register_tab
        from credo.customers.services import MERGE_HANDLERS
        from credo.sales import orders
        from credo.sales import services as ledger

        from . import control, events  # noqa: F401  (events registers timeline event kinds)
        from .panels import held_orders_panel, pending_approvals_panel
        from .queries import collection_plans
        from .services import merge_profiles, on_receipt, on_reversal
        from .views import credit_tab_context

        _add_once(orders.CONFIRMATION_CHECKS, control.order_check)
        _add_once(ledger.INVOICE_CHECKS, control.invoice_check)
        _add_once(ledger.CREDIT_DAYS_RULES, control.credit_days_rule)
        _add_once(ledger.RECEIPT_HOOKS, on_receipt)
        _add_once(ledger.REVERSAL_HOOKS, on_reversal)
        _add_once(dunning.COLLECTION_PLANS, collection_plans)
        MERGE_HANDLERS["credit.creditprofile"] = merge_profiles
        HOME_PANELS[:0] = [pending_approvals_panel]
        HOME_PANELS.append(held_orders_panel)
        register_tab("credit", _("Credit"), "credit/tabs/credit.html", credit_tab_context, permission="credit.view",
                     after="collection")
        add_navigation(NAVIGATION, _("Credit"), [
            (_("Approvals"), "credit:approvals", "credit.view", "gavel"),
            (_("Orders on credit hold"), "credit:held_orders", "credit.view", "lock"),
            (_("Credit stops"), "credit:stops", "credit.view", "ban"),
            (_("Limit reviews"), "credit:reviews", "credit.approve", "calendar-check"),
        ])


def _add_once(hooks: list, function):
    if function not in hooks:
        hooks.append(function)
