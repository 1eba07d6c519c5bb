from django.utils.translation import gettext_lazy as _

from credo.core import timeline

CASE_OPENED = timeline.register("collection.opened", _("Collection case opened"), "alert-triangle", "orange")
CASE_ESCALATED = timeline.register("collection.escalated", _("Collection case escalated"), "arrow-big-up", "red")
CASE_LEGAL = timeline.register("collection.legal", _("Handed over to legal"), "gavel", "red")
CASE_CLOSED = timeline.register("collection.closed", _("Collection case closed"), "circle-check", "green")
PROMISE_RECORDED = timeline.register("collection.promise", _("Promise to pay recorded"), "calendar-due", "azure")
PROMISE_BROKEN = timeline.register("collection.promise_broken", _("Promise to pay broken"), "calendar-x", "red")
PLAN_AGREED = timeline.register("collection.plan", _("Instalment plan agreed"), "calendar-stats", "azure")
MEASURE_RECORDED = timeline.register("collection.measure", _("Bad-debt measure taken"), "shield", "orange")
LETTER_SENT = timeline.register("collection.letter", _("Dunning letter issued"), "mail-exclamation", "orange")
INTEREST_CHARGED = timeline.register("collection.interest", _("Penalty interest charged"), "percentage", "orange")
