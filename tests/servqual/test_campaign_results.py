"""Campaign results against servqual.rules on a small example computed by hand, scoped by role, with the change
against the previous analysed campaign; anonymous campaigns have no customer section."""

import datetime
from decimal import Decimal

import pytest

from credo.core.clock import business_today
from credo.servqual import campaign_queries as queries
from credo.servqual import campaign_services as services
from credo.servqual.models import Dimension

from .campaign_helpers import campaign

pytestmark = pytest.mark.django_db

# Respondent A (E001, territory SH, sales_east) and B (N001, sales_north); B gives only P for A1 (not counted).
A = {"T1": (6, 4), "T2": (5, 5), "R1": (7, 5), "S1": (6, 6), "A1": (5, 6), "E1": (4, 3)}
B = {"T1": (7, 6), "R1": (6, 6), "S1": (7, 4), "A1": (None, 5), "E1": (5, 5)}
PREVIOUS = {"T1": (5, 4), "R1": (5, 5), "S1": (5, 5), "A1": (5, 5), "E1": (5, 5)}
WEIGHTS = {"tangibles": "0.1", "reliability": "0.3", "responsiveness": "0.2", "assurance": "0.2", "empathy": "0.2"}


def _sections(user, made):
    return {s.name: s for s in queries.results(user, made)}


@pytest.fixture
def answered(world):
    current = campaign(world)
    for code, weight in WEIGHTS.items():
        Dimension.objects.filter(version=current.version, code=code).update(weight=Decimal(weight))
    earlier = campaign(world, name="上季度", start=business_today() - datetime.timedelta(days=100))
    services.enter_answer(world.service, earlier, customer=world.east_customer, scores=PREVIOUS)
    services.transition(world.service, earlier, "closed")
    services.transition(world.service, earlier, "analysed")
    services.enter_answer(world.service, current, customer=world.east_customer, scores=A)
    services.enter_answer(world.service, current, customer=world.north_customer, scores=B)
    return current


def test_figures_match_the_hand_computed_example(world, answered):
    sections = _sections(world.service, answered)
    summary = {r["figure"]: r for r in sections["summary"].rows}
    unweighted, weighted = summary.values()
    # dimension gaps: T mean(-1.5, 0) = -0.75, R mean(-2, 0) = -1, S mean(0, -3) = -1.5, A +1, E mean(-1, 0) = -0.5
    assert unweighted["value"] == Decimal("-0.5500") and weighted["value"] == Decimal("-0.5750")
    assert sections["summary"].note.startswith("2 ")
    # previous: T -1, others 0 → unweighted -0.2, weighted -0.1
    assert unweighted["previous"] == Decimal("-0.2000") and unweighted["change"] == Decimal("-0.3500")
    assert weighted["change"] == Decimal("-0.4750")
    dims = {r["dimension"]: r for r in sections["dimensions"].rows}
    tangibles = dims[services.services.dimension_label("tangibles")]
    assert (tangibles["expectation"], tangibles["perception"], tangibles["gap"], tangibles["change"]) == (
        Decimal("5.7500"), Decimal("5.0000"), Decimal("-0.7500"), Decimal("0.2500"))
    radar = sections["dimensions"].chart["series"][0]["data"]
    assert radar[0]["value"][0] == 5.75 and radar[1]["value"][0] == 5.0
    assert [r["key"] for r in sections["items"].rows] == ["T1", "S1", "R1", "E1", "T2", "A1"]
    assert sections["items"].rows[-1]["respondents"] == 1
    territories = {r["group"]: r for r in sections["territories"].rows}
    assert territories["上海"]["unweighted"] == Decimal("-0.6000") and territories["上海"]["respondents"] == 1
    assert {r["group"] for r in sections["customers"].rows} == {"E001 上海东方贸易有限公司", "N001 北京北辰商贸有限公司"}


def test_a_salesperson_sees_only_their_customers_answers(world, answered):
    summary = _sections(world.sales_east, answered)["summary"].rows
    # only A: T -1, R -2, S 0, A +1, E -1 → -0.6; weighted -0.1 - 0.6 + 0 + 0.2 - 0.2 = -0.7
    assert (summary[0]["value"], summary[1]["value"]) == (Decimal("-0.6000"), Decimal("-0.7000"))
    north = _sections(world.sales_north, answered)["summary"].rows   # only B: T -1, R 0, S -3, E 0; A unanswered
    assert (north[0]["value"], north[1]["value"]) == (Decimal("-1.0000"), None)


def test_an_anonymous_campaign_has_no_customer_section(world):
    made = campaign(world, anonymous=True)
    services.enter_answer(world.service, made, customer=world.east_customer, scores=A)
    sections = _sections(world.service, made)
    assert "customers" not in sections and sections["territories"].rows[0]["group"] == "上海"
