import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from .conftest import AS_OF

AS_OF_Q = {"as_of": AS_OF.isoformat()}


@pytest.mark.parametrize("who", ["finance", "sales_east", "manager_east", "executive", "credit"])
def test_aging_page_renders(ledger, client, who):
    client.force_login(getattr(ledger, who))
    response = client.get("/receivables/aging/", AS_OF_Q)
    assert response.status_code == 200
    html = response.content.decode()
    assert "aging-chart" in html and "echarts.min.js" in html
    assert f"/customers/{ledger.east_customer.pk}/" in html
    assert "¥950.00" in html


def test_salesperson_sees_own_customers_only(ledger, client):
    client.force_login(ledger.sales_east)
    html = client.get("/receivables/aging/", AS_OF_Q).content.decode()
    assert ledger.east_customer.name in html
    assert ledger.north_customer.name not in html and ledger.east2_customer.name not in html
    assert "¥2,750.00" not in html


def test_finance_sees_company_totals(ledger, client):
    client.force_login(ledger.finance)
    html = client.get("/receivables/aging/", AS_OF_Q).content.decode()
    assert "¥2,750.00" in html and ledger.north_customer.name in html


@pytest.mark.parametrize("group", ["manager", "territory"])
def test_group_views(ledger, client, group):
    client.force_login(ledger.finance)
    response = client.get("/receivables/aging/", {**AS_OF_Q, "group": group})
    assert response.status_code == 200 and "¥2,750.00" in response.content.decode()


def test_overdue_and_figures_pages(ledger, client):
    client.force_login(ledger.sales_east)
    response = client.get("/receivables/overdue/", AS_OF_Q)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<td>I4</td>" in html and "<td>I5</td>" not in html  # not a bare "I5": the CSRF token is random text
    client.force_login(ledger.finance)
    assert client.get("/receivables/figures/", AS_OF_Q).status_code == 200


def test_service_agent_may_not_view(ledger, client):
    client.force_login(ledger.service)
    assert client.get("/receivables/aging/").status_code == 403
    assert client.get("/api/receivables/aging").status_code == 403


def test_bad_date_is_400(ledger, client):
    client.force_login(ledger.finance)
    assert client.get("/receivables/aging/", {"as_of": "2026-02-30"}).status_code == 400


def _sheet_codes(content):
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [r[0] for r in book.active.iter_rows(min_row=3, values_only=True) if r[0] and r[2] is not None]


def test_export_is_scoped(ledger, client):
    client.force_login(ledger.sales_east)
    response = client.get("/receivables/aging/export/", AS_OF_Q)
    assert response.status_code == 200
    assert _sheet_codes(b"".join(response.streaming_content)) == ["E001"]
    client.force_login(ledger.finance)
    response = client.get("/receivables/aging/export/", AS_OF_Q)
    assert _sheet_codes(b"".join(response.streaming_content)) == ["E001", "E002", "N001"]


def test_api_scoped(ledger, client):
    client.force_login(ledger.sales_east)
    data = client.get("/api/receivables/aging", AS_OF_Q).json()
    assert [r["code"] for r in data["rows"]] == ["E001"]
    assert data["totals"]["total"] == "950.00"
    assert data["buckets"] == ["current", "1-30", "31-60", "61-90", "91-180", "180+"]
    client.force_login(ledger.finance)
    data = client.get("/api/receivables/aging", {**AS_OF_Q, "group": "manager"}).json()
    assert data["count"] == 3 and data["totals"]["total"] == "2750.00"
    assert data["policy"]["buckets"]["valid_from"] == "2000-01-01"
    bad = client.get("/api/receivables/aging", {"group": "nope"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "group"]
    assert client.get("/api/receivables/aging", {"as_of": "2026-02-30"}).status_code == 422


def test_api_needs_login(db, client):
    assert client.get("/api/receivables/aging").status_code == 401


def _cli(*args):
    out = io.StringIO()
    call_command("aging", *args, stdout=out)
    return json.loads(out.getvalue())


def test_cli_json_shape(ledger):
    data = _cli("--as-of", AS_OF.isoformat(), "--format", "json")
    assert list(data) == ["as_of", "buckets", "customers", "totals"]
    assert data["as_of"] == "2026-06-30"
    assert data["buckets"] == ["current", "1-30", "31-60", "61-90", "91-180", "180+"]
    assert data["customers"][0] == {"customer_code": "E001", "buckets": {
        "current": "100.00", "1-30": "200.00", "31-60": "250.00", "61-90": "0.00", "91-180": "0.00", "180+": "400.00"},
        "total": "950.00"}
    assert [c["customer_code"] for c in data["customers"]] == ["E001", "E002", "N001"]
    assert data["totals"] == {"current": "800.00", "1-30": "200.00", "31-60": "250.00", "61-90": "500.00",
                              "91-180": "600.00", "180+": "400.00", "total": "2750.00"}


def test_cli_user_scope(ledger):
    data = _cli("--as-of", AS_OF.isoformat(), "--user", "sales_north")
    assert [c["customer_code"] for c in data["customers"]] == ["N001"]
    assert data["totals"]["total"] == "700.00"


def test_cli_xlsx(ledger, tmp_path):
    target = tmp_path / "a.xlsx"
    call_command("aging", "--as-of", AS_OF.isoformat(), "--format", "xlsx", "--output", str(target),
                 stderr=io.StringIO())
    assert _sheet_codes(target.read_bytes()) == ["E001", "E002", "N001"]


@pytest.mark.parametrize("args,option", [
    (["--as-of", "2026-02-30"], "--as-of"), (["--as-of", "30/06/2026"], "--as-of"),
    (["--format", "csv"], "--format"), (["--user", "nobody"], "--user"),
])
def test_cli_bad_input(ledger, args, option):
    with pytest.raises(CommandError) as info:
        call_command("aging", *args, stdout=io.StringIO())
    assert info.value.returncode == 2 and option in str(info.value)


@pytest.mark.clock_independent("a child process refusing its arguments")
def test_cli_exit_status(ledger, tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "credo.settings"}
    done = subprocess.run([sys.executable, "-m", "credo.cli", "aging", "--format", "pdf"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 2 and "--format" in done.stderr


def test_page_in_chinese_by_default(ledger, client):
    client.force_login(ledger.finance)
    html = client.get("/receivables/aging/", AS_OF_Q).content.decode()
    assert "应收账款账龄" in html and "未到期" in html and "180 天以上" in html
