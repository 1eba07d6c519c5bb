"""The behavioural D flag's service load: complaints and service requests received in the period, by the company's
calendar day, within the user's scope."""

import datetime

import pytest

from credo.classification import queries, rules
from credo.complaints import services as complaints
from credo.servicedesk import services as desk

pytestmark = pytest.mark.django_db


def complain(world, customer):
    return complaints.intake(world.service, customer=customer, channel="phone", category="service",
                             contact_name="王经理", description="送货司机态度差")


def test_complaints_and_requests_of_the_period_count(world, clock):
    clock.set("2026-03-31T23:30+08:00")          # still March in Shanghai (15:30 UTC)
    complain(world, world.east_customer)
    clock.set("2026-04-01T00:10+08:00")          # April in Shanghai, still March 31 in UTC
    complain(world, world.east_customer)
    desk.intake(world.service, world.east_customer, subject="安装咨询", description="配电箱怎么安装")
    complain(world, world.north_customer)
    april = (datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))
    assert queries.service_load(rules_scope(world.admin), *april) == {world.east_customer.pk: 2,
                                                                      world.north_customer.pk: 1}
    assert queries.service_load(rules_scope(world.sales_east), *april) == {world.east_customer.pk: 2}
    march = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    assert queries.service_load(rules_scope(world.admin), *march) == {world.east_customer.pk: 1}


def rules_scope(user):
    from credo.core.scopes import customer_q

    return customer_q(user, "customer__")


def test_the_load_per_order_makes_a_demanding_signal():
    b = rules.Behaviour
    flagged = rules.behavioural_d([b(1, 100, 50, 0, 4, 0), b(2, 100, 90, 0, 4, 2)])
    assert flagged == {2: ["low_margin", "demanding"]}   # 2 complaints on 4 invoices > 0.20
