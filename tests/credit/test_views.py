"""Credit pages: the card tab, application and decision pages, order pages (a salesperson sees why an order is held,
in figures), the approvals queue, held orders, stops, reviews, home panels; scope and permissions."""

from decimal import Decimal as D

from credo.credit import approvals, services
from credo.credit.models import CreditApplication, CreditProfile
from credo.sales.models import SalesOrder

from .conftest import approved_profile, confirm, days_ago, invoice, order


def test_credit_tab(client, world, product):
    customer = world.east_customer
    approved_profile(customer, "100000", target_annual_sales=D("500000"))
    invoice(world, customer, "INV1", "80000")
    held = confirm(world, order(world, customer, "SO1", product, 30))
    client.force_login(world.sales_east)
    page = client.get(f"/customers/{customer.pk}/?tab=credit")
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="credit-limit"' in text
    assert "¥100,000.00" in text and "¥20,000.00" in text  # limit, headroom
    assert held.hold_reason in text and "SO1" in text
    client.force_login(world.service)  # no credit.view: no tab
    assert 'data-tab="credit"' not in client.get(f"/customers/{customer.pk}/").content.decode()
    client.force_login(world.sales_north)
    assert client.get(f"/customers/{customer.pk}/?tab=credit").status_code == 404


def test_limit_application_page_prefilled_from_a_computation(client, world):
    from credo.limits.models import LimitComputation

    customer = world.east_customer
    computation = LimitComputation.objects.create(customer=customer, method="sales_volume", limit=D("300000"),
                                                  credit_line=D("150000"))
    client.force_login(world.sales_east)
    url = f"/credit/customers/{customer.pk}/limit/apply/"
    page = client.get(url, {"computation": computation.pk}).content.decode()
    assert 'value="150000.00"' in page and f'value="{computation.pk}"' in page
    page = client.get(url, {"amount": "120000", "computation": computation.pk}).content.decode()
    assert 'value="120000.00"' in page
    bad = client.post(url, {"amount": "", "credit_days": "30", "reason": ""})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    done = client.post(url, {"amount": "120000", "credit_days": "45", "reason": "销售量法",
                             "computation_id": computation.pk})
    application = CreditApplication.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/credit/applications/{application.pk}/"
    assert application.computation_id == computation.pk and application.tier_level == 2
    client.force_login(world.finance)
    assert client.get(url).status_code == 403


def test_decision_page(client, world):
    customer = world.east_customer
    application = approvals.apply(world.sales_east, customer, kind="limit", amount="50000", credit_days=30,
                                  reason="首次申请")
    url = f"/credit/applications/{application.pk}/"
    client.force_login(world.sales_east)
    page = client.get(url).content.decode()
    assert "decision-form" not in page and "Your own application" in page
    client.force_login(world.manager_east)
    assert "decision-form" in client.get(url).content.decode()
    bad = client.post(url + "decide/", {"decision": "reject", "comment": ""})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    assert client.post(url + "decide/", {"decision": "recommend", "comment": "同意"}).status_code == 302
    assert client.post(url + "decide/", {"decision": "approve"}).status_code == 403  # the reviewer
    client.force_login(world.credit)
    assert client.post(url + "decide/", {"decision": "approve", "comment": "好"}).status_code == 302
    assert CreditProfile.objects.get(customer=customer).limit == D("50000.00")
    page = client.get(url).content.decode()
    assert "manager_east" in page and "好" in page
    client.force_login(world.sales_north)
    assert client.get(url).status_code == 404


def test_salesperson_sees_why_an_order_is_held_and_asks_for_release(client, world, product):
    customer = world.east_customer
    approved_profile(customer, "10000")
    client.force_login(world.sales_east)
    page = client.get(f"/credit/customers/{customer.pk}/orders/new/")
    assert page.status_code == 200
    made = client.post(f"/credit/customers/{customer.pk}/orders/new/", {
        "number": "SO-WEB-1", "order_date": days_ago(0).isoformat(), "product_0": product.pk, "quantity_0": "12",
        "confirm": "1"})
    order_ = SalesOrder.objects.get(number="SO-WEB-1")
    assert made.status_code == 302 and order_.status == "held"
    page = client.get(f"/credit/orders/{order_.pk}/").content.decode()
    assert "Limit ¥10,000.00, current exposure ¥0.00 (receivable ¥0.00), this order ¥12,000.00, over by ¥2,000.00." \
        in page and "request-release" in page
    form = client.get(f"/credit/orders/{order_.pk}/release/").content.decode()
    assert order_.hold_reason in form
    assert client.post(f"/credit/orders/{order_.pk}/release/", {"reason": "客户周五付款"}).status_code == 302
    application = CreditApplication.objects.get(kind="hold_release")
    assert application.order == order_
    assert "request-release" not in client.get(f"/credit/orders/{order_.pk}/").content.decode()
    home = client.get("/").content.decode()
    assert 'data-testid="held-orders-panel"' in home and "SO-WEB-1" in home
    client.force_login(world.manager_east)
    home = client.get("/").content.decode()
    assert 'data-testid="credit-approvals-panel"' in home and application.number in home
    client.force_login(world.sales_north)
    assert client.get(f"/credit/orders/{order_.pk}/").status_code == 404


