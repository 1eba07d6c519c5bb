import csv
import datetime
import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from python_calamine import CalamineWorkbook

from credo.core.models import AuditEntry, CustomerEvent
from credo.customers import exporting
from credo.customers.import_columns import CONTACT_COLUMNS, CUSTOMER_COLUMNS
from credo.customers.importing import import_file
from credo.customers.models import Contact, Customer
from tests.factories import valid_credit_code

ZH = ["客户编码", "客户名称", "统一社会信用代码", "成立日期", "客户类型", "区域", "注册资本"]
EN = [
    "Code",
    "Name",
    "Unified social credit code",
    "Founding date",
    "Kind",
    "Territory",
    "Registered capital",
]
GOOD = ["I001", "杭州新华电子有限公司", valid_credit_code(9001), "2015-03-18", "经销商", "SH", "500万"]
BAD = ["I002", "宁波海天塑料有限公司", "911100006000373410", "2015-02-30", "批发", "", ""]
GOOD2 = ["I003", "Wuxi Lake Trading Co., Ltd.", "", "2016/6/1", "retail", "上海", "1,200,000.50"]


def xlsx_bytes(rows, leading_blank_rows=0) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for _i in range(leading_blank_rows):
        sheet.append([])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def upload(rows, fmt="xlsx", encoding="utf-8", name=None):
    data = xlsx_bytes(rows) if fmt == "xlsx" else csv_bytes(rows, encoding)
    return io.BytesIO(data), name or f"customers.{fmt}"


def run(user, rows, kind="customers", fmt="xlsx", encoding="utf-8", **options):
    handle, name = upload(rows, fmt, encoding)
    with translation.override(options.pop("language", "en")):
        return import_file(user, handle, name, kind, **options)


def problems(report):
    return [(p.row, p.field) for p in report.problems]


FILE_TYPES = [("xlsx", "utf-8"), ("csv", "utf-8"), ("csv", "utf-8-sig"), ("csv", "gbk")]


@pytest.mark.parametrize("fmt, encoding", FILE_TYPES)
def test_bad_rows_are_reported_and_nothing_is_imported(world, fmt, encoding):
    report = run(world.admin, [ZH, GOOD, BAD, GOOD2], fmt=fmt, encoding=encoding)
    assert report.rows_read == 3 and report.rows_ok == 2 and report.bad_rows == 1
    assert problems(report) == [(3, "credit_code"), (3, "founded_on"), (3, "kind")]
    assert report.problems[0].column == "统一社会信用代码"
    assert "check digit" in report.problems[0].message
    assert report.blocked and report.imported == 0
    assert not Customer.objects.filter(code__startswith="I").exists()


@pytest.mark.parametrize("fmt, encoding", FILE_TYPES)
def test_skip_bad_rows_imports_the_good_ones(world, fmt, encoding):
    report = run(world.admin, [EN, GOOD, BAD, GOOD2], fmt=fmt, encoding=encoding, skip_bad_rows=True)
    assert report.imported == 2 and not report.blocked
    first = Customer.objects.get(code="I001")
    assert (
        first.name == "杭州新华电子有限公司" and first.kind == "dealer" and first.territory == world.territory
    )
    assert first.registered_capital == Decimal("5000000") and first.founded_on == datetime.date(2015, 3, 18)
    second = Customer.objects.get(code="I003")
    assert second.kind == "retail" and second.territory == world.territory
    assert second.registered_capital == Decimal("1200000.50") and second.founded_on == datetime.date(
        2016, 6, 1
    )
    assert not Customer.objects.filter(code="I002").exists()


def test_reasons_come_in_the_users_language(world):
    report = run(world.admin, [ZH, BAD], language="zh-hans")
    messages = {p.field: p.message for p in report.problems}
    assert messages["credit_code"] == "校验码（最后一位）不正确，请核对营业执照上的代码。"
    assert "日期" in messages["founded_on"]


