"""credo import invoices|receipts: every row checked first, nothing posted on errors (unless skipped),
posting through the services keeps balances exact; .xlsx and .csv in UTF-8 and GBK; exit codes."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from credo.customers.models import Customer
from credo.sales import services
from credo.sales.import_columns import parse_amount, parse_method
from credo.sales.importing import import_file
from credo.sales.models import Allocation, CustomerBalance, Invoice, LedgerSettings, Receipt
from tests.sales.test_demo_ledger import ledger_problems

FILE_TYPES = [("xlsx", "utf-8"), ("csv", "utf-8"), ("csv", "utf-8-sig"), ("csv", "gbk")]
INV_ZH = ["发票号码", "客户编码", "开票日期", "到期日", "金额", "备注"]
INV_EN = ["Invoice number", "Customer code", "Invoice date", "Due date", "Amount", "Note"]
REC_ZH = ["收款单号", "客户编码", "收款日期", "收款金额", "收款方式", "票据号码", "发票号码"]
REC_EN = ["Receipt number", "Customer code", "Receipt date", "Amount", "Method", "Reference", "Invoice number"]


def file_bytes(rows, fmt="xlsx", encoding="utf-8") -> bytes:
    if fmt == "xlsx":
        workbook = openpyxl.Workbook()
        for row in rows:
            workbook.active.append(row)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def run(user, rows, kind, fmt="xlsx", encoding="utf-8", **options):
    with translation.override("en"):
        return import_file(user, io.BytesIO(file_bytes(rows, fmt, encoding)), f"{kind}.{fmt}", kind, **options)


def problems(report):
    return [(p.row, p.field) for p in report.problems]


@pytest.fixture
def ledger(world):
    world.other = Customer.objects.create(code="X001", name="杭州西湖贸易有限公司")
    return world


def invoice_rows(header=INV_ZH):
    return [header,
            ["F-1", "E001", "2026-01-05", "2026-02-04", "1,130.00", "一月货款"],
            ["F-2", "E001", "2026/1/20", "", "￥500", ""],
            ["F-3", "N001", "2026年1月8日", "2026-03-08", "2000.5", ""]]


@pytest.mark.parametrize("fmt,encoding", FILE_TYPES)
@pytest.mark.parametrize("header", [INV_ZH, INV_EN])
@pytest.mark.django_db
def test_good_invoices_are_posted(ledger, fmt, encoding, header):
    report = run(ledger.finance, invoice_rows(header), "invoices", fmt, encoding)
    assert report.problems == [] and report.imported == 3
    f2 = Invoice.objects.get(number="F-2")
    assert f2.amount == Decimal("500.00") and f2.due_date == datetime.date(2026, 2, 19)  # default 30 days
    balance = CustomerBalance.objects.get(customer=ledger.east_customer)
    assert balance.receivable == Decimal("1630.00") and balance.invoiced_total == Decimal("1630.00")
    ledger.east_customer.refresh_from_db()
    assert ledger.east_customer.first_order_date == datetime.date(2026, 1, 5)
    assert Invoice.objects.get(number="F-1").posted_by == "finance"
    assert ledger_problems() == []


@pytest.mark.parametrize("fmt,encoding", FILE_TYPES)
@pytest.mark.django_db
def test_bad_invoice_rows_are_reported_and_nothing_is_posted(ledger, fmt, encoding):
    services.post_invoice(ledger.admin, ledger.north_customer, number="OLD-1", invoice_date=datetime.date(2026, 1, 2),
                          amount=Decimal("10"))
    LedgerSettings.objects.update_or_create(pk=LedgerSettings.current().pk,
                                            defaults={"closed_through": datetime.date(2025, 12, 31)})
    rows = [INV_ZH,
            ["G-1", "E001", "2026-01-05", "2026-02-04", "100", ""],      # good
            ["G-2", "NOPE", "2026-01-05", "", "100", ""],                # unknown customer
            ["G-3", "E001", "2026-01-05", "", "0", ""],                  # zero
            ["G-4", "E001", "2026-01-05", "", "-3", ""],                 # negative
            ["G-5", "E001", "2026-01-05", "2026-01-04", "100", ""],      # due before the invoice date
            ["G-1", "E001", "2026-01-06", "", "100", ""],                # number twice in the file
            ["OLD-1", "E001", "2026-01-06", "", "100", ""],              # number already in the ledger
            ["G-8", "E001", "2025-12-31", "", "100", ""],                # closed period
            ["G-9", "E001", "2026-02-30", "", "1.005", ""],              # no such day; three decimals
            ["G-10", "", "", "", "", ""]]
    report = run(ledger.finance, rows, "invoices", fmt, encoding)
    assert problems(report) == [
        (3, "customer_code"), (4, "amount"), (5, "amount"), (6, "due_date"), (7, "number"), (8, "number"),
        (9, "invoice_date"), (10, "invoice_date"), (10, "amount"),
        (11, "customer_code"), (11, "invoice_date"), (11, "amount")]
    assert report.blocked and report.imported == 0
    assert not Invoice.objects.filter(number="G-1").exists()
    assert "also in row 2" in report.problems[4].message

    report = run(ledger.finance, rows, "invoices", fmt, encoding, skip_bad_rows=True)
    assert report.imported == 1 and Invoice.objects.filter(number__startswith="G-").count() == 1
    assert ledger_problems() == []


@pytest.mark.django_db
def test_receipts_settle_their_invoice_first_then_fifo(ledger):
    run(ledger.finance, invoice_rows() + [["F-4", "E001", "2026-01-02", "2026-01-10", "300", ""]], "invoices")
    rows = [REC_EN,
            ["R-1", "E001", "2026-01-25", "600", "转账", "20260125001", "F-2"],   # F-2 (500), then F-4 (due first)
            ["R-2", "E001", "2026-01-26", "2000", "Bank acceptance", "", ""],    # FIFO; 670 left unapplied
            ["R-3", "N001", "2026-01-27", "1000.5", "cheque", "12345678", ""],
            ["R-4", "N001", "2026-01-28", "1000", "期票", "", "F-3"]]
    report = run(ledger.finance, rows, "receipts", "csv", "gbk")
    assert report.problems == [] and report.imported == 4
    r1 = Receipt.objects.get(number="R-1")
    assert r1.method == "transfer" and r1.reference == "20260125001"
    assert {a.invoice.number: a.amount for a in Allocation.objects.filter(receipt=r1)} == {
        "F-2": Decimal("500.00"), "F-4": Decimal("100.00")}
    r2 = Receipt.objects.get(number="R-2")
    assert r2.method == "draft" and r2.unapplied_amount == Decimal("670.00")
    assert Receipt.objects.get(number="R-4").method == "note"
    east = CustomerBalance.objects.get(customer=ledger.east_customer)
    assert east.receivable == 0 and east.unapplied_credit == Decimal("670.00")
    assert east.paid_total == Decimal("2600.00") and east.last_payment_date == datetime.date(2026, 1, 26)
    north = CustomerBalance.objects.get(customer=ledger.north_customer)
    assert north.receivable == 0 and north.unapplied_credit == 0 and north.paid_total == Decimal("2000.50")
    assert ledger_problems() == []


@pytest.mark.parametrize("fmt,encoding", FILE_TYPES)
@pytest.mark.django_db
def test_bad_receipt_rows(ledger, fmt, encoding):
    run(ledger.finance, invoice_rows(), "invoices")
    LedgerSettings.objects.update_or_create(pk=LedgerSettings.current().pk,
                                            defaults={"closed_through": datetime.date(2026, 1, 10)})
    rows = [REC_ZH,
            ["S-1", "E001", "2026-01-25", "100", "现金", "", ""],          # good
            ["S-2", "E001", "2026-01-25", "100", "支付宝", "", ""],        # unknown method
            ["S-3", "E001", "2026-01-25", "100", "", "", ""],              # no method
            ["S-4", "E001", "2026-01-25", "100", "转账", "", "F-404"],     # unknown invoice
            ["S-5", "E001", "2026-01-25", "100", "转账", "", "F-3"],       # invoice of another customer
            ["S-6", "E001", "2026-01-09", "100", "转账", "", ""],          # closed period
            ["S-7", "X001", "2026-01-25", "-1", "转账", "", ""]]           # negative
    report = run(ledger.finance, rows, "receipts", fmt, encoding)
    assert problems(report) == [(3, "method"), (4, "method"), (5, "invoice_number"), (6, "invoice_number"),
                                (7, "receipt_date"), (8, "amount")]
    assert report.imported == 0 and not Receipt.objects.exists()
    report = run(ledger.finance, rows, "receipts", fmt, encoding, skip_bad_rows=True)
    assert report.imported == 1 and list(Receipt.objects.values_list("number", flat=True)) == ["S-1"]
    assert ledger_problems() == []


@pytest.mark.django_db
def test_only_ledger_posters_may_import(ledger):
    with pytest.raises(PermissionDenied):
        run(ledger.sales_east, invoice_rows(), "invoices")
    assert run(ledger.admin, invoice_rows(), "invoices").imported == 3


@pytest.mark.django_db
def test_missing_required_column_stops_the_file(ledger):
    report = run(ledger.finance, [["发票号码", "客户编码", "金额"], ["F-1", "E001", "100"]], "invoices")
    assert report.fatal and {p.field for p in report.problems} == {"invoice_date", "due_date"}


def test_method_and_amount_spellings():
    assert parse_method("银行承兑汇票") == parse_method("DRAFT") == "draft"
    assert parse_method("Bank transfer") == parse_method("电汇") == "transfer"
    assert parse_method("Promissory note") == "note" and parse_method("支付宝") is None
    assert parse_amount("1,234.5") == Decimal("1234.50") and parse_amount("12万") == Decimal("120000.00")
    for bad in ("1.005", "abc", "1e30", "-1.767e130", "NaN", "Infinity"):
        with pytest.raises(ValueError):
            parse_amount(bad)


@pytest.mark.django_db
def test_command_exit_codes(ledger, tmp_path, capsys):
    good = tmp_path / "invoices.csv"
    good.write_bytes(file_bytes(invoice_rows(), "csv", "gbk"))
    call_command("import_invoices", str(good), "--user", "finance", verbosity=0)
    assert Invoice.objects.count() == 3

    bad = tmp_path / "receipts.xlsx"
    bad.write_bytes(file_bytes([REC_EN, ["R-1", "NOPE", "2026-01-25", "5", "转账", "", ""]]))
    cases = [
        ("import_receipts", [str(bad)]),                                     # a bad row
        ("import_receipts", [str(tmp_path / "missing.xlsx")]),               # no such file
        ("import_receipts", [str(tmp_path / "receipts.pdf")]),               # unsupported type
        ("import_invoices", [str(good), "--user", "sales_east"]),            # no permission
        ("import_invoices", [str(good), "--user", "nobody"]),                # no such user
        ("import_invoices", [str(good)]),                                    # every number used already
    ]
    for command, args in cases:
        with pytest.raises(CommandError) as caught:
            call_command(command, *args, verbosity=0)
        assert caught.value.returncode == 2, (command, args)
    assert not Receipt.objects.exists() and Invoice.objects.count() == 3


@pytest.mark.django_db
def test_dry_run_checks_and_posts_nothing(ledger, tmp_path):
    path = tmp_path / "invoices.xlsx"
    path.write_bytes(file_bytes(invoice_rows(INV_EN)))
    call_command("import_invoices", str(path), "--dry-run", verbosity=0)
    assert not Invoice.objects.exists()
    report = run(ledger.finance, invoice_rows(), "invoices", dry_run=True)
    assert report.rows_ok == 3 and report.imported == 0 and not report.blocked


@pytest.mark.django_db
def test_reasons_come_in_the_users_language(ledger):
    rows = [INV_ZH, ["H-1", "NOPE", "2026-01-05", "", "0", ""]]
    with translation.override("zh-hans"):
        report = import_file(ledger.finance, io.BytesIO(file_bytes(rows)), "f.xlsx", "invoices")
    english = run(ledger.finance, rows, "invoices")
    assert [p.field for p in report.problems] == [p.field for p in english.problems] == ["customer_code", "amount"]
    for zh, en in zip(report.problems, english.problems, strict=True):
        assert zh.message != en.message and any("\u4e00" <= ch <= "\u9fff" for ch in zh.message)
