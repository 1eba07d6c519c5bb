"""Two people settle the same claim at the same moment: one credit note is posted (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections

from credo.claims import services
from credo.claims.models import Claim
from credo.core.models import AuditEntry
from credo.sales import queries as ledger_queries
from credo.sales.models import CreditNote
from tests.claims.conftest import complaint, invoice
from tests.factories import World

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")


def test_two_settles_at_once_post_one_note(transactional_db, today):
    world = World()
    first = invoice(world, "INV1", "1000.00")
    second = invoice(world, "INV2", "1000.00")
    claim = services.create(world.service, complaint(world), amount_claimed="1500", reason="漏水",
                            lines=[(first, "1000"), (second, "500")])
    claim = services.approve(world.credit, services.submit(world.service, claim))
    results, barrier = [], threading.Barrier(2)

    def settle(user):
        try:
            barrier.wait()
            results.append(services.settle(user, claim).credit_note_id)
        except Exception as exc:  # noqa: BLE001 - reported below
            results.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=settle, args=(u,)) for u in (world.finance, world.admin)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert CreditNote.objects.count() == 1, results
    note = CreditNote.objects.get()
    assert results == [note.pk, note.pk]
    assert Claim.objects.get().credit_note_id == note.pk
    assert AuditEntry.objects.filter(action="settle").count() == 1
    assert ledger_queries.document_drift() == [] and ledger_queries.balance_drift() == []
