from django.utils.translation import gettext_lazy as _

from credo.core import timeline

RECEIVED = timeline.register("complaints.received", _("Complaint received"), "message-report", "orange")
CLOSED = timeline.register("complaints.closed", _("Complaint closed"), "circle-check", "green")
REOPENED = timeline.register("complaints.reopened", _("Complaint reopened"), "rotate", "red")
