import datetime

import pytest

from credo.complaints import services as complaint_services
from credo.sales import services as ledger

DAY = datetime.date(2026, 6, 1)
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def today(clock):
    clock.set(TODAY)
    return clock


def invoice(world, number, amount, customer=None, day=DAY):
    return ledger.post_invoice(world.finance, customer or world.east_customer, number=number, invoice_date=day,
                               amount=amount)


def complaint(world, customer=None, category="quality"):
    return complaint_services.intake(world.service, customer=customer or world.east_customer, channel="phone",
                                     category=category, severity="major", contact_name="王经理",
                                     contact_phone="13800000000", description="阀门漏水")


@pytest.fixture
def case(world, today):
    """A quality complaint of east_customer and two of its open invoices (¥1,000 and ¥3,000)."""
    return {"complaint": complaint(world), "inv1": invoice(world, "INV1", "1000.00"),
            "inv2": invoice(world, "INV2", "3000.00")}
