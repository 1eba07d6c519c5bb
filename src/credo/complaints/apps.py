from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "credo.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from credo.core.context import NAVIGATION
        from credo.core.home import HOME_PANELS
        from credo.customers.card import register_tab
        from credo.sla import registry
        from credo.sla.models import Kind

        from . import events  # noqa: F401  (registers timeline event kinds)
        from .panels import due_soonest_panel
        from .queries import describe
        from .views import service_tab_context

        registry.register(Kind.COMPLAINT, describe=describe, url=lambda pk: f"/complaints/{pk}/")
        HOME_PANELS.append(due_soonest_panel)
        NAVIGATION.append((_("Service"), [
            (_("Complaints"), "complaints:queue", "complaints.view", "message-report"),
            (_("Take a complaint in"), "complaints:intake", "complaints.intake", "message-plus"),
            (_("Complaint management view"), "complaints:report", "complaints.report", "chart-bar"),
        ]))
        register_tab("service", _("Service"), "complaints/tabs/service.html", service_tab_context,
                     permission="complaints.view", after="overview")
