"""The starting credit-file tables: the investigation checklist (seed 000, 信用调查的内容), the 5C sub-items
(seed 000/004), the 10-grade scale with its risk levels and approval guide (SPEC §5.5) and the default
scorecard. All are edited afterwards (admin / policy page); ensure_* only create what is missing."""

from decimal import Decimal

from .rules import validate_mapping

# (code, group, Chinese, English, a "yes" is the warning sign). The seed asks the operations questions as
# "how is …?": they are put as yes/no questions whose "no" is the warning sign.
CHECKLIST = [
    ("ops_overall", "operations", "客户的总体经营状况是否良好?", "Is the customer's business in good shape overall?",
     False),
    ("ops_reputation", "operations", "客户的声誉、形象是否良好?", "Are its reputation and image good?", False),
    ("ops_planning", "operations", "客户对自己的生意,是否有很好的规划?", "Does it plan its business well?", False),
    ("ops_industry", "operations", "客户对自己所在的行业是否非常了解?", "Does it know its industry very well?", False),
    ("ops_strategy", "operations", "客户是否制定了营销战略或者竞争战略?",
     "Has it set a marketing or competitive strategy?", False),
    ("ops_management", "operations", "客户的内部管理是否规范?", "Is its internal management sound?", False),
    ("ops_culture", "operations", "客户是否具有成熟的公司文化?", "Does it have a mature company culture?", False),
    ("ops_cooperation", "operations", "各部门之间的协作精神是否良好?", "Do its departments work well together?",
     False),
    ("ops_owner", "operations", "客户经营者本人的素质是否良好?", "Is the owner-manager personally capable?", False),
    ("ops_managers", "operations", "各级管理人员的素质是否良好?", "Are its managers at all levels capable?", False),
    ("ops_morale", "operations", "客户整体的士气是否高昂?", "Is the morale of its staff high?", False),
    ("fin_cash", "finances", "客户手中的现金是否充足?", "Does the customer have enough cash in hand?", False),
    ("fin_discounting", "finances", "客户是否持有票据贴现?", "Is it discounting notes it holds?", True),
    ("fin_deferred_debt", "finances", "客户是否有延期支付债务?", "Has it deferred paying its debts?", True),
    ("fin_advance_bills", "finances", "客户是否出现预收融资票据的情况?",
     "Has it taken financing bills in advance of sales?", True),
    ("fin_fire_sale", "finances", "客户是否有为融资而低价抛售的情况?",
     "Has it sold goods cheaply to raise money?", True),
    ("fin_early_collection", "finances", "客户是否有提前回收赊销款?",
     "Has it pressed its own debtors to pay early?", True),
    ("fin_high_interest", "finances", "客户是否开始利用高息贷款?", "Has it started borrowing at high interest?",
     True),
    ("fin_bank_tension", "finances", "客户与银行的关系是否变得紧张?",
     "Has its relationship with the bank become strained?", True),
    ("fin_other_creditors", "finances", "客户是否有其他债权人无法收回其货款?",
     "Are other creditors unable to collect from it?", True),
    ("fin_bill_refused", "finances", "客户的票据是否曾经被银行拒付?", "Has a bank ever refused its bills or cheques?",
     True),
    ("fin_account_frozen", "finances", "客户银行账户是否已被冻结?", "Has its bank account been frozen?", True),
    ("pay_cannot_pay", "payment", "客户是否已不能如期付款?", "Has it become unable to pay on time?", True),
    ("pay_cash_delayed", "payment", "客户是否有推迟现金支付日?", "Has it put off cash payment dates?", True),
    ("pay_cheque_delayed", "payment", "客户是否有推迟签发支票?", "Has it delayed issuing cheques?", True),
    ("pay_bill_extension", "payment", "客户是否有提出要求票据延期?", "Has it asked to extend its bills?", True),
    ("pay_all_extension", "payment", "客户是否有要求延长全部票据或货款的支付日期?",
     "Has it asked to extend the due dates of all its bills or payments?", True),
]

# The 5C dimensions and their sub-items (seed: 5C评价法).
FIVEC = [
    ("character", "品质", "Character", [
        ("basics", "企业基本情况", "Company basics"),
        ("history", "企业历史", "Company history"),
        ("managers", "经营管理者的个人情况", "The managers personally"),
        ("strategy", "企业经营战略和方针", "Business strategy and policy"),
        ("organisation", "企业的组织管理状况", "Organisation and management"),
        ("banking", "银行往来", "Dealings with banks"),
        ("credit_record", "信用评价", "Credit reputation"),
    ]),
    ("capacity", "能力", "Capacity", [
        ("manager_ability", "经营者能力", "Management ability"),
        ("infrastructure", "基础设施条件", "Infrastructure"),
        ("scale_equipment", "企业规模与设备条件", "Size and equipment"),
        ("staff", "员工能力", "Staff ability"),
        ("production_sales", "生产能力和销售能力", "Production and sales capacity"),
    ]),
    ("capital", "资本", "Capital", [
        ("structure", "资本构成", "Capital structure"),
        ("relations", "资本关系", "Capital relations"),
        ("raise_capital", "增资能力", "Ability to raise capital"),
        ("financial_position", "财务状况", "Financial position"),
    ]),
    ("collateral", "担保品", "Collateral", [
        ("credit_status", "授信状态", "Credit granted so far"),
        ("collateral_state", "担保品状况", "State of the collateral"),
    ]),
    ("condition", "环境", "Condition", [
        ("policy", "政府的鼓励与限制政策", "Government encouragement and restrictions"),
        ("industry_growth", "行业发展状况", "Industry development"),
        ("supply_demand", "市场供需状况", "Market supply and demand"),
        ("position", "被评价企业在行业中的地位", "The company's position in its industry"),
        ("competition", "行业竞争状况", "Competition in the industry"),
    ]),
]

