"""The column template of customer and contact files, shared by import, export and the template download.

Each column has the model field it fills, an English and a Chinese header (either is accepted, case,
spaces, '_' / '-' and a '*' required marker ignored), a description and an example. Cell texts are
normalised here (dates, amounts, choices, yes/no) before the forms parse them.
"""

import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import CustomerKind, DecisionRole, Importance


@dataclass(frozen=True)
class Column:
    field: str
    en: str
    zh: str
    required: bool = False
    help: str = ""
    example: str = ""
    aliases: tuple[str, ...] = ()

    def header(self, language: str | None = None) -> str:
        language = language or translation.get_language() or "zh-hans"
        return self.zh if language.startswith("zh") else self.en

    def keys(self) -> set[str]:
        return {header_key(h) for h in (self.field, self.en, self.zh, *self.aliases)}


DATE_HELP = _("Date as YYYY-MM-DD; 2026/6/30 and 2026年6月30日 are read too.")

CUSTOMER_COLUMNS = (
    Column(
        "code",
        "Code",
        "客户编码",
        True,
        _("Unique customer code, up to 30 characters."),
        "C000123",
        ("customer code", "编码", "客户代码"),
    ),
    Column(
        "name",
        "Name",
        "客户名称",
        True,
        _("Full registered name of the company or person."),
        "上海东方贸易有限公司",
        ("customer name", "名称"),
    ),
    Column("short_name", "Short name", "简称", example="东方贸易", aliases=("客户简称",)),
    Column(
        "credit_code",
        "Unified social credit code",
        "统一社会信用代码",
        help=_("18 characters; the check digit is verified."),
        example="91310000MA1FL0B27P",
        aliases=("credit code", "信用代码"),
    ),
    Column("legal_form", "Legal form", "企业类型", example="有限责任公司", aliases=("法律形式",)),
    Column(
        "registered_capital",
        "Registered capital",
        "注册资本",
        help=_("Amount in yuan; 500万 is read as 5,000,000."),
        example="5000000",
    ),
    Column("founded_on", "Founding date", "成立日期", help=DATE_HELP, example="2015-03-18"),
    Column("legal_representative", "Legal representative", "法定代表人", example="张伟"),
    Column("industry", "Industry", "行业", example="批发业"),
    Column("business_scope", "Business scope", "经营范围"),
    Column("registered_address", "Registered address", "注册地址"),
    Column("office_address", "Office address", "办公地址", aliases=("地址", "address")),
    Column("latitude", "Latitude", "纬度", help=_("Decimal degrees."), example="31.230416"),
    Column("longitude", "Longitude", "经度", help=_("Decimal degrees."), example="121.473701"),
    Column("website", "Website", "网站", example="https://www.example.cn"),
    Column("phone", "Phone", "电话", example="021-12345678", aliases=("联系电话",)),
    Column("email", "E-mail", "电子邮箱", example="info@example.cn", aliases=("邮箱",)),
    Column(
        "kind",
        "Kind",
        "客户类型",
        help=_("Code or label; empty means business customer."),
        example="经销商",
        aliases=("type", "类型"),
    ),
    Column(
        "importance", "Importance", "重要程度", help=_("Code or label; empty means general."), example="一般"
    ),
    Column("importance_reason", "Reason for importance", "重要程度说明"),
    Column(
        "territory",
        "Territory",
        "区域",
        help=_("Territory code or name."),
        example="310101",
        aliases=("region", "地区"),
    ),
    Column("route", "Route", "路线"),
    Column("route_sequence", "Stop on route", "路序", help=_("Whole number."), example="3"),
    Column(
        "account_manager",
        "Account manager",
        "客户经理",
        help=_("Username of the account manager; empty means the importing user."),
        example="zhangwei",
        aliases=("manager",),
    ),
    Column("first_order_date", "First order date", "首次订货日期", help=DATE_HELP, example="2024-01-05"),
    Column("goals", "Goals and plans", "客户目标与计划", aliases=("目标与计划",)),
    Column("opinions", "Likes and dislikes", "客户观点（好恶）", aliases=("观点",)),
    Column("situation", "Current problems and needs", "现状：问题与需求", aliases=("现状",)),
    Column("notes", "Notes", "备注"),
    Column("tags", "Tags", "标签", help=_("Separate tags with commas."), example="重点跟进, 华东"),
)

