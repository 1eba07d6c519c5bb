"""Demo data of the service desk: the knowledge base (demo_articles.ARTICLES), service contracts for about one
customer in eight (key customers first; some expiring within the month, some expired), and a year of service
requests — resolved and closed ones with their replies and SLA clocks (a few late), and the open queue of the
last fortnight (new, in progress, waiting for the customer), so every page shows real figures.

Idempotent: articles are found by title, contracts by number (SC-<customer id>), and the requests are written
only while the desk has none, so a second run adds nothing."""

import datetime
import random
from dataclasses import dataclass

from credo.core import demo
from credo.core.clock import business_now
from credo.core.models import CustomerEvent
from credo.core.roles import Role
from credo.customers.models import Customer
from credo.sales.models import Product
from credo.sla import rules as sla_rules
from credo.sla.models import SlaClock, SlaEscalation, SlaPause
from credo.sla.services import targets_in_force
from credo.worktime.queries import company_calendar

from . import events, rules
from .demo_articles import ARTICLES
from .models import Article, ContractStatus, ServiceContract, Ticket, TicketEntry

# (type, product family or None, subject, description, first reply, resolution)
REQUESTS = [
    ("installation", "配电箱", "新购配电箱需要上门安装", "上周收到的配电箱需要安装到新厂房的二楼，请安排工程师上门，现场已经布好进线电缆。",
     "已安排工程师周三上午上门，请现场准备好梯子和图纸。", "配电箱已安装完成，回路标识已贴好，绝缘测试合格后送电。"),
    ("installation", "减速电机", "减速电机安装调试", "新到的减速电机要装到输送线上，想请工程师指导对中和首次加油。",
     "工程师明天下午到场，请提前准备好底座和联轴器。", "已完成对中（径向偏差0.03毫米），加注齿轮油，空载运行30分钟温升正常。"),
    ("installation", "LED平板灯", "办公室LED平板灯安装咨询", "办公室吊顶要装四十套600×600的LED平板灯，驱动电源放在哪里比较好？",
     "已把吊顶安装步骤发给您，驱动电源请放在吊顶内通风处。", "客户按说明完成安装，全部灯具点亮正常。"),
    ("installation", "PPR热水管", "PPR热水管热熔温度咨询", "工地冬天施工，PPR热水管热熔时间需要加长吗？",
     "冬季可适当延长加热时间，详细参数已发您。", "已告知各管径加热时间，客户确认无其他问题。"),
    ("maintenance", "减速电机", "减速电机运行发热严重", "2号线的减速电机外壳很烫，声音也比以前大，担心烧坏。",
     "请先检查油位和负载，我们今天下午电话跟进。", "更换变质的润滑油并调整对中，温度恢复到60℃以下。"),
    ("maintenance", "空气开关", "空气开关频繁跳闸", "车间照明回路的空气开关一天跳好几次，合上去过一会又跳。",
     "请先断开该回路负载后合闸试一下，我们安排电工上门。", "查出一台老旧风扇漏电，拆除后不再跳闸；更换了发热的开关。"),
    ("maintenance", "LED灯管", "LED灯管闪烁", "仓库新换的T8灯管有十几支一直闪，是不是质量问题？",
     "请确认是否拆除了原来的启辉器和镇流器。", "客户拆除旧镇流器后正常；三支驱动损坏的灯管已免费更换。"),
    ("maintenance", "蓄电池", "蓄电池无法启动车辆", "叉车放了一个长假，蓄电池打不着火了。",
     "可能是长期停放亏电，请先补充充电。", "补充充电后电压恢复到12.7伏，车辆启动正常，已提醒定期启动。"),
    ("maintenance", "液压油", "液压系统油液发白", "压机的液压油颜色发白，是不是进水了？需要全部换掉吗？",
     "发白通常是进水，请先停机，我们安排人员取样。", "确认冷却器渗漏进水，已更换液压油和滤芯，冷却器已报修。"),
    ("maintenance", "配电箱", "配电箱年度维护预约", "按维保合同预约今年的配电箱年度检查。",
     "已为您预约下周二上午的年度检查。", "完成年度维护：紧固端子、清扫、漏保试验正常，出具检查报告。"),
    ("maintenance", "打印机硒鼓", "硒鼓打印有竖条纹", "刚换的硒鼓打印出来有一条竖条纹，擦过还是有。",
     "请发一张打印样张照片给我们。", "判断为感光鼓划伤，已寄送新的硒鼓更换。"),
    ("question", None, "增值税专用发票什么时候开", "上个月的货款已经付了，专用发票什么时候能开出来寄给我们？",
     "我们每月25日统一开票，这就帮您查询。", "本月发票已开具并快递寄出，单号已发给客户。"),
    ("question", None, "对账单金额与我方不一致", "收到的对账单期末余额比我们账上多了一万多元，麻烦核对一下。",
     "请提供贵方账上的明细，我们财务今天核对。", "差异为一张在途回款，已核实并重新出具对账单，双方一致。"),
    ("question", None, "发票抬头开错了", "收到的发票抬头少了“有限”两个字，需要重开。",
     "请在税务系统填开红字信息确认单后告诉我们。", "已开具红字发票冲销并重新开具正确的发票。"),
    ("question", None, "订单发货时间查询", "上周下的订单到现在还没收到，能帮忙查一下物流吗？",
     "已帮您查询，货物在途，预计明天送达。", "客户已签收，无破损。"),
    ("question", None, "收货时有两箱破损", "今天到货的纸箱有两箱外包装破了，里面的货也有压坏。",
     "请把签收单和照片发给我们，我们马上处理补发。", "已补发两箱，破损部分在下期对账中抵扣。"),
    ("other", None, "服务合同续签咨询", "我们的维保合同快到期了，续签的价格和内容有没有变化？",
     "已转告您的客户经理，今天内联系您。", "客户经理已发送续签报价，客户确认续签。"),
]
OPEN_NOTES = ["已电话联系客户，了解现场情况。", "已安排工程师，等待客户确认时间。", "正在查询相关记录。"]
WAITING_REASONS = ["等客户提供设备照片和序列号", "等客户确认上门时间", "等客户寄回故障件", "等客户提供付款凭证"]
SEVERITIES = [("critical", 5), ("major", 20), ("normal", 55), ("minor", 20)]
CONTRACT_TERMS = ("服务内容：定期巡检每季度一次；故障上门维修工时费全免；备件八五折；工作时间内4个工作小时响应，"
                  "24个工作小时内到场。\n不含：人为损坏、超负荷使用、未按说明书安装造成的故障。\n合同期满前30天由客户经理联系续签。")


