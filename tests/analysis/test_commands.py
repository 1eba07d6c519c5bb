import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from credo.analysis.models import DealerStock

from .conftest import PERIOD

pytestmark = pytest.mark.django_db
ARGS = ["--from", PERIOD["date_from"], "--to", PERIOD["date_to"]]


def test_report_json_all_and_scoped(ledger, capsys):
    call_command("analysis", "products", *ARGS)
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["sales"] == "2500.00"
    call_command("analysis", "products", *ARGS, "--user", "sales_north")
    assert json.loads(capsys.readouterr().out)["totals"]["sales"] == "500.00"


def test_report_xlsx(ledger, tmp_path):
    path = tmp_path / "m.xlsx"
    call_command("analysis", "margin", *ARGS, "--by", "customer", "--format", "xlsx", "--output", str(path))
    sheet = openpyxl.load_workbook(path).active
    assert sheet.cell(3, 1).value == "E001"


@pytest.mark.parametrize(("args", "option"), [
    (["nope"], "REPORT"), (["products", "--from", "2026-02-30"], "--from"), (["products", "--format", "csv"],
                                                                             "--format"),
    (["products", "--user", "ghost"], "--user"), (["transactions", "--expected", "x"], "--expected"),
])
def test_bad_options_exit_2(ledger, args, option):
    with pytest.raises(CommandError) as exc:
        call_command("analysis", *args)
    assert exc.value.returncode == 2
    assert option in str(exc.value)


def test_import_command(ledger, tmp_path, capsys):
    path = tmp_path / "s.csv"
    path.write_text("客户编号,商品编号,月份,库存金额\nE001,P1,2026-04,10\n", encoding="utf-8")
    call_command("import_dealer_stock", str(path), "--user", "sales_east")
    assert DealerStock.objects.filter(month="2026-04-01").count() == 1
    path.write_text("客户编号,商品编号,月份,库存金额\nN001,P1,2026-04,10\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import_dealer_stock", str(path), "--user", "sales_east")
    assert exc.value.returncode == 1
    with pytest.raises(CommandError) as exc:
        call_command("import_dealer_stock", str(path))
    assert exc.value.returncode == 2
