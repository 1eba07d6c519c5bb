"""Home-page panel: risk signals that appeared lately on the customers the user looks after (all customers
for credit controllers and others who see every customer)."""

import datetime

from credo.core.clock import business_today
from credo.core.roles import has_perm

from .watchlist import dress, recent_signals

PANEL_DAYS = 14
PANEL_SIZE = 10


def new_signals_panel(user):
    if not has_perm(user, "risk.view"):
        return None
    since = business_today() - datetime.timedelta(days=PANEL_DAYS)
    signals = list(recent_signals(user, since)[:PANEL_SIZE + 1])
    if not signals:
        return None
    dress(signals)
    return {"template": "risk/panels/new_signals.html", "signals": signals[:PANEL_SIZE],
            "more": len(signals) > PANEL_SIZE, "days": PANEL_DAYS}
