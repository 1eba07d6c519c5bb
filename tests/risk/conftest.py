"""Risk test data through the real services: ledger postings with old dates, orders, bank changes."""

import datetime
import itertools
from decimal import Decimal as D

import pytest

from credo.core.clock import business_today
from credo.sales import orders as sales_orders
from credo.sales import services as ledger
from credo.sales.models import Product

TODAY = business_today()
_numbers = itertools.count(1)


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def number(prefix: str) -> str:
    return f"{prefix}-{next(_numbers):05d}"


def invoice(world, customer, *, on: int, due: int, amount) -> object:
    """An invoice dated `on` days ago, due `due` days ago."""
    return ledger.post_invoice(world.finance, customer, number=number("INV"), invoice_date=ago(on), due_date=ago(due),
                               amount=D(str(amount)))


def receipt(world, customer, *, on: int, amount, method="transfer", invoice=None):
    return ledger.post_receipt(world.finance, customer, number=number("RC"), receipt_date=ago(on),
                               amount=D(str(amount)), method=method, invoice=invoice)


def paid_invoice(world, customer, *, on: int, due: int, paid: int, amount=1000):
    """An invoice paid in full `paid` days ago (days late = due − paid when positive)."""
    inv = invoice(world, customer, on=on, due=due, amount=amount)
    receipt(world, customer, on=paid, amount=amount, invoice=inv)
    return inv


@pytest.fixture
def product(db):
    return Product.objects.create(code="P-RISK", name="测试商品", list_price=D("1.00"), cost=D("0.50"))


@pytest.fixture
def order(world, product):
    def make(customer, *, on: int, amount, user=None):
        user = user or customer.account_manager or world.admin
        return sales_orders.create_order(user, customer, number=number("SO"), order_date=ago(on),
                                         lines=[(product, D(str(amount)), D("1.00"))])
    return make
