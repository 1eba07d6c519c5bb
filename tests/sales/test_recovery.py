import datetime
from decimal import Decimal

import pytest

from credo.core.clock import business_today
from credo.core.errors import PermissionDenied, ValidationError
from credo.sales import services
from credo.sales.models import CustomerBalance, Invoice, Receipt
from credo.sales.queries import balance_drift, document_drift


def days_ago(n):
    return business_today() - datetime.timedelta(days=n)


@pytest.fixture
def written_off(world):
    customer = world.east_customer
    invoice = services.post_invoice(world.finance, customer, number="WO-1", invoice_date=days_ago(200),
                                    due_date=days_ago(170), amount="1000")
    request = services.request_write_off(world.finance, invoice, amount="1000", reason="客户已注销")
    return services.decide_write_off(world.credit, request, approve=True, posting_date=days_ago(30))


def test_recovery_reinstates_and_pays_the_written_off_debt(world, written_off):
    before = CustomerBalance.objects.get(customer=world.east_customer)
    recovery = services.post_recovery(world.finance, written_off, number="RC-1", receipt_date=days_ago(1),
                                      amount="300", method="transfer", note="破产清算分配")
    balance = CustomerBalance.objects.get(customer=world.east_customer)
    assert balance.receivable == before.receivable == Decimal("0.00")
    assert balance.paid_total == before.paid_total + Decimal("300.00") and balance.last_payment_date == days_ago(1)
    assert Invoice.objects.get(number="WO-1").open_amount == 0
    assert Receipt.objects.get(number="RC-1").unapplied_amount == 0 and recovery.amount == Decimal("300.00")
    assert document_drift() == [] and balance_drift() == []


def test_recovery_limits(world, written_off):
    services.post_recovery(world.finance, written_off, number="RC-1", receipt_date=days_ago(1), amount="900",
                           method="transfer")
    with pytest.raises(ValidationError) as exc:
        services.post_recovery(world.finance, written_off, number="RC-2", receipt_date=days_ago(1), amount="100.01",
                               method="transfer")
    assert "amount" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.post_recovery(world.finance, written_off, number="RC-3", receipt_date=days_ago(40), amount="1",
                               method="cash")
    assert "receipt_date" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.post_recovery(world.credit, written_off, number="RC-4", receipt_date=days_ago(1), amount="1",
                               method="cash")
    assert not Receipt.objects.filter(number__in=["RC-2", "RC-3", "RC-4"]).exists()


def test_only_posted_write_offs_are_recovered(world):
    invoice = services.post_invoice(world.finance, world.east_customer, number="WO-2", invoice_date=days_ago(200),
                                    due_date=days_ago(170), amount="50")
    pending = services.request_write_off(world.finance, invoice, amount="50", reason="x")
    with pytest.raises(ValidationError) as exc:
        services.post_recovery(world.finance, pending, number="RC-9", receipt_date=days_ago(0), amount="10",
                               method="cash")
    assert "write_off" in exc.value.message_dict
