import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from credo.core.models import AuditEntry, CustomerEvent
from credo.customers import queries, services
from credo.customers.models import Assignment, BankAccount, Contact, Customer, FormerName

GOOD_CODE = "91350100M000100Y43"


def data(**extra):
    return {"code": "X100", "name": "杭州新华电子有限公司", "kind": "business", "importance": "general", **extra}


def test_create_records_audit_assignment_and_timeline(world):
    customer = services.create_customer(world.sales_east, data(credit_code=GOOD_CODE), reason="新客户")
    assert customer.account_manager == world.sales_east
    assert customer.name_key == "杭州新华电子"
    entry = AuditEntry.objects.get(object_type="customers.customer", object_id=str(customer.pk))
    assert entry.action == "create" and entry.username == "sales_east" and entry.reason == "新客户"
    assert entry.after["credit_code"] == GOOD_CODE and entry.customer_id == customer.pk
    assert Assignment.objects.get(customer=customer, ended_at__isnull=True).manager == world.sales_east
    assert CustomerEvent.objects.filter(customer_id=customer.pk, kind="customer.created").exists()


@pytest.mark.parametrize("code, english, chinese", [
    ("911100006000373410", "check digit", "校验码"),
    ("9111000060003734", "18 characters", "18位"),
    ("9111000060003734OL", "capital letters", "大写字母"),
])
def test_bad_credit_code_is_refused_in_the_users_language(world, code, english, chinese):
    for language, expected in (("en", english), ("zh-hans", chinese)):
        with translation.override(language), pytest.raises(ValidationError) as exc:
            services.create_customer(world.sales_east, data(credit_code=code))
        assert expected in " ".join(exc.value.message_dict["credit_code"])
    assert not Customer.objects.filter(code="X100").exists()
    assert not AuditEntry.objects.filter(object_type="customers.customer").exists()


def test_credit_code_is_cleaned_to_upper_half_width(world):
    customer = services.create_customer(world.sales_east, data(credit_code="９１３５０１００ｍ000100y43"))
    assert customer.credit_code == GOOD_CODE


def test_missing_code_and_name_name_both_fields(world):
    with pytest.raises(ValidationError) as exc:
        services.create_customer(world.sales_east, data(code=" ", name=""))
    assert set(exc.value.message_dict) == {"code", "name"}


def test_duplicate_code_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.create_customer(world.sales_east, data(code="E001"))
    assert "code" in exc.value.message_dict


@pytest.mark.parametrize("variant", ["上海东方贸易有限责任公司", "上海东方贸易", "上海 东方 贸易 有限公司"])
def test_name_variant_is_a_possible_duplicate(world, variant):
    with pytest.raises(services.DuplicateWarning) as exc:
        services.create_customer(world.sales_east, data(name=variant))
    assert [d.code for d in exc.value.duplicates] == ["E001"]
    assert exc.value.duplicates[0].duplicate_reasons == ["name"]
    created = services.create_customer(world.sales_east, data(name=variant), allow_duplicate=True)
    assert created.pk


def test_phone_duplicate_found_across_formats(world):
    services.create_customer(world.sales_east, data(phone="021-6234 5678"))
    with pytest.raises(services.DuplicateWarning) as exc:
        services.create_customer(world.sales_east, data(code="X101", name="另一个公司", phone="+86 21 62345678"))
    assert exc.value.duplicates[0].duplicate_reasons == ["phone"]


def test_same_credit_code_is_an_error_not_a_warning(world):
    services.create_customer(world.sales_east, data(credit_code=GOOD_CODE))
    with pytest.raises(ValidationError) as exc:
        services.create_customer(world.sales_east, data(code="X101", name="别的名字", credit_code=GOOD_CODE),
                                 allow_duplicate=True)
    assert "credit_code" in exc.value.message_dict


def test_roles_without_create_permission_are_refused(world):
    for user in (world.finance, world.service, world.executive):
        with pytest.raises(PermissionDenied):
            services.create_customer(user, data())
    assert not Customer.objects.filter(code="X100").exists()


def test_salesperson_cannot_give_customer_to_another_team(world):
    with pytest.raises(ValidationError):
        services.create_customer(world.sales_east, data(), manager=world.sales_north)


