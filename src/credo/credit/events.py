from django.utils.translation import gettext_lazy as _

from credo.core import timeline

APPLIED = timeline.register("credit.applied", _("Credit application submitted"), "file-certificate", "azure")
REVIEWED = timeline.register("credit.reviewed", _("Credit application reviewed"), "file-search", "azure")
APPROVED = timeline.register("credit.approved", _("Credit application approved"), "circle-check", "green")
REJECTED = timeline.register("credit.rejected", _("Credit application rejected"), "circle-x", "red")
LIMIT_SET = timeline.register("credit.limit_set", _("Credit limit set"), "coin-yuan", "green")
STOPPED = timeline.register("credit.stopped", _("Credit stopped: cash only"), "ban", "red")
STOP_LIFTED = timeline.register("credit.stop_lifted", _("Credit stop lifted"), "lock-open", "green")
TRADE_STOPPED = timeline.register("credit.trade_stopped", _("Trade stopped"), "hand-stop", "red")
TRADE_RESUMED = timeline.register("credit.trade_resumed", _("Trade resumed"), "player-play", "green")
TRADE_STARTED = timeline.register("credit.trade_started", _("Credit sales started"), "player-play", "green")
POLICY_CHANGED = timeline.register("credit.policy_changed", _("Credit policy changed"), "adjustments", "azure")
