"""The profile contract, policy terms, the editable tables and their defaults, customer merge."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credo.core.models import AuditEntry
from credo.credit import approvals, authority, queries, services
from credo.credit.models import AuthorityTier, CreditApplication, CreditProfile, CreditStop, PolicyDefault
from credo.customers.services import merge_customers

from .conftest import approved_profile


def test_credit_profile_contract(world):
    assert queries.credit_profile(world.east_customer.pk) is None
    approved_profile(world.east_customer, "120000", days=45)
    profile = queries.credit_profile(world.east_customer.pk)
    assert (profile.limit, profile.credit_days, profile.status) == (D("120000.00"), 45, "normal")
    fast = queries.profile_for_check(world.east_customer.pk)
    assert (fast.limit, fast.credit_days, fast.limit_approved_on) == (profile.limit, 45, profile.limit_approved_on)
    assert queries.profile_for_check(world.north_customer.pk) is None


def test_new_profiles_start_from_the_grade_policy(world, monkeypatch):
    monkeypatch.setattr(queries, "risk_level", lambda customer_id: "AA")
    profile = services.new_profile(world.east_customer.pk)
    assert (profile.credit_days, profile.discount_percent, profile.discount_days, profile.settlement_mode) == (
        60, D("2"), 10, "monthly")
    PolicyDefault.objects.all().delete()  # a flushed table: the built-in defaults still apply
    assert queries.policy_for_level("C").credit_days == 15 and queries.policy_for_level("C").pk is None


def test_update_policy(world):
    customer = world.east_customer
    with pytest.raises(PermissionDenied):
        services.update_policy(world.sales_east, customer, {"discount_percent": "2"})
    with pytest.raises(ValidationError) as exc:
        services.update_policy(world.credit, customer, {"discount_percent": "100", "discount_days": "-1",
                                                        "settlement_mode": "weekly", "collection_plan": "x",
                                                        "target_annual_sales": "-5"})
    assert set(exc.value.message_dict) == {"discount_percent", "discount_days", "settlement_mode",
                                           "collection_plan", "target_annual_sales"}
    assert not CreditProfile.objects.exists()
    profile = services.update_policy(world.credit, customer, {"discount_percent": "2", "discount_days": 10,
                                                              "settlement_mode": "previous_batch",
                                                              "credit_standard": " 须提供担保 "}, reason="年度调整")
    assert profile.settlement_mode == "previous_batch" and profile.credit_standard == "须提供担保"
    assert profile.limit == 0  # terms only: the limit goes through approval
    entry = AuditEntry.objects.filter(object_type="credit.creditprofile").last()
    assert entry.reason == "年度调整" and entry.after["settlement_mode"] == "previous_batch"


def test_missing_tiers_are_recreated_and_roles_checked(world):
    AuthorityTier.objects.all().delete()
    assert authority.tier_for(D("1"), 1).level == 1 and AuthorityTier.objects.count() == 3
    tier = AuthorityTier(level=9, name="x", applicant_roles="salesperson, boss", approver_roles="executive")
    with pytest.raises(ValidationError) as exc:
        tier.clean()
    assert "applicant_roles" in exc.value.message_dict
    tier = AuthorityTier(level=9, name="x", applicant_roles="salesperson，sales_manager", approver_roles="executive")
    tier.clean()
    assert tier.applicant_roles == "salesperson,sales_manager"


def test_applicant_roles_come_from_the_tier(world):
    AuthorityTier.objects.filter(level=1).update(applicant_roles="credit_controller")
    with pytest.raises(PermissionDenied):
        approvals.apply(world.sales_east, world.east_customer, kind="limit", amount="1000", credit_days=30,
                        reason="x")
    approvals.apply(world.credit, world.east_customer, kind="limit", amount="1000", credit_days=30, reason="x")


def test_merge_keeps_the_targets_profile_and_moves_history(world):
    target, source = world.east_customer, world.east2_customer
    approved_profile(target, "100000")
    approved_profile(source, "5000")
    services.stop_credit(world.credit, source, reason="退票")
    approvals.apply(world.sales_east2, source, kind="lift_stop", reason="已付")
    merge_customers(world.manager_east, target, source, reason="重复客户")
    profile = CreditProfile.objects.get(customer=target)
    assert profile.limit == D("100000.00") and profile.status == "cash_only"  # the live stop moved with it
    assert not CreditProfile.objects.filter(customer=source).exists()
    assert CreditStop.objects.get().customer == target and CreditApplication.objects.get().customer == target


def test_demo_credit_data(world):
    import io

    from django.core.management import call_command

    from .conftest import invoice

    invoice(world, world.east_customer, "INV1", "42000")
    invoice(world, world.north_customer, "INV2", "1000")
    out = io.StringIO()
    call_command("credit_control", "demo", stdout=out)
    assert "2 profiles" in out.getvalue()
    limits = dict(CreditProfile.objects.values_list("customer__code", "limit"))
    assert limits == {"E001": D("50000.00"), "N001": D("50000.00")}
    assert CreditStop.objects.count() == 1 and CreditApplication.objects.filter(status="review").count() == 2
