import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from credo.core.clock import business_today
from credo.core.models import AuditEntry, CustomerEvent
from credo.visits import services
from credo.visits.models import Status, Visit, VisitPolicy
from credo.visits.planning import generate_plan
from tests.factories import ContactFactory

from .conftest import MONTH

TODAY = business_today()


@pytest.fixture
def planned(planned_world):
    generate_plan(MONTH)
    return Visit.objects.filter(customer=planned_world.east_customer, person=planned_world.sales_east,
                                kind="visit").order_by("sequence").first()


def test_record_result_done_with_contacts_audit_and_timeline(planned_world, planned):
    w = planned_world
    contact = ContactFactory(customer=w.east_customer)
    visit = services.record_result(w.sales_east, planned, status="done", done_date=TODAY, outcome="下月追加订单",
                                   next_step="送样品", next_step_date=TODAY + datetime.timedelta(days=5),
                                   contact_ids=[contact.pk], latitude="31.2304", longitude="121.4737")
    visit.refresh_from_db()
    assert visit.status == Status.DONE and visit.done_date == TODAY and list(visit.contacts.all()) == [contact]
    assert str(visit.latitude) == "31.230400"
    assert AuditEntry.objects.filter(action="update", object_type="visits.visit", customer_id=w.east_customer.pk).exists()
    assert CustomerEvent.objects.filter(customer_id=w.east_customer.pk, kind="visits.visit").exists()
    with pytest.raises(ValidationError) as exc:
        services.record_result(w.sales_east, visit, status="missed")
    assert "status" in exc.value.message_dict


def test_record_result_missed_adds_a_missed_event(planned_world, planned):
    services.record_result(planned_world.sales_east, planned, status="missed")
    assert CustomerEvent.objects.filter(kind="visits.missed").count() == 1


@pytest.mark.parametrize("kwargs, field", [
    ({"status": "maybe"}, "status"),
    ({"status": "done"}, "done_date"),
    ({"status": "done", "done_date": TODAY + datetime.timedelta(days=1)}, "done_date"),
    ({"status": "done", "done_date": TODAY, "next_step_date": TODAY}, "next_step"),
    ({"status": "done", "done_date": TODAY, "next_step": "x", "next_step_date": TODAY - datetime.timedelta(1)},
     "next_step_date"),
    ({"status": "done", "done_date": TODAY, "latitude": "91", "longitude": "0"}, "latitude"),
    ({"status": "done", "done_date": TODAY, "latitude": "31"}, "longitude"),
    ({"status": "done", "done_date": TODAY, "purpose": "party"}, "purpose"),
    ({"status": "done", "done_date": TODAY, "contact_ids": [999999]}, "contacts"),
])
def test_bad_input_names_the_field(planned_world, planned, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        services.record_result(planned_world.sales_east, planned, **kwargs)
    assert field in exc.value.message_dict
    planned.refresh_from_db()
    assert planned.status == Status.PLANNED


def test_scope_and_permissions(planned_world, planned):
    w = planned_world
    with pytest.raises(PermissionDenied):
        services.record_result(w.sales_east2, planned, status="missed")  # not their customer
    with pytest.raises(PermissionDenied):
        services.record_result(w.manager_north, planned, status="missed")  # not their team
    nobody = get_user_model().objects.create_user("no_role")
    with pytest.raises(PermissionDenied):
        services.record_visit(nobody, w.east_customer, done_date=TODAY)  # no role: may not record
    gm = services.record_visit(w.executive, w.east_customer, done_date=TODAY)  # a GM/VP visit
    assert gm.rank == "executive" and gm.is_level_follow_up
    services.record_result(w.manager_east, planned, status="done", done_date=TODAY)  # the team's manager may


def test_record_unplanned_visit_and_call(planned_world):
    w = planned_world
    call = services.record_visit(w.sales_north, w.north_customer, kind="call", purpose="collection",
                                 done_date=TODAY, outcome="答应月底付款")
    assert call.plan_month is None and call.status == Status.DONE and call.customer_class == "C"
    assert CustomerEvent.objects.filter(customer_id=w.north_customer.pk, kind="visits.call").exists()
    with pytest.raises(ValidationError) as exc:
        services.record_visit(w.sales_north, w.north_customer, kind="fax", done_date=TODAY)
    assert "kind" in exc.value.message_dict


def test_update_policy(world):
    row = VisitPolicy.objects.get(customer_class="C", role="salesperson", kind="call")
    with pytest.raises(PermissionDenied):
        services.update_policy(world.sales_east, row, minimum=1, target=2)
    with pytest.raises(ValidationError) as exc:
        services.update_policy(world.manager_east, row, minimum=2, target=1)
    assert "target_per_month" in exc.value.message_dict
    services.update_policy(world.manager_east, row, minimum="0.5", target="2")
    row.refresh_from_db()
    assert str(row.target_per_month) == "2.000"
    assert AuditEntry.objects.filter(action="update", object_type="visits.visitpolicy").exists()
