"""Tabs that other apps add to the customer card (like the timeline registry).

register_tab("ledger", _("Ledger"), "sales/tabs/ledger.html", context=fn(request, customer) -> dict,
             permission="ledger.view", after="overview")
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CardTab:
    code: str
    label: object
    template: str
    context: object  # callable(request, customer) -> dict
    permission: str | None = None
    after: str = "overview"


_tabs: dict[str, CardTab] = {}


def register_tab(code, label, template, context, permission=None, after="overview") -> CardTab:
    tab = CardTab(code, label, template, context, permission, after)
    _tabs[code] = tab
    return tab


def extra_tabs() -> list[CardTab]:
    return list(_tabs.values())