FIVEC_WEIGHTS = {"character": Decimal("0.30"), "capacity": Decimal("0.20"), "capital": Decimal("0.20"),
                 "collateral": Decimal("0.15"), "condition": Decimal("0.15")}

# The seed's advice on using 5C (运用5C的注意事项).
FIVEC_GUIDANCE = [
    ("突出诚信行为的重要性,科学处理资产和利润等财务指标在评估体系中的影响。",
     "Weigh integrity highest; treat asset and profit figures with care in the evaluation."),
    ("采用的基础数据、指标口径、评估方法及标准要前后一致。",
     "Use the same kind of data, definitions, methods and standards every time."),
    ("在评估过程中要保持独立性,不被受评客户及其他外来因素影响。",
     "Stay independent: do not let the customer or anyone else sway the evaluation."),
    ("评估中,要谨慎认真。", "Be careful and thorough."),
]

# (grade, from score, meaning zh, meaning en, risk level, approval guide: limits from ¥)
GRADES = [
    ("AAA", 90, "信用极好", "excellent", "AA", Decimal("1000000")),
    ("AA", 80, "信用优良", "very good", "AA", Decimal("500000")),
    ("A", 70, "信用较好", "good", "A", Decimal("100000")),
    ("BBB", 60, "信用一般", "fair", "BB", None),
    ("BB", 50, "信用欠佳", "weak", "B", None),
    ("B", 40, "信用较差", "poor", "B", None),
    ("CCC", 30, "信用很差", "very poor", "C", None),
    ("CC", 20, "信用极差", "extremely poor", "C", None),
    ("C", 10, "没有信用", "no credit", "C", None),
    ("D", 0, "没有信用", "no credit (default)", "D", None),
]

# (source, weight, score table [[from, score], …], score without data). Weights add up to 1.
SCORECARD = [
    ("fivec.score", "0.25", [], "40"),
    ("fin.current_ratio", "0.10", [[None, 10], ["0.8", 30], ["1", 50], ["1.2", 65], ["1.5", 80], ["2", 100]], "30"),
    ("fin.quick_ratio", "0.10", [[None, 10], ["0.5", 35], ["0.8", 60], ["1", 80], ["1.2", 100]], "30"),
    ("fin.debt_ratio", "0.10", [[None, 100], ["0.4", 85], ["0.5", 70], ["0.6", 55], ["0.7", 35], ["0.8", 15],
                                ["0.9", 0]], "30"),
    ("fin.net_margin", "0.05", [[None, 0], ["0", 30], ["0.02", 50], ["0.05", 70], ["0.1", 85], ["0.15", 100]], "30"),
    ("ledger.avg_days_late", "0.20", [[None, 100], ["1", 90], ["8", 75], ["16", 55], ["31", 35], ["61", 15],
                                      ["91", 0]], "50"),
    ("ledger.overdue_share", "0.10", [[None, 100], ["0.05", 85], ["0.15", 65], ["0.3", 45], ["0.5", 25],
                                      ["0.75", 5]], "50"),
    ("checklist.warning_signs", "0.10", [[None, 100], ["1", 70], ["2", 50], ["3", 30], ["5", 10], ["7", 0]], "50"),
]


def ensure_checklist(question_model=None):
    if question_model is None:
        from .models import ChecklistQuestion as question_model
    for position, (code, group, zh, en, yes_is_warning) in enumerate(CHECKLIST, start=1):
        question_model.objects.get_or_create(code=code, defaults={
            "group": group, "text_zh": zh, "text_en": en, "yes_is_warning": yes_is_warning, "position": position * 10})


def ensure_grades(band_model=None):
    if band_model is None:
        from .models import GradeBand as band_model
    if band_model.objects.exists():
        return  # a partial table is the company's edit, not ours to complete
    band_model.objects.bulk_create([
        band_model(grade=grade, min_score=Decimal(minimum), meaning_zh=zh, meaning_en=en, risk_level=level,
                   guide_min_limit=guide, position=position)
        for position, (grade, minimum, zh, en, level, guide) in enumerate(GRADES)])


def ensure_scorecard(scorecard_model=None, item_model=None):
    if scorecard_model is None:
        from .models import Scorecard as scorecard_model
        from .models import ScorecardItem as item_model
    if scorecard_model.objects.exists():
        return
    card = scorecard_model.objects.create(version=1, note="默认评分卡 (default scorecard)", created_by="system")
    item_model.objects.bulk_create([
        item_model(scorecard=card, position=position, source=source, weight=Decimal(weight),
                   mapping=validate_mapping(mapping), missing_score=Decimal(missing))
        for position, (source, weight, mapping, missing) in enumerate(SCORECARD)])


def ensure_fivec_weights(weights_model=None):
    if weights_model is None:
        from .models import FiveCWeights as weights_model
    if not weights_model.objects.exists():
        weights_model.objects.create(**FIVEC_WEIGHTS)


def ensure_defaults(apps=None):
    """All default tables; with `apps` (a migration's registry) the historical models are used."""
    get = (lambda name: apps.get_model("rating", name)) if apps else None
    ensure_checklist(get("ChecklistQuestion") if get else None)
    ensure_grades(get("GradeBand") if get else None)
    if get:
        ensure_scorecard(get("Scorecard"), get("ScorecardItem"))
    else:
        ensure_scorecard()
    ensure_fivec_weights(get("FiveCWeights") if get else None)
