import datetime

from credo.core.clock import business_today
from credo.customers.panels import upcoming_birthdays
from tests.factories import ContactFactory


def test_birthdays_across_new_year_and_in_scope_only(world):
    today = datetime.date(2026, 12, 25)
    ContactFactory(customer=world.east_customer, name="甲", birthday=datetime.date(1980, 1, 3))
    ContactFactory(customer=world.east_customer, name="乙", birthday=datetime.date(1975, 12, 25))
    ContactFactory(customer=world.east_customer, name="丙", birthday=datetime.date(1975, 1, 20))
    ContactFactory(customer=world.north_customer, name="丁", birthday=datetime.date(1990, 12, 26))
    found = upcoming_birthdays(world.sales_east, today)
    assert [(c.name, c.days_until) for c in found] == [("乙", 0), ("甲", 9)]
    assert [c.name for c in upcoming_birthdays(world.credit, today)] == ["乙", "丁", "甲"]


def test_home_shows_panel(client, world):
    ContactFactory(customer=world.east_customer, name="生日联系人", birthday=business_today())
    client.force_login(world.sales_east)
    assert "生日联系人" in client.get("/").content.decode()
