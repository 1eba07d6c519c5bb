import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from python_calamine import CalamineWorkbook

from credo.customers import services
from credo.customers.importing import import_file
from credo.customers.models import Customer
from tests.factories import CustomerFactory, valid_credit_code


def csv_rows(content: bytes):
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content: bytes):
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def get(client, user, query=""):
    client.force_login(user)
    response = client.get(f"/customers/export/{query}")
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def codes(rows):
    return sorted(row[0] for row in rows[1:])


def test_salesperson_exports_only_own_customers(client, world):
    assert codes(csv_rows(get(client, world.sales_east, "?format=csv"))) == ["E001"]
    assert codes(xlsx_rows(get(client, world.sales_east, "?format=xlsx"))) == ["E001"]
    assert codes(csv_rows(get(client, world.manager_east, "?format=csv"))) == ["E001", "E002"]
    assert codes(csv_rows(get(client, world.executive, "?format=csv"))) == ["E001", "E002", "N001"]


def test_export_follows_the_list_filters(client, world):
    CustomerFactory(code="E003", name="杭州经销商贸有限公司", kind="dealer", account_manager=world.sales_east)
    assert codes(csv_rows(get(client, world.manager_east, "?format=csv&kind=dealer"))) == ["E003"]
    assert codes(csv_rows(get(client, world.manager_east, "?format=csv&q=苏州"))) == ["E002"]
    assert codes(
        csv_rows(get(client, world.manager_east, f"?format=csv&territory={world.territory.pk}"))
    ) == ["E001"]
    assert codes(xlsx_rows(get(client, world.executive, f"?manager={world.sales_north.pk}"))) == ["N001"]


def test_export_headers_and_labels_follow_the_language(client, world):
    rows = csv_rows(get(client, world.admin, "?format=csv&q=E001"))
    assert rows[0][:2] == ["客户编码", "客户名称"]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["客户类型"] == "企业客户" and row["区域"] == "SH" and row["客户经理"] == "sales_east"
    client.cookies["django_language"] = "en"
    rows = csv_rows(get(client, world.admin, "?format=csv&q=E001"))
    assert (
        rows[0][:2] == ["Code", "Name"]
        and dict(zip(rows[0], rows[1], strict=True))["Kind"] == "Business customer"
    )


def test_export_needs_login(client, world):
    response = client.get("/customers/export/?format=csv")
    assert response.status_code == 302 and "/login/" in response.url


def _rich_customer(world):
    customer = services.create_customer(
        world.admin,
        {
            "code": "R001",
            "name": "宁波北仑港口物流有限公司",
            "short_name": "北仑物流",
            "credit_code": valid_credit_code(4242),
            "registered_capital": Decimal("12345678.90"),
            "founded_on": datetime.date(2012, 8, 8),
            "kind": "dealer",
            "importance": "key",
            "importance_reason": "年采购额大",
            "territory": world.territory,
            "route": "东线",
            "route_sequence": 4,
            "phone": "0574-86868686",
            "email": "info@bl.example.cn",
            "website": "https://bl.example.cn",
            "latitude": Decimal("29.868336"),
            "longitude": Decimal("121.543990"),
            "goals": "扩大仓储",
            "notes": "=SUM(A1)",
        },
        manager=world.sales_east,
        tags=["港口", "重点跟进"],
    )
    return customer


FIELDS = [
    "code",
    "name",
    "short_name",
    "credit_code",
    "registered_capital",
    "founded_on",
    "kind",
    "importance",
    "importance_reason",
    "territory_id",
    "route",
    "route_sequence",
    "phone",
    "email",
    "website",
    "latitude",
    "longitude",
    "goals",
    "notes",
    "account_manager_id",
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_export_then_import_round_trip(client, world, fmt, language):
    _rich_customer(world)
    client.cookies["django_language"] = language
    content = get(client, world.admin, f"?format={fmt}")
    before = {
        c.code: ([getattr(c, f) for f in FIELDS], sorted(t.name for t in c.tags.all()))
        for c in Customer.objects.all()
    }
    Customer.objects.all().delete()
    with translation.override(language):
        report = import_file(world.admin, io.BytesIO(content), f"export.{fmt}", "customers")
    assert not report.problems and not report.unknown_columns, report.problems
    after = {
        c.code: ([getattr(c, f) for f in FIELDS], sorted(t.name for t in c.tags.all()))
        for c in Customer.objects.all()
    }
    assert after == before


def test_cli_export(world, tmp_path):
    path = tmp_path / "mine.xlsx"
    call_command("export_customers", str(path), "--user", "sales_east", stdout=io.StringIO(), verbosity=0)
    assert codes(xlsx_rows(path.read_bytes())) == ["E001"]
    path = tmp_path / "team.csv"
    out = io.StringIO()
    call_command(
        "export_customers",
        str(path),
        "--user",
        "executive",
        "--q",
        "贸易",
        "--kind",
        "企业客户",
        "--active",
        "all",
        stdout=out,
    )
    assert codes(csv_rows(path.read_bytes())) == ["E001"] and "Wrote 1 customers" in out.getvalue()
    call_command(
        "export_customers",
        str(path),
        "--user",
        "admin",
        "--territory",
        "上海",
        "--language",
        "en",
        stdout=io.StringIO(),
    )
    rows = csv_rows(path.read_bytes())
    assert rows[0][0] == "Code" and codes(rows) == ["E001"]


@pytest.mark.parametrize(
    "args, text",
    [
        (["out.pdf"], ".xlsx or .csv"),
        (["missing/out.csv"], "no such folder"),
        (["out.csv", "--user", "ghost"], "ghost"),
        (["out.csv", "--kind", "whale"], "whale"),
        (["out.csv", "--territory", "nowhere"], "nowhere"),
        (["out.csv", "--manager", "nobody"], "nobody"),
    ],
)
def test_cli_export_bad_input_exits_2(world, tmp_path, args, text):
    args = [str(tmp_path / args[0]), *args[1:]]
    with pytest.raises(CommandError) as caught:
        call_command("export_customers", *args, stdout=io.StringIO(), verbosity=0)
    assert caught.value.returncode == 2 and text in str(caught.value)


def test_cli_default_user_is_the_first_administrator(world, tmp_path):
    path = tmp_path / "all.csv"
    call_command("export_customers", str(path), stdout=io.StringIO(), verbosity=0)
    assert codes(csv_rows(path.read_bytes())) == ["E001", "E002", "N001"]
