"""Demo sales ledger: products, a year of orders, invoices (with lines), receipts and their allocations,
and the per-customer balance row, for customers the customer demo has just made.

    result = generate(customer_ids, seed=0, invoices_per_customer=12)

Everything is computed in Python (amounts in whole fen, as ints) and written with bulk inserts
(executemany on SQLite, COPY on PostgreSQL), not through the per-document services: the services take
a row lock and write an audit record per document, which is right for real postings and far too slow
for millions of demo documents. The result obeys the same rules as the services:

- receipts are allocated FIFO, to the customer's open invoices oldest due date (then id) first; what a
  receipt cannot place stays unapplied and is applied to the customer's next invoice when it is posted;
- Invoice.open_amount = amount − Σ allocations; Receipt.unapplied_amount = amount − Σ allocations;
- CustomerBalance: receivable = Σ open_amount, unapplied_credit = Σ receipts' unapplied_amount,
  open_orders = Σ confirmed (not yet invoiced) orders, oldest_open_due_date = min due date of open
  invoices, last_invoice_date, last_payment_date / last_payment_amount (latest receipt by date, then
  id), invoiced_total = Σ invoice amounts, paid_total = Σ receipt amounts;
- CustomerMonthSales: rebuilt from the invoices just written, per batch of customers;
- each customer's first invoice is dated on its first_order_date (customers whose first order is
  older than the year get one paid opening invoice on that day), so first_order_date = first invoice.

Customers without a first order date (potential customers) get only a zero balance row.
Deterministic for a given seed, customers and `today`. No timeline events (too many rows).
"""

import bisect
import datetime
import itertools
import random
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from credo.core.clock import business_today
from credo.core.demo import insert, new
from credo.customers.models import Customer, CustomerKind, Importance

from . import services
from .models import (
    Allocation,
    CustomerBalance,
    CustomerMonthSales,
    Invoice,
    InvoiceLine,
    OrderLine,
    PaymentMethod,
    Product,
    Receipt,
    SalesOrder,
)

DEFAULT_INVOICES = 12  # a year, on average over all the customers made (potential ones have none, key ones more)
# Potential customers (~20 %), customers new this year (a part-year of invoices) and retail customers
# (fewer, smaller invoices) pull the average down; measured over 100,000 demo customers, this factor brings
# the invoices made back to invoices_per_customer × customers (±2 %).
SCALE = 1.98
CHUNK = 1000  # customers per batch of inserts
ACTOR = "demo"

# --- products ------------------------------------------------------------------------------------

# (name, unit, list price range in yuan, specifications)
PRODUCT_FAMILIES = [
    ("不锈钢六角螺栓", "盒", (35, 120), ("M6×20", "M8×30", "M10×40", "M12×50", "M16×60")),
    ("镀锌膨胀螺丝", "盒", (28, 90), ("M6", "M8", "M10", "M12")),
    ("PVC给水管", "根", (18, 160), ("DN20", "DN25", "DN32", "DN50", "DN75", "DN110")),
    ("PPR热水管", "根", (22, 140), ("20mm", "25mm", "32mm", "40mm")),
    ("BV铜芯电线", "卷", (160, 980), ("1.5mm²", "2.5mm²", "4mm²", "6mm²", "10mm²")),
    ("YJV电力电缆", "米", (25, 420), ("3×4", "3×10", "3×25", "4×35", "4×70")),
    ("LED平板灯", "套", (65, 260), ("300×300", "300×600", "600×600", "300×1200")),
    ("LED灯管", "支", (12, 45), ("T5 0.6m", "T8 0.9m", "T8 1.2m")),
    ("空气开关", "只", (18, 240), ("1P 16A", "1P 32A", "2P 32A", "3P 63A", "4P 100A")),
    ("配电箱", "台", (180, 2600), ("8回路", "12回路", "20回路", "36回路")),
    ("乳胶漆", "桶", (180, 680), ("5L 白色", "18L 白色", "18L 米黄", "20kg 外墙")),
    ("防水涂料", "桶", (220, 560), ("JS 20kg", "聚氨酯 20kg", "K11 18kg")),
    ("瓷砖胶", "袋", (35, 85), ("20kg 普通型", "20kg 加强型")),
    ("复印纸", "箱", (135, 260), ("A4 70g", "A4 80g", "A3 80g")),
    ("劳保手套", "打", (12, 60), ("棉纱", "丁腈浸胶", "防割")),
    ("安全帽", "顶", (18, 95), ("ABS 白", "ABS 红", "玻璃钢")),
    ("工业润滑油", "桶", (320, 1850), ("46# 18L", "68# 18L", "46# 200L")),
    ("液压油", "桶", (360, 2100), ("L-HM46 18L", "L-HM68 18L", "L-HM46 200L")),
    ("轴承", "套", (15, 480), ("6204", "6205", "6305", "6308", "22210")),
    ("减速电机", "台", (850, 6800), ("0.75kW", "1.5kW", "3kW", "5.5kW")),
    ("食用植物油", "箱", (150, 420), ("5L×4", "1.8L×6", "20L")),
    ("大米", "袋", (85, 260), ("10kg 粳米", "25kg 籼米", "25kg 东北大米")),
    ("瓶装饮用水", "箱", (18, 45), ("550ml×24", "1.5L×12")),
    ("洗衣液", "箱", (80, 240), ("2kg×6", "3kg×4")),
    ("打印机硒鼓", "只", (120, 880), ("黑色", "彩色 青", "彩色 品红", "彩色 黄")),
    ("汽车轮胎", "条", (320, 1600), ("195/65R15", "205/55R16", "225/45R17", "11R22.5")),
    ("蓄电池", "只", (280, 1200), ("6-QW-45", "6-QW-60", "6-QW-80")),
    ("纸箱", "个", (2, 18), ("三层 小号", "五层 中号", "五层 大号", "七层 特大号")),
    ("缠绕膜", "卷", (25, 70), ("50cm×2.5kg", "50cm×4kg")),
    ("不锈钢水槽", "个", (260, 1500), ("单槽", "双槽", "加厚双槽")),
]
PRODUCT_PREFIX = "P"
PRODUCT_COUNT = 200