def test_row_numbers_count_blank_rows_as_the_spreadsheet_shows_them(world):
    data = xlsx_bytes([ZH, GOOD, [], BAD], leading_blank_rows=2)
    report = import_file(world.admin, io.BytesIO(data), "c.xlsx", "customers")
    assert {p.row for p in report.problems} == {6}


def test_headers_in_any_case_spacing_and_with_required_marker(world):
    header = ["  CODE ", "name*", "credit_code", "客户类型", "Account Manager", "tags"]
    report = run(
        world.manager_east,
        [header, ["H1", "常州新城机械有限公司", "", "business customer", "sales_east", "重点, 华东"]],
    )
    assert report.imported == 1, report.problems
    customer = Customer.objects.get(code="H1")
    assert customer.account_manager == world.sales_east and customer.kind == "business"
    assert sorted(t.name for t in customer.tags.all()) == ["华东", "重点"]


def test_unknown_columns_are_reported_and_ignored(world):
    report = run(world.admin, [["code", "name", "colour"], ["U1", "绍兴越城纺织有限公司", "red"]])
    assert report.unknown_columns == ["colour"] and report.imported == 1


def test_missing_required_column_stops_the_file(world):
    report = run(world.admin, [["code", "phone"], ["U1", "0571-88888888"]], skip_bad_rows=True)
    assert report.fatal and report.imported == 0
    assert problems(report) == [(1, "name")]
    assert "客户名称" in report.problems[0].message


@pytest.mark.parametrize(
    "name, content",
    [("c.xlsx", b"not a workbook"), ("c.csv", b"\xff\xfe\x00\x00\xff" * 3), ("c.csv", b"   ")],
)
def test_unreadable_files_give_a_clear_message(world, name, content):
    report = import_file(world.admin, io.BytesIO(content), name, "customers")
    assert report.fatal and report.problems and report.problems[0].message


def test_other_encodings_and_misnamed_workbooks_are_read(world):
    rows = [["code", "name"], ["W1", "温州鹿城鞋业有限公司"]]
    text = "\t".join(rows[0]) + "\r\n" + "\t".join(rows[1]) + "\r\n"
    report = import_file(
        world.admin, io.BytesIO(text.encode("utf-16")), "unicode.txt", "customers", dry_run=True
    )
    assert report.rows_ok == 1 and not report.problems
    report = import_file(
        world.admin, io.BytesIO(xlsx_bytes(rows)), "really-a-workbook.csv", "customers", dry_run=True
    )
    assert report.rows_ok == 1 and not report.problems


def test_duplicates_within_the_file(world):
    rows = [
        ["code", "name", "credit_code"],
        ["D1", "温州瓯海眼镜有限公司", valid_credit_code(77)],
        ["D1", "台州黄岩模具有限公司", ""],
        ["D3", "金华义乌小商品有限公司", valid_credit_code(77)],
        ["D4", "温州瓯海眼镜有限责任公司", ""],
    ]
    report = run(world.admin, rows)
    assert problems(report) == [(3, "code"), (4, "credit_code"), (5, "name")]
    assert "row 2" in report.problems[0].message and report.problems[2].duplicate
    report = run(world.admin, rows, allow_duplicates=True, skip_bad_rows=True)
    assert problems(report) == [(3, "code"), (4, "credit_code")] and report.imported == 2
    assert set(Customer.objects.filter(code__in=["D1", "D4"]).values_list("code", flat=True)) == {"D1", "D4"}


def test_duplicates_against_the_database(world):
    rows = [
        ["code", "name", "phone"],
        ["E001", "嘉兴南湖电器有限公司", ""],  # code of an existing customer
        ["X2", "上海东方贸易有限责任公司", ""],  # same normalised name as E001
        ["X3", "湖州吴兴丝绸有限公司", ""],
    ]
    report = run(world.admin, rows)
    assert problems(report) == [(2, "code"), (3, "name")]
    assert report.problems[1].duplicate and "E001" in report.problems[1].message
    assert report.imported == 0
    report = run(world.admin, rows, allow_duplicates=True)
    assert problems(report) == [(2, "code")] and report.imported == 0
    report = run(world.admin, rows, allow_duplicates=True, skip_bad_rows=True)
    assert (
        report.imported == 2 and Customer.objects.filter(name_key=world.east_customer.name_key).count() == 2
    )


