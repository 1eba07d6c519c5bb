"""The company's starting risk tables: the five classes with their profile and policy (SPEC §5.9, seed 004)
and the ordered rules that derive a class from the risk level, importance, annual sales and how complete the
customer's file is. Edited in the admin afterwards; missing rows are recreated by ensure_defaults()."""

from decimal import Decimal

CLASSES = [
    ("CA1",
     "实力雄厚，规模大，业务比例高，前景好，信用优良（最优客户）",
     "Strong and large, a high share of our business, good prospects, excellent credit (the best customers).",
     "宽松政策，努力维护；经常联系和沟通；定期了解情况。",
     "Loose terms, maintain the relationship actively; frequent contact and communication; periodic check."),
    ("CA2",
     "实力雄厚，规模大，业务比例高，前景好，信用优良",
     "Strong and large, a high share of our business, good prospects, excellent credit.",
     "宽松政策，努力维护；经常联系和沟通；定期了解情况。",
     "Loose terms, maintain the relationship actively; frequent contact and communication; periodic check."),
    ("CA3",
     "具有较大的交易价值，没有大的缺点，可长期交易",
     "Good trading value, no major weakness, a long-term partner.",
     "适当控制，以信用限额为准；建立良好的客户关系；定期了解信息。",
     "Moderate control, bounded by the credit limit; build a good relationship; gather information "
     "periodically."),
    ("CA4",
     "吸引力较低，交易具有偶然性，信息不全面",
     "Low attractiveness, occasional trading, incomplete information.",
     "管理更加严格，对信用限额打折扣；争取发展长远合作关系；更加仔细调查了解客户。",
     "Stricter management, discount the credit limit; try to develop a long-term relationship; investigate "
     "the customer more carefully."),
    ("CA5",
     "交易价值很小，信用较差，难以得到信息",
     "Little trading value, poor credit, information hard to get.",
     "尽量避免交易；交易以现金进行，不采用信用方式；有些可以放弃。",
     "Avoid trading where possible; cash only, no credit; some may be dropped."),
]

# (position, class, risk levels, importances, min sales, max sales, min completeness, max completeness, text)
RULES = [
    (10, "CA5", "C,D", "", None, None, None, None, "信用很差（C、D级）"),
    (20, "CA5", "", "", None, Decimal("100000"), None, 30, "交易价值很小且难以得到信息"),
    (30, "CA1", "AA", "key", Decimal("1000000"), None, 80, None, "AA级重点客户，年销售额100万元以上，资料齐全"),
    (40, "CA2", "AA,A", "key", None, None, 70, None, "AA/A级重点客户，资料较全"),
    (50, "CA2", "AA,A", "", Decimal("500000"), None, 70, None, "AA/A级，年销售额50万元以上，资料较全"),
    (60, "CA3", "AA,A,BB", "", None, None, 50, None, "信用良好（AA–BB级），资料基本齐全"),
    (90, "CA4", "", "", None, None, None, None, "其余：信用一般、未评级或资料不全"),
]


def ensure_defaults(class_model=None, rule_model=None):
    """Create the missing classes (by code); the rule table only when it is empty (an edited table is the
    company's own and is left alone)."""
    if class_model is None:
        from .models import RiskClass as class_model
        from .models import RiskClassRule as rule_model
    for code, profile_zh, profile_en, policy_zh, policy_en in CLASSES:
        class_model.objects.get_or_create(code=code, defaults={
            "profile_zh": profile_zh, "profile_en": profile_en, "policy_zh": policy_zh, "policy_en": policy_en})
    if not rule_model.objects.exists():
        rule_model.objects.bulk_create([
            rule_model(position=position, risk_class=risk_class, risk_levels=levels, importances=importances,
                       min_annual_sales=min_sales, max_annual_sales=max_sales, min_completeness=min_c,
                       max_completeness=max_c, description=text)
            for position, risk_class, levels, importances, min_sales, max_sales, min_c, max_c, text in RULES])