def ensure_products(rng: random.Random | None = None) -> list[tuple[int, int, int]]:
    """The demo products (created once, by code P0001…P0200) as (id, list price, unit cost) in fen."""
    rng = rng or random.Random("credo-demo-products")
    existing = set(Product.objects.filter(code__startswith=PRODUCT_PREFIX).values_list("code", flat=True))
    rows = []
    specs = [(family, spec) for family in PRODUCT_FAMILIES for spec in family[3]]
    for i in range(PRODUCT_COUNT):
        (name, unit, (low, high), _specs), spec = specs[i % len(specs)]
        code = f"{PRODUCT_PREFIX}{i + 1:04d}"
        price = rng.randrange(low * 100, high * 100 + 1)
        price -= price % 10 if price > 1000 else 0
        cost = int(price * rng.uniform(0.55, 0.85))
        grade = "" if i < len(specs) else ("（优等品）" if i // len(specs) == 1 else "（经济型）")
        if code not in existing:
            rows.append(new(Product, code=code, name=f"{name} {spec}{grade}", unit=unit,
                            list_price=_money(price), cost=_money(cost), is_active=True))
    insert(Product, rows)
    return [(pk, _cents(price), _cents(cost))
            for pk, price, cost in Product.objects.filter(code__startswith=PRODUCT_PREFIX, is_active=True)
            .order_by("code").values_list("pk", "list_price", "cost")]


# --- helpers -------------------------------------------------------------------------------------

def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _cents(value) -> int:
    return int((Decimal(value) * 100).to_integral_value())


def _pick(rng, items, cum):
    return items[bisect.bisect_right(cum, rng.random() * cum[-1])]


class _Ids:
    """New primary keys for one table, reserved in blocks (inside the loading transaction)."""

    def __init__(self, model, block=20000):
        self.model, self.block, self.pool, self.next = model, block, [], 0
        table = connection.ops.quote_name(model._meta.db_table)
        self.sqlite = connection.vendor != "postgresql"
        if self.sqlite:  # the transaction holds the write lock: max + 1 onwards is ours
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                top = cursor.fetchone()[0]
                row = None
                cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")
                if cursor.fetchone():
                    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [model._meta.db_table])
                    row = cursor.fetchone()
            self.next = max(top, row[0] if row else 0) + 1

    def take(self) -> int:
        if self.sqlite:
            self.next += 1
            return self.next - 1
        if not self.pool:
            with connection.cursor() as cursor:
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                               [self.model._meta.db_table, self.block])
                self.pool = sorted((r[0] for r in cursor.fetchall()), reverse=True)
        return self.pool.pop()


