"""Shared test data: named users per role in two teams, and customer factories."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from credo.core.models import Profile, Team, Territory
from credo.core.roles import Role
from credo.customers.models import Assignment, Contact, Customer
from credo.customers.rules import CREDIT_CODE_CHARS, credit_code_check_char

PASSWORD = "credo-test-pass"


def make_user(username, role, team=None, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    Profile.objects.create(user=user, role=role, team=team, display_name=username)
    return user


def valid_credit_code(n: int) -> str:
    body = "91310000" + "".join(CREDIT_CODE_CHARS[(n // 31**i) % 31] for i in range(9))
    return body + credit_code_check_char(body)


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"区域{n}")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"C{n:06d}")
    name = factory.Sequence(lambda n: f"测试客户{n}贸易有限公司")
    kind = "business"
    importance = "general"

    @factory.post_generation
    def keys(obj, create, extracted, **kwargs):
        obj.refresh_keys()
        if create:
            obj.save(update_fields=["name_key", "phone_key"])
            if obj.account_manager_id:
                Assignment.objects.create(customer=obj, manager_id=obj.account_manager_id, started_at=timezone.now(),
                                          assigned_by="factory")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")


class World:
    """Two teams, each with a manager and two salespeople, plus one user of every other role."""

    def __init__(self):
        self.east = Team.objects.create(name="华东销售部")
        self.north = Team.objects.create(name="华北销售部")
        self.manager_east = make_user("manager_east", Role.SALES_MANAGER, self.east)
        self.manager_north = make_user("manager_north", Role.SALES_MANAGER, self.north)
        self.east.manager = self.manager_east
        self.east.save()
        self.north.manager = self.manager_north
        self.north.save()
        self.sales_east = make_user("sales_east", Role.SALESPERSON, self.east)
        self.sales_east2 = make_user("sales_east2", Role.SALESPERSON, self.east)
        self.sales_north = make_user("sales_north", Role.SALESPERSON, self.north)
        self.credit = make_user("credit", Role.CREDIT_CONTROLLER)
        self.finance = make_user("finance", Role.FINANCE_CLERK)
        self.service = make_user("service", Role.SERVICE_AGENT)
        self.executive = make_user("executive", Role.EXECUTIVE)
        self.admin = make_user("admin", Role.ADMINISTRATOR, is_staff=True)
        self.territory = TerritoryFactory(code="SH", name="上海")
        self.east_customer = CustomerFactory(code="E001", name="上海东方贸易有限公司", account_manager=self.sales_east,
                                             territory=self.territory)
        self.east2_customer = CustomerFactory(code="E002", name="苏州南湖机电有限公司", account_manager=self.sales_east2)
        self.north_customer = CustomerFactory(code="N001", name="北京北辰商贸有限公司", account_manager=self.sales_north)
