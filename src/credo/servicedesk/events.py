from django.utils.translation import gettext_lazy as _

from credo.core import timeline

TICKET_OPENED = timeline.register("servicedesk.ticket", _("Service request"), "lifebuoy", "cyan")
TICKET_RESOLVED = timeline.register("servicedesk.resolved", _("Service request resolved"), "circle-check", "green")
TICKET_CONVERTED = timeline.register("servicedesk.converted", _("Service request became a complaint"),
                                     "alert-triangle", "orange")
CONTRACT_SAVED = timeline.register("servicedesk.contract", _("Service contract"), "file-certificate", "cyan")
