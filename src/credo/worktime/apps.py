from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _changed(sender, **kwargs):
    from .models import touch_calendar

    if not kwargs.get("raw"):
        touch_calendar()


class WorktimeConfig(AppConfig):
    name = "credo.worktime"
    label = "worktime"
    verbose_name = _("Business calendar")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from credo.core.context import NAVIGATION_LAST, add_navigation

        from .models import Holiday, MakeUpDay, WorkingInterval, WorkWeek

        # Any change, whoever makes it (services, the admin, a shell), makes every process reload the calendar.
        for model in (WorkWeek, WorkingInterval, Holiday, MakeUpDay):
            post_save.connect(_changed, sender=model, dispatch_uid=f"worktime.changed.save.{model.__name__}")
            post_delete.connect(_changed, sender=model, dispatch_uid=f"worktime.changed.delete.{model.__name__}")
        add_navigation(NAVIGATION_LAST, _("Settings"), [
            (_("Business calendar"), "worktime:calendar", "worktime.manage", "calendar-cog"),
        ])
