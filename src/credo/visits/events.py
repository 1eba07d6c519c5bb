from django.utils.translation import gettext_lazy as _

from credo.core import timeline

VISIT_DONE = timeline.register("visits.visit", _("Visit"), "walk", "azure")
CALL_DONE = timeline.register("visits.call", _("Phone call"), "phone", "azure")
VISIT_MISSED = timeline.register("visits.missed", _("Planned contact missed"), "calendar-x", "orange")
MAIL_DONE = timeline.register("visits.mail", _("Mail follow-up"), "mail", "azure")
