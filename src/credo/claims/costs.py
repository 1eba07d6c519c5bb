"""What settled claims cost, in the customer's value (credo.segments.costs.COST_SOURCES): the credit note of each
claim settled in the period counts as complaint cost (segments rules.COMPLAINT). The value computation reads
goods sales from invoice lines, which a credit note does not change, so the money given back is counted once,
here."""

from django.db.models import Sum

from credo.segments import rules as segment_rules

from .models import Claim, Status


def settled_claim_costs(period_from, period_to, rates) -> dict:
    rows = (Claim.objects.filter(status=Status.SETTLED, settled_on__range=(period_from, period_to))
            .values("customer_id").annotate(total=Sum("credit_note__amount")).order_by())
    return {r["customer_id"]: {segment_rules.COMPLAINT: r["total"]} for r in rows if r["total"]}
