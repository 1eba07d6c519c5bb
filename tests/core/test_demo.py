import datetime
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from credo.core import demo as org_demo
from credo.core.models import CustomerEvent, Profile, Team, Territory
from credo.core.roles import Role
from credo.customers import demo as customer_demo
from credo.customers import rules
from credo.customers.models import Assignment, BankAccount, Contact, Customer, CustomerKind, FormerName
from credo.customers.queries import visible_customers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load(n=80, **options):
    call_command("demo", customers=n, verbosity=0, **options)


def test_demo_creates_consistent_customers():
    load(120, seed=3)
    customers = list(Customer.objects.select_related("territory", "account_manager__profile__team"))
    assert len(customers) == 120
    open_rows = {a.customer_id: a for a in Assignment.objects.filter(ended_at__isnull=True)}
    for c in customers:
        # the open assignment names the account manager, who belongs to the territory's region team
        assert open_rows[c.pk].manager_id == c.account_manager_id
        assert c.account_manager.profile.role in (Role.SALESPERSON, Role.SALES_MANAGER)
        assert c.territory.parent_id is not None
        assert c.account_manager.profile.team.territory_id == c.territory.parent_id
        # keys as the services would compute them
        assert c.name_key and c.name_key == rules.normalise_name(c.name)
        assert c.phone_key == rules.normalise_phone(c.phone) != ""
        if c.kind == CustomerKind.RETAIL:
            assert c.credit_code == "" and c.legal_form == ""
        else:
            assert rules.credit_code_problem(c.credit_code) is None, c.credit_code
            assert c.founded_on and c.legal_representative and c.legal_form
        assert c.created_at <= c.updated_at
        assert c.route and c.route_sequence >= 1
    assert Assignment.objects.filter(ended_at__isnull=True).count() == 120
    # closed assignments (history) end where the open one starts
    for a in Assignment.objects.filter(ended_at__isnull=False):
        assert open_rows[a.customer_id].started_at == a.ended_at
    # unique names, codes and credit codes
    assert len({c.name_key for c in customers}) == 120
    codes = [c.credit_code for c in customers if c.credit_code]
    assert len(codes) == len(set(codes))
    # every customer has a creation event at its creation time, and 1–3 contacts with one primary
    created = {e.customer_id: e for e in CustomerEvent.objects.filter(kind="customer.created")}
    assert set(created) == {c.pk for c in customers}
    assert all(created[c.pk].at == c.created_at for c in customers)
    counts = Customer.objects.annotate(n=Count("contacts"), p=Count("contacts", filter=Q(contacts__is_primary=True)))
    assert all(1 <= row.n <= 3 and row.p == 1 for row in counts)
    # a mix of kinds, importance and lifecycle
    assert {c.kind for c in customers} >= {CustomerKind.BUSINESS, CustomerKind.DEALER, CustomerKind.RETAIL}
    assert {c.importance for c in customers} >= {"general", "scattered"}
    assert any(c.first_order_date is None for c in customers)
    assert any(c.first_order_date is not None for c in customers)
    assert BankAccount.objects.filter(valid_to__isnull=True).count() > 60


def test_demo_users_for_every_role_and_shared_password():
    load(10)
    roles = set(Profile.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser and admin.profile.role == Role.ADMINISTRATOR
    manager = get_user_model().objects.get(username="huadong_mgr")
    assert manager.check_password(org_demo.DEMO_PASSWORD)
    east = Team.objects.get(name="华东销售部")
    assert east.manager == manager and east.territory.code == "HD"
    assert east.members.filter(role=Role.SALESPERSON).count() >= 3
    assert Territory.objects.filter(parent__code="HD", code="HD-SH", name="上海").exists()
    # the manager sees exactly the customers of his region
    visible = set(visible_customers(manager).values_list("pk", flat=True))
    in_region = set(Customer.objects.filter(territory__parent__code="HD").values_list("pk", flat=True))
    assert visible == in_region


def test_if_empty_does_nothing_when_customers_exist():
    load(15)
    users = get_user_model().objects.count()
    load(15, if_empty=True)
    assert Customer.objects.count() == 15
    assert get_user_model().objects.count() == users


def test_second_run_appends_without_clashes():
    load(25, seed=1)
    load(25, seed=1)
    assert Customer.objects.count() == 50
    assert Customer.objects.values("code").distinct().count() == 50
    codes = list(Customer.objects.exclude(credit_code="").values_list("credit_code", flat=True))
    assert len(codes) == len(set(codes))
    keys = list(Customer.objects.values_list("name_key", flat=True)) + list(
        FormerName.objects.values_list("name_key", flat=True))
    assert len(keys) == len(set(keys))
    assert Profile.objects.filter(role=Role.EXECUTIVE).count() == 1


def test_same_seed_same_data():
    org = org_demo.ensure_organisation()
    today = datetime.date(2025, 6, 30)

    def snapshot():
        return (
            list(Customer.objects.order_by("code").values_list(
                "code", "name", "credit_code", "kind", "importance", "first_order_date", "created_at",
                "account_manager__username", "territory__code", "registered_capital")),
            list(Contact.objects.order_by("customer__code", "name").values_list("customer__code", "name", "mobile")),
        )

    customer_demo.generate(org, 40, seed=7, start=1, today=today)
    first = snapshot()
    CustomerEvent.objects.all().delete()
    Customer.objects.all().delete()
    customer_demo.generate(org, 40, seed=7, start=1, today=today)
    assert snapshot() == first
    CustomerEvent.objects.all().delete()
    Customer.objects.all().delete()
    customer_demo.generate(org, 40, seed=8, start=1, today=today)
    assert snapshot() != first


def test_credit_codes_are_valid_and_unique_by_number():
    codes = {customer_demo.credit_code(n, "310115", n % 3 == 0, n % 2 == 0) for n in range(1, 5001)}
    assert len(codes) == 5000
    assert all(rules.credit_code_problem(code) is None for code in codes)
    assert customer_demo.org_code_check("D2143569") == "X"  # GB 11714 example


def test_negative_customers_is_refused_with_status_2():
    with pytest.raises(CommandError) as info:
        load(-1)
    assert info.value.returncode == 2
    assert Customer.objects.count() == 0


@pytest.mark.clock_independent("a child process refusing its arguments")
def test_command_line_exit_status_for_bad_input():
    env = {**os.environ, "DATABASE_URL": "sqlite:////tmp/credo-never-created.sqlite3"}
    done = subprocess.run([sys.executable, "-m", "credo.cli", "demo", "--customers", "-3"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--customers" in done.stderr


def test_zero_customers_still_makes_the_logins():
    load(0)
    assert Customer.objects.count() == 0
    assert get_user_model().objects.filter(username="credit", profile__role=Role.CREDIT_CONTROLLER).exists()


def test_rows_added_later_get_fresh_ids():
    load(12)
    top = Customer.objects.order_by("-pk").values_list("pk", flat=True).first()
    added = Customer.objects.create(code="X000001", name="后来新增有限公司")
    assert added.pk > top
    contact = Contact.objects.create(customer=added, name="王强")
    assert contact.pk > max(Contact.objects.exclude(pk=contact.pk).values_list("pk", flat=True))
