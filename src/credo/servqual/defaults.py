"""The built-in SERVQUAL instrument: the five dimensions of Parasuraman, Zeithaml and Berry with 22 items
(4 tangibles, 5 reliability, 4 responsiveness, 4 assurance, 5 empathy) in Credo's own words, and equal weights.
Each item is (key, Chinese, English); the key stays with the item through later versions."""

from decimal import Decimal

WEIGHTS = {"tangibles": Decimal("0.2"), "reliability": Decimal("0.2"), "responsiveness": Decimal("0.2"),
           "assurance": Decimal("0.2"), "empathy": Decimal("0.2")}

# One letter per dimension for the item keys (responsiveness: S, for speed).
KEY_LETTERS = {"tangibles": "T", "reliability": "R", "responsiveness": "S", "assurance": "A", "empathy": "E"}

ITEMS = {
    "tangibles": [
        ("T1", "公司的设备和工具先进、好用。", "The company works with modern, well-kept equipment."),
        ("T2", "公司的办公和服务场所整洁、让人舒适。", "Its offices and service premises look tidy and pleasant."),
        ("T3", "员工着装得体、形象专业。", "Its staff look neat and professional."),
        ("T4", "合同、单据、说明书等资料清楚、美观。",
         "Its contracts, documents and leaflets are clear and well presented."),
    ],
    "reliability": [
        ("R1", "公司承诺在某个时间做到的事，都能按时做到。",
         "When the company promises to do something by a certain time, it does so."),
        ("R2", "客户遇到问题时，公司真心实意地帮助解决。",
         "When a customer has a problem, the company shows a sincere interest in solving it."),
        ("R3", "公司第一次就把服务做对。", "The company gets the service right the first time."),
        ("R4", "公司在承诺的时间内提供服务。", "The company delivers its services at the time it promised."),
        ("R5", "公司的记录和账目准确无误。", "The company keeps its records and accounts free of errors."),
    ],
    "responsiveness": [
        ("S1", "员工会告诉客户服务具体何时完成。", "Staff tell customers exactly when a service will be done."),
        ("S2", "员工能迅速地提供服务。", "Staff serve customers promptly."),
        ("S3", "员工总是乐意帮助客户。", "Staff are always willing to help customers."),
        ("S4", "员工再忙也会及时回应客户的请求。", "Staff are never too busy to answer a customer's request."),
    ],
    "assurance": [
        ("A1", "员工的言行让客户信赖。", "The way staff behave makes customers trust them."),
        ("A2", "与公司交易让客户感到放心、安全。", "Customers feel safe in their dealings with the company."),
        ("A3", "员工始终对客户礼貌周到。", "Staff are consistently courteous with customers."),
        ("A4", "员工具备回答客户问题的专业知识。", "Staff have the knowledge to answer customers' questions."),
    ],
    "empathy": [
        ("E1", "公司会给予每位客户个别的关注。", "The company gives each customer individual attention."),
        ("E2", "公司的服务时间方便所有客户。", "The company's service hours suit all its customers."),
        ("E3", "有员工专门关心和照顾客户。", "The company has staff who give customers personal attention."),
        ("E4", "公司把客户的利益放在心上。", "The company has its customers' best interests at heart."),
        ("E5", "员工了解客户的特殊需要。", "Staff understand the specific needs of their customers."),
    ],
}
