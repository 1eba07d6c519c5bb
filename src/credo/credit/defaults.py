"""The company's starting credit tables: policy per risk grade and the approval authority tiers (SPEC §5.1,
§5.7). Created by a data migration and again whenever a table is found empty; edited in the admin afterwards.

Authority tiers: the seed leaves the amounts blank. Defaults: tier 1 up to ¥100,000 and 30 days, decided by a
sales manager or the credit controller; tier 2 up to ¥500,000 and 60 days, tier 3 above, both approved by an
executive (销售副总 / 总经理). The seed's "term 30 days" is read as the longest credit period a tier may grant;
tiers 2 and 3 are given longer terms so that every request has an approver.
"""

from decimal import Decimal

# level: credit days, discount %, discount days, settlement, collection plan, grace days, tolerance %,
#        count open orders, count unbilled deliveries, credit standard
POLICIES = {
    "AA": (60, "2", 10, "monthly", "relationship", 15, "10", True, True,
           "信用优良：经营稳健、财务状况好、付款及时；给予较宽松的信用条件，额度按营运资产法核定。"),
    "A": (45, "2", 10, "monthly", "relationship", 10, "5", True, True,
          "信用较好：经营正常、无不良付款记录；按正常信用条件赊销。"),
    "BB": (30, "1", 10, "monthly", "standard", 7, "0", True, True,
           "信用一般：需提供近期财务报表，额度不超过营运资本；按标准催收计划跟进。"),
    "B": (30, "0", 0, "previous_batch", "standard", 3, "0", True, True,
          "信用欠佳：押批结，额度从严核定，必要时要求担保。"),
    "C": (15, "0", 0, "previous_batch", "strict", 0, "0", True, True,
          "信用较差：原则上现款现货，如需赊销须有担保并经总经理批准。"),
    "D": (0, "0", 0, "previous_batch", "strict", 0, "0", True, True,
          "没有信用：只做现款交易，不予赊销。"),
    "NR": (30, "0", 0, "monthly", "standard", 7, "0", True, True,
           "尚未评级：首次赊销前须完成信用调查并经审批核定额度。"),
}

# level: name, limit up to, longest term, applicants, reviewers, approvers
TIERS = [
    (1, "一级（主任/经理）", Decimal("100000.00"), 30, "salesperson,sales_manager,credit_controller,administrator",
     "sales_manager,credit_controller", "sales_manager,credit_controller"),
    (2, "二级（销售副总）", Decimal("500000.00"), 60, "salesperson,sales_manager,credit_controller,administrator",
     "sales_manager,credit_controller", "executive"),
    (3, "三级（总经理）", None, None, "salesperson,sales_manager,credit_controller,administrator",
     "credit_controller,executive", "executive"),
]


def policy_values(level: str) -> dict:
    (days, discount, discount_days, settlement, plan, grace, tolerance, orders, deliveries,
     standard) = POLICIES.get(level, POLICIES["NR"])
    return {"credit_days": days, "discount_percent": Decimal(discount), "discount_days": discount_days,
            "settlement_mode": settlement, "collection_plan": plan, "grace_days": grace,
            "tolerance_percent": Decimal(tolerance), "count_open_orders": orders,
            "count_unbilled_deliveries": deliveries, "credit_standard": standard}


def tier_values(level, name, up_to, term, applicants, reviewers, approvers) -> dict:
    return {"name": name, "limit_up_to": up_to, "max_term_days": term, "applicant_roles": applicants,
            "reviewer_roles": reviewers, "approver_roles": approvers}


def ensure_defaults(policy_model=None, tier_model=None, settings_model=None):
    """Create the default rows that are missing; existing rows are left alone. Tiers only when there are none
    (a company that deleted a tier meant it)."""
    if policy_model is None:
        from .models import AuthorityTier as tier_model
        from .models import CreditSettings as settings_model
        from .models import PolicyDefault as policy_model
    for level in POLICIES:
        policy_model.objects.get_or_create(risk_level=level, defaults=policy_values(level))
    if not tier_model.objects.exists():
        for row in TIERS:
            tier_model.objects.create(level=row[0], **tier_values(*row))
    if not settings_model.objects.exists():
        settings_model.objects.create()
