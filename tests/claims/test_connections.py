"""Claims beyond the complaint page: a settled claim's credit note is the customer's complaint cost in the value
computation in the month it was settled (goods sales come from invoice lines, which the note does not change); the
customer card's Service tab lists the customer's claims."""

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


def test_the_service_tab_lists_the_customers_claims(client, world, case):
    claim = services.create(world.service, case["complaint"], amount_claimed="900.00", reason="外包装破损",
                            lines=[(case["inv1"].pk, "900.00")])
    client.force_login(world.sales_east)
    tab = client.get(f"/customers/{world.east_customer.pk}/?tab=service").content.decode()
    assert 'id="customer-claims"' in tab and claim.number in tab and case["complaint"].number in tab
    client.force_login(world.sales_north)
    assert client.get(f"/customers/{world.east_customer.pk}/?tab=service").status_code == 404