def test_update_audits_before_and_after_and_keeps_former_name(world):
    customer = world.east_customer
    services.update_customer(world.sales_east, customer, {"name": "上海东方新贸易有限公司", "phone": "13800138000"},
                             reason="更名")
    customer.refresh_from_db()
    assert customer.name_key == "上海东方新贸易" and customer.phone_key == "13800138000"
    entry = AuditEntry.objects.filter(action="update", customer_id=customer.pk).get()
    assert entry.before["name"] == "上海东方贸易有限公司" and entry.after["name"] == "上海东方新贸易有限公司"
    assert set(entry.before) == {"name", "phone", "name_key", "phone_key"}
    assert FormerName.objects.get(customer=customer).name == "上海东方贸易有限公司"
    # the old name still finds the customer, in search and in duplicate detection
    flt = queries.CustomerFilter(q="东方贸易")
    assert customer in queries.filtered_customers(world.sales_east, flt)
    assert [d.pk for d in queries.possible_duplicates(name="上海东方贸易有限公司")] == [customer.pk]


def test_update_with_no_change_writes_no_audit(world):
    services.update_customer(world.sales_east, world.east_customer, {"name": world.east_customer.name})
    assert not AuditEntry.objects.filter(action="update").exists()


def test_update_out_of_scope_is_refused_and_unchanged(world):
    with pytest.raises(PermissionDenied):
        services.update_customer(world.sales_east, world.north_customer, {"name": "改名"})
    world.north_customer.refresh_from_db()
    assert world.north_customer.name == "北京北辰商贸有限公司"


def test_manager_reassigns_within_team_with_history(world):
    services.reassign_customer(world.manager_east, world.east_customer, world.sales_east2, reason="客户迁址")
    rows = list(Assignment.objects.filter(customer=world.east_customer).order_by("started_at"))
    assert [r.manager for r in rows] == [world.sales_east2] or rows[-1].manager == world.sales_east2
    assert Assignment.objects.filter(customer=world.east_customer, ended_at__isnull=True).count() == 1
    world.east_customer.refresh_from_db()
    assert world.east_customer.account_manager == world.sales_east2
    entry = AuditEntry.objects.get(action="assign")
    assert entry.before == {"account_manager": "sales_east"} and entry.after == {"account_manager": "sales_east2"}


def test_reassign_rules(world):
    with pytest.raises(PermissionDenied):
        services.reassign_customer(world.sales_east, world.east_customer, world.sales_east2, reason="x")
    with pytest.raises(ValidationError):
        services.reassign_customer(world.manager_east, world.east_customer, world.sales_north, reason="x")
    with pytest.raises(ValidationError):
        services.reassign_customer(world.manager_east, world.east_customer, world.sales_east2, reason=" ")
    with pytest.raises(PermissionDenied):
        services.reassign_customer(world.manager_east, world.north_customer, world.sales_east, reason="x")
    services.reassign_customer(world.admin, world.north_customer, world.sales_east, reason="调整")


def test_scopes(world):
    def codes(user):
        return sorted(queries.visible_customers(user).values_list("code", flat=True))

    assert codes(world.sales_east) == ["E001"]
    assert codes(world.manager_east) == ["E001", "E002"]
    assert codes(world.manager_north) == ["N001"]
    for user in (world.credit, world.finance, world.service, world.executive, world.admin):
        assert codes(user) == ["E001", "E002", "N001"]


def test_contacts_primary_is_unique_and_audited(world):
    first = services.add_contact(world.sales_east, world.east_customer, {"name": "王伟", "is_primary": True,
                                                                         "decision_role": "decider"})
    second = services.add_contact(world.sales_east, world.east_customer, {"name": "李娜", "is_primary": True})
    first.refresh_from_db()
    assert not first.is_primary and second.is_primary
    services.update_contact(world.sales_east, first, {"title": "采购经理"})
    assert AuditEntry.objects.filter(object_type="customers.contact", action="update").count() == 1
    with pytest.raises(ValidationError) as exc:
        services.add_contact(world.sales_east, world.east_customer, {"name": "", "birthday": datetime.date(2100, 1, 1)})
    assert set(exc.value.message_dict) == {"name", "birthday"}
    with pytest.raises(PermissionDenied):
        services.add_contact(world.sales_east, world.north_customer, {"name": "张三"})
    assert Contact.objects.count() == 2


def test_bank_account_change_keeps_history(world):
    c = world.east_customer
    services.change_bank_account(world.sales_east, c, bank_name="工商银行", account_number="6222 0000 1111",
                                 valid_from=datetime.date(2025, 1, 1))
    services.change_bank_account(world.sales_east, c, bank_name="建设银行", account_number="6227000022",
                                 valid_from=datetime.date(2026, 5, 1), reason="客户换行")
    rows = list(BankAccount.objects.filter(customer=c).order_by("valid_from"))
    assert [(r.bank_name, r.valid_to) for r in rows] == [("工商银行", datetime.date(2026, 5, 1)), ("建设银行", None)]
    with pytest.raises(ValidationError) as exc:
        services.change_bank_account(world.sales_east, c, bank_name="农业银行", account_number="12ab",
                                     valid_from=datetime.date(2026, 1, 1))
    assert set(exc.value.message_dict) == {"account_number", "valid_from"}
    assert BankAccount.objects.filter(customer=c).count() == 2


