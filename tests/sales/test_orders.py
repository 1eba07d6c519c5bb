import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credo.sales import orders, queries
from credo.sales.models import CustomerBalance, Product, SalesOrder

DAY = datetime.date(2026, 3, 1)


@pytest.fixture
def product(db):
    return Product.objects.create(code="P1", name="螺丝", list_price=D("2.50"), cost=D("1.20"))


def test_order_lifecycle_keeps_open_orders(world, product):
    order = orders.create_order(world.sales_east, world.east_customer, number="SO1", order_date=DAY,
                                lines=[(product, 10, None), (product, 2, "3.00")])
    assert order.amount == D("31.00") and order.status == "draft"
    orders.confirm_order(world.sales_east, order)
    assert CustomerBalance.objects.get(customer=world.east_customer).open_orders == D("31.00")
    invoice = orders.invoice_order(world.finance, order, number="INV1", invoice_date=DAY)
    assert invoice.amount == D("31.00") and invoice.lines.count() == 2
    order.refresh_from_db()
    balance = CustomerBalance.objects.get(customer=world.east_customer)
    assert order.status == "invoiced" and balance.open_orders == 0 and balance.receivable == D("31.00")
    assert queries.balance_drift() == []


def test_confirmation_checks_put_order_on_hold(world, product, monkeypatch):
    monkeypatch.setattr(orders, "CONFIRMATION_CHECKS", [lambda order, balance: f"exposure {order.amount} > 0"])
    order = orders.create_order(world.sales_east, world.east_customer, number="SO1", order_date=DAY,
                                lines=[(product, 4, None)])
    orders.confirm_order(world.sales_east, order)
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.HELD and order.hold_reason == "exposure 10.00 > 0"
    assert CustomerBalance.objects.get(customer=world.east_customer).open_orders == 0


def test_cancel_confirmed_order_releases_open_orders(world, product):
    order = orders.create_order(world.sales_east, world.east_customer, number="SO1", order_date=DAY,
                                lines=[(product, 4, None)])
    orders.confirm_order(world.sales_east, order)
    with pytest.raises(ValidationError):
        orders.cancel_order(world.sales_east, order, reason="")
    orders.cancel_order(world.sales_east, order, reason="客户取消")
    assert CustomerBalance.objects.get(customer=world.east_customer).open_orders == 0
    assert queries.balance_drift() == []


def test_order_rules(world, product):
    with pytest.raises(PermissionDenied):
        orders.create_order(world.sales_east, world.north_customer, number="SO1", order_date=DAY,
                            lines=[(product, 1, None)])
    with pytest.raises(PermissionDenied):
        orders.create_order(world.finance, world.east_customer, number="SO1", order_date=DAY,
                            lines=[(product, 1, None)])
    with pytest.raises(ValidationError) as exc:
        orders.create_order(world.sales_east, world.east_customer, number="", order_date=DAY, lines=[(product, 0, None)])
    assert set(exc.value.message_dict) == {"number", "lines"}
    assert not SalesOrder.objects.exists()