@dataclass
class ServiceDeskDemoResult:
    articles: int = 0
    contracts: int = 0
    tickets: int = 0
    open_tickets: int = 0


def generate(*, seed: int = 12, per_customer_year: float = 0.5, max_tickets: int = 3000) -> ServiceDeskDemoResult:
    rng = random.Random(seed)
    result = ServiceDeskDemoResult()
    result.articles = _articles()
    now = business_now()
    today = now.date()
    customers = list(Customer.objects.filter(is_active=True, account_manager__isnull=False,
                                             first_order_date__isnull=False)
                     .order_by("pk").values_list("pk", "importance"))
    if not customers:
        return result
    families = _families()
    result.contracts = _contracts(rng, customers, families, today)
    if not Ticket.objects.exists():
        result.tickets, result.open_tickets = _tickets(rng, customers, families, now, per_customer_year, max_tickets)
    return result


def _articles() -> int:
    from django.contrib.auth import get_user_model

    author = get_user_model().objects.filter(profile__role=Role.SERVICE_AGENT).order_by("pk").first()
    known = set(Article.objects.values_list("title", flat=True))
    rows = [Article(title=title, category=category, tags=rules.join_tags(tags), body=body, author=author,
                    published=True) for category, title, tags, body in ARTICLES if title not in known]
    Article.objects.bulk_create(rows)
    return len(rows)


def _families() -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    names = {r[1] for r in REQUESTS if r[1]}
    for pk, name in Product.objects.filter(is_active=True).values_list("pk", "name"):
        for family in names:
            if name.startswith(family):
                found.setdefault(family, []).append(pk)
    return found


def _contracts(rng, customers, families, today) -> int:
    existing = set(ServiceContract.objects.values_list("number", flat=True))
    chosen = [(pk, imp) for pk, imp in customers if (imp == "key" and rng.random() < 0.6) or rng.random() < 0.08]
    products = [pk for family in ("配电箱", "减速电机", "空气开关", "LED平板灯", "液压油") for pk in families.get(family, [])]
    made = 0
    for index, (pk, _importance) in enumerate(chosen):
        number = f"SC-{pk:06d}"
        if number in existing:
            continue
        roll = index % 10
        if roll == 0:
            expires = today + datetime.timedelta(days=rng.randint(3, 28))        # expiring this month
        elif roll == 1:
            expires = today - datetime.timedelta(days=rng.randint(10, 120))      # expired, not renewed
        else:
            expires = today + datetime.timedelta(days=rng.randint(35, 330))
        starts = expires - datetime.timedelta(days=364)
        contract = ServiceContract.objects.create(
            customer_id=pk, number=number, terms=CONTRACT_TERMS, all_products=rng.random() < 0.3,
            starts_on=starts, expires_on=expires, status=ContractStatus.ACTIVE, created_by="demo")
        if not contract.all_products and products:
            contract.products.set(rng.sample(products, min(len(products), rng.randint(2, 6))))
        elif not products:
            contract.all_products = True
            contract.save(update_fields=["all_products"])
        made += 1
    return made


