"""The customer endpoints: list, detail, create, change, duplicates; scope, permissions, errors, audit."""

import datetime
from decimal import Decimal

import pytest

from credo.core.models import AuditEntry
from credo.customers import queries, services
from credo.customers.models import Assignment, Customer
from tests.api.helpers import error_fields
from tests.factories import ContactFactory, CustomerFactory, valid_credit_code


def codes(response):
    assert response.status_code == 200, response.content
    return [c["code"] for c in response.json()["items"]]


@pytest.mark.parametrize(("user", "expected"), [
    ("sales_east", ["E001"]),
    ("sales_north", ["N001"]),
    ("manager_east", ["E001", "E002"]),
    ("manager_north", ["N001"]),
    ("executive", ["E001", "E002", "N001"]),
    ("finance", ["E001", "E002", "N001"]),
])
def test_list_is_limited_to_scope(as_user, user, expected):
    response = as_user(user).get()
    assert codes(response) == expected
    assert response.json()["count"] == len(expected)


def test_list_filters(as_user, world):
    world.east_customer.tags.create(name="重点跟进")
    world.east2_customer.kind = "dealer"
    world.east2_customer.first_order_date = datetime.date(2001, 1, 1)
    world.east2_customer.save()
    client = as_user("executive")
    assert codes(client.get(q="北辰")) == ["N001"]
    assert codes(client.get(q="E00")) == ["E001", "E002"]
    assert codes(client.get(kind="dealer")) == ["E002"]
    assert codes(client.get(lifecycle="old")) == ["E002"]
    assert codes(client.get(lifecycle="potential")) == ["E001", "N001"]
    assert codes(client.get(territory="SH")) == ["E001"]
    assert codes(client.get(territory=str(world.territory.pk))) == ["E001"]
    assert codes(client.get(territory="nowhere")) == []
    assert codes(client.get(manager="sales_north")) == ["N001"]
    assert codes(client.get(manager=str(world.sales_east2.pk))) == ["E002"]
    assert codes(client.get(tag="重点跟进")) == ["E001"]
    assert codes(client.get(ordering="-code")) == ["N001", "E002", "E001"]


def test_list_active_filter(as_user, world):
    Customer.objects.filter(pk=world.north_customer.pk).update(is_active=False)
    client = as_user("executive")
    assert codes(client.get()) == ["E001", "E002"]
    assert codes(client.get(active="0")) == ["N001"]
    assert codes(client.get(active="all")) == ["E001", "E002", "N001"]


def test_list_search_stays_in_scope(as_user):
    assert codes(as_user("sales_east").get(q="北辰")) == []


@pytest.mark.parametrize("params", [
    {"limit": 0}, {"limit": 501}, {"ordering": "phone"}, {"kind": "robot"}, {"cursor": "not-a-cursor"},
])
def test_list_rejects_bad_parameters(as_user, params):
    assert error_fields(as_user("executive").get(**params)) == set(params)


@pytest.mark.parametrize(("ordering", "values"), [
    ("code", ["a", "b"]), ("name", ["x", "abc"]), ("name", [["x"], {}]), ("-updated_at", ["yesterday", 1]),
])
def test_list_rejects_forged_cursors(as_user, ordering, values):
    response = as_user("executive").get(ordering=ordering, cursor=queries.encode_cursor(values))
    assert error_fields(response) == {"cursor"}


