from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingConfig(AppConfig):
    name = "credo.rating"
    label = "rating"
    verbose_name = _("Credit file and rating")

    def ready(self):
        from credo.core.context import NAVIGATION, add_navigation
        from credo.core.home import HOME_PANELS
        from credo.customers.card import register_tab
        from credo.customers.services import MERGE_HANDLERS

        from . import events  # noqa: F401  (registers timeline event kinds)
        from .merging import merge_ratings, merge_statements
        from .panels import ratings_due_panel
        from .views import credit_file_tab_context

        MERGE_HANDLERS["rating.financialstatement"] = merge_statements
        MERGE_HANDLERS["rating.rating"] = merge_ratings
        if ratings_due_panel not in HOME_PANELS:
            HOME_PANELS.append(ratings_due_panel)
        register_tab("credit_file", _("Credit file"), "rating/tabs/credit_file.html", credit_file_tab_context,
                     permission="credit.view", after="collection")
        add_navigation(NAVIGATION, _("Credit"), [
            (_("Ratings due"), "rating:due", "credit.rate", "award"),
            (_("Rating policy"), "rating:policy", "credit.view", "adjustments"),
        ])
