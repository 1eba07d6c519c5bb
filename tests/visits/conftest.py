import datetime
from decimal import Decimal

import pytest

from credo.collection.models import CollectionCase
from credo.core.clock import business_today
from credo.sales import services as ledger
from credo.visits import rules

MONTH = datetime.date(2026, 12, 1)


def gm_due(customer, month=MONTH) -> int:
    """1 when the customer's annual GM/VP visit (class A, the executive) falls in the month (its slot)."""
    return int(rules.interval_due(12, month, customer.pk))


@pytest.fixture
def planned_world(world):
    """E001 key (class A), E002 general (C) with a live collection case, N001 general (C) with an invoice due
    2026-12-10."""
    world.east_customer.importance = "key"
    world.east_customer.save(update_fields=["importance"])
    CollectionCase.objects.create(customer=world.east2_customer, number="CC-T1", opened_on=business_today(),
                                  opened_by="test")
    ledger.post_invoice(world.finance, world.north_customer, number="INV-V1", invoice_date=MONTH - datetime.timedelta(days=20),
                        due_date=datetime.date(2026, 12, 10), amount=Decimal("100.00"))
    return world


@pytest.fixture(autouse=True)
def importance_classes(monkeypatch):
    """The tests fix the class through Customer.importance (key → A, general → C), whatever the
    classification app (written alongside) answers; test_classes checks that its answer is used."""
    from credo.visits import classes

    monkeypatch.setattr(classes, "_classification_source", lambda: None)
