"""Two submits of the same link at the same moment write one answer (PostgreSQL: real row locks)."""

import threading

import pytest
from django.db import connection, connections

from credo.core.models import AuditEntry
from credo.servqual import campaign_services as services
from credo.servqual.models import Response, ResponseItem, SurveyLink
from tests.factories import World

from .campaign_helpers import campaign, contacts, tokens

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")


@pytest.mark.parametrize("anonymous", [False, True])
def test_two_submits_of_one_link_write_one_answer(transactional_db, anonymous):
    world = World()
    people = contacts(world)
    made = campaign(world, anonymous=anonymous)
    token = tokens(services.distribute(world.service, made))[people["east_a"].pk]
    results, barrier = [], threading.Barrier(2)

    def submit(score):
        try:
            barrier.wait()
            services.answer_by_token(token, {"T1": (score, score)})
            results.append(("ok", score))
        except services.LinkUnusable as exc:
            results.append(("refused", exc.reason))
        except Exception as exc:  # noqa: BLE001 - reported below
            results.append(("error", repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in (3, 6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    assert ("refused", "used") in results
    winner = next(score for kind, score in results if kind == "ok")
    assert Response.objects.count() == 1
    assert list(ResponseItem.objects.values_list("expectation", flat=True)) == [winner]
    assert SurveyLink.objects.get(contact=people["east_a"]).used_at is not None
    assert AuditEntry.objects.filter(action="sq.answer").count() == 1