class _Writer:
    """Rows as tuples in a fixed column order, written in one go per table (COPY / executemany)."""

    def __init__(self, model, attnames: list[str]):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.table = connection.ops.quote_name(model._meta.db_table)
        self.columns = ", ".join(connection.ops.quote_name(fields[a].column) for a in attnames)
        self.width = len(attnames)
        self.rows: list[tuple] = []

    def flush(self) -> int:
        rows, self.rows = self.rows, []
        if not rows:
            return 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy"):
                with cursor.cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * self.width)
                cursor.executemany(f"INSERT INTO {self.table} ({self.columns}) VALUES ({marks})", rows)
        return len(rows)


@dataclass
class LedgerResult:
    products: int = 0
    orders: int = 0
    order_lines: int = 0
    invoices: int = 0
    invoice_lines: int = 0
    receipts: int = 0
    allocations: int = 0
    balances: int = 0

    def rows(self) -> int:
        return sum(vars(self).values())

    def add(self, other: "LedgerResult"):
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)


def loaded_models():
    return [Product, SalesOrder, OrderLine, Invoice, InvoiceLine, Receipt, Allocation, CustomerBalance,
            CustomerMonthSales]


# --- behaviour tables ----------------------------------------------------------------------------

TERMS = [0, 15, 30, 45, 60, 90]
TERMS_CUM = list(itertools.accumulate([0, 8, 50, 10, 20, 12]))
METHODS = [PaymentMethod.TRANSFER, PaymentMethod.CHEQUE, PaymentMethod.DRAFT, PaymentMethod.PROMISSORY_NOTE,
           PaymentMethod.CASH]
METHOD_CUM = list(itertools.accumulate([70, 10, 11, 5, 4]))
# payer kinds: prompt (within terms), late (days to months after the due date), stopped (nothing paid
# for invoices after some day: open and overdue), partial (some invoices only partly paid)
PAYERS = ["prompt", "late", "stopped", "partial"]
PAYERS_CUM = list(itertools.accumulate([62, 23, 7, 8]))
LINE_COUNTS = [1, 2, 3, 4]
LINE_CUM = list(itertools.accumulate([45, 30, 15, 10]))
IMPORTANCE_FACTOR = {Importance.KEY: 2.0, Importance.GENERAL: 1.0, Importance.SCATTERED: 0.45}
IMPORTANCE_QTY = {Importance.KEY: 4, Importance.GENERAL: 1, Importance.SCATTERED: 1}


