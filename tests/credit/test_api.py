"""The credit API: profile with exposure and headroom, applications (create, list, decide), order confirmation
with the check's result; scoped (404), permissions (403), bad input (422 naming the field)."""

from decimal import Decimal as D

from credo.credit.models import CreditApplication, CreditProfile

from .conftest import approved_profile, invoice, order

JSON = {"content_type": "application/json"}


def test_profile_with_exposure_and_headroom(client, world, product):
    customer = world.east_customer
    approved_profile(customer, "100000")
    invoice(world, customer, "INV1", "80000")
    client.force_login(world.sales_east)
    data = client.get(f"/api/credit/customers/{customer.pk}/profile").json()
    assert data["limit"] == "100000.00" and data["status"] == "normal" and data["has_profile"]
    assert data["exposure"]["exposure"] == "80000.00" and data["exposure"]["headroom"] == "20000.00"
    assert data["exposure"]["open_orders_counted"] is True and data["risk_level"] == "NR"
    check = client.get(f"/api/credit/customers/{customer.pk}/check?amount=25000").json()
    assert check["passed"] is False and check["code"] == "over_limit" and check["excess"] == "5000.00"
    assert client.get(f"/api/credit/customers/{customer.pk}/check?amount=-1").status_code == 422
    client.force_login(world.sales_north)
    assert client.get(f"/api/credit/customers/{customer.pk}/profile").status_code == 404
    client.force_login(world.service)
    assert client.get(f"/api/credit/customers/{customer.pk}/profile").status_code == 403


def test_apply_decide_and_list(client, world):
    customer = world.east_customer
    client.force_login(world.sales_east)
    bad = client.post(f"/api/credit/customers/{customer.pk}/applications",
                      {"kind": "limit", "reason": "", "amount": "-1", "credit_days": 30}, **JSON)
    assert bad.status_code == 422 and {d["loc"][-1] for d in bad.json()["detail"]} == {"amount", "reason"}
    assert client.post(f"/api/credit/customers/{customer.pk}/applications",
                       {"kind": "whatever", "reason": "x"}, **JSON).status_code == 422
    made = client.post(f"/api/credit/customers/{customer.pk}/applications",
                       {"kind": "limit", "reason": "新客户", "amount": "50000", "credit_days": 30}, **JSON)
    assert made.status_code == 201
    application = made.json()
    assert application["status"] == "review" and application["tier_level"] == 1
    assert application["steps"][0]["action"] == "submit"
    own = client.post(f"/api/credit/applications/{application['id']}/decisions", {"decision": "recommend"}, **JSON)
    assert own.status_code == 403

    client.force_login(world.manager_east)
    waiting = client.get("/api/credit/applications?waiting_for_me=true").json()
    assert [a["number"] for a in waiting] == [application["number"]] and waiting[0]["next_step"] == "review"
    bad = client.post(f"/api/credit/applications/{application['id']}/decisions", {"decision": "reject"}, **JSON)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "comment"
    ok = client.post(f"/api/credit/applications/{application['id']}/decisions", {"decision": "recommend"}, **JSON)
    assert ok.status_code == 200 and ok.json()["status"] == "approval"

    client.force_login(world.credit)
    done = client.post(f"/api/credit/applications/{application['id']}/decisions", {"decision": "approve"}, **JSON)
    assert done.json()["status"] == "approved" and done.json()["decided_by"] == "credit"
    assert CreditProfile.objects.get(customer=customer).limit == D("50000.00")
    assert len(client.get(f"/api/credit/applications?customer_id={customer.pk}").json()) == 1

    client.force_login(world.sales_north)
    assert client.get(f"/api/credit/applications/{application['id']}").status_code == 404
    assert client.get("/api/credit/applications").json() == []
    assert client.post(f"/api/credit/customers/{customer.pk}/applications",
                       {"kind": "limit", "reason": "x", "amount": "1"}, **JSON).status_code == 404


def test_release_application_names_order_id(client, world, product):
    customer = world.east_customer
    client.force_login(world.sales_east)
    bad = client.post(f"/api/credit/customers/{customer.pk}/applications",
                      {"kind": "hold_release", "reason": "先发货", "order_id": 999}, **JSON)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "order_id"
    draft = order(world, customer, "SO1", product, 1)
    bad = client.post(f"/api/credit/customers/{customer.pk}/applications",
                      {"kind": "hold_release", "reason": "先发货", "order_id": draft.pk}, **JSON)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "order_id"
    assert not CreditApplication.objects.exists()


def test_confirm_order_returns_the_check(client, world, product):
    customer = world.east_customer
    approved_profile(customer, "10000")
    client.force_login(world.sales_east)
    first = order(world, customer, "SO1", product, 6)
    second = order(world, customer, "SO2", product, 6)
    ok = client.post(f"/api/credit/orders/{first.pk}/confirm").json()
    assert ok["status"] == "confirmed" and ok["check"]["passed"] and ok["check"]["exposure_after"] == "6000.00"
    held = client.post(f"/api/credit/orders/{second.pk}/confirm").json()
    assert held["status"] == "held" and held["check"]["code"] == "over_limit"
    assert held["check"]["excess"] == "2000.00" and "over by ¥2,000.00" in held["hold_reason"]
    again = client.post(f"/api/credit/orders/{first.pk}/confirm")
    assert again.status_code == 422 and again.json()["detail"][0]["loc"][-1] == "status"
    client.force_login(world.finance)
    assert client.post(f"/api/credit/orders/{second.pk}/confirm").status_code == 403
    client.force_login(world.sales_north)
    assert client.post(f"/api/credit/orders/{second.pk}/confirm").status_code == 404
