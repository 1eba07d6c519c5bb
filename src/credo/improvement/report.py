"""The complaint management view's section of open improvement actions: the actions not yet verified (nor
cancelled) that serve complaints of the customers in the user's scope and the view's customer filters, whatever
the period (an action outlives the month its complaint came in), overdue first."""

from collections import Counter

from django.db.models import Count
from django.utils.translation import gettext as _

from credo.analysis.queries import AnalysisFilter, Column, Report, customer_filter
from credo.complaints.report import bar_chart
from credo.core.clock import business_today

from .models import ActionComplaint, ActionStatus, ImprovementAction

OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE)


def open_actions_section(user, flt: AnalysisFilter) -> Report:
    today = business_today()
    links = ActionComplaint.objects.filter(customer_filter(user, flt, "customer__"))
    served = dict(links.values("action_id").annotate(n=Count("complaint_id", distinct=True)).order_by()
                  .values_list("action_id", "n"))
    actions = (ImprovementAction.objects.filter(pk__in=list(served), status__in=OPEN_STATUSES)
               .select_related("owner").order_by("due_date", "pk"))
    rows = []
    for action in actions:
        rows.append({"key": action.pk, "name": action.title, "kind": action.get_kind_display(),
                     "owner": action.owner.username, "due_date": action.due_date.isoformat(),
                     "status": action.get_status_display(), "overdue": _("yes") if action.is_overdue(today) else "",
                     "complaints": served[action.pk]})
    rows.sort(key=lambda r: (r["overdue"] == "", r["due_date"]))
    by_status = Counter(r["status"] for r in rows)
    columns = [Column("name", _("Improvement action")), Column("kind", _("Kind")), Column("owner", _("Owner")),
               Column("due_date", _("Due")), Column("status", _("Status")), Column("overdue", _("Overdue")),
               Column("complaints", _("Complaints served"), "int")]
    totals = {"name": _("Total"), "complaints": sum(r["complaints"] for r in rows)} if rows else {}
    return Report("open_actions", _("Open improvement actions"), columns, rows, totals,
                  bar_chart(list(by_status), [(_("Actions"), list(by_status.values()))]))