def test_territory_and_account_manager_checks(world):
    rows = [
        ["code", "name", "territory", "account_manager"],
        ["T1", "杭州西湖茶叶有限公司", "nowhere", ""],
        ["T2", "杭州拱墅物流有限公司", "", "sales_north"],
        ["T3", "杭州滨江软件有限公司", "", "nobody"],
        ["T4", "杭州萧山化纤有限公司", "上海", "sales_east2"],
    ]
    report = run(world.manager_east, rows)
    assert problems(report) == [(2, "territory"), (3, "account_manager"), (4, "account_manager")]
    assert "may not" in report.problems[1].message and "nobody" in report.problems[2].message
    report = run(world.manager_east, rows, skip_bad_rows=True)
    assert report.imported == 1
    assert Customer.objects.get(code="T4").account_manager == world.sales_east2


def test_choice_columns_take_codes_and_labels_in_both_languages(world):
    rows = [
        ["code", "name", "kind", "importance"],
        ["K1", "甲公司", "dealer", "重点"],
        ["K2", "乙公司", "Internal customer", "Scattered"],
        ["K3", "丙公司", "经销商/代理商", ""],
        ["K4", "丁公司", "", "general"],
    ]
    report = run(world.admin, rows)
    assert not report.problems, report.problems
    kinds = dict(Customer.objects.filter(code__startswith="K").values_list("code", "kind"))
    assert kinds["K1"] == "dealer" and kinds["K2"] == "internal" and kinds["K4"] == "business"
    assert Customer.objects.get(code="K1").importance == "key"


def test_import_writes_audit_and_timeline_as_the_importing_user(world):
    report = run(world.manager_east, [["code", "name"], ["A1", "舟山定海水产有限公司"]])
    assert report.imported == 1
    customer = Customer.objects.get(code="A1")
    assert customer.account_manager == world.manager_east
    entry = AuditEntry.objects.get(object_type="customers.customer", object_id=str(customer.pk))
    assert entry.username == "manager_east" and "customers.xlsx" in entry.reason
    assert CustomerEvent.objects.filter(customer_id=customer.pk, kind="customer.imported").exists()
    summary = AuditEntry.objects.get(action="import")
    assert summary.after["imported"] == 1 and summary.username == "manager_east"


def test_only_importers_may_import(world):
    with pytest.raises(PermissionDenied):
        run(world.sales_east, [["code", "name"], ["P1", "无权限公司"]])
    assert not Customer.objects.filter(code="P1").exists()


def test_dry_run_checks_and_imports_nothing(world):
    report = run(world.admin, [["code", "name"], ["R1", "只检查公司"]], dry_run=True)
    assert report.rows_ok == 1 and report.imported == 0 and not Customer.objects.filter(code="R1").exists()


# --- contacts ------------------------------------------------------------------------------------

CONTACT_HEADER = ["客户编码", "姓名", "职务", "手机", "采购决策角色", "主要联系人", "生日", "仍在职"]


