"""Schemathesis over the whole OpenAPI document, in process through the WSGI app, on PostgreSQL: every
operation, as an administrator and as a salesperson, on a small world with customers, contacts, invoices, a
receipt, a collection case and a risk signal. A 5xx, an undocumented status code or content type, or a body
that breaks its documented schema fails the test. Bounded (few examples per operation, a fixed seed, no
shrinking, no example database) so that it takes a few minutes at most and CI reproduces it exactly.

Generated ids are mostly mapped onto the rows that exist, so the operations get past their 404s."""

import datetime
import json
import os
from decimal import Decimal

import pytest
import schemathesis
import time_machine
from django.core import signals
from django.core.serializers.json import DjangoJSONEncoder
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection, transaction
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from credo.api.api import api
from credo.core.auth import create_token
from tests.conftest import instant
from tests.factories import World

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="the fuzz run is for PostgreSQL")]

# CREDO_FUZZ_EXAMPLES and CREDO_FUZZ_SEED make a deeper or different run by hand; CI keeps these.
MAX_EXAMPLES = int(os.environ.get("CREDO_FUZZ_EXAMPLES", "4"))
SEED = int(os.environ.get("CREDO_FUZZ_SEED", "20261203"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CONFIG = SchemathesisConfig.from_dict({
    "seed": SEED,
    "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "no-shrink": True, "database": "none",
                   "with-security-parameters": False},
    "phases": {"examples": {"enabled": False}, "stateful": {"enabled": False}},
    "suppress-health-check": ["all"],
})
DOCUMENT = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api"), cls=DjangoJSONEncoder))
schema = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)
schema.app = get_wsgi_application()

# name of a path parameter -> ids of rows that exist (set by the `fuzz_world` fixture)
EXISTING: dict[str, list[int]] = {}


@schema.hook
def map_path_parameters(context, path_parameters):
    """Most generated ids become ids of existing rows; every few keep the generated value (mostly a 404)."""
    for name, value in (path_parameters or {}).items():
        choices = EXISTING.get(name)
        if choices and isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            options = [*choices, value]
            path_parameters[name] = options[value % len(options)]
    return path_parameters


TODAY = datetime.date(2026, 6, 15)


def _build_world() -> World:
    """A small demo-like world; its ids for the generated path parameters."""
    from credo.collection import services as collection
    from credo.customers import services as customers
    from credo.risk import services as risk
    from credo.sales import services as ledger

    world = World()
    east = world.east_customer
    contact = customers.add_contact(world.sales_east, east, {"name": "王经理", "birthday": datetime.date(1980, 6, 20)})
    for n, (days, amount) in enumerate([(70, "1000.00"), (40, "500.00"), (5, "300.00")]):
        ledger.post_invoice(world.finance, east, number=f"INV-{n}", invoice_date=TODAY - datetime.timedelta(days=days),
                            amount=Decimal(amount))
    ledger.post_invoice(world.finance, world.north_customer, number="INV-N",
                        invoice_date=TODAY - datetime.timedelta(days=50), amount=Decimal("800.00"))
    ledger.post_receipt(world.finance, east, number="R-1", receipt_date=TODAY - datetime.timedelta(days=3),
                        amount=Decimal("200.00"), method="transfer")
    case = collection.open_case(world.admin, east, reason="逾期")
    signal = risk.record_signal(world.sales_east, east, kind="office_moved", evidence="搬迁")
    claim = _claim(world)
    EXISTING.update(customer_id=[east.pk, world.north_customer.pk, world.east2_customer.pk],
                    contact_id=[contact.pk], case_id=[case.pk], signal_id=[signal.pk], claim_id=[claim.pk],
                    complaint_id=[claim.complaint_id])
    return world


def _claim(world):
    """A quality complaint of the east customer with a submitted claim on its first invoice."""
    from credo.claims import services as claims
    from credo.complaints import services as complaints
    from credo.sales.models import Invoice

    complaint = complaints.intake(world.service, customer=world.east_customer, channel="phone", category="quality",
                                  contact_name="王经理", contact_phone="13800000000", description="漏水")
    claim = claims.create(world.service, complaint, amount_claimed=Decimal("100.00"), reason="漏水",
                          lines=[(Invoice.objects.get(number="INV-0"), Decimal("100.00"))])
    return claims.submit(world.service, claim)


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    """Built once, in a transaction rolled back after the module; each test runs in a savepoint inside it
    (pytest-django's db fixture), so what one test writes is gone before the next one starts."""
    with django_db_blocker.unblock(), time_machine.travel(instant(TODAY)), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)
    EXISTING.clear()


@pytest.fixture
def in_process():
    """Requests run inside the test's transaction: Django must not close the connection after each one (as its
    test client does, the WSGI app's request signals are disconnected)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(fuzz_world, db, clock, in_process):
    clock.set(TODAY)
    return [create_token(user, "fuzz") for user in (fuzz_world.admin, fuzz_world.sales_east)]


@schema.parametrize()
def test_api_keeps_its_documented_contract(case, tokens):
    """Each generated request is sent as the administrator (who may do everything) and as a salesperson (who
    sees only their own customers and may do little): one generation, two very different code paths."""
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
