"""Writes of the analysis app: dealer stock entries, one at a time or from a spreadsheet (all or nothing)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from credo.core import audit
from credo.core.errors import PermissionDenied, ValidationError
from credo.core.models import AuditEntry
from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers import spreadsheets
from credo.customers.import_columns import header_key
from credo.customers.models import Customer, CustomerKind
from credo.sales.models import Product

from . import rules
from .models import DealerStock

# field → headers users write (matched after header_key normalisation)
STOCK_COLUMNS = {
    "customer": ("customer", "customer code", "dealer", "dealer code", "客户编号", "客户代码", "经销商编号", "客户"),
    "product": ("product", "product code", "商品编号", "产品编号", "商品代码", "商品"),
    "month": ("month", "月份", "年月"),
    "amount": ("amount", "stock amount", "库存金额", "金额"),
    "quantity": ("quantity", "库存数量", "数量"),
}
REQUIRED = ("customer", "product", "month", "amount")


def _require(user):
    if not has_perm(user, "analysis.view"):
        raise PermissionDenied(_("You may not record dealer stock."))


def parse_month(value) -> datetime.date:
    """A month as 2026-10, 2026/10, 2026-10-31 or a date cell; raises ValueError."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    text = spreadsheets.cell_text(value).replace("/", "-").replace(".", "-").replace("年", "-").rstrip("月")
    parts = text.split("-")
    if len(parts) < 2:
        raise ValueError(text)
    return datetime.date(int(parts[0]), int(parts[1]), 1)


def _check(user, customer: Customer, amount, quantity, errors: dict):
    if not Customer.objects.filter(customer_q(user), pk=customer.pk).exists():
        raise PermissionDenied(_("You may not record stock for this customer."))
    if customer.kind != CustomerKind.DEALER:
        errors.setdefault("customer", []).append(_("Stock is recorded only for dealers."))
    if amount is None or amount < 0:
        errors.setdefault("amount", []).append(_("Enter a stock amount ≥ 0."))
    if quantity is not None and quantity < 0:
        errors.setdefault("quantity", []).append(_("The quantity cannot be negative."))


@transaction.atomic
def record_stock(user, customer: Customer, product: Product, month: datetime.date, amount, quantity=None
                 ) -> DealerStock:
    """Record (or correct) a dealer's stock of a product at the end of a month."""
    _require(user)
    amount = None if amount is None else rules.money(amount)
    quantity = None if quantity in (None, "") else Decimal(quantity)
    errors: dict = {}
    _check(user, customer, amount, quantity, errors)
    if errors:
        raise ValidationError(errors)
    row, created = DealerStock.objects.update_or_create(
        customer=customer, product=product, month=month.replace(day=1),
        defaults={"amount": amount, "quantity": quantity, "recorded_by": user.get_username()})
    audit.record(user, AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE, row,
                 after={"amount": str(amount), "quantity": None if quantity is None else str(quantity),
                        "month": row.month.isoformat(), "product": product.code}, customer_id=customer.pk)
    return row


def _decimal(text, *, required: bool) -> Decimal | None:
    text = spreadsheets.cell_text(text).replace(",", "")
    if not text:
        if required:
            raise InvalidOperation
        return None
    return Decimal(text)


@transaction.atomic
def import_stock(user, fileobj, filename: str) -> int:
    """Import dealer stock rows (dealer code, product code, month, amount[, quantity]); all or nothing.
    Returns the number of rows recorded; raises ValidationError {"file": [problems…]}."""
    _require(user)
    try:
        rows = spreadsheets.read_rows(fileobj, filename)
    except spreadsheets.FileProblem as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    if not rows:
        raise ValidationError({"file": [_("The file is empty.")]})
    keys = {header_key(alias): name for name, aliases in STOCK_COLUMNS.items() for alias in aliases}
    header_number, header = rows[0]
    mapping = {}
    for index, cell in enumerate(header):
        name = keys.get(header_key(spreadsheets.cell_text(cell)))
        if name and name not in mapping:
            mapping[name] = index
    missing = [name for name in REQUIRED if name not in mapping]
    if missing:
        raise ValidationError({"file": [_("Row %(row)s: the column “%(column)s” is missing.")
                                        % {"row": header_number, "column": name} for name in missing]})
    customers = {c.code: c for c in Customer.objects.filter(customer_q(user))}
    products = {p.code: p for p in Product.objects.all()}
    problems, parsed = [], []
    for number, cells in rows[1:]:
        def cell(name, cells=cells):
            index = mapping.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        code, product_code = spreadsheets.cell_text(cell("customer")), spreadsheets.cell_text(cell("product"))
        customer, product = customers.get(code), products.get(product_code)
        if customer is None:
            problems.append(_("Row %(row)s: no customer “%(code)s” that you may see.") % {"row": number, "code": code})
            continue
        if customer.kind != CustomerKind.DEALER:
            problems.append(_("Row %(row)s: “%(code)s” is not a dealer.") % {"row": number, "code": code})
            continue
        if product is None:
            problems.append(_("Row %(row)s: no product “%(code)s”.") % {"row": number, "code": product_code})
            continue
        try:
            month = parse_month(cell("month"))
        except (ValueError, TypeError):
            problems.append(_("Row %(row)s: the month is not like 2026-10.") % {"row": number})
            continue
        try:
            amount = _decimal(cell("amount"), required=True)
            quantity = _decimal(cell("quantity"), required=False)
        except InvalidOperation:
            problems.append(_("Row %(row)s: the amount or quantity is not a number.") % {"row": number})
            continue
        if amount < 0 or (quantity is not None and quantity < 0):
            problems.append(_("Row %(row)s: stock cannot be negative.") % {"row": number})
            continue
        parsed.append((customer, product, month, amount, quantity))
    if problems:
        raise ValidationError({"file": problems})
    for customer, product, month, amount, quantity in parsed:
        record_stock(user, customer, product, month, amount, quantity)
    return len(parsed)
