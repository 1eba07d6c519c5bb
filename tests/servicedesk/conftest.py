import datetime
from decimal import Decimal

import pytest

from credo.sales.models import Product
from credo.servicedesk import services

MONDAY = "2026-06-15T09:00"


@pytest.fixture
def desk(world, clock):
    """The world on Monday 2026-06-15 09:00 (business hours) with two products and a contract of E001 that
    covers the printer until the end of the year."""
    clock.set(MONDAY)
    world.printer = Product.objects.create(code="P-X200", name="X200 打印机", list_price=Decimal("3000.00"),
                                           cost=Decimal("2000.00"))
    world.scanner = Product.objects.create(code="S-100", name="S100 扫描仪", list_price=Decimal("1500.00"),
                                           cost=Decimal("900.00"))
    world.contract = services.save_contract(
        world.service, world.east_customer, number="SC-2026-001", terms="上门维修，4小时响应",
        starts_on=datetime.date(2026, 1, 1), expires_on=datetime.date(2026, 12, 31), product_ids=[world.printer.pk])
    world.clock = clock
    return world


def open_ticket(w, user=None, customer=None, **extra):
    values = {"subject": "打印机无法开机", "description": "X200 打印机通电后无法开机，指示灯不亮。",
              "type": "maintenance", "severity": "major", "product": w.printer.pk, **extra}
    return services.intake(user or w.service, customer or w.east_customer, **values)
