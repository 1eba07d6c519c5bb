import datetime
from decimal import Decimal as D

import pytest

from credo.loyalty import figures, queries, rules, services
from tests.loyalty.conftest import period

pytestmark = pytest.mark.django_db


def by_code(user):
    return {f.code: f for f in figures.customer_figures(user, period())}


def test_customer_figures(loyalty_world):
    found = by_code(loyalty_world.admin)
    east = found["E001"]
    assert (east.invoices, east.sales, east.active_months, east.months) == (3, D("2250.00"), 3, 6)
    assert east.average_transaction == D("750.00")
    assert (east.orders, east.complaints, east.complaint_rate) == (2, 1, D("50.00"))
    assert east.repeat_rate == D("0.5000") and east.repeat_buyer and not east.new
    assert east.potential == D("4525.00") and east.share_of_wallet == D("0.4972")
    s = east.sensitivity
    assert (s.volume_change, s.discount_change, s.value) == (D("1.5000"), D("0.1000"), D("15.00"))
    t = east.tolerance
    assert (t.complaints, t.kept_buying, t.orders_before, t.orders_after, t.share) == (1, 1, 1, 1, D("1.0000"))


def test_new_by_whole_history_not_by_range(loyalty_world):
    found = by_code(loyalty_world.admin)
    east2, north = found["E002"], found["N001"]
    assert east2.new and east2.months == 2 and east2.repeat_rate == D("0.5000")
    assert not north.new and north.months == 6 and north.repeat_rate == D("0.1667")


def test_stages_follow_the_rules_in_force(loyalty_world):
    stages = {f.code: s for f, s in queries.staged(loyalty_world.admin, period())}
    assert stages == {"E001": rules.EMOTIONAL, "E002": rules.COGNITIVE, "N001": rules.COGNITIVE}  # N001: 1 of 6 months
    services.save_stage_rules(loyalty_world.admin, {"behavioural": {"invoices": "3"}, "emotional": {"invoices": "3"},
                                                    "cognitive": {"invoices": "1"}})
    stages = {f.code: s for f, s in queries.staged(loyalty_world.admin, period())}
    assert stages == {"E001": rules.BEHAVIOURAL, "E002": rules.COGNITIVE, "N001": rules.COGNITIVE}


def test_salesperson_sees_only_their_customers(loyalty_world):
    assert set(by_code(loyalty_world.sales_east)) == {"E001"}
    assert set(by_code(loyalty_world.manager_east)) == {"E001", "E002"}
    report = queries.by_group(loyalty_world.sales_east, period(), "territory")
    assert report.totals["customers"] == 1 and report.totals["repurchase_rate"] == D("1.0000")


def test_group_totals(loyalty_world):
    report = queries.by_group(loyalty_world.admin, period(), "class")
    t = report.totals
    assert (t["buyers"], t["new"], t["repurchase_rate"]) == (3, 1, D("0.6667"))
    assert t["average_transaction"] == D("2850.00") / 6  # 475.00
    assert t["share_of_wallet"] == D("0.4972")  # only the customer with a potential counts
    assert t["repeat_rate"] == D("0.3571")  # (3 + 1 + 1) / (6 + 2 + 6)
    assert (t["stage_behavioural"], t["stage_emotional"], t["stage_cognitive"]) == (0, 1, 2)


def test_month_trend(loyalty_world):
    rows = {r["month"]: r for r in queries.by_month(loyalty_world.admin, period()).rows}
    assert list(rows) == [f"2026-{m:02d}" for m in range(1, 7)]
    assert rows["2026-06"]["buyers"] == 2 and rows["2026-06"]["repurchase_rate"] == D("0.5000")
    assert rows["2026-03"]["orders"] == 2 and rows["2026-03"]["complaints"] == 1
    assert rows["2026-03"]["complaint_rate"] == D("50.00") and rows["2026-01"]["complaint_rate"] is None


def test_rfm_over_the_scope(loyalty_world):
    scores = {r["code"]: r["rfm"] for r in queries.rfm(loyalty_world.admin, period()).rows}
    # recency: E001 0 days, N001 28, E002 30; frequency 3, 2, 1; monetary 2250, 300, 300 (tie)
    assert scores == {"E001": "555", "N001": "332", "E002": "112"}


def test_one_customer(loyalty_world):
    row = queries.customer_loyalty(loyalty_world.sales_east, loyalty_world.east_customer.pk, period())
    assert row["stage_code"] == rules.EMOTIONAL and row["rfm"] == "333"  # alone in the salesperson's scope
    assert queries.customer_loyalty(loyalty_world.admin, loyalty_world.east_customer.pk, period())["rfm"] == "555"


def test_one_customer_out_of_scope_is_404(loyalty_world):
    from django.http import Http404

    with pytest.raises(Http404):
        queries.customer_loyalty(loyalty_world.sales_east, loyalty_world.north_customer.pk, period())


def test_stage_rules_are_versioned_and_audited(loyalty_world, clock):
    from credo.core.models import AuditEntry

    services.save_stage_rules(loyalty_world.admin, {"emotional": {"invoices": "5"}}, note="stricter")
    clock.set(datetime.date(2026, 8, 1))
    services.save_stage_rules(loyalty_world.admin, {"emotional": {"invoices": "6"}})
    assert services.current_rules(datetime.date(2026, 7, 20))[0]["emotional"] == {"invoices": "5"}
    assert services.current_rules()[0]["emotional"] == {"invoices": "6"}
    assert services.current_rules(datetime.date(2026, 7, 1))[1] is None
    assert AuditEntry.objects.filter(object_type="loyalty.stagerules").count() == 2


def test_only_administrators_edit_the_rules(loyalty_world):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        services.save_stage_rules(loyalty_world.manager_east, rules.DEFAULT_STAGE_RULES)
    with pytest.raises(ValidationError) as caught:
        services.save_stage_rules(loyalty_world.admin, {"emotional": {"repeat_rate": "2"}})
    assert list(caught.value.message_dict) == ["emotional.repeat_rate"]