def test_competitor_validation(world):
    row = services.add_competitor(world.sales_east, world.east_customer, {"competitor": "华为", "year": 2026,
                                                                          "our_sales": Decimal("100.00")})
    assert row.pk
    with pytest.raises(ValidationError) as exc:
        services.add_competitor(world.sales_east, world.east_customer, {"competitor": "", "year": 1800,
                                                                        "our_sales": Decimal("-1")})
    assert set(exc.value.message_dict) == {"competitor", "year", "our_sales"}


def test_merge_moves_everything_and_keeps_both_histories(world):
    target, source = world.east_customer, world.east2_customer
    services.add_contact(world.sales_east2, source, {"name": "赵敏"})
    services.add_note(world.sales_east2, source, "来电询价")
    source_events = CustomerEvent.objects.filter(customer_id=source.pk).count()
    target_events = CustomerEvent.objects.filter(customer_id=target.pk).count()
    services.merge_customers(world.manager_east, target, source, reason="同一家公司")
    source.refresh_from_db()
    assert not source.is_active and source.merged_into == target
    assert Contact.objects.filter(customer=target, name="赵敏").exists()
    assert FormerName.objects.filter(customer=target, name="苏州南湖机电有限公司").exists()
    assert CustomerEvent.objects.filter(customer_id=target.pk).count() == source_events + target_events + 1
    assert Assignment.objects.filter(customer=target, ended_at__isnull=True).count() == 1
    assert AuditEntry.objects.filter(action="merge", customer_id=target.pk).exists()
    assert AuditEntry.objects.filter(customer_id=source.pk).count() == 0  # moved to the target's trail


def test_merge_rules(world):
    with pytest.raises(PermissionDenied):
        services.merge_customers(world.sales_east, world.east_customer, world.east2_customer, reason="x")
    with pytest.raises(PermissionDenied):
        services.merge_customers(world.manager_east, world.east_customer, world.north_customer, reason="x")
    with pytest.raises(ValidationError):
        services.merge_customers(world.manager_east, world.east_customer, world.east_customer, reason="x")
    with pytest.raises(ValidationError):
        services.merge_customers(world.manager_east, world.east_customer, world.east2_customer, reason="")
    assert world.east2_customer.__class__.objects.get(pk=world.east2_customer.pk).is_active


def test_tag_change_alone_is_audited(world):
    services.update_customer(world.sales_east, world.east_customer, {}, tags=["重点跟进"])
    entry = AuditEntry.objects.get(action="update")
    assert entry.before == {"tags": []} and entry.after == {"tags": ["重点跟进"]}


def test_create_customers_in_bulk_gives_what_single_create_gives(world):
    items = [({"code": f"B{i}", "name": f"批量{i}有限公司", "kind": "dealer", "importance": "general"}, None,
              ["导入", "批量"]) for i in range(3)]
    created = services.create_customers(world.sales_east, items, reason="导入")
    assert [c.code for c in created] == ["B0", "B1", "B2"]
    for customer in created:
        assert sorted(customer.tags.values_list("name", flat=True)) == ["导入", "批量"]
        assert Assignment.objects.get(customer=customer, ended_at__isnull=True).manager == world.sales_east
        entry = AuditEntry.objects.get(object_id=str(customer.pk), object_type="customers.customer")
        assert entry.after["tags"] == ["导入", "批量"] and entry.after["kind"] == "dealer" and entry.reason == "导入"
        assert CustomerEvent.objects.filter(customer_id=customer.pk, kind="customer.created").count() == 1


def test_create_customers_rechecks_database_rules(world):
    with pytest.raises(ValidationError) as exc:
        services.create_customers(world.sales_east, [({"code": "E001", "name": "重复编码"}, None, None)])
    assert "code" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_customers(world.sales_east, [({"code": "Y1", "name": "一"}, None, None),
                                                     ({"code": "Y1", "name": "二"}, None, None)])
    with pytest.raises(ValidationError):
        services.create_customers(world.sales_east, [({"code": "Y2", "name": "三"}, world.sales_north, None)])
    with pytest.raises(PermissionDenied):
        services.create_customers(world.finance, [({"code": "Y3", "name": "四"}, None, None)])
    assert not Customer.objects.filter(code__startswith="Y").exists()