class _Generator:
    def __init__(self, rng, today, products, invoices_per_customer):
        self.rng, self.today, self.products = rng, today, products
        self.per = invoices_per_customer
        self.tz = timezone.get_current_timezone()
        self.sqlite = connection.vendor != "postgresql"
        self._dates: dict = {}
        self._moments: dict = {}
        self.year_ago = today - datetime.timedelta(days=365)
        self.ids = {m: _Ids(m) for m in (SalesOrder, OrderLine, Invoice, InvoiceLine, Receipt, Allocation)}
        self.orders = _Writer(SalesOrder, ["id", "customer_id", "number", "order_date", "status", "amount",
                                           "created_by", "created_at", "confirmed_at", "hold_reason"])
        self.order_lines = _Writer(OrderLine, ["id", "order_id", "customer_id", "product_id", "quantity",
                                               "unit_price", "amount"])
        self.invoices = _Writer(Invoice, ["id", "customer_id", "number", "invoice_date", "due_date", "amount",
                                          "open_amount", "order_id", "posted_at", "posted_by", "sent_on",
                                          "receipt_confirmed_on", "note", "kind"])
        self.invoice_lines = _Writer(InvoiceLine, ["id", "invoice_id", "customer_id", "product_id", "description",
                                                   "quantity", "unit_price", "amount", "cost"])
        self.receipts = _Writer(Receipt, ["id", "customer_id", "number", "receipt_date", "amount",
                                          "unapplied_amount", "method", "reference", "idempotency_key",
                                          "posted_at", "posted_by", "is_reversed"])
        self.allocations = _Writer(Allocation, ["id", "customer_id", "invoice_id", "receipt_id", "credit_note_id",
                                                "write_off_id", "amount", "allocation_date", "reverses_id",
                                                "created_at", "created_by"])
        self.balances = _Writer(CustomerBalance, [
            "customer_id", "receivable", "unapplied_credit", "open_orders", "oldest_open_due_date",
            "last_invoice_date", "last_payment_date", "last_payment_amount", "invoiced_total", "paid_total",
            "updated_at"])
        self.now = self.moment(today)

    # dates and moments as the database driver wants them (cached: a year has few days)
    def day(self, d):
        if d is None:
            return None
        v = self._dates.get(d)
        if v is None:
            v = self._dates[d] = d.isoformat() if self.sqlite else d
        return v

    def moment(self, d, hour=10):
        key = (d, hour)
        v = self._moments.get(key)
        if v is None:
            at = datetime.datetime.combine(d, datetime.time(hour), self.tz)
            v = self._moments[key] = connection.ops.adapt_datetimefield_value(at) if self.sqlite else at
        return v

    def customer(self, pk, code, kind, importance, first_order):
        """Append one customer's documents and balance row to the writers."""
        rng, today = self.rng, self.today
        if first_order is None or first_order > today:
            self.balances.rows.append((pk, 0, 0, 0, None, None, None, None, 0, 0, self.now))
            return
        retail = kind == CustomerKind.RETAIL
        terms = 0 if retail else _pick(rng, TERMS, TERMS_CUM)
        payer = "prompt" if retail else _pick(rng, PAYERS, PAYERS_CUM)
        main_method = PaymentMethod.CASH if retail and rng.random() < 0.7 else _pick(rng, METHODS, METHOD_CUM)
        batches = (not retail) and rng.random() < (0.4 if kind == CustomerKind.DEALER else 0.15)
        discount = rng.uniform(0.85, 1.0) if not retail else 1.0
        qty_scale = IMPORTANCE_QTY.get(importance, 1) * (3 if kind == CustomerKind.DEALER else 1)
        # invoice dates: a year of them (or since the first order), the first one on the first order date
        start = max(first_order, self.year_ago)
        span = (today - start).days
        factor = IMPORTANCE_FACTOR.get(importance, 1.0) * (0.4 if retail else 1.0)
        n = max(1, round(self.per * SCALE * factor * rng.uniform(0.5, 1.5) * (span + 1) / 366))
        dates = sorted(start + datetime.timedelta(days=rng.randrange(span + 1)) for _ in range(n - 1))
        dates.insert(0, start)
        if first_order < start:
            dates.insert(0, first_order)  # the opening invoice of an older customer
        stop = today - datetime.timedelta(days=rng.randrange(40, 240)) if payer == "stopped" else None
        products, ids = self.products, self.ids
        d_terms = datetime.timedelta(days=terms)

        # invoices (with their orders and lines) and the payments the customer intends
        invoices = []  # [id, date, due, amount, open]
        intents = []  # (pay date, amount)
        for k, date in enumerate(dates, start=1):
            order_id, invoice_id = ids[SalesOrder].take(), ids[Invoice].take()
            amount = 0
            for _ in range(_pick(rng, LINE_COUNTS, LINE_CUM)):
                product_id, price, cost = products[rng.randrange(len(products))]
                unit = round(price * discount)
                qty = rng.randrange(1, 21) * qty_scale
                line = unit * qty
                amount += line
                self.order_lines.rows.append((ids[OrderLine].take(), order_id, pk, product_id, qty,
                                              _money(unit), _money(line)))
                self.invoice_lines.rows.append((ids[InvoiceLine].take(), invoice_id, pk, product_id, "", qty,
                                                _money(unit), _money(line), _money(cost * qty)))
            order_date = max(first_order, date - datetime.timedelta(days=rng.randrange(0, 4)))
            self.orders.rows.append((order_id, pk, f"SO-{code}-{k:04d}", self.day(order_date), "invoiced",
                                     _money(amount), ACTOR, self.moment(order_date, 9),
                                     self.moment(order_date, 11), ""))
            due = date + d_terms
            invoices.append([invoice_id, date, due, amount, amount, order_id, k])
            # payment intent
            if retail:
                delay = 0 if rng.random() < 0.8 else rng.randrange(0, 10)
                pay = date + datetime.timedelta(days=delay)
            elif payer == "late" or (payer != "prompt" and rng.random() < 0.4):
                late = rng.randrange(1, 31) if rng.random() < 0.75 else rng.randrange(31, 150)
                pay = due + datetime.timedelta(days=late)
            else:
                pay = due - datetime.timedelta(days=rng.randrange(0, min(terms, 10) + 1))
                if rng.random() < 0.05:  # now and then a prompt payer is late
                    pay = due + datetime.timedelta(days=rng.randrange(1, 40))
            pay = max(pay, date)
            if payer == "stopped" and date >= stop:
                continue
            if rng.random() < 0.015:  # disputed: never paid
                continue
            paid = amount
            if payer == "partial" and rng.random() < 0.35:
                paid = amount * rng.randrange(30, 81) // 100
            elif rng.random() < 0.02:  # rounded up: the excess stays as unapplied credit
                paid = (amount // 100000 + 1) * 100000
            if pay <= today and paid > 0:
                intents.append((pay, paid))

        # receipts: one per intent, or one a month for customers who pay by statement
        if batches and intents:
            merged: dict = {}
            for pay, paid in intents:
                key = (pay.year, pay.month)
                last, total = merged.get(key, (pay, 0))
                merged[key] = (max(last, pay), total + paid)
            intents = sorted(merged.values())
        else:
            intents.sort()

        # FIFO, event by event: an invoice first takes any unapplied money (oldest receipt first); a
        # receipt is applied to open invoices by due date, then id. Invoice ids follow invoice dates and
        # the terms are the customer's, so id order is due-date order.
        receipts = []  # [id, date, amount, unapplied, method, reference, k]
        unapplied: list = []  # receipts with money left, oldest first
        first_open = 0
        allocs = self.allocations.rows
        i = 0
        for r_k, (pay, paid) in enumerate(intents + [(None, 0)], start=1):
            while i < len(invoices) and (pay is None or invoices[i][1] <= pay):
                inv = invoices[i]
                while unapplied and inv[4]:
                    rec = unapplied[0]
                    take = min(rec[3], inv[4])
                    rec[3] -= take
                    inv[4] -= take
                    allocs.append((ids[Allocation].take(), pk, inv[0], rec[0], None, None, _money(take),
                                   self.day(inv[1]), None, self.moment(inv[1], 12), ACTOR))
                    if not rec[3]:
                        unapplied.pop(0)
                i += 1
            if pay is None:
                break
            method = main_method if rng.random() < 0.8 else _pick(rng, METHODS, METHOD_CUM)
            rec = [ids[Receipt].take(), pay, paid, paid, method, self.reference(method, pay), r_k]
            receipts.append(rec)
            while first_open < i and not invoices[first_open][4]:
                first_open += 1
            for inv in invoices[first_open:i]:
                if not rec[3]:
                    break
                if inv[4]:
                    take = min(rec[3], inv[4])
                    rec[3] -= take
                    inv[4] -= take
                    allocs.append((ids[Allocation].take(), pk, inv[0], rec[0], None, None, _money(take),
                                   self.day(pay), None, self.moment(pay, 15), ACTOR))
            if rec[3]:
                unapplied.append(rec)

        # rows
        receivable = 0
        oldest_due = None
        for inv_id, date, due, amount, open_amount, order_id, k in invoices:
            sent = date + datetime.timedelta(days=rng.randrange(0, 3)) if rng.random() < 0.7 else None
            confirmed = sent + datetime.timedelta(days=rng.randrange(1, 6)) if sent and rng.random() < 0.6 else None
            if confirmed and confirmed > today:
                confirmed = None
            self.invoices.rows.append((inv_id, pk, f"FP-{code}-{k:04d}", self.day(date), self.day(due),
                                       _money(amount), _money(open_amount), order_id, self.moment(date, 11), ACTOR,
                                       self.day(sent if sent and sent <= today else None), self.day(confirmed), "",
                                       "goods"))
            if open_amount:
                receivable += open_amount
                oldest_due = due if oldest_due is None else min(oldest_due, due)
        credit = 0
        for rec_id, date, amount, left, method, reference, k in receipts:
            self.receipts.rows.append((rec_id, pk, f"SK-{code}-{k:04d}", self.day(date), _money(amount),
                                       _money(left), method, reference, None, self.moment(date, 15), ACTOR, False))
            credit += left

        # orders not yet invoiced: confirmed ones count in the balance
        open_orders = 0
        if payer != "stopped" and rng.random() < 0.3:
            for j in range(1 if rng.random() < 0.8 else 2):
                order_id = ids[SalesOrder].take()
                order_date = max(first_order, today - datetime.timedelta(days=rng.randrange(0, 8)))
                amount = 0
                for _ in range(_pick(rng, LINE_COUNTS, LINE_CUM)):
                    product_id, price, _cost = products[rng.randrange(len(products))]
                    unit = round(price * discount)
                    qty = rng.randrange(1, 21) * qty_scale
                    amount += unit * qty
                    self.order_lines.rows.append((ids[OrderLine].take(), order_id, pk, product_id, qty,
                                                  _money(unit), _money(unit * qty)))
                confirmed = rng.random() < 0.75
                if confirmed:
                    open_orders += amount
                self.orders.rows.append((order_id, pk, f"SO-{code}-{len(dates) + j + 1:04d}",
                                         self.day(order_date), "confirmed" if confirmed else "draft",
                                         _money(amount), ACTOR, self.moment(order_date, 9),
                                         self.moment(order_date, 11) if confirmed else None, ""))
        last = receipts[-1] if receipts else None
        self.balances.rows.append((
            pk, _money(receivable), _money(credit), _money(open_orders), self.day(oldest_due),
            self.day(invoices[-1][1]), self.day(last[1]) if last else None, _money(last[2]) if last else None,
            _money(sum(inv[3] for inv in invoices)), _money(sum(r[2] for r in receipts)), self.now))

    def reference(self, method, date):
        rng = self.rng
        if method == PaymentMethod.TRANSFER:
            return f"{date:%Y%m%d}{rng.randrange(10**10):010d}"
        if method == PaymentMethod.CHEQUE:
            return f"{rng.randrange(10**8):08d}"
        if method == PaymentMethod.DRAFT:  # electronic bank acceptance draft: 30 digits
            return f"1{rng.randrange(10**12):012d}{date:%Y%m%d}{rng.randrange(10**9):09d}"
        if method == PaymentMethod.PROMISSORY_NOTE:
            return f"QP{date:%Y%m%d}{rng.randrange(10**4):04d}"
        return ""

    def flush(self) -> LedgerResult:
        # parents first: orders before invoices and lines, invoices and receipts before allocations
        result = LedgerResult()
        result.orders = self.orders.flush()
        result.order_lines = self.order_lines.flush()
        result.invoices = self.invoices.flush()
        result.invoice_lines = self.invoice_lines.flush()
        result.receipts = self.receipts.flush()
        result.allocations = self.allocations.flush()
        result.balances = self.balances.flush()
        return result


# From this many customers on, PostgreSQL checks the ledger tables' foreign keys once, at the end (see
# _foreign_keys_checked_at_end), instead of once per row at commit.
BIG_LOAD = 20000


@contextmanager
def _foreign_keys_checked_at_end(enabled: bool):
    """PostgreSQL: drop the ledger tables' foreign keys while loading and add them back (same names and
    definitions) afterwards, in the same transaction. Adding a foreign key checks every row in one
    set-based query; left in place, each inserted row queues a check that runs at commit (~40 % of the
    time of a 2,000,000-invoice load). Skipped (checks per row) if the tables cannot be altered, e.g.
    because rows inserted earlier in this transaction still have checks pending."""
    if not enabled or connection.vendor != "postgresql":
        yield False
        return
    tables = [m._meta.db_table for m in (SalesOrder, OrderLine, Invoice, InvoiceLine, Receipt, Allocation,
                                         CustomerBalance)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])", [tables])
        keys = cursor.fetchall()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # Dropping a foreign key alters the referenced table too (customers_customer), which PostgreSQL
            # refuses while that table has checks pending from this transaction: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table, name, _definition in keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    except DatabaseError:
        keys = []
    yield bool(keys)
    with connection.cursor() as cursor:
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")