def test_order_lines_cancel_and_reopen_pages(client, world, product):
    customer = world.east_customer
    approved_profile(customer, "10000")
    draft = order(world, customer, "SO1", product, 2)
    client.force_login(world.sales_east)
    assert client.post(f"/credit/orders/{draft.pk}/confirm/").status_code == 302
    response = client.post(f"/credit/orders/{draft.pk}/lines/", {"product_0": product.pk, "quantity_0": "11"})
    draft.refresh_from_db()
    assert response.status_code == 302 and draft.status == "held" and draft.amount == D("11000.00")
    bad = client.post(f"/credit/orders/{draft.pk}/lines/", {"product_0": product.pk, "quantity_0": "0"})
    assert bad.status_code == 200
    client.post(f"/credit/orders/{draft.pk}/cancel/", {"reason": ""})
    draft.refresh_from_db()
    assert draft.status == "held"  # a reason is needed
    client.post(f"/credit/orders/{draft.pk}/cancel/", {"reason": "客户取消"})
    client.post(f"/credit/orders/{draft.pk}/reopen/", {"reason": "又要了"})
    draft.refresh_from_db()
    assert draft.status == "held"
    client.force_login(world.finance)
    assert client.post(f"/credit/orders/{draft.pk}/confirm/").status_code == 403


def test_lists(client, world, product):
    customer = world.east_customer
    profile = approved_profile(customer, "10000", target_annual_sales=D("1000000"))
    CreditProfile.objects.filter(pk=profile.pk).update(limit_approved_on=days_ago(400),
                                                       limit_valid_until=days_ago(35))
    invoice(world, customer, "INV1", "500", on=days_ago(60), due=days_ago(30))
    confirm(world, order(world, customer, "SO1", product, 20))
    services.stop_credit(world.credit, customer, reason="老板失联")
    client.force_login(world.credit)
    assert "老板失联" in client.get("/credit/stops/").content.decode()
    assert "SO1" in client.get("/credit/held-orders/").content.decode()
    reviews = client.get("/credit/reviews/").content.decode()
    assert customer.name in reviews and "¥500.00" in reviews and f"/credit/customers/{customer.pk}/limit/apply/" in reviews
    assert client.get("/credit/approvals/").status_code == 200
    client.force_login(world.sales_north)
    assert customer.name not in client.get("/credit/stops/").content.decode()
    assert customer.name not in client.get("/credit/held-orders/").content.decode()
    client.force_login(world.sales_east)
    assert client.get("/credit/reviews/").status_code == 403  # reviews are for approvers
    client.force_login(world.service)
    assert client.get("/credit/approvals/").status_code == 403


def test_policy_and_stop_pages(client, world):
    customer = world.east_customer
    client.force_login(world.credit)
    url = f"/credit/customers/{customer.pk}/policy/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"discount_percent": "150", "discount_days": "10", "settlement_mode": "monthly",
                            "collection_plan": "standard"})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    done = client.post(url, {"discount_percent": "2", "discount_days": "10", "settlement_mode": "quarterly",
                             "collection_plan": "strict", "target_annual_sales": "800000", "reason": "年度政策"})
    assert done.status_code == 302
    profile = CreditProfile.objects.get(customer=customer)
    assert (profile.discount_percent, profile.settlement_mode, profile.target_annual_sales) == (
        D("2.00"), "quarterly", D("800000.00"))
    response = client.post(f"/credit/customers/{customer.pk}/stop/", {"reason": "多次拖欠",
                                                                       "on": days_ago(0).isoformat()})
    assert response.status_code == 302 and CreditProfile.objects.get(customer=customer).status == "cash_only"
    client.force_login(world.sales_east)
    assert client.get(url).status_code == 403
    assert client.get(f"/credit/customers/{customer.pk}/stop/").status_code == 403
    tab = client.get(f"/customers/{customer.pk}/?tab=credit").content.decode()
    assert "多次拖欠" in tab and f"/credit/customers/{customer.pk}/apply/lift_stop/" in tab
    assert client.get(f"/credit/customers/{customer.pk}/apply/lift_stop/").status_code == 200
    assert client.get(f"/credit/customers/{customer.pk}/apply/bogus/").status_code == 404
