from django.utils.translation import gettext_lazy as _

from credo.core import timeline

STATEMENT_ENTERED = timeline.register("rating.statement", _("Financial statement entered"), "report-money", "azure")
INVESTIGATION_RECORDED = timeline.register("rating.investigation", _("Credit investigation recorded"), "search",
                                           "azure")
INVESTIGATION_COMPLETED = timeline.register("rating.investigation_completed", _("Credit investigation completed"),
                                            "search", "green")
FIVEC_EVALUATED = timeline.register("rating.fivec", _("5C evaluation"), "list-check", "azure")
RATED = timeline.register("rating.rated", _("Credit rating"), "award", "green")
GRADE_DOWN = timeline.register("rating.grade_down", _("Credit grade lowered"), "trending-down", "red")
GRADE_UP = timeline.register("rating.grade_up", _("Credit grade raised"), "trending-up", "green")
