from django.utils.translation import gettext_lazy as _

from credo.core import timeline

INVOICE_POSTED = timeline.register("invoice.posted", _("Invoice posted"), "file-invoice", "blue")
RECEIPT_POSTED = timeline.register("receipt.posted", _("Payment received"), "cash", "green")
RECEIPT_REVERSED = timeline.register("receipt.reversed", _("Payment reversed (bounced)"), "cash-off", "red")
CREDIT_NOTE_POSTED = timeline.register("credit_note.posted", _("Credit note posted"), "receipt-refund", "orange")
WRITE_OFF_REQUESTED = timeline.register("write_off.requested", _("Write-off requested"), "file-x", "orange")
WRITE_OFF_POSTED = timeline.register("write_off.posted", _("Write-off posted"), "file-x", "red")
WRITE_OFF_RECOVERED = timeline.register("write_off.recovered", _("Recovered after write-off"), "cash", "green")
ORDER_CONFIRMED = timeline.register("order.confirmed", _("Order confirmed"), "shopping-cart", "azure")
ORDER_CANCELLED = timeline.register("order.cancelled", _("Order cancelled"), "shopping-cart-x", "secondary")
ORDER_HELD = timeline.register("order.held", _("Order on credit hold"), "lock", "red")
ORDER_CHANGED = timeline.register("order.changed", _("Order changed"), "shopping-cart", "azure")
ORDER_REOPENED = timeline.register("order.reopened", _("Order reopened"), "shopping-cart", "azure")
HOLD_RELEASED = timeline.register("order.hold_released", _("Credit hold released"), "lock-open", "green")
