"""Demo data for complaints: a year of complaints taken in by the service desk through the real services (so
the clocks, breaches, audit and timeline are what the system itself would have written), spread over all six
steps: most older ones closed, recent ones open at every step, some closed late (breached), some repeats of an
earlier complaint of the same customer, a few reopened, a few waiting on the customer, two from the public form
still to be linked. Idempotent: nothing is added when demo complaints exist already."""

import datetime
import random

from django.contrib.auth import get_user_model

from credo.core.clock import business_now
from credo.core.roles import Role
from credo.customers.models import Customer
from credo.sales.models import Product, SalesOrder

from . import services
from .models import Category, Channel, Complaint

STORIES = {
    Category.QUALITY: ("阀门密封处漏水，客户停线两小时", "批次产品外观有划痕，客户拒收", "电机运转噪音大，怀疑轴承问题"),
    Category.DELIVERY: ("货物比约定晚到三天，影响客户生产计划", "到货数量少了两箱", "包装破损，部分货物受潮"),
    Category.SERVICE: ("售后工程师未按约定时间上门", "客服电话多次无人接听", "业务员答复前后不一致"),
    Category.PRICE: ("本月报价比上月高出 8%，客户要求说明", "同型号产品价格高于竞争对手"),
    Category.BILLING: ("发票金额与订单不符", "发票抬头开错，需重开", "对账单重复计费"),
    Category.OTHER: ("希望提供产品中文使用说明", "要求调整送货时间窗口"),
}
RECORDS = {
    1: "已听取客户陈述并记录，告知客户由客服部跟进",
    2: "责任部门检查核实：{cause}",
    3: "解决方案：{solution}，经部门经理同意",
    4: "已电话告知客户解决方案，客户表示接受",
    5: "已按方案处理完毕，客户签收确认",
    6: "回访客户，问题已解决；已通报相关部门改进",
}
# (what step 2 found, where the cause lies, the responsible department)
CAUSES = (("生产批次密封圈不合格", "production", "生产部"), ("供应商来料尺寸偏差", "supplier", "采购部"),
          ("仓库发货漏装", "storage", "仓储部"), ("物流承运商延误", "transport", "物流部"),
          ("开票人员录入错误", "documents", "财务部"), ("工程师排班冲突", "staff", "服务部"),
          ("客户未按说明书安装", "misuse", ""))
SOLUTIONS = ("免费更换问题产品", "补发缺少的货物", "开具红字发票并重开", "给予下批订单 2% 折扣", "安排工程师次日上门")
CHANNELS = [(Channel.PHONE, 40), (Channel.EMAIL, 15), (Channel.VISIT, 15), (Channel.WECHAT, 20), (Channel.WEB_FORM, 10)]
SEVERITIES = [("critical", 5), ("major", 25), ("normal", 55), ("minor", 15)]
WORK_START, WORK_END = 9, 17


def _business_moment(rng, day: datetime.date, tz) -> datetime.datetime:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return datetime.datetime(day.year, day.month, day.day, rng.randrange(WORK_START, WORK_END),
                             rng.choice((0, 15, 30, 45)), tzinfo=tz)


def _later(rng, moment: datetime.datetime, late: bool) -> datetime.datetime:
    """The next step's close: within a few working hours, or (late) a couple of days later."""
    hours = rng.uniform(20, 60) if late else rng.uniform(0.3, 3)
    then = moment + datetime.timedelta(hours=hours)
    if then.hour >= 18 or then.hour < 9 or then.weekday() >= 5:
        day = then.date() + datetime.timedelta(days=1)
        then = _business_moment(rng, day, moment.tzinfo)
    return then


def generate(*, count: int = 240, seed: int = 7, today: datetime.date | None = None) -> int:
    agent = get_user_model().objects.filter(is_active=True, profile__role=Role.SERVICE_AGENT).order_by("pk").first()
    if agent is None or Complaint.objects.filter(created_by=agent).exists():
        return 0
    customers = list(Customer.objects.filter(is_active=True, account_manager__isnull=False)
                     .select_related("account_manager").order_by("pk")[:2000])
    if not customers:
        return 0
    rng = random.Random(seed)
    now = business_now()
    tz = now.tzinfo
    today = today or now.date()
    products = list(Product.objects.filter(is_active=True).values_list("pk", flat=True)[:50])
    channels, channel_weights = zip(*CHANNELS, strict=True)
    severities, severity_weights = zip(*SEVERITIES, strict=True)
    made: list[Complaint] = []
    days = sorted(rng.randrange(1, 366) for _ in range(count))[::-1]      # oldest first
    for back in days:
        received = _business_moment(rng, today - datetime.timedelta(days=back), tz)
        if received >= now:
            continue
        earlier = [c for c in made if (received - c.received_at).days < 60]
        repeat = earlier and rng.random() < 0.15
        if repeat:
            base = rng.choice(earlier)
            customer, category = base.customer, base.category
        else:
            customer, category = rng.choice(customers), rng.choice(list(STORIES))
        order = (SalesOrder.objects.filter(customer=customer).order_by("-order_date").values_list("pk", flat=True)
                 .first() if rng.random() < 0.4 else None)
        complaint = services.intake(
            agent, customer=customer, channel=rng.choices(channels, channel_weights)[0], category=category,
            severity=rng.choices(severities, severity_weights)[0], contact_name=customer.name[:2] + "经理",
            contact_phone=customer.phone, description=rng.choice(STORIES[category]),
            product=rng.choice(products) if products and rng.random() < 0.5 else None, order=order, at=received)
        made.append(complaint)
        # How far it got: complaints older than three weeks are mostly done, recent ones anywhere.
        target = 6 if back > 21 and rng.random() < 0.9 else rng.randrange(0, 7)
        moment, late_one = received, rng.random() < 0.2
        for step in range(1, target + 1):
            if step == 2 and rng.random() < 0.25:
                services.log_measure(agent, complaint, "先行发出备用件，减少客户停机", at=moment)
            moment = _later(rng, moment, late_one and step == 2)
            if moment >= now:
                break
            owner = customer.account_manager if step == 4 else None
            found, cause, department = rng.choice(CAUSES)
            text = RECORDS[step].format(cause=found, solution=rng.choice(SOLUTIONS))
            services.close_step(agent, complaint, step, text, at=moment, next_owner=owner if step == 3 else None,
                                cause=cause, department=department)
            if step == 4:
                services.assign(agent, complaint, agent)
        complaint.refresh_from_db()
        if complaint.status == "closed" and rng.random() < 0.05 and moment + datetime.timedelta(days=2) < now:
            services.reopen(agent, complaint, rng.choice((2, 3, 5)), "客户反馈问题再次出现",
                            at=moment + datetime.timedelta(days=2))
        elif complaint.status == "open" and back < 14 and rng.random() < 0.15:
            services.pause(agent, complaint, "等待客户提供现场照片和批次号", at=min(now, moment + datetime.timedelta(hours=1)))
    for company, text in (("宏达五金（未登记）", "收到的螺丝规格不对"), ("新客户贸易行", "想投诉送货司机态度")):
        services.intake(None, channel=Channel.WEB_FORM, category=Category.SERVICE, contact_name="陈先生",
                        contact_phone="13700001111", company_name=company, description=text,
                        at=now - datetime.timedelta(hours=rng.randrange(1, 30)))
    return len(made) + 2
