"""Demo customer file: realistic Chinese companies, dealers, consumers and internal units.

generate(org, n, seed=…) appends n customers with their contacts, bank accounts, former names, tags,
account-manager assignments and timeline events, using bulk inserts in chunks (one transaction is
the caller's business). Deterministic for a given seed, starting number and `today`.

Unified social credit codes and company phone numbers are derived from the customer's sequence number
by a fixed bijection, so they are unique however many times the generator runs; names are kept unique
by their duplicate-detection key.
"""

import bisect
import datetime
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import Length
from django.utils import timezone

from credo.core.clock import business_today
from credo.core.demo import (
    ETHNICITIES,
    NATIVE_PLACES,
    City,
    Organisation,
    insert,
    mobile,
    new,
    person_name,
    reserve_ids,
)
from credo.core.models import CompanyProfile, CustomerEvent

from . import events, rules
from .models import (
    Assignment,
    BankAccount,
    Contact,
    Customer,
    CustomerKind,
    DecisionRole,
    FormerName,
    Importance,
    Tag,
)

CODE_PREFIX = "C"
CODE_DIGITS = 6
CHUNK = 2000
ROUTE_STOPS = 30
BATCH = 1000

# --- word lists ----------------------------------------------------------------------------------

BRAND_CHARS = (
    "华恒鑫盛达源泰丰宏信德瑞祥隆昌兴利嘉安通远力金海宇新佳永天正顺合和立鼎诚汇博众康美星联创中东益荣富成晟旺"
    "凯润明辉腾飞龙凤锦绣宝福运广茂亿万千百星光辰晨阳蓝绿翔豪威雅特优品尚卓越峰启航骏驰"
)

# (word in the name, industry (GB/T 4754 division), business scope, weight)
INDUSTRIES = [
    ("商贸", "批发业", "日用百货、五金交电、建筑材料、针纺织品的批发、零售；国内贸易代理。", 9),
    ("贸易", "批发业", "货物进出口；技术进出口；食品经营；家用电器、电子产品销售。", 8),
    ("进出口", "批发业", "货物进出口；技术进出口；进出口代理；国际货物运输代理。", 3),
    ("电子科技", "计算机、通信和其他电子设备制造业", "电子元器件制造、销售；电子产品研发；技术服务、技术开发、技术咨询。", 6),
    ("信息技术", "软件和信息技术服务业", "软件开发；信息系统集成服务；信息技术咨询服务；数据处理服务。", 4),
    ("网络科技", "互联网和相关服务", "互联网销售（除销售需要许可的商品）；网络技术服务；广告设计、代理。", 3),
    ("机械设备", "通用设备制造业", "通用设备制造（不含特种设备制造）；机械设备销售、租赁；机械零件加工。", 6),
    ("精密机械", "专用设备制造业", "专用设备制造；模具制造；金属切削加工服务。", 3),
    ("食品", "食品制造业", "食品生产；食品销售；农副产品销售；预包装食品批发。", 5),
    ("饮品", "酒、饮料和精制茶制造业", "饮料生产；茶叶制品生产；食品销售。", 2),
    ("建材", "非金属矿物制品业", "建筑材料销售；水泥制品制造；建筑用石加工；轻质建筑材料销售。", 5),
    ("化工", "化学原料和化学制品制造业", "化工产品销售（不含许可类化工产品）；专用化学产品制造。", 4),
    ("物流", "道路运输业", "道路货物运输（不含危险货物）；普通货物仓储服务；国内货物运输代理。", 4),
    ("供应链管理", "商务服务业", "供应链管理服务；国内贸易代理；企业管理咨询。", 3),
    ("医药", "医药制造业", "药品批发；第二类医疗器械销售；保健食品销售。", 3),
    ("医疗器械", "专用设备制造业", "第一类、第二类医疗器械生产、销售；医疗设备租赁。", 2),
    ("纺织", "纺织业", "面料纺织加工；针纺织品及原料销售；服装制造。", 3),
    ("服饰", "纺织服装、服饰业", "服装服饰批发、零售；鞋帽批发；服装制造。", 3),
    ("五金", "金属制品业", "五金产品制造、批发、零售；金属制品销售；紧固件制造。", 4),
    ("汽车配件", "汽车制造业", "汽车零部件及配件制造；汽车零配件批发、零售。", 3),
    ("包装材料", "橡胶和塑料制品业", "包装材料及制品销售；塑料制品制造；纸制品销售。", 3),
    ("塑胶制品", "橡胶和塑料制品业", "塑料制品制造；橡胶制品销售；模具销售。", 2),
    ("家居用品", "家具制造业", "家具制造；家居用品销售；木制品制造。", 3),
    ("电气", "电气机械和器材制造业", "配电开关控制设备制造；电线、电缆经营；电气设备销售。", 4),
    ("新能源科技", "电气机械和器材制造业", "光伏设备及元器件销售；储能技术服务；电池销售。", 2),
    ("环保科技", "生态保护和环境治理业", "环境保护专用设备销售；水污染治理；固体废物治理。", 2),
    ("农业发展", "农业", "农作物种植；农副产品销售；初级农产品收购。", 2),
    ("餐饮管理", "餐饮业", "餐饮服务；餐饮管理；食品销售（仅销售预包装食品）。", 2),
    ("酒店管理", "住宿业", "住宿服务；酒店管理；会议及展览服务。", 1),
    ("建筑工程", "房屋建筑业", "建设工程施工；建筑劳务分包；建筑材料销售。", 2),
    ("装饰工程", "建筑装饰、装修和其他建筑业", "住宅室内装饰装修；建筑装饰材料销售。", 2),
    ("实业", "批发业", "实业投资；日用百货销售；金属材料销售；企业管理咨询。", 2),
    ("文化传媒", "商务服务业", "广告制作；组织文化艺术交流活动；会议及展览服务。", 1),
]
SHORT_WORDS = {"供应链管理": "供应链", "新能源科技": "新能源", "进出口": "进出口", "精密机械": "精机", "汽车配件": "汽配"}
INDUSTRY_CUM = list(itertools.accumulate(row[3] for row in INDUSTRIES))

