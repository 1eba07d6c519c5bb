"""Recovery costs in the customer's value (credo.segments.costs.COST_SOURCES).

What a service recovery cost — the discount, the replacement goods, the gift, the travel of an on-site visit —
is added to the customer's complaint cost (segments rules.COMPLAINT). The visit-purpose proxy that segments
already counts (visits and calls done for a complaint, priced by the cost rates) stays: it prices the staff's
contact time, while a recovery's cost is the money or goods given to the customer, so the two never price the
same thing. For an on-site visit the recovery form asks for the cost beyond the visit itself (which, when
recorded as a visit, the proxy has priced already), so nothing is counted twice.
"""

from credo.segments import rules as segment_rules

from . import queries


def recovery_cost_source(period_from, period_to, rates) -> dict:
    return {cid: {segment_rules.COMPLAINT: total}
            for cid, total in queries.recovery_costs(period_from, period_to).items()}
