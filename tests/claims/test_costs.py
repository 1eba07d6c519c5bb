"""A settled claim's credit note is the customer's complaint cost in the value computation, in the period it was
settled (the money given back; goods sales come from the invoice lines, which the note does not change)."""

import datetime
from decimal import Decimal

import pytest

from credo.claims import services
from credo.claims.costs import settled_claim_costs
from credo.segments import costs, rules

pytestmark = pytest.mark.django_db


def test_a_settled_claim_is_complaint_cost_of_its_month(world, case):
    claim = services.create(world.service, case["complaint"], amount_claimed="1500.00", amount_agreed="1200.00",
                            reason="停线损失", lines=[(case["inv1"].pk, "800.00"), (case["inv2"].pk, "400.00")])
    assert settled_claim_costs(datetime.date(2026, 6, 1), datetime.date(2026, 6, 30), {}) == {}   # not settled
    services.submit(world.service, claim)
    services.approve(world.manager_east, claim)
    services.settle(world.finance, claim, settled_on=datetime.date(2026, 6, 15))
    june = costs.period_costs(datetime.date(2026, 6, 1), datetime.date(2026, 6, 30), dict(rules.DEFAULT_RATES))
    assert june[world.east_customer.pk][rules.COMPLAINT] == Decimal("1200.00")
    assert settled_claim_costs(datetime.date(2026, 7, 1), datetime.date(2026, 7, 31), {}) == {}
