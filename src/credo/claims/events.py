from django.utils.translation import gettext_lazy as _

from credo.core import timeline

CREATED = timeline.register("claims.created", _("Claim recorded"), "receipt-refund", "orange")
SUBMITTED = timeline.register("claims.submitted", _("Claim submitted for approval"), "send", "orange")
APPROVED = timeline.register("claims.approved", _("Claim approved"), "check", "green")
REJECTED = timeline.register("claims.rejected", _("Claim rejected"), "x", "red")
SETTLED = timeline.register("claims.settled", _("Claim settled by credit note"), "receipt-refund", "green")
WITHDRAWN = timeline.register("claims.withdrawn", _("Claim withdrawn"), "arrow-back-up", "secondary")
RETURNED = timeline.register("claims.returned", _("Claimed goods returned"), "truck-return", "blue")
