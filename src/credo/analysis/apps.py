from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "credo.analysis"
    label = "analysis"
    verbose_name = _("Customer analysis")

    def ready(self):
        from credo.core.context import NAVIGATION

        entries = [
            (_("Customer composition"), "analysis:composition", "analysis.view", "chart-pie"),
            (_("Transactions"), "analysis:transactions", "analysis.view", "chart-line"),
            (_("Product composition"), "analysis:products", "analysis.view", "chart-bar"),
            (_("Gross margin"), "analysis:margin", "analysis.view", "percentage"),
            (_("Cross and contribution ratios"), "analysis:cross", "analysis.view", "arrows-cross"),
            (_("Turnover at dealers"), "analysis:turnover", "analysis.view", "refresh"),
            (_("Customer product mix"), "analysis:mix", "analysis.view", "chart-bar-popular"),
            (_("Dealer stock"), "analysis:stock", "analysis.view", "packages"),
        ]
        if not any(str(label) == str(_("Analysis")) for label, _items in NAVIGATION):
            NAVIGATION.append((_("Analysis"), entries))
