"""Applications routed by the authority tiers: who may apply, review and approve; nobody decides their own;
every step recorded; approval applies the decision."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credo.collection.models import CollectionCase
from credo.core.models import AuditEntry, CustomerEvent
from credo.credit import approvals, services
from credo.credit.models import ApplicationStep, AuthorityTier, CreditApplication, CreditProfile, CreditStop
from credo.sales import orders
from credo.sales.models import SalesOrder

from .conftest import approved_profile, confirm, invoice, order, today


def limit_application(world, amount="80000", days=30, user=None, customer=None, **extra):
    return approvals.apply(user or world.sales_east, customer or world.east_customer, kind="limit", amount=amount,
                           credit_days=days, reason="年销售额约120万，付款及时", **extra)


def test_limit_application_reviewed_and_approved_sets_the_profile(world):
    application = limit_application(world)
    assert application.number.startswith("CA") and application.status == "review"
    assert application.tier_level == 1 and application.routing_amount == D("80000.00")
    with pytest.raises(PermissionDenied):  # a reviewer of tier 1 is a sales manager or credit controller
        approvals.decide(world.executive, application, decision="recommend")
    approvals.decide(world.manager_east, application, decision="recommend", comment="同意")
    application.refresh_from_db()
    assert application.status == "approval" and application.reviewer == world.manager_east
    with pytest.raises(PermissionDenied, match="reviewer"):
        approvals.decide(world.manager_east, application, decision="approve")
    approvals.decide(world.credit, application, decision="approve", comment="按营运资产法")
    application.refresh_from_db()
    profile = CreditProfile.objects.get(customer=world.east_customer)
    assert application.status == "approved" and application.decided_by == world.credit
    assert profile.limit == D("80000.00") and profile.credit_days == 30 and profile.limit_approved_on == today()
    assert profile.limit_valid_until.year == today().year + 1 and profile.limit_application == application
    assert list(application.steps.values_list("action", "username")) == [
        ("submit", "sales_east"), ("recommend", "manager_east"), ("approve", "credit")]
    change = AuditEntry.objects.filter(object_type="credit.creditprofile", action="update").last()
    assert change.after["limit"] == "80000.00" and change.before["limit"] == "0.00" and "CA" in change.reason
    kinds = set(CustomerEvent.objects.filter(customer_id=world.east_customer.pk).values_list("kind", flat=True))
    assert {"credit.applied", "credit.reviewed", "credit.approved", "credit.limit_set"} <= kinds


def test_nobody_decides_their_own_application(world):
    application = limit_application(world, user=world.manager_east)
    with pytest.raises(PermissionDenied, match="own"):
        approvals.decide(world.manager_east, application, decision="recommend")
    approvals.decide(world.credit, application, decision="recommend")
    with pytest.raises(PermissionDenied):
        approvals.decide(world.credit, application, decision="approve")  # the reviewer
    with pytest.raises(PermissionDenied):
        approvals.decide(world.manager_east, application, decision="approve")  # the applicant
    with pytest.raises(PermissionDenied):
        approvals.decide(world.manager_north, application, decision="approve")  # out of scope
    with pytest.raises(PermissionDenied):
        approvals.decide(world.sales_east2, application, decision="approve")  # a salesperson never approves
    application.refresh_from_db()
    assert application.status == "approval" and application.steps.count() == 2


def test_larger_limits_and_longer_terms_go_to_the_executive(world):
    tier2 = limit_application(world, amount="300000")
    tier3 = limit_application(world, amount="50000", days=90, customer=world.east2_customer, user=world.sales_east2)
    assert (tier2.tier_level, tier3.tier_level) == (2, 3)
    approvals.decide(world.manager_east, tier2, decision="recommend")
    with pytest.raises(PermissionDenied):
        approvals.decide(world.credit, tier2, decision="approve")
    approvals.decide(world.executive, tier2, decision="approve")
    assert CreditProfile.objects.get(customer=world.east_customer).limit == D("300000.00")
    with pytest.raises(PermissionDenied):
        approvals.decide(world.manager_east, tier3, decision="recommend")  # tier 3: credit or executive review
    approvals.decide(world.credit, tier3, decision="recommend")
    approvals.decide(world.executive, tier3, decision="approve")
    assert CreditProfile.objects.get(customer=world.east2_customer).credit_days == 90


def test_a_tier_without_review_goes_straight_to_the_approver(world):
    AuthorityTier.objects.filter(level=1).update(reviewer_roles="")
    application = limit_application(world)
    assert application.status == "approval"
    approvals.decide(world.manager_east, application, decision="approve")
    assert CreditProfile.objects.get(customer=world.east_customer).limit == D("80000.00")


def test_rejection_needs_a_reason_and_changes_nothing(world):
    application = limit_application(world)
    with pytest.raises(ValidationError) as exc:
        approvals.decide(world.manager_east, application, decision="reject")
    assert "comment" in exc.value.message_dict
    with pytest.raises(ValidationError):
        approvals.decide(world.manager_east, application, decision="approve")  # not a review decision
    approvals.decide(world.manager_east, application, decision="reject", comment="资料不全")
    application.refresh_from_db()
    assert application.status == "rejected" and not CreditProfile.objects.filter(limit__gt=0).exists()
    with pytest.raises(ValidationError):
        approvals.decide(world.credit, application, decision="approve")


def test_bad_input_names_the_field_and_creates_nothing(world):
    with pytest.raises(ValidationError) as exc:
        approvals.apply(world.sales_east, world.east_customer, kind="limit", amount="-5", credit_days=400,
                        reason=" ")
    assert set(exc.value.message_dict) == {"amount", "credit_days", "reason"}
    with pytest.raises(ValidationError) as exc:
        approvals.apply(world.sales_east, world.east_customer, kind="lift_stop", reason="客户已付款")
    assert "kind" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        limit_application(world, computation_id=999999)
    assert "computation_id" in exc.value.message_dict
    with pytest.raises(ValidationError):
        approvals.apply(world.sales_east, world.east_customer, kind="nonsense", reason="x")
    assert not CreditApplication.objects.exists()


def test_who_may_apply(world):
    with pytest.raises(PermissionDenied):
        limit_application(world, user=world.finance)  # no credit.apply
    with pytest.raises(PermissionDenied):
        limit_application(world, user=world.sales_north)  # out of scope
    limit_application(world)
    with pytest.raises(ValidationError, match="already waiting"):
        limit_application(world, user=world.manager_east)


def test_withdraw_only_by_the_applicant(world):
    application = limit_application(world)
    with pytest.raises(PermissionDenied):
        approvals.withdraw(world.manager_east, application)
    approvals.withdraw(world.sales_east, application, comment="重新申请")
    application.refresh_from_db()
    assert application.status == "withdrawn" and application.steps.last().action == "withdraw"
    limit_application(world)  # a new one may follow


def test_limit_from_a_computation(world):
    from credo.limits.models import LimitComputation

    computation = LimitComputation.objects.create(customer=world.east_customer, method="sales_volume",
                                                  limit=D("300000"), credit_line=D("150000"))
    other = LimitComputation.objects.create(customer=world.north_customer, method="sales_volume", limit=D("1"))
    with pytest.raises(ValidationError):
        limit_application(world, computation_id=other.pk)
    application = limit_application(world, amount="150000", computation_id=computation.pk)
    assert application.computation_id == computation.pk and application.tier_level == 2


def test_hold_release(world, product):
    customer = world.east_customer
    approved_profile(customer, "10000")
    held = confirm(world, order(world, customer, "SO1", product, 12))
    assert held.status == "held"
    application = approvals.apply(world.sales_east, customer, kind="hold_release", order=held,
                                  reason="客户下周付款，先发货")
    assert application.order_amount == D("12000.00") and application.tier_level == 1
    with pytest.raises(ValidationError, match="already waiting"):
        approvals.apply(world.manager_east, customer, kind="hold_release", order=held, reason="x")
    approvals.decide(world.manager_east, application, decision="recommend")
    approvals.decide(world.credit, application, decision="approve", comment="核对数字后放行")
    held.refresh_from_db()
    assert held.status == "confirmed" and held.hold_reason == ""
    assert customer.balance.__class__.objects.get(customer=customer).open_orders == D("12000.00")
    assert CustomerEvent.objects.filter(kind="order.hold_released").count() == 1
    with pytest.raises(ValidationError):  # only a held order can be released
        approvals.apply(world.sales_east, customer, kind="hold_release", order=held, reason="x")


def test_a_release_does_not_cover_an_order_that_grew(world, product):
    customer = world.east_customer
    approved_profile(customer, "10000")
    held = confirm(world, order(world, customer, "SO1", product, 12))
    application = approvals.apply(world.sales_east, customer, kind="hold_release", order=held, reason="先发货")
    approvals.decide(world.manager_east, application, decision="recommend")
    orders.change_order_lines(world.sales_east, held, [(product, 20, None)])  # back to draft
    confirm(world, held)
    with pytest.raises(ValidationError):
        approvals.decide(world.credit, application, decision="approve")
    assert SalesOrder.objects.get(pk=held.pk).status == "held"


def test_stop_and_resume_trade(world, product):
    customer = world.east_customer
    approved_profile(customer, "200000")  # tier 2: routed by the limit, approved by the executive
    invoice(world, customer, "INV1", "3000")
    stop = approvals.apply(world.credit, customer, kind="stop_trade", reason="客户经营异常，老板失联")
    approvals.decide(world.manager_east, stop, decision="recommend")
    approvals.decide(world.executive, stop, decision="approve")
    profile = CreditProfile.objects.get(customer=customer)
    assert profile.status == "trade_stopped" and profile.status_reason == "客户经营异常，老板失联"
    case = CollectionCase.objects.get(customer=customer)
    assert case.entries.filter(text__contains="客户经营异常").exists()
    held = confirm(world, order(world, customer, "SO1", product, 1))
    assert held.status == "held" and "Trade with this customer is stopped" in held.hold_reason
    with pytest.raises(ValidationError):
        approvals.apply(world.sales_east, customer, kind="hold_release", order=held, reason="x")
    with pytest.raises(ValidationError):
        invoice(world, customer, "INV2", "10")
    resume = approvals.apply(world.sales_east, customer, kind="resume_trade", reason="欠款已结清")
    assert resume.tier_level == 2
    approvals.decide(world.manager_east, resume, decision="recommend")
    approvals.decide(world.executive, resume, decision="approve")
    profile.refresh_from_db()
    assert profile.status == "normal"
    assert CreditStop.objects.get(customer=customer, kind="trade_stopped").lift_application == resume
    assert confirm(world, held).status == "confirmed"


def test_start_trade_needs_investigation_and_limit(world, investigated):
    customer = world.east_customer
    investigated["done"] = False
    application = approvals.apply(world.sales_east, customer, kind="start_trade", reason="新客户首次赊销")
    approvals.decide(world.manager_east, application, decision="recommend")
    with pytest.raises(ValidationError) as exc:
        approvals.decide(world.credit, application, decision="approve")
    assert len(exc.value.message_dict["decision"]) == 2
    investigated["done"] = True
    approved_profile(customer, "50000", started=False)
    approvals.decide(world.credit, application, decision="approve")
    assert CreditProfile.objects.get(customer=customer).trade_started_on == today()


def test_lift_a_credit_stop(world):
    customer = world.east_customer
    services.stop_credit(world.credit, customer, reason="多次拖欠")
    assert CreditProfile.objects.get(customer=customer).status == "cash_only"
    with pytest.raises(PermissionDenied):
        services.stop_credit(world.sales_east, customer, reason="x")
    lift = approvals.apply(world.sales_east, customer, kind="lift_stop", reason="已付清")
    approvals.decide(world.manager_east, lift, decision="recommend")
    approvals.decide(world.credit, lift, decision="approve")
    assert CreditProfile.objects.get(customer=customer).status == "normal"
    assert CreditStop.objects.get(customer=customer).lifted_by == "credit"


def test_step_rows_are_kept_in_order(world):
    application = limit_application(world)
    approvals.decide(world.manager_east, application, decision="reject", comment="额度过高")
    steps = list(ApplicationStep.objects.filter(application=application))
    assert [(s.action, s.role, s.comment) for s in steps] == [
        ("submit", "salesperson", "年销售额约120万，付款及时"), ("reject", "sales_manager", "额度过高")]
