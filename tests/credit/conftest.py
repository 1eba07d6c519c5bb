import datetime
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.utils import translation

from credo.core.clock import business_today
from credo.credit import queries
from credo.credit.models import CreditProfile
from credo.sales import orders, services
from credo.sales.models import Product

DAY = datetime.date(2026, 3, 1)


def today() -> datetime.date:
    return business_today()


def days_ago(n: int) -> datetime.date:
    return today() - datetime.timedelta(days=n)


@pytest.fixture
def product(db):
    return Product.objects.create(code="P1", name="螺丝", list_price=D("1000.00"), cost=D("600.00"))


@pytest.fixture(autouse=True)
def investigated(monkeypatch):
    """Every customer has a completed investigation unless a test says otherwise (the rating app's query)."""
    state = {"done": True}
    monkeypatch.setattr(queries, "has_investigation", lambda customer_id: state["done"])
    return state


def approved_profile(customer, limit="100000", *, days=30, started=True, **extra) -> CreditProfile:
    return CreditProfile.objects.create(customer=customer, limit=D(limit), credit_days=days,
                                        limit_approved_on=days_ago(10), limit_valid_until=days_ago(-355),
                                        trade_started_on=days_ago(100) if started else None, **extra)


def invoice(world, customer, number, amount, *, on=None, due=None):
    on = on or days_ago(5)
    return services.post_invoice(world.finance, customer, number=number, invoice_date=on, amount=amount,
                                 due_date=due or on + datetime.timedelta(days=30))


def order(world, customer, number, product, quantity, *, price=None, user=None):
    return orders.create_order(user or world.sales_east, customer, number=number, order_date=today(),
                               lines=[(product, quantity, price)])


def confirm(world, order_, user=None):
    return orders.confirm_order(user or world.sales_east, order_)


@pytest.fixture(autouse=True)
def english():
    """These tests read the English wording; the Chinese catalog is checked in tests/core/test_translations."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
