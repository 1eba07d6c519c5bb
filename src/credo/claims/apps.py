from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "credo.claims"
    label = "claims"
    verbose_name = _("Claims")

    def ready(self):
        from credo.complaints.cards import DETAIL_CARDS, SERVICE_PARTS
        from credo.core.context import NAVIGATION, add_navigation
        from credo.sales.views import CREDIT_NOTE_REFERENCES
        from credo.segments.costs import COST_SOURCES

        from . import events  # noqa: F401  (registers timeline event kinds)
        from .costs import settled_claim_costs
        from .queries import credit_note_references
        from .views import complaint_card, service_tab_part

        add_navigation(NAVIGATION, _("Service"), [(_("Claims"), "claims:list", "claims.view", "receipt-refund")])
        if service_tab_part not in SERVICE_PARTS:
            SERVICE_PARTS.append(service_tab_part)
        if complaint_card not in DETAIL_CARDS:
            DETAIL_CARDS.append(complaint_card)
        if credit_note_references not in CREDIT_NOTE_REFERENCES:
            CREDIT_NOTE_REFERENCES.append(credit_note_references)
        if settled_claim_costs not in COST_SOURCES:
            COST_SOURCES.append(settled_claim_costs)
