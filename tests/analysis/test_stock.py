import datetime
import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from credo.analysis import services
from credo.analysis.models import DealerStock
from credo.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_record_and_correct_stock(ledger):
    p1 = ledger.products[0]
    row = services.record_stock(ledger.sales_east, ledger.east_customer, p1, datetime.date(2026, 4, 17), "123.456")
    assert (row.month, row.amount) == (datetime.date(2026, 4, 1), D("123.46"))
    services.record_stock(ledger.sales_east, ledger.east_customer, p1, datetime.date(2026, 4, 1), 100, 5)
    assert DealerStock.objects.get(customer=ledger.east_customer, product=p1, month="2026-04-01").amount == D("100")
    assert AuditEntry.objects.filter(action="update", object_type="analysis.dealerstock").count() == 1


def test_record_stock_checks(ledger):
    p1 = ledger.products[0]
    with pytest.raises(PermissionDenied):
        services.record_stock(ledger.sales_north, ledger.east_customer, p1, datetime.date(2026, 4, 1), 1)
    with pytest.raises(ValidationError) as exc:
        services.record_stock(ledger.executive, ledger.north_customer, p1, datetime.date(2026, 4, 1), 1)
    assert "customer" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.record_stock(ledger.executive, ledger.east_customer, p1, datetime.date(2026, 4, 1), -1)
    assert "amount" in exc.value.message_dict


def test_import_csv(ledger):
    data = "客户编号,商品编号,月份,库存金额,数量\nE001,P1,2026-04,\"1,000.50\",10\nE001,P3,2026/05,0,\n".encode()
    assert services.import_stock(ledger.sales_east, io.BytesIO(data), "stock.csv") == 2
    assert DealerStock.objects.get(product__code="P1", month="2026-04-01").amount == D("1000.50")


def test_import_xlsx_all_or_nothing(ledger):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["customer code", "product code", "month", "amount"])
    sheet.append(["E001", "P1", datetime.date(2026, 6, 30), 50])
    sheet.append(["N001", "P1", "2026-06", 50])  # not visible to sales_east
    sheet.append(["E001", "PX", "2026-06", 50])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with pytest.raises(ValidationError) as exc:
        services.import_stock(ledger.sales_east, buffer, "stock.xlsx")
    assert len(exc.value.message_dict["file"]) == 2
    assert not DealerStock.objects.filter(month="2026-06-01").exists()


def test_import_missing_column(ledger):
    with pytest.raises(ValidationError) as exc:
        services.import_stock(ledger.executive, io.BytesIO("客户编号,月份\nE001,2026-04\n".encode()), "s.csv")
    assert len(exc.value.message_dict["file"]) == 2


def test_stock_page_form_and_import(client, ledger):
    client.force_login(ledger.sales_east)
    assert client.get("/analysis/stock/").status_code == 200
    p1 = ledger.products[0]
    response = client.post("/analysis/stock/", {"customer": ledger.east_customer.pk, "product": p1.pk,
                                                "month": "2026-05", "amount": "77.00"})
    assert response.status_code == 302
    assert DealerStock.objects.get(month="2026-05-01").amount == D("77.00")
    upload = SimpleUploadedFile("s.csv", "客户编号,商品编号,月份,库存金额\nE001,P2,2026-05,8\n".encode())
    assert client.post("/analysis/stock/", {"file": upload}).status_code == 302
    bad = SimpleUploadedFile("s.csv", "客户编号,商品编号,月份,库存金额\nE002,P2,2026-05,8\n".encode())
    page = client.post("/analysis/stock/", {"file": bad})
    assert page.status_code == 200
    assert b"E002" in page.content


def test_stock_api(client, ledger):
    client.force_login(ledger.sales_east)
    p1 = ledger.products[0]
    data = client.post("/api/analysis/stock", {"customer": ledger.east_customer.pk, "product": p1.pk,
                                               "month": "2026-07-01", "amount": "12.5"},
                       content_type="application/json").json()
    assert data["amount"] == "12.50"
    assert client.post("/api/analysis/stock", {"customer": ledger.north_customer.pk, "product": p1.pk,
                                               "month": "2026-07-01", "amount": "1"},
                       content_type="application/json").status_code == 404
