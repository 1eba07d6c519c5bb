"""The recovery cost hook: a customer's recovery costs in the period are their complaint cost in the value
computation, next to (not instead of) the visits made for a complaint."""

import datetime
from decimal import Decimal

import pytest

from credo.improvement import services
from credo.improvement.costs import recovery_cost_source
from credo.segments import costs, rules
from credo.segments import services as segments
from credo.segments.models import SegmentResult
from tests.improvement.conftest import take

pytestmark = pytest.mark.django_db


def test_recovery_cost_is_the_customers_complaint_cost(world, monday):
    assert recovery_cost_source in costs.COST_SOURCES
    complaint = take(world)
    services.record_recovery(world.service, complaint_id=complaint.pk, kind="replacement", cost="3680.00")
    services.record_recovery(world.service, complaint_id=complaint.pk, kind="gift", cost="300.00",
                             done_at=datetime.datetime(2026, 5, 31, 23, 30, tzinfo=complaint.received_at.tzinfo))
    june = costs.period_costs(datetime.date(2026, 6, 1), datetime.date(2026, 6, 30), dict(rules.DEFAULT_RATES))
    assert june[world.east_customer.pk][rules.COMPLAINT] == Decimal("3680.00")   # the May gift is May's
    may = recovery_cost_source(datetime.date(2026, 5, 1), datetime.date(2026, 5, 31), {})
    assert may == {world.east_customer.pk: {rules.COMPLAINT: Decimal("300.00")}}
    assert world.north_customer.pk not in june or not june[world.north_customer.pk].get(rules.COMPLAINT)
    segments.compute_segments(world.admin, datetime.date(2026, 6, 1), datetime.date(2026, 6, 30))
    value = SegmentResult.objects.filter(customer=world.east_customer).latest("pk")
    assert value.complaint_cost == Decimal("3680.00")
