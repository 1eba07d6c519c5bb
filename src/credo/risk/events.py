from django.utils.translation import gettext_lazy as _

from credo.core import timeline

SIGNAL_DETECTED = timeline.register("risk.signal", _("Risk signal"), "alert-triangle", "red")
SIGNAL_CLEARED = timeline.register("risk.signal_cleared", _("Risk signal cleared"), "circle-check", "green")
CLASS_CHANGED = timeline.register("risk.class", _("Risk class changed"), "shield-half", "orange")