def _business_moment(rng, day: datetime.date, zone) -> datetime.datetime:
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    hour = rng.choice([9, 10, 11, 14, 15, 16, 17])
    return datetime.datetime.combine(day, datetime.time(hour, rng.randrange(0, 60, 5)), tzinfo=zone)


def _tickets(rng, customers, families, now, per_customer_year, max_tickets) -> tuple[int, int]:
    from django.contrib.auth import get_user_model

    agents = list(get_user_model().objects.filter(is_active=True, profile__role=Role.SERVICE_AGENT)
                  .values_list("pk", "username")) or list(
        get_user_model().objects.filter(is_active=True, profile__role=Role.ADMINISTRATOR).values_list("pk", "username"))
    if not agents:
        return 0, 0
    calendar = company_calendar()
    zone = now.tzinfo
    count = min(max_tickets, max(20, int(len(customers) * per_customer_year)))
    coverage = _coverage()
    severities, weights = zip(*SEVERITIES, strict=True)
    ids = demo.reserve_ids(Ticket, count)
    tickets, entries, clocks, pauses, escalations, timeline_rows = [], [], [], [], [], []
    open_count = 0
    targets = {}
    with_contract = [(pk, imp) for pk, imp in customers if pk in coverage]
    for i, pk in enumerate(ids):
        pool = with_contract if with_contract and rng.random() < 0.35 else customers
        customer_id, importance = pool[rng.randrange(len(pool))]
        kind, family, subject, description, first_reply, resolution = rng.choice(REQUESTS)
        product_id = rng.choice(families[family]) if family and families.get(family) else None
        is_open = i >= count - max(8, count // 25)
        days_back = rng.randint(0, 12) if is_open else rng.randint(14, 365)
        created = _business_moment(rng, now.date() - datetime.timedelta(days=days_back), zone)
        if created > now:
            created = now - datetime.timedelta(hours=1)
        severity = rng.choices(severities, weights)[0]
        cls = "A" if importance == "key" else ""
        owner_id, owner_name = agents[rng.randrange(len(agents))]
        contract_id = rules.covering_contract(coverage.get(customer_id, []), product_id, created.date())
        late = rng.random() < 0.12
        number = rules.reference_number(created.year, pk)
        status, resolved_at, first_at, closed_at = rules.RESOLVED, None, None, None
        day_targets = targets.get(created.date())
        if day_targets is None:
            day_targets = targets[created.date()] = targets_in_force("ticket", created.date())
        policy, rows, warn = day_targets

        def hours(metric, severity=severity, cls=cls, rows=rows):
            target = sla_rules.pick_target(rows, severity, cls, metric)
            return target.hours if target else None

        first_hours, resolution_hours = hours("first_response"), hours("resolution")
        pause_rows: list = []
        if is_open:
            status = rng.choice([rules.NEW, rules.IN_PROGRESS, rules.IN_PROGRESS, rules.WAITING_CUSTOMER])
            if status != rules.NEW:
                first_at = calendar.add_business_time(created, sla_rules.hours_delta(first_hours) * rng.uniform(0.2, 0.9))
                first_at = min(first_at, now)
            if status == rules.WAITING_CUSTOMER:
                pause_start = min(now, first_at + datetime.timedelta(minutes=30))
                pause_rows = [(pause_start, None)]
                pauses.append(demo.new(SlaPause, kind="ticket", subject_id=pk, customer_id=customer_id,
                                       started_at=pause_start, ended_at=None, reason=rng.choice(WAITING_REASONS),
                                       started_by_id=owner_id))
        else:
            share = rng.uniform(1.1, 2.5) if late else rng.uniform(0.1, 0.9)
            first_at = calendar.add_business_time(created, sla_rules.hours_delta(first_hours) * min(share, 0.9))
            resolved_at = calendar.add_business_time(created, sla_rules.hours_delta(resolution_hours) * share)
            if resolved_at > now:
                resolved_at = now
            if rng.random() < 0.7:
                status, closed_at = rules.CLOSED, min(now, resolved_at + datetime.timedelta(days=rng.randint(1, 5)))
        tickets.append(demo.new(
            Ticket, id=pk, number=number, customer_id=customer_id, contact_id=None, type=kind, product_id=product_id,
            severity=severity, subject=subject, description=description, owner_id=owner_id, status=status,
            resolution=resolution if resolved_at else "", contract_id=contract_id, customer_class=cls,
            first_response_at=first_at, resolved_at=resolved_at, closed_at=closed_at, complaint_id=None,
            converted_at=None, created_by_id=owner_id, created_at=created, updated_at=resolved_at or created))
        if first_at:
            entries.append(demo.new(TicketEntry, ticket_id=pk, customer_id=customer_id, kind="reply", body=first_reply,
                                    author_id=owner_id, author_name=owner_name, at=first_at))
        elif is_open and status != rules.NEW:
            entries.append(demo.new(TicketEntry, ticket_id=pk, customer_id=customer_id, kind="note",
                                    body=rng.choice(OPEN_NOTES), author_id=owner_id, author_name=owner_name,
                                    at=created + datetime.timedelta(minutes=20)))
        if pause_rows:
            entries.append(demo.new(TicketEntry, ticket_id=pk, customer_id=customer_id, kind="pause",
                                    body=pauses[-1].reason, author_id=owner_id, author_name=owner_name,
                                    at=pause_rows[0][0]))
        if resolved_at:
            entries.append(demo.new(TicketEntry, ticket_id=pk, customer_id=customer_id, kind="resolve", body=resolution,
                                    author_id=owner_id, author_name=owner_name, at=resolved_at))
            timeline_rows.append(demo.new(CustomerEvent, customer_id=customer_id, kind=events.TICKET_RESOLVED.code,
                                          at=resolved_at, actor=owner_name, summary=f"{number}: {resolution}"[:300],
                                          data={}, object_type="servicedesk.ticket", object_id=str(pk)))
        if closed_at:
            entries.append(demo.new(TicketEntry, ticket_id=pk, customer_id=customer_id, kind="close", body="",
                                    author_id=owner_id, author_name=owner_name, at=closed_at))
        covered = "在保" if contract_id else "不在保"
        timeline_rows.append(demo.new(CustomerEvent, customer_id=customer_id, kind=events.TICKET_OPENED.code,
                                      at=created, actor=owner_name, summary=f"{number} {subject}（{covered}）",
                                      data={}, object_type="servicedesk.ticket", object_id=str(pk)))
        for metric, target_hours, stop in (("first_response", first_hours, first_at),
                                           ("resolution", resolution_hours, resolved_at)):
            if target_hours is None:
                continue
            target = sla_rules.hours_delta(target_hours)
            planned = sla_rules.schedule(calendar, created, target, warn, pause_rows)
            over = breached_at = None
            if stop is not None:
                over = sla_rules.read(calendar, created, target, stop, warn, pause_rows).over
                breached_at = stop if over else None
            elif planned.due_at is not None and planned.due_at <= now:
                over = sla_rules.read(calendar, created, target, now, warn, pause_rows).over
                breached_at = planned.due_at
            clock = demo.new(SlaClock, kind="ticket", subject_id=pk, metric=metric, customer_id=customer_id,
                             severity=severity, customer_class=cls, owner_id=owner_id,
                             policy_id=policy.pk if policy else None, target_hours=target_hours, warn_percent=warn,
                             started_at=created, warn_at=planned.warn_at, due_at=planned.due_at,
                             paused=bool(pause_rows) and stop is None, stopped_at=stop,
                             warned_at=planned.warn_at if planned.warn_at and planned.warn_at <= (stop or now) else None,
                             breached_at=breached_at, over=_duration(over if stop is not None else None))
            clocks.append(clock)
        if is_open:
            open_count += 1
    demo.insert(Ticket, tickets, with_pk=True)
    demo.insert(TicketEntry, entries)
    clock_ids = demo.reserve_ids(SlaClock, len(clocks))
    for clock, clock_id in zip(clocks, clock_ids, strict=True):
        clock.id = clock_id
        if clock.breached_at is not None:
            escalations.append(demo.new(SlaEscalation, clock_id=clock_id, customer_id=clock.customer_id,
                                        level=SlaEscalation.Level.BREACH, at=clock.breached_at, over=clock.over,
                                        notified=[clock.owner_id]))
    demo.insert(SlaClock, clocks, with_pk=True)
    demo.insert(SlaPause, pauses)
    demo.insert(SlaEscalation, escalations)
    demo.insert(CustomerEvent, timeline_rows)
    return len(tickets), open_count


def _duration(value):
    """A DurationField value as demo.insert writes it: microseconds on SQLite (its storage), as is elsewhere."""
    from django.db import connection
    from django.utils.duration import duration_microseconds

    if value is None or connection.vendor != "sqlite":
        return value
    return duration_microseconds(value)


def _coverage() -> dict[int, list[rules.ContractTerms]]:
    found: dict[int, list[rules.ContractTerms]] = {}
    through = ServiceContract.products.through
    products: dict[int, set[int]] = {}
    for contract_id, product_id in through.objects.values_list("servicecontract_id", "product_id"):
        products.setdefault(contract_id, set()).add(product_id)
    for c in ServiceContract.objects.filter(status=ContractStatus.ACTIVE):
        found.setdefault(c.customer_id, []).append(rules.ContractTerms(
            c.pk, c.status, c.starts_on, c.expires_on, c.all_products, frozenset(products.get(c.pk, ()))))
    return found
