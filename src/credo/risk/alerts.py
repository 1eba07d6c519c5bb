"""Who hears about a new risk signal: on a key customer, or one whose receivable is above the settings'
threshold, its account manager and every active credit controller get one notification per customer
(in-app; e-mail too when mail is configured). Signals on other customers only show on the watch list."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from credo.core.models import Notification
from credo.core.notifications import notify_many
from credo.core.roles import Role
from credo.customers.models import Importance

from .evidence import evidence_text
from .queries import receivables


def credit_controllers() -> list:
    return list(get_user_model().objects.filter(is_active=True, profile__role=Role.CREDIT_CONTROLLER)
                .order_by("pk"))


def needs_alert(importance: str, receivable: Decimal, threshold: Decimal) -> bool:
    return importance == Importance.KEY or receivable > threshold


def alert_new_signals(new_signals: dict[int, list], customers: dict[int, dict], threshold: Decimal, *,
                      controllers: list | None = None, exclude_user_id: int | None = None) -> int:
    """new_signals: {customer_id: [RiskSignal]} just created; customers: {id: {"code", "name", "importance",
    "account_manager_id"}}. Returns the number of notifications written."""
    if not new_signals:
        return 0
    owed = receivables(new_signals)
    wanted = [cid for cid in new_signals
              if needs_alert(customers[cid]["importance"], owed.get(cid, Decimal("0")), threshold)]
    if not wanted:
        return 0
    controllers = credit_controllers() if controllers is None else controllers
    manager_ids = {customers[cid]["account_manager_id"] for cid in wanted} - {None}
    managers = {u.pk: u for u in get_user_model().objects.filter(pk__in=manager_ids, is_active=True)}
    rows = []
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the company's language
        for cid in wanted:
            customer = customers[cid]
            recipients = {u.pk: u for u in controllers}
            manager = managers.get(customer["account_manager_id"])
            if manager is not None:
                recipients[manager.pk] = manager
            recipients.pop(exclude_user_id, None)
            if not recipients:
                continue
            reason = (_("key customer") if customer["importance"] == Importance.KEY
                      else _("receivable %(amount)s") % {"amount": f"¥{owed.get(cid, 0):,.2f}"})
            signals = new_signals[cid]
            title = _("New risk signal: %(code)s %(name)s") % {"code": customer["code"], "name": customer["name"]}
            lines = [f"· {s.get_kind_display()}: {evidence_text(s)}".rstrip(": ") for s in signals]
            heading = ngettext("%(count)d new risk signal (%(reason)s):", "%(count)d new risk signals (%(reason)s):",
                               len(signals)) % {"count": len(signals), "reason": reason}
            body = heading + "\n" + "\n".join(lines)
            url = reverse("customers:detail", args=[cid]) + "?tab=risk"
            rows += [Notification(user=user, title=title[:200], body=body, url=url, customer_id=cid)
                     for user in recipients.values()]
    return len(notify_many(rows))
