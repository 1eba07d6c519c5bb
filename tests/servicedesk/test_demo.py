"""The demo: articles, contracts (some expiring this month) and a year of requests with clocks; a second run adds
nothing."""

import datetime
from decimal import Decimal

import pytest

from credo.sales.models import Product
from credo.servicedesk import demo, queries
from credo.servicedesk.models import Article, ServiceContract, Ticket
from credo.sla.models import SlaClock
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_demo_is_complete_and_idempotent(world, clock):
    clock.set("2026-06-15T10:00")
    for family in ("配电箱", "减速电机", "空气开关", "LED平板灯", "LED灯管"):
        Product.objects.create(code=f"P-{family}", name=f"{family} 标准型", list_price=Decimal("100.00"),
                               cost=Decimal("50.00"))
    for n in range(60):
        CustomerFactory(code=f"D{n:03d}", account_manager=world.sales_east, importance="key" if n % 3 == 0 else "general",
                        first_order_date=datetime.date(2025, 1, 1))
    first = demo.generate(per_customer_year=2)
    assert first.articles == len(Article.objects.all()) >= 30
    assert first.contracts == ServiceContract.objects.count() > 0
    assert first.tickets == Ticket.objects.count() == 120 and first.open_tickets > 0
    assert SlaClock.objects.filter(kind="ticket").count() == 2 * first.tickets
    assert Ticket.objects.filter(status="waiting_customer").exists() or Ticket.objects.filter(status="new").exists()
    assert SlaClock.objects.filter(kind="ticket", breached_at__isnull=False).exists()
    assert all(t.number.startswith("FW-") for t in Ticket.objects.all())
    assert queries.search_articles(world.sales_east, "安装").count() >= 5
    again = demo.generate(per_customer_year=2)
    assert (again.articles, again.contracts, again.tickets) == (0, 0, 0)
    assert Ticket.objects.count() == 120