@pytest.mark.parametrize("fmt, encoding", FILE_TYPES)
def test_contacts_import(world, fmt, encoding):
    rows = [
        CONTACT_HEADER,
        ["E001", "王芳", "采购经理", 13800138000, "决策者", "是", "1985-09-12", ""],
        ["E001", "李强", "", "", "payer", "否", "", "no"],
        ["N001", "赵六", "", "", "", "", "", ""],  # another team's customer: not in scope
        ["E002", "孙七", "", "", "boss", "maybe", "2999-01-01", ""],
    ]
    report = run(world.manager_east, rows, kind="contacts", fmt=fmt, encoding=encoding)
    assert problems(report) == [
        (4, "customer_code"),
        (5, "decision_role"),
        (5, "is_primary"),
        (5, "birthday"),
    ]
    assert report.imported == 0 and not Contact.objects.exists()
    report = run(world.manager_east, rows, kind="contacts", fmt=fmt, encoding=encoding, skip_bad_rows=True)
    assert report.imported == 2
    wang = Contact.objects.get(name="王芳")
    assert wang.customer == world.east_customer and wang.mobile == "13800138000"
    assert wang.decision_role == "decider" and wang.is_primary and wang.is_active
    assert wang.birthday == datetime.date(1985, 9, 12)
    li = Contact.objects.get(name="李强")
    assert li.decision_role == "payer" and not li.is_primary and not li.is_active
    assert CustomerEvent.objects.filter(customer_id=world.east_customer.pk, kind="contact.added").count() == 2


def test_contact_duplicates(world):
    rows = [["customer_code", "name"], ["E001", "王芳"], ["E001", "王芳"]]
    report = run(world.admin, rows, kind="contacts")
    assert problems(report) == [(3, "name")]
    run(world.admin, rows[:2], kind="contacts")
    report = run(world.admin, rows[:2], kind="contacts")
    assert problems(report) == [(2, "name")] and "already has" in report.problems[0].message
    assert run(world.admin, rows[:2], kind="contacts", allow_duplicates=True).imported == 1


# --- templates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, columns", [("customers", CUSTOMER_COLUMNS), ("contacts", CONTACT_COLUMNS)])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_templates_are_recognised_by_the_importer(world, kind, columns, language):
    xlsx = exporting.template_xlsx(kind, language)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(xlsx)).get_sheet_by_index(0).to_python()
    assert len(sheet[0]) == len(columns)
    for data, name in ((xlsx, "t.xlsx"), (exporting.template_csv(kind, language), "t.csv")):
        report = import_file(world.admin, io.BytesIO(data), name, kind)
        assert report.unknown_columns == [] and report.fatal
        assert "no data rows" in report.problems[0].message or "没有数据" in report.problems[0].message


# --- page ----------------------------------------------------------------------------------------


def test_import_page_for_a_manager(client, world):
    client.force_login(world.manager_east)
    html = client.get("/customers/import/").content.decode()
    assert (
        "客户编码" in html and "import-form" in html and "/customers/import/template/customers.xlsx" in html
    )
    data = csv_bytes([EN, GOOD, BAD], "gbk")
    response = client.post(
        "/customers/import/", {"kind": "customers", "file": SimpleUploadedFile("c.csv", data)}
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="blocked"' in html
    assert (
        'data-row="3" data-field="credit_code"' in html and not Customer.objects.filter(code="I001").exists()
    )
    response = client.post(
        "/customers/import/",
        {"kind": "customers", "skip_bad_rows": "1", "file": SimpleUploadedFile("c.csv", data)},
    )
    assert Customer.objects.get(code="I001").account_manager == world.manager_east
    assert 'data-testid="imported-count">1<' in response.content.decode()


def test_import_page_rejects_bad_uploads(client, world):
    client.force_login(world.admin)
    response = client.post(
        "/customers/import/", {"kind": "customers", "file": SimpleUploadedFile("c.pdf", b"%PDF")}
    )
    assert 'data-testid="import-error"' in response.content.decode()
    response = client.post("/customers/import/", {"kind": "customers"})
    assert 'data-testid="import-error"' in response.content.decode()


def test_import_page_and_templates_refused_to_a_salesperson(client, world):
    client.force_login(world.sales_east)
    assert client.get("/customers/import/").status_code == 403
    response = client.post(
        "/customers/import/",
        {"kind": "customers", "file": SimpleUploadedFile("c.csv", csv_bytes([EN, GOOD]))},
    )
    assert response.status_code == 403 and not Customer.objects.filter(code="I001").exists()
    assert client.get("/customers/import/template/customers.xlsx").status_code == 403


def test_template_downloads(client, world):
    client.force_login(world.admin)
    response = client.get("/customers/import/template/contacts.csv")
    assert response.status_code == 200 and response.content.startswith("\ufeff客户编码*".encode())
    response = client.get("/customers/import/template/customers.xlsx")
    assert response["Content-Type"] == exporting.XLSX_TYPE
    assert client.get("/customers/import/template/orders.xlsx").status_code == 404


# --- command line --------------------------------------------------------------------------------


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "customers.xlsx"
    path.write_bytes(xlsx_bytes([ZH, GOOD, BAD]))
    return path


def test_cli_exits_2_and_imports_nothing_when_rows_are_bad(world, bad_file):
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "import_customers", str(bad_file), "--user", "admin", "--language", "en", stdout=out, verbosity=0
        )
    assert caught.value.returncode == 2 and "nothing was imported" in str(caught.value)
    assert (
        "check digit" in out.getvalue()
        and "统一社会信用代码" in out.getvalue()
        and not Customer.objects.filter(code="I001").exists()
    )
    call_command("import_customers", str(bad_file), "--skip-bad-rows", stdout=out, verbosity=0)
    assert Customer.objects.get(code="I001").account_manager == world.admin  # the first administrator