CONTACT_COLUMNS = (
    Column(
        "customer_code",
        "Customer code",
        "客户编码",
        True,
        _("Code of an existing customer."),
        "C000123",
        ("code", "客户代码"),
    ),
    Column(
        "name",
        "Name",
        "姓名",
        True,
        _("The contact's name."),
        "王芳",
        ("contact", "联系人", "联系人姓名", "名称"),
    ),
    Column("title", "Title", "职务", example="采购经理"),
    Column("department", "Department", "部门", example="采购部"),
    Column("phone", "Office phone", "办公电话", example="021-12345678", aliases=("电话",)),
    Column("mobile", "Mobile", "手机", example="13800138000", aliases=("手机号",)),
    Column("email", "E-mail", "电子邮箱", example="wangfang@example.cn", aliases=("邮箱",)),
    Column("wechat", "WeChat id", "微信号", aliases=("wechat", "微信")),
    Column(
        "decision_role",
        "Role in buying decision",
        "采购决策角色",
        help=_("Code or label; may be empty."),
        example="决策者",
        aliases=("decision role", "决策角色"),
    ),
    Column(
        "is_primary",
        "Primary contact",
        "主要联系人",
        help=_("Yes or no (是/否); empty means no."),
        example="是",
        aliases=("primary",),
    ),
    Column("birthday", "Birthday", "生日", help=DATE_HELP, example="1985-09-12"),
    Column("age", "Age", "年龄", help=_("Whole number."), example="40"),
    Column("native_place", "Native place", "籍贯", example="浙江宁波"),
    Column("ethnicity", "Ethnicity", "民族", example="汉族"),
    Column("education_career", "Education and career", "学历与经历"),
    Column("family", "Family background", "家庭背景"),
    Column("personality_hobbies", "Personality and hobbies", "性格与爱好"),
    Column("notes", "Notes", "备注"),
    Column(
        "is_active",
        "Still at the customer",
        "仍在职",
        help=_("Yes or no (是/否); empty means yes."),
        example="是",
        aliases=("active",),
    ),
)

COLUMNS = {"customers": CUSTOMER_COLUMNS, "contacts": CONTACT_COLUMNS}

CHOICES = {"kind": CustomerKind, "importance": Importance, "decision_role": DecisionRole}
DEFAULTS = {
    "kind": CustomerKind.BUSINESS,
    "importance": Importance.GENERAL,
    "is_primary": False,
    "is_active": True,
}
DATE_FIELDS = {"founded_on", "first_order_date", "birthday"}
AMOUNT_FIELDS = {"registered_capital"}
NUMBER_FIELDS = {"latitude", "longitude", "route_sequence", "age"}
BOOLEAN_FIELDS = {"is_primary", "is_active"}

_KEY_DROP = re.compile(r"[\s_\-*.:：]+")
_TRAILING_NOTE = re.compile(r"\((必填|选填|required|optional)\)$")


def header_key(text) -> str:
    key = unicodedata.normalize("NFKC", str(text or "")).casefold().strip()
    key = _KEY_DROP.sub("", key)
    return _TRAILING_NOTE.sub("", key)


# Words users write for a choice besides its code and labels (the seeds' terms among them).
CHOICE_ALIASES = {
    "retail": ("零售", "零售客户", "零售消费者", "一般零售消费者", "消费者", "个人", "consumer"),
    "business": ("企业", "企业客户", "商业型客户", "企业对企业商业型客户", "b2b"),
    "dealer": ("经销商", "代理商", "经销商和代理商", "分销商", "agent", "distributor"),
    "internal": ("内部", "企业内部客户", "集团内部"),
    "key": ("重点客户", "重要"),
    "general": ("一般客户", "普通"),
    "scattered": ("零散客户", "零星"),
    "decider": ("决策人", "decision-maker"),
    "payer": ("付款者", "付款方"),
}


@functools.cache
def choice_labels(field: str) -> dict[str, str]:
    """Accepted spellings (code, English and Chinese label and each '/' part of them, aliases; folded)
    -> code."""
    accepted = {}
    for code, label in CHOICES[field].choices:
        spellings = [code, *CHOICE_ALIASES.get(code, ())]
        for language in ("en", "zh-hans"):
            with translation.override(language):
                text = str(label)
            spellings += [text, *text.split("/")]
        for spelling in spellings:
            accepted.setdefault(header_key(spelling), code)
    return accepted


def choice_label(field: str, code: str) -> str:
    return str(CHOICES[field](code).label) if code else ""


TRUE_WORDS = {"1", "y", "yes", "true", "t", "x", "是", "对", "有", "√", "✓", "✔"}
FALSE_WORDS = {"0", "n", "no", "false", "f", "否", "不", "不是", "无", "×", "✗"}


def parse_boolean(text: str):
    """True / False, or None if the text is not a yes or a no."""
    key = header_key(text)
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    return None


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]0{1,2}:00(?::00)?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")


def normalise_date(text: str) -> str:
    """ISO date if the text is a year-month-day in a common spelling; otherwise the text, for the form
    to reject with its own message."""
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups())).isoformat()
        except ValueError:
            return text
    return text


def normalise_amount(text: str) -> str:
    """'1,200,000', '¥1200000.00', '120万' and '120万元' all become a plain decimal number."""
    compact = re.sub(r"[,，\s¥￥]", "", unicodedata.normalize("NFKC", text))
    factor = 1
    if compact.endswith("万元") or compact.endswith("万"):
        compact, factor = compact.rstrip("元")[:-1], 10000
    elif compact.endswith("元"):
        compact = compact[:-1]
    try:
        return str(Decimal(compact) * factor) if factor != 1 else str(Decimal(compact))
    except InvalidOperation:
        return text


def normalise_number(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(",", "").strip()