# Dealers and agents: (what they resell, name ending, legal form)
DEALER_GOODS = ("建材", "五金", "电器", "日化", "食品", "酒水", "汽配", "灯饰", "卫浴", "办公用品", "劳保用品",
                "粮油", "涂料", "管材", "电线电缆", "轮胎")
DEALER_ENDINGS = [
    ("经销部", "个体工商户", 3), ("经营部", "个体工商户", 2), ("商行", "个体工商户", 2),
    ("商贸有限公司", "有限责任公司", 4), ("贸易有限公司", "有限责任公司", 2), ("代理有限公司", "有限责任公司", 1),
]
DEALER_CUM = list(itertools.accumulate(row[2] for row in DEALER_ENDINGS))

# Company name endings and their legal form.
COMPANY_ENDINGS = [("有限公司", "有限责任公司", 70), ("有限责任公司", "有限责任公司", 18),
                   ("股份有限公司", "股份有限公司", 8), ("厂", "个人独资企业", 4)]
COMPANY_CUM = list(itertools.accumulate(row[2] for row in COMPANY_ENDINGS))

CAPITALS = [10, 30, 50, 100, 200, 300, 500, 800, 1000, 2000, 3000, 5000, 10000, 20000]  # 万元
CAPITAL_CUM = list(itertools.accumulate([3, 6, 10, 16, 12, 9, 12, 5, 11, 5, 4, 3, 2, 1]))

ROADS = ("人民路", "中山路", "解放路", "建设路", "和平路", "新华路", "长江路", "黄河路", "环城东路", "工业园路",
         "科技路", "创业大道", "世纪大道", "发展大道", "青年路", "文化路", "胜利路", "延安路", "学院路", "滨江路",
         "光明路", "朝阳路", "东风路", "复兴路", "友谊路", "金桥路", "高新大道", "开发区大道", "迎宾路", "商业街")
BUILDINGS = ("国际大厦", "商务中心", "金融中心", "科技园", "创业园", "广场", "中心大厦", "写字楼", "产业园")
ESTATES = ("花园", "小区", "家园", "新村", "公寓", "苑", "名都", "雅居")

