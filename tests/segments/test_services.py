"""compute_segments over real ledger, visit, collection and recorded-cost documents, worked by hand; the
recorded costs, potential, rates and review decisions with their validation, scope and audit."""

import datetime
from decimal import Decimal as D

import pytest

from credo.core.errors import PermissionDenied, ValidationError
from credo.core.models import AuditEntry
from credo.segments import queries, services
from credo.segments.models import CustomerCost, SegmentResult

from .conftest import FROM, TO

pytestmark = pytest.mark.django_db


def result(run, customer) -> SegmentResult:
    return SegmentResult.objects.get(run=run, customer=customer)


def test_profit_working_from_the_documents(ledger_world):
    w = ledger_world
    run = services.compute_segments(w.admin, FROM, TO)
    e1 = result(run, w.east_customer)
    # 10,000 − 6,000; 2 visits × 200 + 1 call × 10; owed 10,000 × 30 days at 4.35 % → 35.75
    assert (e1.sales, e1.gross_profit, e1.service_cost, e1.collection_cost) == (
        D("10000"), D("4000"), D("410"), D("35.75"))
    assert e1.profit == D("3554.25") and e1.potential == D("19835.62") and e1.growth_gap == D("9835.62")
    e2 = result(run, w.east2_customer)
    # 5,000 owed 122 days → 72.70, plus a lawyer's letter 1,500; complaint 1,000 recorded
    assert (e2.gross_profit, e2.collection_cost, e2.complaint_cost) == (D("500"), D("1572.70"), D("1000"))
    assert e2.profit == D("-2072.70") and e2.segment == "BZ"
    # potential from competitors' sales: 30,000 theirs + 10,000 ours (counted once) a year
    assert e2.potential == D("19835.62") and e2.working["potential_basis"] == "competitors 2026"
    n1 = result(run, w.north_customer)
    # written off 800, recovered 300; the 2025 invoice owed 800 × 31 days before the write-off
    assert n1.bad_debt_cost == D("500") and n1.collection_cost == D("2.96") and n1.segment == "BZ"
    assert e1.segment == "MV" and run.totals == {"MV": 1, "MG": 0, "M": 0, "BZ": 2}
    # 80/20: the top 20 % (1 of 2 buyers) makes 2/3 of sales and 3,554.25 of 978.59 profit (the rest lose money)
    assert run.top20_sales_share == D("0.66666667") and run.top20_profit_share == D("3.63201136")
    assert AuditEntry.objects.filter(object_type="segments.segmentrun", object_id=str(run.pk)).exists()


def test_cancelled_costs_and_later_rates_count_as_they_should(ledger_world):
    w = ledger_world
    cost = CustomerCost.objects.get(customer=w.east2_customer)
    services.cancel_cost(w.finance, cost.pk, "entered twice")
    services.save_rates(w.admin, {"lawyer_letter": "1000", "visit": "100.00"})
    run = services.compute_segments(w.admin, FROM, TO)
    assert result(run, w.east2_customer).complaint_cost == 0
    assert result(run, w.east2_customer).collection_cost == D("1072.70")
    assert result(run, w.east_customer).service_cost == D("210")
    assert run.rates["visit"] == "100.00"


@pytest.mark.parametrize("data, field", [
    ({"kind": "gift", "cost_date": FROM, "amount": "10", "description": "x"}, "kind"),
    ({"kind": "service", "cost_date": None, "amount": "10", "description": "x"}, "cost_date"),
    ({"kind": "service", "cost_date": FROM, "amount": "-1", "description": "x"}, "amount"),
    ({"kind": "service", "cost_date": FROM, "amount": "1.234", "description": "x"}, "amount"),
    ({"kind": "service", "cost_date": FROM, "amount": "abc", "description": "x"}, "amount"),
    ({"kind": "service", "cost_date": FROM, "amount": "10", "description": " "}, "description"),
])
def test_bad_cost_names_the_field_and_records_nothing(world, data, field):
    with pytest.raises(ValidationError) as exc:
        services.record_cost(world.finance, world.east_customer.pk, **data)
    assert field in exc.value.message_dict and not CustomerCost.objects.exists()


def test_costs_and_potential_respect_role_and_scope(world):
    with pytest.raises(PermissionDenied):  # a salesperson may not record costs
        services.record_cost(world.sales_east, world.east_customer.pk, kind="service", cost_date=FROM,
                             amount="10", description="x")
    with pytest.raises(PermissionDenied):  # another team's customer
        services.record_cost(world.manager_east, world.north_customer.pk, kind="service", cost_date=FROM,
                             amount="10", description="x")
    with pytest.raises(PermissionDenied):
        services.set_potential(world.sales_east, world.east2_customer.pk, annual_purchases="10")
    services.set_potential(world.sales_east, world.east_customer.pk, annual_purchases="10")
    services.set_potential(world.sales_east, world.east_customer.pk, annual_purchases="")
    assert queries.potential(world.east_customer.pk) is None
    actions = list(AuditEntry.objects.filter(object_type="segments.customerpotential").values_list("action", flat=True))
    assert len(actions) == 2


@pytest.mark.parametrize("data, field", [({"capital_rate": "120"}, "capital_rate"), ({"visit": "-5"}, "visit"),
                                         ({"call": "x"}, "call")])
def test_bad_rates_are_refused(world, data, field):
    with pytest.raises(ValidationError) as exc:
        services.save_rates(world.admin, data)
    assert field in exc.value.message_dict
    assert queries.current_rates()["visit"] == D("200.00")


def test_review_list_and_decisions(ledger_world):
    w = ledger_world
    run = services.compute_segments(w.admin, FROM, TO)
    codes = [item["result"].customer.code for item in queries.review_list(w.admin, run)]
    assert codes == ["E002", "N001"]  # below zero, least profitable first
    assert [i["result"].customer.code for i in queries.review_list(w.sales_east, run)] == []
    with pytest.raises(ValidationError) as exc:
        services.decide_review(w.manager_east, run.pk, w.east2_customer.pk, decision="end", note=" ")
    assert "note" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.decide_review(w.manager_east, run.pk, w.north_customer.pk, decision="end", note="x")
    services.decide_review(w.manager_east, run.pk, w.east2_customer.pk, decision="reprice", note="运费由客户承担")
    item = queries.review_list(w.manager_east, run)[0]
    assert item["decision"].decision == "reprice"
    assert w.east2_customer.is_active  # a decision changes nothing else


def test_c_tail_of_the_pyramid_is_reviewed(world):
    from credo.classification import services as classification
    from tests.classification.conftest import add_invoices
    from tests.factories import CustomerFactory

    customers = [CustomerFactory(code=f"C{i:03d}", account_manager=world.sales_east) for i in range(40)]
    add_invoices([(c, 100 + i, datetime.date(2026, 3, 1)) for i, c in enumerate(customers)])
    classification.compute_snapshot(world.admin, "pyramid", FROM, TO)
    run = services.compute_segments(world.admin, FROM, TO, params={"review_c_percent": "10"})
    review = queries.review_list(world.admin, run)
    # 43 customers: A 1 (C039), B 2, C 6 (C036 … C031) → the least profitable 10 % of C: 1 customer, C031
    c_tail = [i["result"].customer.code for i in review if "c_tail" in i["reasons"]]
    assert c_tail == ["C031"]
