"""Two people close the same step at the same moment: it is closed once (PostgreSQL: real row locks)."""

import threading

import pytest
from django.db import connection, connections

from credo.complaints import services
from credo.complaints.models import ComplaintStep
from credo.core.errors import ValidationError
from credo.core.models import AuditEntry
from credo.sla.models import SlaClock
from tests.factories import World

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")


def test_two_people_closing_the_same_step_close_it_once(transactional_db):
    world = World()
    complaint = services.intake(world.service, customer=world.east_customer, channel="phone", category="quality",
                                contact_name="王", description="漏水")
    results, barrier = [], threading.Barrier(2)

    def close(user, text):
        try:
            barrier.wait()
            services.close_step(user, complaint, 1, text)
            results.append(("ok", user.username))
        except ValidationError as exc:
            results.append(("refused", exc.error_dict["step"][0].messages[0]))
        except Exception as exc:  # noqa: BLE001 - reported below
            results.append(("error", repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=close, args=(u, f"record by {u.username}"))
               for u in (world.service, world.admin)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    steps = ComplaintStep.objects.filter(complaint=complaint)
    assert list(steps.values_list("number", flat=True).order_by("number")) == [1, 2]
    winner = next(name for kind, name in results if kind == "ok")
    assert steps.get(number=1).record == f"record by {winner}"
    assert AuditEntry.objects.filter(action="step.close").count() == 1
    assert SlaClock.objects.filter(subject_id=complaint.pk, metric="step_2").count() == 1
