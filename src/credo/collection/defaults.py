"""The company's starting collection tables: the letter schedule (+7 / +30 / +60 days overdue) with its
wording, and the guidance per debtor type. Both are edited in the admin afterwards."""

STEPS = [
    ("notice", 7, "付款预告通知", False, 7,
     "截至{date}，贵公司共有{count}张发票已过付款期限，逾期未付金额合计{total}，其中最早一笔于{oldest_due}到期，"
     "已逾期{max_days}天，明细见下表。\n\n"
     "如贵公司已安排付款，请将付款凭证发送我司{department}以便核对，并请忽略本通知；如尚未付款，"
     "请于{pay_by}前付清上述款项。\n\n"
     "感谢贵公司一直以来的支持与合作。"),
    ("warning", 30, "催款警告函", False, 7,
     "我司此前已就下列逾期款项向贵公司发出付款预告，但至今仍未收到款项。截至{date}，贵公司逾期未付金额合计{total}，"
     "最长已逾期{max_days}天。\n\n"
     "请贵公司务必于{pay_by}前付清全部逾期款项。逾期仍未付清的，我司将按合同约定按日计收逾期罚息，"
     "暂停对贵公司的赊销额度和发货，并保留通过法律途径追讨的权利。\n\n"
     "如对上述账目有异议，请于收到本函后三日内与我司{department}联系核对。"),
    ("lawyer", 60, "律师函", True, 5,
     "{customer}拖欠我司货款{total}，最长已逾期{max_days}天。我司曾多次书面催告，贵公司至今仍未清偿。\n\n"
     "现正式函告：请贵公司于{pay_by}前将上述欠款全部付至我司账户。届时仍未付清的，我司将不再另行通知，"
     "依法向有管辖权的人民法院提起诉讼并申请诉讼保全，由此产生的诉讼费、保全费、律师费及逾期利息等一切费用"
     "均由贵公司承担。\n\n"
     "特此函告。"),
]

GUIDANCE = [
    ("tough",
     "态度强硬、以拖为主的债务人：保持冷静和礼貌，不被对方情绪带动；只讲事实和单据，明确最后期限及逾期后果；"
     "必要时请更高级别的管理人员或法务部出面，逐步加大压力。",
     "Hard-line debtors who stall: stay calm and polite; argue only from facts and documents; state the deadline "
     "and what follows if it passes; bring in senior management or the legal department to raise the pressure."),
    ("scheming",
     "找各种借口拖延、可能转移资产的债务人：逐一核实其理由并保留书面证据；关注其经营、人员和资产变动；"
     "发现异常尽早采取诉讼保全等措施，不给其转移财产的时间。",
     "Debtors who invent excuses and may move assets: verify every reason and keep written evidence; watch for "
     "changes in their business, staff and assets; at the first sign of trouble act early (litigation preservation)."),
    ("cooperative",
     "愿意付款但暂时有困难的债务人：理解其困难，共同商定可行的分期付款计划；每次付款承诺都要记录并按期核查；"
     "维护良好的合作关系。",
     "Debtors willing to pay but short of cash: understand the difficulty and agree a realistic instalment plan "
     "together; record every promise and check it on the day; keep the relationship good."),
    ("emotional",
     "重感情、讲交情的债务人：以诚相待，多沟通、多走访，建立信任；强调双方长期合作的情谊，请其体谅我方的资金压力。",
     "Debtors who value personal ties: be sincere, call and visit often, build trust; stress the long partnership "
     "and ask them to understand the pressure unpaid money puts on us."),
    ("stubborn",
     "固执己见、不易说服的债务人：耐心听完其意见，找出真正的分歧；用合同条款和对账单说话；"
     "可请其信任的第三方协助沟通。",
     "Stubborn debtors: listen patiently to find the real disagreement; let the contract terms and the statement "
     "of account speak; involve a third party they trust."),
    ("vain",
     "爱面子、重形象的债务人：给予尊重和肯定，避免当众令其难堪；强调按时付款对其商业信誉和形象的好处。",
     "Debtors who care about face: show respect and avoid embarrassing them in public; stress what paying on time "
     "does for their business reputation and image."),
]


def ensure_defaults(step_model=None, guidance_model=None):
    """Create the default rows that are missing (by level / debtor type); existing rows are left alone."""
    if step_model is None:
        from .models import DebtorGuidance as guidance_model
        from .models import DunningStep as step_model
    for level, days, title, from_legal, reply_days, body in STEPS:
        step_model.objects.get_or_create(level=level, defaults={
            "days_overdue": days, "title": title, "from_legal": from_legal, "reply_days": reply_days, "body": body})
    for debtor_type, zh, en in GUIDANCE:
        guidance_model.objects.get_or_create(debtor_type=debtor_type, defaults={"guidance_zh": zh, "guidance_en": en})
