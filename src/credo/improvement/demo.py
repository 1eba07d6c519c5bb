"""Demo data for service improvement, through the real services (audit, timeline, notifications as the system
writes them): five service promises, about fifteen improvement actions on the causes of the demo complaints
(some verified, some in progress, some overdue), and service recoveries with their costs on complaints whose
clocks were breached. Idempotent: nothing is added when promises exist already."""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model

from credo.complaints.models import Complaint
from credo.core.clock import business_now, business_today
from credo.core.roles import Role
from credo.sla.models import SlaClock

from . import rules, services
from .models import Failure, ImprovementAction, RecoveryKind, ServicePromise

PROMISES = (
    ("4 小时首次答复", "投诉受理后 4 个工作小时内首次答复", "complaint_first_response", rules.BUSINESS_HOURS, "4"),
    ("3 天内解决投诉", "投诉 3 天内处理完毕（含换货）", "complaint_resolution", rules.CALENDAR_DAYS, "3"),
    ("5 个工作日解决", "投诉 5 个工作日（40 工作小时）内解决", "complaint_resolution", rules.BUSINESS_HOURS, "40"),
    ("服务请求 2 小时响应", "服务请求 2 个工作小时内响应", "ticket_first_response", rules.BUSINESS_HOURS, "2"),
    ("服务请求 2 天解决", "服务请求 2 个工作日内解决", "ticket_resolution", rules.BUSINESS_HOURS, "16"),
)
ACTIONS = (
    ("corrective", "更换密封圈供应商并加严来料检验", "生产批次密封圈不合格"),
    ("preventive", "密封圈来料每批抽检 AQL 0.65", "生产批次密封圈不合格"),
    ("corrective", "仓库发货双人复核装箱单", "仓库发货漏装"),
    ("preventive", "发货扫码与订单自动比对", "仓库发货漏装"),
    ("corrective", "更换准时率低的物流承运商", "物流承运商延误"),
    ("preventive", "承运商月度准时率考核", "物流承运商延误"),
    ("corrective", "开票前系统校验订单金额", "开票人员录入错误"),
    ("preventive", "开票人员培训与抽查", "开票人员录入错误"),
    ("corrective", "工程师排班系统上线", "工程师排班冲突"),
    ("preventive", "上门服务提前一天电话确认", "工程师排班冲突"),
    ("corrective", "客服热线增加高峰时段坐席", "客服电话多次无人接听"),
    ("preventive", "报价单统一由销售管理部审核", "报价前后不一致"),
    ("corrective", "包装箱改用加强型纸箱", "包装破损"),
    ("preventive", "产品中文说明书随货附送", "缺少中文使用说明"),
    ("corrective", "电机轴承改用进口品牌", "电机轴承质量问题"),
)
RECOVERIES = ((RecoveryKind.APOLOGY, "0", "客服主管电话致歉"), (RecoveryKind.DISCOUNT, "1200.00", "下批订单 2% 折扣"),
              (RecoveryKind.FREE_REPLACEMENT, "3680.00", "免费更换问题批次"), (RecoveryKind.GIFT, "300.00", "赠送备件礼包"),
              (RecoveryKind.ON_SITE_VISIT, "450.00", "工程师上门差旅费"))


@dataclass
class ImprovementDemoResult:
    promises: int = 0
    actions: int = 0
    recoveries: int = 0


def _people():
    users = get_user_model().objects.filter(is_active=True, profile__isnull=False).order_by("pk")
    agent = users.filter(profile__role=Role.SERVICE_AGENT).first()
    admin = users.filter(profile__role=Role.ADMINISTRATOR).first()
    managers = list(users.filter(profile__role=Role.SALES_MANAGER))
    return agent, admin, managers


def generate(*, seed: int = 11) -> ImprovementDemoResult:
    result = ImprovementDemoResult()
    agent, admin, managers = _people()
    if agent is None or admin is None or ServicePromise.objects.exists():
        return result
    rng = random.Random(seed)
    today = business_today()
    start = today - datetime.timedelta(days=400)
    for name, text, measure, unit, budget in PROMISES:
        services.save_promise(admin, name=name, customer_text=text, measure=measure, unit=unit, budget=budget,
                              valid_from=start)
        result.promises += 1
    complaints = list(Complaint.objects.filter(customer__isnull=False).order_by("received_at"))
    if not complaints:
        return result
    owners = [agent, *managers[:2]]
    for index, (kind, title, cause) in enumerate(ACTIONS):
        owner = owners[index % len(owners)]
        served = rng.sample(complaints, k=min(len(complaints), rng.randrange(1, 4)))
        action = services.create_action(admin, kind=kind, title=title, cause=cause, owner=owner,
                                        due_date=today + datetime.timedelta(days=rng.randrange(5, 40)),
                                        complaint_ids=[c.pk for c in served])
        stage = index % 5          # 0 open, 1 in progress, 2 done, 3 verified, 4 overdue (open or in progress)
        if stage in (1, 2, 3, 4) and not (stage == 4 and index % 2):
            services.start(owner, action)
        if stage in (2, 3):
            services.complete(owner, action, "已按计划完成：" + title)
        if stage == 3:
            services.verify(admin, action, "跟踪三个月，同类投诉未再发生")
        if stage == 4:
            ImprovementAction.objects.filter(pk=action.pk).update(
                due_date=today - datetime.timedelta(days=rng.randrange(3, 30)))
        result.actions += 1
    breached = set(SlaClock.objects.filter(kind="complaint", breached_at__isnull=False)
                   .values_list("subject_id", flat=True))
    chosen = sorted(breached)[-10:] + [c.pk for c in complaints if c.pk not in breached][-4:]
    now = business_now()
    for index, complaint in enumerate(Complaint.objects.filter(pk__in=chosen).order_by("pk")):
        kind, cost, text = RECOVERIES[index % len(RECOVERIES)]
        failure = Failure.SLA_BREACH if complaint.pk in breached else Failure.COMPLAINT
        done_at = min(now, complaint.received_at + datetime.timedelta(days=rng.randrange(2, 8)))
        services.record_recovery(agent, complaint_id=complaint.pk, failure=failure, kind=kind, description=text,
                                 done_at=done_at, cost=Decimal(cost))
        result.recoveries += 1
    return result