BANKS = [("中国工商银行", "6222", 19), ("中国建设银行", "4367", 20), ("中国农业银行", "6228", 19),
         ("中国银行", "6013", 19), ("交通银行", "6222", 17), ("招商银行", "7559", 16), ("上海浦东发展银行", "9801", 19),
         ("中信银行", "8110", 19), ("兴业银行", "1220", 18), ("中国民生银行", "6932", 16), ("平安银行", "1500", 14)]

# (title, department, decision role, weight) for companies; dealers and consumers have their own.
CONTACT_ROLES = [
    ("总经理", "总经理办公室", DecisionRole.DECISION_MAKER, 10), ("董事长", "董事会", DecisionRole.DECISION_MAKER, 3),
    ("副总经理", "总经理办公室", DecisionRole.DECISION_MAKER, 4), ("采购经理", "采购部", DecisionRole.INFLUENCER, 12),
    ("采购主管", "采购部", DecisionRole.INFLUENCER, 8), ("采购员", "采购部", DecisionRole.GATEKEEPER, 6),
    ("财务经理", "财务部", DecisionRole.PAYER, 7), ("财务总监", "财务部", DecisionRole.PAYER, 3),
    ("会计", "财务部", DecisionRole.PAYER, 5), ("出纳", "财务部", DecisionRole.PAYER, 3),
    ("仓库主管", "仓储部", DecisionRole.USER, 4), ("技术总监", "技术部", DecisionRole.INFLUENCER, 3),
    ("生产经理", "生产部", DecisionRole.USER, 4), ("质检主管", "品质部", DecisionRole.USER, 2),
    ("行政经理", "行政部", DecisionRole.GATEKEEPER, 3), ("总经理助理", "总经理办公室", DecisionRole.GATEKEEPER, 3),
]
CONTACT_CUM = list(itertools.accumulate(row[3] for row in CONTACT_ROLES))
DEALER_ROLES = [("老板", "", DecisionRole.DECISION_MAKER), ("店长", "门店", DecisionRole.INFLUENCER),
                ("会计", "财务", DecisionRole.PAYER), ("仓管", "仓库", DecisionRole.USER)]

EDUCATION = ("本科，{u}{m}专业；曾在{c}任销售经理", "大专，{m}专业；从业十余年", "硕士，{u}工商管理；曾任{c}采购总监",
             "本科，{u}{m}专业", "高中学历，白手起家，做{m}生意二十年")
UNIVERSITIES = ("复旦大学", "浙江大学", "南京大学", "华中科技大学", "四川大学", "中山大学", "武汉大学", "山东大学",
                "湖南大学", "西安交通大学", "华东理工大学", "上海财经大学", "江西财经大学", "东北财经大学")
MAJORS = ("市场营销", "国际贸易", "会计", "机械工程", "化学工程", "计算机", "工商管理", "电气工程", "食品科学")
HOBBIES = ("性格爽朗，喜欢钓鱼、喝茶", "做事严谨，爱好打高尔夫", "为人低调，喜欢书法", "健谈，爱好篮球和旅游",
           "注重细节，喜欢登山", "性格温和，爱好摄影", "直爽，喜欢打牌、喝白酒", "爱好跑步，每年参加马拉松",
           "喜欢读历史书，对三国很有研究", "重感情，喜欢请客户吃饭")
FAMILY = ("已婚，育有一子", "已婚，育有一女", "已婚，一儿一女", "未婚", "已婚，孩子在国外读书", "已婚，爱人是中学老师")

TAGS = ["战略客户", "VIP", "展会获客", "转介绍", "政府项目", "出口业务", "连锁", "需重点跟进"]
TAG_CUM = list(itertools.accumulate([2, 3, 3, 3, 1, 2, 2, 3]))

INTERNAL_UNITS = ("分公司", "配送中心", "营业部")

WECHAT_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"
ASSIGN_REASONS = ("区域调整", "业务员离职交接", "客户要求更换对接人", "团队重组")


def _pick(rng: random.Random, rows, cum):
    return rows[bisect.bisect_right(cum, rng.random() * cum[-1])]


# --- identifiers -----------------------------------------------------------------------------------

