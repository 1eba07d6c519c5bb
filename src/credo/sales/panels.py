"""Home-page panel of the ledger: receivables at a glance, from the kept balance rows (no invoice scan)."""

from datetime import timedelta

from django.db.models import Count, Q, Sum

from credo.core.clock import business_today
from credo.core.roles import has_perm
from credo.core.scopes import limit_to_scope

from .models import CustomerBalance, Invoice, WriteOff


def receivables_panel(user):
    if not has_perm(user, "ledger.view"):
        return None
    today = business_today()
    balances = limit_to_scope(CustomerBalance.objects.filter(customer__is_active=True), user, prefix="customer__")
    overdue = Q(oldest_open_due_date__lt=today)
    figures = balances.aggregate(total_receivable=Sum("receivable"), total_unapplied=Sum("unapplied_credit"),
                                 total_open_orders=Sum("open_orders"), debtors=Count("pk", filter=Q(receivable__gt=0)),
                                 overdue_customers=Count("pk", filter=overdue))
    if not figures["debtors"] and not figures["total_unapplied"]:
        return None
    worst = (balances.filter(overdue).select_related("customer").order_by("oldest_open_due_date", "-receivable")[:8])
    for row in worst:
        row.days_overdue = (today - row.oldest_open_due_date).days
    return {"template": "sales/panels/receivables.html", "figures": figures, "worst": worst,
            "can_post": has_perm(user, "ledger.post")}


DUE_SOON_DAYS = 7


def due_soon_panel(user):
    """Open invoices falling due within a week (follow up before the due date), flagging those never
    sent or never confirmed by the customer."""
    if not has_perm(user, "ledger.track_delivery"):
        return None
    today = business_today()
    invoices = limit_to_scope(Invoice.objects.filter(open_amount__gt=0, customer__is_active=True), user,
                              prefix="customer__")
    soon = list(invoices.filter(due_date__gte=today, due_date__lte=today + timedelta(days=DUE_SOON_DAYS))
                .select_related("customer").order_by("due_date", "id")[:15])
    if not soon:
        return None
    for invoice in soon:
        invoice.days_left = (invoice.due_date - today).days
    return {"template": "sales/panels/due_soon.html", "invoices": soon, "days": DUE_SOON_DAYS}


def write_offs_to_decide_panel(user):
    """Write-off requests waiting for this approver (never their own)."""
    if not has_perm(user, "ledger.write_off_approve"):
        return None
    pending = (limit_to_scope(WriteOff.objects.filter(status=WriteOff.Status.REQUESTED), user, prefix="customer__")
               .exclude(requested_by=user).select_related("customer", "invoice", "requested_by")
               .order_by("requested_at")[:20])
    pending = list(pending)
    if not pending:
        return None
    return {"template": "sales/panels/write_offs.html", "write_offs": pending}
