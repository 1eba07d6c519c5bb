"""Column templates of invoice and receipt files (`credo import invoices|receipts FILE`).

The first row of the file holds the headers, in Chinese or English (case, spaces, '_' / '-' and a '*'
required marker are ignored; the aliases below are accepted too); the order of the columns is free and
unknown columns are ignored (and listed in the report).

Invoices (发票):
    number*        发票号码    unique invoice number, up to 40 characters           FP20260301001
    customer_code* 客户编码    code of an existing customer                         C000123
    invoice_date*  开票日期    YYYY-MM-DD (2026/3/1, 2026年3月1日, 20260301 too)    2026-03-01
    due_date*      到期日      on or after the invoice date; an empty cell means
                               the customer's credit period                          2026-03-31
    amount*        金额        amount including tax, yuan, > 0, at most 2 decimals   11300.00
    note           备注        up to 300 characters
Receipts (收款):
    number*         收款单号    unique receipt number, up to 40 characters          SK20260315001
    customer_code*  客户编码
    receipt_date*   收款日期
    amount*         收款金额    yuan, > 0
    method*         收款方式    code or label: transfer 转账, cash 现金, cheque 支票,
                                draft 汇票 (bank acceptance / commercial), note 期票  转账
    reference       票据号码    bank serial, cheque or draft number (up to 100)
    invoice_number  发票号码    an invoice of the same customer to settle first; the rest
                                of the payment goes FIFO to the oldest open invoices, and
                                what is left stays unapplied for the next invoices
"""

import datetime
import functools
import re
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from credo.core.money import parse_money
from credo.customers.import_columns import DATE_HELP, Column, header_key, normalise_amount, normalise_date

from .models import PaymentMethod

CUSTOMER_CODE = Column("customer_code", "Customer code", "客户编码", True, _("Code of an existing customer."),
                       "C000123", ("code", "客户代码", "customer"))
AMOUNT_HELP = _("Amount in yuan, greater than zero, at most two decimals; 1,130.00 and ¥1130 are read too.")

INVOICE_COLUMNS = (
    Column("number", "Invoice number", "发票号码", True, _("Unique invoice number, up to 40 characters."),
           "FP20260301001", ("number", "invoice no", "invoice", "发票号", "单据号码", "单号")),
    CUSTOMER_CODE,
    Column("invoice_date", "Invoice date", "开票日期", True, DATE_HELP, "2026-03-01", ("date", "发票日期", "日期")),
    Column("due_date", "Due date", "到期日", True,
           _("On or after the invoice date; an empty cell means the customer's credit period."), "2026-03-31",
           ("due", "到期日期", "应收到期日", "付款到期日")),
    Column("amount", "Amount", "金额", True, AMOUNT_HELP, "11300.00", ("发票金额", "价税合计", "含税金额", "total")),
    Column("note", "Note", "备注", example="3月货款", aliases=("notes", "remark", "说明")),
)

RECEIPT_COLUMNS = (
    Column("number", "Receipt number", "收款单号", True, _("Unique receipt number, up to 40 characters."),
           "SK20260315001", ("number", "receipt no", "receipt", "收款单编号", "单据号码", "单号")),
    CUSTOMER_CODE,
    Column("receipt_date", "Receipt date", "收款日期", True, DATE_HELP, "2026-03-15", ("date", "到账日期", "日期")),
    Column("amount", "Amount", "收款金额", True, AMOUNT_HELP, "11300.00", ("金额", "到账金额", "total")),
    Column("method", "Method", "收款方式", True,
           _("Code or label: transfer (转账), cash (现金), cheque (支票), draft (汇票), note (期票)."), "转账",
           ("payment method", "付款方式", "结算方式", "方式")),
    Column("reference", "Reference", "票据号码", help=_("Bank serial, cheque or draft number."),
           example="20260315000123", aliases=("ref", "参考号", "流水号", "票据号", "银行流水号")),
    Column("invoice_number", "Invoice number", "发票号码", help=_(
        "An invoice of the same customer to settle first; the rest goes to the oldest open invoices."),
           example="FP20260301001", aliases=("invoice", "invoice no", "发票号", "核销发票")),
)

COLUMNS = {"invoices": INVOICE_COLUMNS, "receipts": RECEIPT_COLUMNS}

METHOD_ALIASES = {
    PaymentMethod.CASH: ("现金", "现款", "cash"),
    PaymentMethod.TRANSFER: ("转账", "银行转账", "电汇", "汇款", "网银", "bank transfer", "wire", "transfer"),
    PaymentMethod.CHEQUE: ("支票", "转账支票", "check", "cheque"),
    PaymentMethod.DRAFT: ("汇票", "银行承兑汇票", "商业承兑汇票", "承兑汇票", "银承", "商承", "电子汇票", "draft",
                          "bank acceptance", "commercial draft", "bill of exchange"),
    PaymentMethod.PROMISSORY_NOTE: ("期票", "本票", "银行本票", "promissory note", "note"),
}


@functools.cache
def method_codes() -> dict[str, str]:
    """Accepted spellings of a payment method (code, labels in both languages, aliases; folded) -> code."""
    accepted = {}
    for code, label in PaymentMethod.choices:
        spellings = [code, *METHOD_ALIASES.get(code, ())]
        for language in ("en", "zh-hans"):
            with translation.override(language):
                text = str(label)
            spellings += [text, re.sub(r"\s*[(（][^)）]*[)）]\s*", "", text)]
        for spelling in spellings:
            accepted.setdefault(header_key(spelling), code)
    return accepted


def parse_method(text: str) -> str | None:
    return method_codes().get(header_key(text))


def parse_date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(normalise_date(text.strip()))
    except ValueError:
        return None


def parse_amount(text: str) -> Decimal:
    """The amount in yuan ('1,130.00', '¥1130', '12万'); ValueError with the reason otherwise (the one money
    parser, core.money.parse_money: at most two decimals, never rounded)."""
    return parse_money(normalise_amount(text))