ORG_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # GB 11714 values: 0-9, A=10 … Z=35
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
MA_SPACE = 31**6


def org_code_check(first8: str) -> str:
    """Check character of a GB 11714 organisation code."""
    c = 11 - sum(ORG_CHARS.index(ch) * w for ch, w in zip(first8, ORG_WEIGHTS, strict=True)) % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def credit_code(n: int, division: str, individual: bool, recent: bool) -> str:
    """A valid unified social credit code, unique for each n (and the same for the same n).

    Older registrations carry a converted 8-digit organisation code, newer ones the "MA…" series.
    """
    if recent:
        x = (n * 7919 + 123457) % MA_SPACE
        body = "MA" + "".join(rules.CREDIT_CODE_CHARS[(x // 31**i) % 31] for i in range(5, -1, -1))
    else:
        body = f"{(n * 48271 + 31415926) % 10**8:08d}"
    org = body + org_code_check(body)
    first17 = "9" + ("2" if individual else "1") + division + org
    return first17 + rules.credit_code_check_char(first17)


def company_phone(n: int, area_code: str) -> str:
    return f"{area_code}-{20000000 + (n * 104729 + 1234567) % 70000000}"


def code_for(n: int) -> str:
    return f"{CODE_PREFIX}{n:0{CODE_DIGITS}d}"


def next_number() -> int:
    """1 + the highest number among existing customer codes of the demo form (C000123)."""
    codes = (Customer.objects.filter(code__startswith=CODE_PREFIX).annotate(n=Length("code"))
             .order_by("-n", "-code").values_list("code", flat=True)[:50])
    for code in codes:
        if code[1:].isdigit():
            return int(code[1:]) + 1
    return 1


# --- generation ------------------------------------------------------------------------------------


@dataclass
class Result:
    customers: int = 0
    contacts: int = 0
    bank_accounts: int = 0
    former_names: int = 0
    assignments: int = 0
    events: int = 0
    tags: int = 0

    def rows(self) -> int:
        return sum(vars(self).values())


class _Generator:
    def __init__(self, org: Organisation, rng: random.Random, today: datetime.date, now: datetime.datetime):
        self.org, self.rng, self.today, self.now = org, rng, today, now
        self.tz = timezone.get_current_timezone()
        self.cities = org.cities
        weights = []
        for region in org.regions:
            for i, _city in enumerate(region.cities):
                # The first cities of a region (its capitals) carry more customers.
                weights.append(region.weight / len(region.cities) * (1.6 if i == 0 else 1.0 if i < 3 else 0.6))
        self.city_cum = list(itertools.accumulate(weights))
        self.used_keys = set(Customer.objects.values_list("name_key", flat=True))
        self.used_keys |= set(FormerName.objects.values_list("name_key", flat=True))
        profile = CompanyProfile.objects.order_by("pk").first()
        self.own_name = profile.name if profile else CompanyProfile._meta.get_field("name").default
        self.internal_pool = [
            f"{self.own_name}{city.name}{unit}" for city in self.cities for unit in INTERNAL_UNITS
        ]
        rng.shuffle(self.internal_pool)
        self.route_stops: dict[str, int] = {}  # customers so far per district ("上海浦东新区")
        for route, count in Customer.objects.filter(route__endswith="线").values_list("route").annotate(n=Count("id")):
            self.route_stops[route[:-3]] = self.route_stops.get(route[:-3], 0) + count

    # small helpers
    def date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))

    def moment(self, day: datetime.date) -> datetime.datetime:
        rng = self.rng
        value = datetime.datetime(day.year, day.month, day.day, rng.randrange(8, 19), rng.randrange(60),
                                  rng.randrange(60), tzinfo=self.tz)
        return min(value, self.now)

    def address(self, city: City, district: str, business: bool) -> str:
        rng = self.rng
        prefix = city.name if city.name.endswith("市") else city.name + "市"
        street = f"{rng.choice(ROADS)}{rng.randrange(1, 1999)}号"
        if business:
            if rng.random() < 0.5:
                return f"{prefix}{district}{street}{rng.choice(BUILDINGS)}{rng.randrange(2, 32)}楼{rng.randrange(1, 30):02d}室"
            return f"{prefix}{district}{street}"
        return (f"{prefix}{district}{street}{rng.choice(ROADS)[:2]}{rng.choice(ESTATES)}{rng.randrange(1, 30)}栋"
                f"{rng.randrange(1, 5)}单元{rng.randrange(1, 33)}{rng.randrange(1, 5):02d}室")

    def unique_name(self, make: Callable[[], str]) -> tuple[str, str]:
        for _ in range(50):
            name = make()
            key = rules.normalise_name(name)
            if key not in self.used_keys:
                self.used_keys.add(key)
                return name, key
        raise RuntimeError("could not find a new customer name")  # pragma: no cover

    def brand(self) -> str:
        return self.rng.choice(BRAND_CHARS) + self.rng.choice(BRAND_CHARS)

    # one customer
    def customer(self, n: int, pk: int) -> tuple[Customer, dict]:
        rng = self.rng
        city = self.cities[bisect.bisect_right(self.city_cum, rng.random() * self.city_cum[-1])]
        district, division = rng.choice(city.districts)
        region = city.region
        r = rng.random()
        kind = (CustomerKind.BUSINESS if r < 0.64 else CustomerKind.DEALER if r < 0.84
                else CustomerKind.INTERNAL if r < 0.845 and self.internal_pool else CustomerKind.RETAIL)
        extra: dict = {"kind": kind}
        c = new(Customer, id=pk, code=code_for(n), kind=kind, territory_id=city.territory.pk)
        # importance (by hand here; classification will set it from sales)
        r = rng.random()
        if kind == CustomerKind.RETAIL:
            c.importance = Importance.GENERAL if r < 0.08 else Importance.SCATTERED
        elif kind == CustomerKind.INTERNAL:
            c.importance = Importance.GENERAL
        else:
            c.importance = Importance.KEY if r < 0.1 else Importance.GENERAL if r < 0.45 else Importance.SCATTERED
        if c.importance == Importance.KEY and rng.random() < 0.4:
            c.importance_reason = rng.choice(("年采购额居区域前列", "行业标杆客户", "战略合作协议客户"))

        if kind == CustomerKind.RETAIL:
            female = rng.random() < 0.5
            c.name, c.name_key = self.unique_name(lambda: person_name(rng, female))
            c.phone = mobile(rng)
            c.industry = "个人消费者"
            c.registered_address = ""
            c.office_address = self.address(city, district, business=False)
            founded = None
        else:
            recent = rng.random() < 0.45
            if kind == CustomerKind.INTERNAL:
                c.name = self.internal_pool.pop()
                c.name_key = rules.normalise_name(c.name)
                if c.name_key in self.used_keys:
                    c.name, c.name_key = self.unique_name(
                        lambda: f"{self.own_name}{city.name}{district}{rng.choice(INTERNAL_UNITS)}{rng.randrange(2, 99)}")
                self.used_keys.add(c.name_key)
                c.short_name = c.name.removeprefix(self.own_name)[:60]
                c.legal_form = "有限责任公司分公司"
                c.industry = "批发业"
                c.business_scope = "在隶属企业经营范围内从事经营活动。"
                individual = False
            elif kind == CustomerKind.DEALER:
                goods = rng.choice(DEALER_GOODS)
                ending, legal_form, _w = _pick(rng, DEALER_ENDINGS, DEALER_CUM)
                c.name, c.name_key = self.unique_name(lambda: f"{city.name}{self.brand()}{goods}{ending}")
                c.short_name = c.name[len(city.name):len(city.name) + 2] + goods
                c.legal_form = legal_form
                c.industry = "批发业"
                c.business_scope = f"{goods}批发、零售；代理销售{goods}产品；售后服务。"
                individual = legal_form == "个体工商户"
            else:
                word, industry, scope, _w = _pick(rng, INDUSTRIES, INDUSTRY_CUM)
                ending, legal_form, _w = _pick(rng, COMPANY_ENDINGS, COMPANY_CUM)
                if ending == "厂":
                    word = word.removesuffix("科技").removesuffix("管理") + "制品"
                bracketed = rng.random() < 0.08

                def make(word=word, ending=ending, bracketed=bracketed):
                    b = self.brand()
                    return f"{b}（{city.name}）{word}{ending}" if bracketed else f"{city.name}{b}{word}{ending}"

                c.name, c.name_key = self.unique_name(make)
                brand = c.name[:2] if bracketed else c.name[len(city.name):len(city.name) + 2]
                c.short_name = brand + SHORT_WORDS.get(word, word[:2])
                c.legal_form, c.industry, c.business_scope = legal_form, industry, scope
                individual = False
            c.credit_code = credit_code(n, division, individual, recent)
            if recent:
                founded = self.date_between(datetime.date(2016, 1, 1), self.today - datetime.timedelta(days=90))
            else:
                founded = self.date_between(datetime.date(1993, 1, 1), datetime.date(2015, 12, 31))
            c.founded_on = founded
            if not individual and kind != CustomerKind.INTERNAL:
                capital = _pick(rng, CAPITALS, CAPITAL_CUM)
                if c.importance != Importance.GENERAL:  # key customers tend to be the bigger companies
                    other = _pick(rng, CAPITALS, CAPITAL_CUM)
                    capital = max(capital, other) if c.importance == Importance.KEY else min(capital, other)
                c.registered_capital = Decimal(capital * 10000).quantize(Decimal("0.01"))
            c.legal_representative = person_name(rng)
            c.phone = company_phone(n, city.area_code)
            c.registered_address = self.address(city, district, business=True)
            c.office_address = c.registered_address if rng.random() < 0.7 else self.address(city, district, True)
            if kind == CustomerKind.BUSINESS and rng.random() < 0.25:
                c.website = f"https://www.{''.join(rng.choices('abcdefghjkmnpqrstwxyz', k=6))}.com.cn"

        # lifecycle
        earliest = max(founded or datetime.date(2012, 1, 1), self.today - datetime.timedelta(days=3650))
        r = rng.random()
        if r < 0.2:
            first_order = None
            created = self.date_between(max(earliest, self.today - datetime.timedelta(days=900)), self.today)
        else:
            new_from = rules.new_since(self.today, 12) + datetime.timedelta(days=1)
            if r < 0.42 or earliest >= new_from - datetime.timedelta(days=30):
                first_order = self.date_between(max(new_from, earliest), self.today)
            else:
                first_order = self.date_between(earliest + datetime.timedelta(days=30),
                                                new_from - datetime.timedelta(days=1))
            created = self.date_between(max(earliest, first_order - datetime.timedelta(days=120)), first_order)
        c.first_order_date = first_order
        c.created_at = self.moment(created)
        c.updated_at = c.created_at if rng.random() < 0.5 else self.moment(self.date_between(created, self.today))
        c.updated_at = max(c.updated_at, c.created_at)

        # territory, route, account manager
        # routes of up to ROUTE_STOPS customers per district, in the order the customers were added
        prefix = f"{city.name}{district}"
        done = self.route_stops.get(prefix, 0)
        self.route_stops[prefix] = done + 1
        c.route = f"{prefix}{done // ROUTE_STOPS + 1:02d}线"
        c.route_sequence = done % ROUTE_STOPS + 1
        if c.importance == Importance.KEY and rng.random() < 0.3 or not region.salespeople:
            manager = region.manager
        else:
            manager = rng.choice(region.salespeople)
        c.account_manager_id = manager.pk
        c.refresh_keys()
        extra.update(city=city, district=district, region=region, created=created)
        return c, extra

    def contacts(self, c: Customer, extra) -> list[Contact]:
        rng = self.rng
        kind = extra["kind"]
        rows = []
        if kind == CustomerKind.RETAIL:
            specs = [("", "", DecisionRole.DECISION_MAKER, c.name)]
        else:
            count = 1 if rng.random() < 0.45 else 2 if rng.random() < 0.64 else 3
            roles = DEALER_ROLES if kind == CustomerKind.DEALER and c.legal_form == "个体工商户" else None
            specs, seen = [], set()
            for i in range(count):
                if roles:
                    title, dept, role = roles[0] if i == 0 else rng.choice(roles[1:])
                else:
                    title, dept, role, _w = _pick(rng, CONTACT_ROLES, CONTACT_CUM)
                if title in seen:
                    continue
                seen.add(title)
                name = c.legal_representative if title in ("董事长", "老板") and c.legal_representative else None
                specs.append((title, dept, role, name or person_name(rng)))
        for i, (title, dept, role, name) in enumerate(specs):
            birthday = age = None
            if rng.random() < 0.6:
                birthday = self.date_between(datetime.date(1962, 1, 1), datetime.date(1999, 12, 31))
                age = self.today.year - birthday.year - ((self.today.month, self.today.day) < (birthday.month, birthday.day))
            elif rng.random() < 0.3:
                age = rng.randrange(25, 62)
            mob = c.phone if kind == CustomerKind.RETAIL else mobile(rng)
            r = rng.random()
            wechat = mob if r < 0.35 else f"wxid_{''.join(rng.choices(WECHAT_CHARS, k=12))}" if r < 0.75 else ""
            r = rng.random()
            email = f"{rng.randrange(10**7, 10**10)}@qq.com" if r < 0.2 else f"{mob}@163.com" if r < 0.3 else ""
            education = ""
            if rng.random() < 0.2:
                education = rng.choice(EDUCATION).format(u=rng.choice(UNIVERSITIES), m=rng.choice(MAJORS),
                                                        c=rng.choice(("某外资企业", "某国有企业", "同行公司", "某上市公司")))
            rows.append(new(
                Contact, customer_id=c.pk, name=name, title=title, department=dept,
                phone=f"{c.phone}-{rng.randrange(800, 899)}" if kind != CustomerKind.RETAIL and rng.random() < 0.3 else "",
                mobile=mob, email=email, wechat=wechat, decision_role=role, is_primary=i == 0,
                birthday=birthday, birthday_md=birthday.strftime("%m%d") if birthday else "", age=age,
                native_place=rng.choice(NATIVE_PLACES) if rng.random() < 0.5 else "",
                ethnicity=rng.choice(ETHNICITIES) if rng.random() < 0.4 else "",
                education_career=education,
                family=rng.choice(FAMILY) if rng.random() < 0.1 else "",
                personality_hobbies=rng.choice(HOBBIES) if rng.random() < 0.25 else "",
                created_at=c.created_at, updated_at=c.created_at,
            ))
        return rows

    def banking(self, c: Customer, extra) -> list[BankAccount]:
        rng = self.rng
        kind = extra["kind"]
        if rng.random() >= (0.1 if kind == CustomerKind.RETAIL else 0.88):
            return []
        city, district = extra["city"], extra["district"]
        branch = district
        start = max(c.founded_on or extra["created"], datetime.date(2000, 1, 1))
        rows = []
        since = start
        if rng.random() < 0.06:  # one earlier account, since closed: the history the credit check looks at
            changed = self.date_between(start + datetime.timedelta(days=30), self.today - datetime.timedelta(days=1))
            rows.append(self._account(c, city.name, branch, start, changed - datetime.timedelta(days=1)))
            since = changed
        rows.append(self._account(c, city.name, branch, since, None))
        return rows

    def _account(self, c, city_name, branch, valid_from, valid_to) -> BankAccount:
        rng = self.rng
        bank, prefix, length = rng.choice(BANKS)
        digits = length - len(prefix)
        number = f"{prefix}{rng.randrange(10**digits):0{digits}d}"
        return new(BankAccount, customer_id=c.pk, bank_name=f"{bank}{city_name}{branch}支行", account_name=c.name,
                           account_number=number, valid_from=valid_from, valid_to=valid_to, created_by="demo")

    def former_name(self, c: Customer, extra) -> FormerName | None:
        rng = self.rng
        if extra["kind"] not in (CustomerKind.BUSINESS, CustomerKind.DEALER) or rng.random() >= 0.03:
            return None
        if not c.founded_on or c.founded_on >= self.today - datetime.timedelta(days=400):
            return None
        city = extra["city"].name
        word = rng.choice(INDUSTRIES)[0]
        name, key = self.unique_name(lambda: f"{city}{self.brand()}{word}有限公司")
        until = self.date_between(c.founded_on + datetime.timedelta(days=200), self.today - datetime.timedelta(days=30))
        return new(FormerName, customer_id=c.pk, name=name, name_key=key, used_until=until,
                          note=rng.choice(("工商变更登记", "企业更名", "品牌升级更名", "股权变更后更名")))

    def assignments(self, c: Customer, extra) -> tuple[list[Assignment], list[CustomerEvent]]:
        rng = self.rng
        region = extra["region"]
        rows, evts = [], []
        start = c.created_at
        others = [u for u in region.salespeople if u.pk != c.account_manager_id]
        if others and rng.random() < 0.08 and (self.now - start).days > 60:
            previous = rng.choice(others)
            change = self.moment(self.date_between(start.date() + datetime.timedelta(days=30), self.today))
            if change > start:
                reason = rng.choice(ASSIGN_REASONS)
                rows.append(new(Assignment, customer_id=c.pk, manager_id=previous.pk, started_at=start, ended_at=change,
                                       assigned_by=region.manager.username, reason="建档"))
                evts.append(new(CustomerEvent, customer_id=c.pk, kind=events.REASSIGNED.code, at=change,
                                          actor=region.manager.username, summary=reason,
                                          data={"from": previous.pk, "to": c.account_manager_id},
                                          object_type="customers.customer", object_id=str(c.pk)))
                start = change
        rows.append(new(Assignment, customer_id=c.pk, manager_id=c.account_manager_id, started_at=start,
                               assigned_by=region.manager.username, reason="建档" if not evts else evts[0].summary))
        evts.insert(0, new(CustomerEvent, customer_id=c.pk, kind=events.CREATED.code, at=c.created_at,
                                     actor=region.manager.username, summary=c.name[:300],
                                     object_type="customers.customer", object_id=str(c.pk)))
        return rows, evts


def loaded_models():
    """The tables generate() writes to (for statistics after loading)."""
    return [Customer, Contact, BankAccount, FormerName, Assignment, CustomerEvent, Customer.tags.through]


def generate(org: Organisation, n: int, *, seed: int = 0, start: int | None = None,
             today: datetime.date | None = None, progress: Callable[[int], None] | None = None,
             chunk: int = CHUNK) -> Result:
    """Append n demo customers (codes from `start`, default after the highest existing demo code)."""
    start = next_number() if start is None else start
    today = today or business_today()
    now = min(timezone.now(), datetime.datetime.combine(today, datetime.time(23, 59), timezone.get_current_timezone()))
    rng = random.Random(f"credo-demo-customers-{seed}-{start}")
    gen = _Generator(org, rng, today, now)
    tags = {t: Tag.objects.get_or_create(name=t)[0].pk for t in TAGS}
    tag_through = Customer.tags.through
    result = Result()
    for offset in range(0, n, chunk):
        size = min(chunk, n - offset)
        ids = reserve_ids(Customer, size)
        pairs = [gen.customer(start + offset + i, ids[i]) for i in range(size)]
        insert(Customer, [c for c, _extra in pairs], with_pk=True)
        contacts, accounts, former, assigns, evts, tag_rows = [], [], [], [], [], []
        for c, extra in pairs:
            contacts += gen.contacts(c, extra)
            accounts += gen.banking(c, extra)
            fn = gen.former_name(c, extra)
            if fn:
                former.append(fn)
            a, e = gen.assignments(c, extra)
            assigns += a
            evts += e
            if rng.random() < 0.12:
                names = {_pick(rng, TAGS, TAG_CUM) for _ in range(rng.randrange(1, 3))}
                tag_rows += [new(tag_through, customer_id=c.pk, tag_id=tags[t]) for t in sorted(names)]
        insert(Contact, contacts)
        insert(BankAccount, accounts)
        insert(FormerName, former)
        insert(Assignment, assigns)
        insert(CustomerEvent, evts)
        insert(tag_through, tag_rows)
        result.customers += size
        result.contacts += len(contacts)
        result.bank_accounts += len(accounts)
        result.former_names += len(former)
        result.assignments += len(assigns)
        result.events += len(evts)
        result.tags += len(tag_rows)
        if progress:
            progress(size)
    return result