@pytest.mark.parametrize("ordering", ["code", "-code", "name", "-name", "-updated_at"])
def test_cursor_walks_every_row_once(as_user, world, ordering):
    for i in range(23):
        CustomerFactory(name=f"同名客户{i % 3}", account_manager=world.sales_east)
    client = as_user("manager_east")
    seen, cursor, pages = [], "", 0
    while True:
        body = client.get(limit=5, ordering=ordering, cursor=cursor).json()
        assert body["count"] == 25
        seen += [c["id"] for c in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            break
    expected = list(client.get(limit=500, ordering=ordering).json()["items"])
    assert seen == [c["id"] for c in expected]
    assert len(set(seen)) == len(seen) == 25
    assert pages == 5


def test_detail_shows_the_whole_file(as_user, world):
    customer = world.east_customer
    customer.tags.create(name="重点跟进")
    services.update_customer(world.sales_east, customer, {"name": "上海东方新贸易有限公司", "registered_capital": 1234567},
                             reason="更名")
    services.change_bank_account(world.sales_east, customer, bank_name="工商银行", account_number="6222 0000 1111")
    body = as_user("sales_east").get(customer.pk).json()
    assert body["code"] == "E001"
    assert body["name"] == "上海东方新贸易有限公司"
    assert body["registered_capital"] == "1234567.00"
    assert body["lifecycle"] == "potential"
    assert body["account_manager"]["username"] == "sales_east"
    assert body["territory"] == {"id": world.territory.pk, "code": "SH", "name": "上海"}
    assert body["tags"] == ["重点跟进"]
    assert [f["name"] for f in body["former_names"]] == ["上海东方贸易有限公司"]
    assert body["bank_account"]["account_number"] == "622200001111"


@pytest.mark.parametrize(("user", "customer", "status"), [
    ("sales_east", "east_customer", 200),
    ("sales_east", "east2_customer", 404),
    ("sales_east", "north_customer", 404),
    ("manager_east", "east2_customer", 200),
    ("manager_east", "north_customer", 404),
    ("credit", "north_customer", 200),
])
def test_detail_scope(as_user, world, user, customer, status):
    assert as_user(user).get(getattr(world, customer).pk).status_code == status


def test_detail_of_missing_customer_is_404(as_user):
    assert as_user("executive").get(999999).status_code == 404


def test_create_by_salesperson(as_user, world):
    response = as_user("sales_east").post("", {
        "code": "E100", "name": "杭州新客户有限公司", "credit_code": valid_credit_code(100), "kind": "dealer",
        "registered_capital": "500000.50", "founded_on": "2010-05-01", "territory": "SH", "tags": ["新"],
        "reason": "展会结识",
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["code"], body["kind"], body["registered_capital"]) == ("E100", "dealer", "500000.50")
    assert body["founded_on"] == "2010-05-01"
    assert body["account_manager"]["username"] == "sales_east"
    customer = Customer.objects.get(pk=body["id"])
    assert Assignment.objects.get(customer=customer).manager == world.sales_east
    entry = AuditEntry.objects.get(customer_id=customer.pk)
    assert (entry.action, entry.username, entry.reason) == ("create", "sales_east", "展会结识")


def test_create_for_a_team_member(as_user, world):
    client = as_user("manager_east")
    response = client.post("", {"code": "E101", "name": "新客户甲", "account_manager": "sales_east2"})
    assert response.json()["account_manager"]["username"] == "sales_east2"
    assert error_fields(client.post("", {"code": "E102", "name": "新客户乙", "account_manager": "sales_north"})) == {
        "account_manager"}
    assert error_fields(client.post("", {"code": "E102", "name": "新客户乙", "account_manager": "ghost"})) == {
        "account_manager"}
    assert not Customer.objects.filter(code="E102").exists()


@pytest.mark.parametrize("user", ["finance", "service", "executive"])
def test_create_without_permission_is_403(as_user, user):
    assert as_user(user).post("", {"code": "X001", "name": "不该有的客户"}).status_code == 403
    assert not Customer.objects.filter(code="X001").exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(("data", "fields"), [
    ({"code": "X001"}, {"name"}),
    ({"code": "X001", "name": "  "}, {"name"}),
    ({"code": "X001", "name": "甲公司", "credit_code": "91310000123456789X"}, {"credit_code"}),
    ({"code": "E001", "name": "甲公司"}, {"code"}),
    ({"code": "X" * 31, "name": "甲公司"}, {"code"}),
    ({"code": "X001", "name": "甲公司", "email": "not-an-address"}, {"email"}),
    ({"code": "X001", "name": "甲公司", "website": "not a url"}, {"website"}),
    ({"code": "X001", "name": "甲公司", "registered_capital": "12345678901234567"}, {"registered_capital"}),
    ({"code": "X001", "name": "甲公司", "registered_capital": "1.234"}, {"registered_capital"}),
    ({"code": "X001", "name": "甲公司", "registered_capital": "lots"}, {"registered_capital"}),
    ({"code": "X001", "name": "甲公司", "founded_on": "2999-01-01"}, {"founded_on"}),
    ({"code": "X001", "name": "甲公司", "kind": "robot"}, {"kind"}),
    ({"code": "X001", "name": "甲公司", "territory": "nowhere"}, {"territory"}),
    ({"code": "X001", "name": "甲公司", "route_sequence": -1}, {"route_sequence"}),
])
def test_create_rejects_bad_input_naming_the_field(as_user, data, fields):
    assert error_fields(as_user("sales_east").post("", data)) == fields
    assert Customer.objects.count() == 3
    assert not AuditEntry.objects.exists()


def test_create_warns_of_duplicates_and_allows_them_on_request(as_user, world):
    client = as_user("sales_north")
    data = {"code": "N100", "name": "上海东方贸易有限责任公司"}
    response = client.post("", data)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"][0]["loc"] == ["body", "name"]
    assert body["duplicates"] == [{"id": world.east_customer.pk, "code": "E001", "name": "上海东方贸易有限公司",
                                   "reasons": ["name"]}]
    assert not Customer.objects.filter(code="N100").exists()
    assert client.post("", {**data, "allow_duplicate": True}).status_code == 201


def test_patch_changes_only_the_fields_sent(as_user, world):
    customer = world.east_customer
    response = as_user("sales_east").patch(customer.pk, {"phone": "021-5555 6666", "registered_capital": 80000,
                                                         "reason": "客户来电"})
    assert response.status_code == 200, response.content
    customer.refresh_from_db()
    assert (customer.phone, customer.registered_capital, customer.name) == ("021-5555 6666", 80000, "上海东方贸易有限公司")
    assert customer.territory == world.territory
    entry = AuditEntry.objects.get(customer_id=customer.pk, action="update")
    assert entry.reason == "客户来电"
    assert set(entry.after) == {"phone", "phone_key", "registered_capital"}


@pytest.mark.parametrize("data", [{}, {"registered_capital": "90000"}, {"founded_on": "2011-03-04"}, {"phone": "021-1"}])
def test_patch_a_customer_with_capital_and_founding_date(as_user, world, clock, data):
    """The stored values are compared as what they are (Decimal, date), not as the audit's JSON strings."""
    clock.set(datetime.date(2026, 6, 15))
    Customer.objects.filter(pk=world.east_customer.pk).update(registered_capital=500000,
                                                               founded_on=datetime.date(2010, 5, 1))
    response = as_user("sales_east").patch(world.east_customer.pk, data)
    assert response.status_code == 200, response.content
    assert Decimal(response.json()["registered_capital"]) == Decimal(data.get("registered_capital", "500000"))


def test_patch_a_contact_keeps_its_typed_values(as_user, world, clock):
    clock.set(datetime.date(2026, 6, 15))
    contact = ContactFactory(customer=world.east_customer, birthday=datetime.date(1980, 2, 3), age=46)
    response = as_user("sales_east").patch(f"{world.east_customer.pk}/contacts/{contact.pk}", {})
    assert response.status_code == 200, response.content
    assert (response.json()["birthday"], response.json()["age"]) == ("1980-02-03", 46)


def test_patch_can_clear_fields_and_replace_tags(as_user, world):
    customer = world.east_customer
    customer.tags.create(name="旧")
    body = as_user("sales_east").patch(customer.pk, {"territory": None, "short_name": None, "tags": ["新"]}).json()
    assert (body["territory"], body["short_name"], body["tags"]) == (None, "", ["新"])


def test_patch_rename_keeps_the_former_name(as_user, world):
    body = as_user("manager_east").patch(world.east2_customer.pk, {"name": "苏州南湖新材料有限公司"}).json()
    assert [f["name"] for f in body["former_names"]] == ["苏州南湖机电有限公司"]


@pytest.mark.parametrize(("user", "customer", "status"), [
    ("sales_east", "east2_customer", 404),
    ("sales_east", "north_customer", 404),
    ("manager_east", "north_customer", 404),
    ("finance", "east_customer", 403),
    ("executive", "east_customer", 403),
    ("service", "east_customer", 403),
])
def test_patch_out_of_scope_or_without_permission_changes_nothing(as_user, world, user, customer, status):
    target = getattr(world, customer)
    assert as_user(user).patch(target.pk, {"phone": "010-12345678"}).status_code == status
    target.refresh_from_db()
    assert target.phone == ""
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(("data", "fields"), [
    ({"name": ""}, {"name"}),
    ({"name": None}, {"name"}),
    ({"code": "E002"}, {"code"}),
    ({"credit_code": "123"}, {"credit_code"}),
    ({"email": "nope"}, {"email"}),
    ({"importance": "vip"}, {"importance"}),
    ({"kind": None}, {"kind"}),
])
def test_patch_rejects_bad_input(as_user, world, data, fields):
    assert error_fields(as_user("sales_east").patch(world.east_customer.pk, data)) == fields
    world.east_customer.refresh_from_db()
    assert (world.east_customer.code, world.east_customer.name) == ("E001", "上海东方贸易有限公司")
    assert not AuditEntry.objects.exists()


def test_patch_refuses_a_credit_code_of_another_customer(as_user, world):
    Customer.objects.filter(pk=world.north_customer.pk).update(credit_code=valid_credit_code(7))
    response = as_user("sales_east").patch(world.east_customer.pk, {"credit_code": valid_credit_code(7)})
    assert error_fields(response) == {"credit_code"}


def test_duplicates_are_limited_to_scope(as_user, world):
    world.east_customer.credit_code = valid_credit_code(1)
    world.east_customer.phone = "021-8888 9999"
    world.east_customer.refresh_keys()
    world.east_customer.save()
    found = as_user("manager_east").get("duplicates", name="上海东方贸易有限责任公司").json()
    assert found == [{"id": world.east_customer.pk, "code": "E001", "name": "上海东方贸易有限公司",
                      "reasons": ["name"]}]
    assert [d["code"] for d in as_user("sales_east").get("duplicates", phone="+86 21 8888 9999").json()] == ["E001"]
    assert [d["code"] for d in as_user("credit").get("duplicates", credit_code=valid_credit_code(1)).json()] == ["E001"]
    assert as_user("manager_north").get("duplicates", name="上海东方贸易有限公司").json() == []
    assert as_user("sales_east2").get("duplicates", phone="021-88889999").json() == []
    assert as_user("executive").get("duplicates").json() == []
