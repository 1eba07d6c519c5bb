import pytest

from credo.complaints import services as complaint_services

MONDAY = "2026-06-15T10:00+08:00"


@pytest.fixture
def monday(clock):
    clock.set(MONDAY, tick=False)
    return clock


def take(world, customer=None, **extra):
    values = {"channel": "phone", "category": "quality", "severity": "major", "contact_name": "王经理",
              "description": "阀门漏水", **extra}
    return complaint_services.intake(world.service, customer=customer or world.east_customer, **values)
