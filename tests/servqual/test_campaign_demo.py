"""The demo campaigns: one analysed last quarter, one open now, answered through the services; a second run
adds nothing."""

import pytest

from credo.servqual import campaign_queries as queries
from credo.servqual import demo
from credo.servqual.models import Campaign, Response

from .campaign_helpers import contacts

pytestmark = pytest.mark.django_db


def test_two_campaigns_with_answers(world, clock):
    clock.set("2026-05-20T10:00+08:00")
    contacts(world)
    written = demo.generate()
    assert written == Response.objects.count() > 0
    last, now = Campaign.objects.order_by("period_start")
    assert (last.status, now.status, now.anonymous) == ("analysed", "open", True)
    assert str(last.period_start) == "2026-01-01" and str(now.period_start) == "2026-04-01"
    assert queries.previous_campaign(now) == last
    summary = {s.name: s for s in queries.results(world.admin, now)}["summary"]
    assert summary.rows[0]["value"] is not None
    assert demo.generate() == 0
