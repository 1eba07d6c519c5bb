"""Two agents resolving the same request at once: it is resolved once (the ticket row is locked); two reminder
runs at once tell the account manager once (the conditional claim)."""

import datetime
import threading

import pytest
from django.db import connection, connections

from credo.core.models import Notification
from credo.servicedesk import services
from credo.servicedesk.models import ServiceContract, Ticket, TicketEntry
from tests.factories import make_user

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")]


def run_together(n, work):
    errors, results, barrier = [], [], threading.Barrier(n)

    def target(i):
        try:
            barrier.wait()
            results.append(work(i))
        except Exception as exc:  # noqa: BLE001 - counted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_two_agents_resolve_once(transactional_db):
    from tests.factories import World

    world = World()
    other = make_user("service2", "service_agent")
    ticket = services.intake(world.service, world.east_customer, subject="无法开机", description="打印机无法开机")
    agents = [world.service, other]
    results, errors = run_together(2, lambda i: services.resolve(agents[i], Ticket.objects.get(pk=ticket.pk),
                                                                  f"方案{i}"))
    assert len(results) == 1 and len(errors) == 1
    assert TicketEntry.objects.filter(ticket=ticket, kind="resolve").count() == 1


def test_two_reminder_runs_tell_once(transactional_db):
    from tests.factories import World

    world = World()
    services.save_contract(world.service, world.north_customer, number="SC-N", terms="年度维保", all_products=True,
                           starts_on=datetime.date(2025, 7, 1), expires_on=datetime.date(2026, 6, 30))
    results, errors = run_together(4, lambda i: services.remind_expiring(datetime.date(2026, 6, 15)))
    assert errors == [] and sum(r.contracts for r in results) == 1
    assert Notification.objects.filter(user=world.sales_north).count() == 1
    assert ServiceContract.objects.get(number="SC-N").reminded_for == datetime.date(2026, 6, 30)