def generate(customers=None, *, seed: int = 0,
             invoices_per_customer: int = DEFAULT_INVOICES, today: datetime.date | None = None,
             progress: Callable[[int], None] | None = None, chunk: int = CHUNK,
             big_load: int = BIG_LOAD) -> LedgerResult:
    """Ledger documents and balance rows for the given customers (a Customer queryset; default: every
    customer without a balance row). Call inside a transaction (the caller's), like the customer demo."""
    today = today or business_today()
    result = LedgerResult()
    rng = random.Random(f"credo-demo-ledger-{seed}")
    products = ensure_products()
    result.products = len(products)
    if customers is None:
        customers = Customer.objects.filter(balance__isnull=True)
    rows = list(customers.order_by("pk").values_list("pk", "code", "kind", "importance", "first_order_date"))
    gen = _Generator(rng, today, products, invoices_per_customer if invoices_per_customer > 0 else 0)
    with _foreign_keys_checked_at_end(len(rows) >= big_load):
        for offset in range(0, len(rows), chunk):
            batch = rows[offset:offset + chunk]
            for pk, code, kind, importance, first_order in batch:
                if invoices_per_customer <= 0:
                    first_order = None
                gen.customer(pk, code, kind, importance, first_order)
            result.add(gen.flush())
            # The goods sales per month of the customers just written, from their invoices (one INSERT … SELECT).
            services.rebuild_month_sales([row[0] for row in batch])
            if progress:
                progress(len(batch))
    return result
