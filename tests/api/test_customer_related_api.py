"""Contacts, account-manager history, reassignment and the audit trail of one customer."""

import pytest

from credo.core.models import AuditEntry
from credo.customers import services
from credo.customers.models import Assignment, Contact
from tests.api.helpers import error_fields
from tests.factories import ContactFactory

OUT_OF_SCOPE = [("sales_east", "east2_customer"), ("sales_east", "north_customer"), ("manager_east", "north_customer")]


def test_contacts_list(as_user, world):
    ContactFactory(customer=world.east_customer, name="王经理", is_primary=True, decision_role="decider")
    ContactFactory(customer=world.east_customer, name="李会计", decision_role="payer")
    ContactFactory(customer=world.north_customer, name="赵总")
    response = as_user("sales_east").get(f"{world.east_customer.pk}/contacts")
    assert response.status_code == 200
    assert [(c["name"], c["decision_role"]) for c in response.json()] == [("王经理", "decider"), ("李会计", "payer")]


@pytest.mark.parametrize(("user", "customer"), OUT_OF_SCOPE)
def test_contacts_of_another_scope_are_404(as_user, world, user, customer):
    assert as_user(user).get(f"{getattr(world, customer).pk}/contacts").status_code == 404


def test_add_contact(as_user, world):
    customer = world.east_customer
    response = as_user("sales_east").post(f"{customer.pk}/contacts", {
        "name": "王经理", "title": "采购经理", "mobile": "13800000000", "email": "wang@example.com",
        "decision_role": "decider", "is_primary": True, "birthday": "1980-02-29", "reason": "拜访",
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["birthday"], body["is_primary"]) == ("王经理", "1980-02-29", True)
    entry = AuditEntry.objects.get(customer_id=customer.pk, object_type="customers.contact")
    assert (entry.action, entry.reason) == ("create", "拜访")


@pytest.mark.parametrize(("user", "customer"), OUT_OF_SCOPE)
def test_add_contact_out_of_scope_is_404(as_user, world, user, customer):
    assert as_user(user).post(f"{getattr(world, customer).pk}/contacts", {"name": "某人"}).status_code == 404
    assert not Contact.objects.exists()


@pytest.mark.parametrize("user", ["finance", "executive", "service"])
def test_add_contact_without_permission_is_403(as_user, world, user):
    assert as_user(user).post(f"{world.east_customer.pk}/contacts", {"name": "某人"}).status_code == 403
    assert not Contact.objects.exists()


@pytest.mark.parametrize(("data", "fields"), [
    ({}, {"name"}),
    ({"name": ""}, {"name"}),
    ({"name": "某人", "email": "nope"}, {"email"}),
    ({"name": "某人", "age": 200}, {"age"}),
    ({"name": "某人", "birthday": "2999-01-01"}, {"birthday"}),
    ({"name": "某人", "decision_role": "boss"}, {"decision_role"}),
    ({"name": "某" * 61}, {"name"}),
])
def test_add_contact_rejects_bad_input(as_user, world, data, fields):
    assert error_fields(as_user("sales_east").post(f"{world.east_customer.pk}/contacts", data)) == fields
    assert not Contact.objects.exists()


def test_update_contact(as_user, world):
    contact = ContactFactory(customer=world.east_customer, name="王经理")
    response = as_user("manager_east").patch(f"{world.east_customer.pk}/contacts/{contact.pk}",
                                             {"title": "总经理", "is_active": False, "reason": "升职"})
    assert response.status_code == 200, response.content
    contact.refresh_from_db()
    assert (contact.name, contact.title, contact.is_active) == ("王经理", "总经理", False)
    entry = AuditEntry.objects.get(object_type="customers.contact", action="update")
    assert entry.after == {"is_active": False, "title": "总经理"}


def test_update_contact_through_another_customer_is_404(as_user, world):
    contact = ContactFactory(customer=world.east2_customer, name="王经理")
    response = as_user("manager_east").patch(f"{world.east_customer.pk}/contacts/{contact.pk}", {"title": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize(("user", "customer", "status"), [
    *[(user, customer, 404) for user, customer in OUT_OF_SCOPE],
    ("finance", "east_customer", 403),
    ("executive", "east_customer", 403),
])
def test_update_contact_refused_changes_nothing(as_user, world, user, customer, status):
    contact = ContactFactory(customer=getattr(world, customer), name="王经理")
    path = f"{contact.customer_id}/contacts/{contact.pk}"
    assert as_user(user).patch(path, {"title": "总经理"}).status_code == status
    contact.refresh_from_db()
    assert contact.title == ""
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(("data", "fields"), [({"name": ""}, {"name"}), ({"age": 0}, {"age"}),
                                              ({"is_primary": None}, {"is_primary"})])
def test_update_contact_rejects_bad_input(as_user, world, data, fields):
    contact = ContactFactory(customer=world.east_customer, name="王经理")
    assert error_fields(as_user("sales_east").patch(f"{world.east_customer.pk}/contacts/{contact.pk}", data)) == fields
    contact.refresh_from_db()
    assert contact.name == "王经理"


def test_reassign_and_history(as_user, world):
    customer = world.east_customer
    client = as_user("manager_east")
    response = client.post(f"{customer.pk}/reassign", {"manager": "sales_east2", "reason": "区域调整"})
    assert response.status_code == 200, response.content
    assert response.json()["manager"]["username"] == "sales_east2"
    customer.refresh_from_db()
    assert customer.account_manager == world.sales_east2
    entry = AuditEntry.objects.get(customer_id=customer.pk, action="assign")
    assert (entry.before, entry.after, entry.reason) == (
        {"account_manager": "sales_east"}, {"account_manager": "sales_east2"}, "区域调整")
    client.post(f"{customer.pk}/reassign", {"manager": world.sales_east.pk, "reason": "调回"})
    history = client.get(f"{customer.pk}/assignments").json()
    assert [(a["manager"]["username"], a["reason"], a["ended_at"] is None) for a in history[:2]] == [
        ("sales_east", "调回", True), ("sales_east2", "区域调整", False)]
    assert as_user("sales_east2").get(f"{customer.pk}").status_code == 404


@pytest.mark.parametrize(("user", "customer"), OUT_OF_SCOPE)
def test_assignments_out_of_scope_are_404(as_user, world, user, customer):
    assert as_user(user).get(f"{getattr(world, customer).pk}/assignments").status_code == 404


@pytest.mark.parametrize(("user", "customer", "status"), [
    ("manager_east", "north_customer", 404),
    ("sales_north", "east_customer", 404),
    ("sales_east", "east_customer", 403),
    ("credit", "east_customer", 403),
    ("executive", "east_customer", 403),
])
def test_reassign_refused_changes_nothing(as_user, world, user, customer, status):
    target = getattr(world, customer)
    before, assignments = target.account_manager, Assignment.objects.count()
    response = as_user(user).post(f"{target.pk}/reassign", {"manager": "sales_east2", "reason": "想要"})
    assert response.status_code == status
    target.refresh_from_db()
    assert target.account_manager == before
    assert Assignment.objects.count() == assignments
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(("data", "fields"), [
    ({"manager": "sales_east2"}, {"reason"}),
    ({"manager": "sales_east2", "reason": "  "}, {"reason"}),
    ({"reason": "调整"}, {"manager"}),
    ({"manager": "ghost", "reason": "调整"}, {"manager"}),
    ({"manager": "sales_north", "reason": "调整"}, {"manager"}),
    ({"manager": "sales_east", "reason": "调整"}, {"manager"}),
])
def test_reassign_rejects_bad_input(as_user, world, data, fields):
    assert error_fields(as_user("manager_east").post(f"{world.east_customer.pk}/reassign", data)) == fields
    world.east_customer.refresh_from_db()
    assert world.east_customer.account_manager == world.sales_east
    assert not AuditEntry.objects.exists()


def test_audit_trail(as_user, world):
    customer = world.east_customer
    services.update_customer(world.sales_east, customer, {"phone": "021-12345678"}, reason="来电")
    for user in ("manager_east", "credit", "executive", "admin"):
        response = as_user(user).get(f"{customer.pk}/audit")
        assert response.status_code == 200
        [entry] = response.json()
        assert (entry["action"], entry["username"], entry["reason"]) == ("update", "sales_east", "来电")
        assert entry["after"]["phone"] == "021-12345678"


@pytest.mark.parametrize(("user", "customer", "status"), [
    ("sales_east", "east_customer", 403),
    ("finance", "east_customer", 403),
    ("manager_east", "north_customer", 404),
    ("sales_east", "north_customer", 404),
])
def test_audit_needs_permission_and_scope(as_user, world, user, customer, status):
    assert as_user(user).get(f"{getattr(world, customer).pk}/audit").status_code == status
