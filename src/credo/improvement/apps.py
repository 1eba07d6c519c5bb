from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "credo.improvement"
    label = "improvement"
    verbose_name = _("Service improvement")

    def ready(self):
        from credo.complaints.cards import DETAIL_CARDS
        from credo.complaints.report import EXTRA_SECTIONS
        from credo.core.context import NAVIGATION, add_navigation
        from credo.segments.costs import COST_SOURCES

        from . import events  # noqa: F401  (registers the timeline event kind)
        from .costs import recovery_cost_source
        from .views import complaint_cards

        if recovery_cost_source not in COST_SOURCES:
            COST_SOURCES.append(recovery_cost_source)
        from .report import open_actions_section

        if open_actions_section not in EXTRA_SECTIONS:
            EXTRA_SECTIONS.append(open_actions_section)
        if complaint_cards not in DETAIL_CARDS:
            DETAIL_CARDS.append(complaint_cards)
        add_navigation(NAVIGATION, _("Service"), [
            (_("Improvement actions"), "improvement:list", "improvement.view", "checkup-list"),
            (_("Service promises"), "improvement:promises", "improvement.view", "rosette"),
            (_("Service recovery"), "improvement:recoveries", "improvement.view", "heart-handshake"),
        ])