@pytest.mark.parametrize(
    "args, text",
    [
        (["nowhere.xlsx"], "no such file"),
        (["customers.pdf"], "unsupported"),
        (["{bad}", "--user", "ghost"], "ghost"),
        (["{bad}", "--user", "sales_east"], "sales_east"),
    ],
)
def test_cli_bad_input_exits_2(world, bad_file, args, text):
    args = [str(bad_file) if a == "{bad}" else a for a in args]
    with pytest.raises(CommandError) as caught:
        call_command("import_contacts", *args, stdout=io.StringIO(), verbosity=0)
    assert caught.value.returncode == 2 and text in str(caught.value)


def test_cli_contacts(world, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_bytes(csv_bytes([["customer code", "name"], ["E001", "周八"]], "gbk"))
    out = io.StringIO()
    call_command("import_contacts", str(path), "--user", "manager_east", stdout=out)
    assert Contact.objects.get(name="周八").customer == world.east_customer and "1 imported" in out.getvalue()


@pytest.mark.clock_independent("child processes refusing a missing file, printing help")
def test_credo_entry_point_exit_status(tmp_path):
    credo = Path(sys.executable).with_name("credo")
    result = subprocess.run(
        [str(credo), "import", "customers", str(tmp_path / "missing.xlsx")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "no such file" in result.stderr
    result = subprocess.run(
        [str(credo), "import", "contacts", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "--skip-bad-rows" in result.stdout


def test_batch_failing_after_validation_is_redone_row_by_row(world, monkeypatch):
    """A code taken between validation and insert (another user's import) is reported on its row."""
    from credo.customers import import_rows, importing, services
    from credo.customers.models import Customer

    real_prepare = import_rows.CustomerRows.prepare

    def prepare_then_race(self, raws):
        real_prepare(self, raws)
        services.create_customer(world.admin, {"code": "RACE2", "name": "抢先录入有限公司"}, allow_duplicate=True)

    monkeypatch.setattr(import_rows.CustomerRows, "prepare", prepare_then_race)
    content = "code,name\nRACE1,甲公司\nRACE2,乙公司\nRACE3,丙公司\n".encode()
    report = importing.import_file(world.admin, io.BytesIO(content), "race.csv", "customers", skip_bad_rows=True)
    assert report.imported == 2
    assert [(p.row, p.field) for p in report.problems] == [(3, "code")]
    assert set(Customer.objects.filter(code__startswith="RACE").values_list("code", flat=True)) == {
        "RACE1", "RACE2", "RACE3"}
