from django.utils.translation import gettext_lazy as _

from credo.core import timeline

RECOVERY = timeline.register("improvement.recovery", _("Service recovery"), "heart-handshake", "pink")
