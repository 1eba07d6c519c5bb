from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceDeskConfig(AppConfig):
    name = "credo.servicedesk"
    label = "servicedesk"
    verbose_name = _("Service desk")

    def ready(self):
        from credo.core.context import NAVIGATION
        from credo.core.home import HOME_PANELS
        from credo.customers.card import register_tab
        from credo.sla import registry

        from . import events  # noqa: F401  (registers timeline event kinds)
        from .panels import due_soonest_panel
        from .views import servicedesk_tab_context

        registry.register("ticket", describe=_describe, url=_url)
        HOME_PANELS.insert(0, due_soonest_panel)  # a service person starts the day with what falls due
        NAVIGATION.append((_("Service desk"), [
            (_("Service requests"), "servicedesk:queue", "servicedesk.view", "lifebuoy"),
            (_("New service request"), "servicedesk:intake", "servicedesk.intake", "plus"),
            (_("Service contracts"), "servicedesk:contracts", "servicedesk.view", "file-certificate"),
            (_("Knowledge base"), "servicedesk:articles", "kb.view", "books"),
        ]))
        register_tab("servicedesk", _("Service"), "servicedesk/tabs/servicedesk.html", servicedesk_tab_context,
                     permission="servicedesk.view", after="overview")


def _describe(ids):
    from .models import Ticket

    return {pk: f"{number} {subject}"[:120]
            for pk, number, subject in Ticket.objects.filter(pk__in=ids).values_list("pk", "number", "subject")}


def _url(pk):
    from django.urls import reverse

    return reverse("servicedesk:ticket", args=[pk])
