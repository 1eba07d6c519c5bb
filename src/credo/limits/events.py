from django.utils.translation import gettext_lazy as _

from credo.core import timeline

LIMITS_PROPOSED = timeline.register("limits.proposed", _("Credit limits proposed"), "calculator", "azure")
