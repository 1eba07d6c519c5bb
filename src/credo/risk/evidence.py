"""The evidence of a computed signal in words, from the figures the rule returned (in the reader's language)."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from credo.core.money import format_money

from .models import SignalKind


def _money(value) -> str:
    try:
        return format_money(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def describe(kind: str, f: dict) -> str:
    f = f or {}
    g = f.get
    if kind == SignalKind.PAYING_LATER:
        return _("Paid on average %(now)s days late in the last %(days)s days (%(n)s payments), against %(then)s "
                 "days late before (%(m)s payments).") % {
            "now": g("recent_days_late"), "days": g("recent_window_days", 90), "n": g("recent_payments"),
            "then": g("before_days_late"), "m": g("before_payments")}
    if kind == SignalKind.LATE_MORE_OFTEN:
        return _("%(now)s%% of payments after the due date in the last %(days)s days (%(late)s of %(n)s), against "
                 "%(then)s%% before (%(blate)s of %(m)s).") % {
            "now": g("recent_late_share"), "days": g("recent_window_days", 90), "late": g("recent_late"),
            "n": g("recent_payments"), "then": g("before_late_share"), "blate": g("before_late"),
            "m": g("before_payments")}
    if kind == SignalKind.BROKEN_PROMISES:
        return _("%(n)s promises to pay broken in the last %(months)s months.") % {
            "n": g("broken"), "months": g("months")}
    if kind == SignalKind.BOUNCED_CHEQUES:
        return _("%(n)s cheques bounced in the last %(months)s months.") % {"n": g("bounced"), "months": g("months")}
    if kind == SignalKind.BANK_CHANGES:
        return _("Bank account changed %(n)s times in the last %(months)s months.") % {
            "n": g("changes"), "months": g("months")}
    if kind == SignalKind.ORDER_ABOVE_USUAL:
        return _("Order of %(amount)s is %(times)s× its median order of %(median)s (%(n)s orders in the year "
                 "before).") % {"amount": _money(g("order_amount")), "times": g("times_median"),
                               "median": _money(g("median")), "n": g("earlier_orders")}
    if kind == SignalKind.ORDER_ABOVE_REGION:
        return _("Order of %(amount)s is %(times)s× the average order in %(territory)s (%(average)s).") % {
            "amount": _money(g("order_amount")), "times": g("times_average"), "territory": g("territory"),
            "average": _money(g("territory_average"))}
    if kind == SignalKind.MANY_NOTES:
        return _("%(share)s%% of the money received in the last %(months)s months came as promissory notes "
                 "(%(n)s notes, %(amount)s of %(total)s).") % {
            "share": g("share"), "months": g("months"), "n": g("notes"), "amount": _money(g("notes_amount")),
            "total": _money(g("received"))}
    if kind == SignalKind.SALES_DOWN_OVERDUE_UP:
        rise = g("overdue_rise")
        overdue = (_("overdue up %(rise)s%% from %(before)s to %(now)s") if rise is not None
                   else _("overdue up from %(before)s to %(now)s")) % {
            "rise": rise, "before": _money(g("overdue_before")), "now": _money(g("overdue_now"))}
        return _("Sales of the last 90 days %(now)s, down %(drop)s%% on the 90 days before (%(before)s); "
                 "%(overdue)s.") % {"now": _money(g("sales_now")), "drop": g("sales_drop"),
                                    "before": _money(g("sales_before")), "overdue": overdue}
    if kind == SignalKind.NEW_CUSTOMER_LARGE_ORDER:
        who = _("a new customer") if g("new") else _("a customer with %(n)s earlier orders") % {
            "n": g("earlier_orders")}
        return _("Order of %(amount)s from %(who)s (alert from %(minimum)s).") % {
            "amount": _money(g("order_amount")), "who": who, "minimum": _money(g("minimum"))}
    if kind == SignalKind.WEAK_CUSTOMER_LARGE_ORDER:
        return _("Order of %(amount)s from a customer rated %(level)s (alert from %(minimum)s).") % {
            "amount": _money(g("order_amount")), "level": g("risk_level"), "minimum": _money(g("minimum"))}
    if kind == SignalKind.COMPLAINT_LOAD:
        if g("orders"):
            return _("%(n)s complaints in the last %(months)s months on %(orders)s orders (%(per)s per order).") % {
                "n": g("complaints"), "months": g("months"), "orders": g("orders"), "per": g("per_order")}
        return _("%(n)s complaints in the last %(months)s months and no order.") % {
            "n": g("complaints"), "months": g("months")}
    return ""


def evidence_text(signal) -> str:
    """What the card and the watch list show: the words for computed figures, the staff's text otherwise."""
    if signal.source == "computed":
        return describe(signal.kind, signal.figures) or signal.evidence
    return signal.evidence
