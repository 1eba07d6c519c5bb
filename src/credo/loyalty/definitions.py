"""The indicators' names and the definitions the pages, the workbook and the API show beside them."""

from django.utils.translation import gettext_lazy as _

from . import rules

INDICATORS = {
    "repurchase_rate": (_("Repurchase rate (回头率)"), _(
        "Of the customers with a goods invoice in the period, the share with two or more goods invoices in it.")),
    "complaint_rate": (_("Complaint rate (投诉率)"), _(
        "Complaints received in the period per 100 orders placed in it (cancelled orders left out).")),
    "average_transaction": (_("Average transaction amount (单次交易购买额)"), _(
        "Goods sales in the period divided by the number of goods invoices in it.")),
    "price_sensitivity": (_("Price sensitivity"), _(
        "Change of the volume bought at list prices between the previous period of the same length and this one, "
        "divided by the change of the average discount off list price. Positive: buys more when the discount "
        "grows. — when there is nothing to compare or the discount did not move.")),
    "tolerance": (_("Tolerance of quality incidents"), _(
        "Of the complaints received in the period, the share after which the customer placed an order within "
        "%(days)s days; beside it, the orders in the %(days)s days after the complaints against those before.")),
    "share_of_wallet": (_("Share of wallet"), _(
        "Goods sales divided by the customer's potential for the period (the annual estimate of the value "
        "segments × days / 365). — without an estimate.")),
    "repeat_rate": (_("Repeat-purchase rate"), _(
        "Months with a goods invoice divided by the months the customer could buy in: every month the period "
        "touches, from the month of its first order when the customer is new (first order ever inside the "
        "period).")),
    "stage": (_("Loyalty stage"), _(
        "Behavioural, emotional or cognitive: the first stage whose thresholds the customer's figures all reach "
        "(editable rules); a share of wallet or tolerance that cannot be computed does not hold it back.")),
    "rfm": (_("RFM"), _(
        "Recency (days from the last goods invoice to the end of the period), frequency (goods invoices) and "
        "monetary value (goods sales) of the customers who bought in the period, each scored 1–5 by quintile; "
        "ties score alike, 5 is best.")),
}

STAGE_LABELS = {rules.BEHAVIOURAL: _("Behavioural (行为)"), rules.EMOTIONAL: _("Emotional (情感)"),
                rules.COGNITIVE: _("Cognitive (认知)")}
METRIC_LABELS = {"invoices": _("Goods invoices at least"), "repeat_rate": _("Repeat-purchase rate at least"),
                 "share_of_wallet": _("Share of wallet at least"), "tolerance": _("Tolerance at least")}


def title(key: str) -> str:
    return str(INDICATORS[key][0])


def definition(key: str) -> str:
    return str(INDICATORS[key][1]) % {"days": rules.DEFAULT_TOLERANCE_DAYS} if key == "tolerance" else str(
        INDICATORS[key][1])


def stage_label(code: str | None) -> str:
    return str(STAGE_LABELS[code]) if code else str(_("No purchase in the period"))


def all_definitions() -> list[dict]:
    return [{"key": k, "title": str(t), "definition": definition(k)} for k, (t, _d) in INDICATORS.items()]
