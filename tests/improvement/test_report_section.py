"""Open improvement actions in the complaint management view: not verified nor cancelled, serving complaints of
the customers in scope, overdue first."""

import datetime

import pytest

from credo.analysis.queries import AnalysisFilter
from credo.complaints import report
from credo.improvement import services

from .conftest import take

pytestmark = pytest.mark.django_db
YEAR = AnalysisFilter(date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 6, 30))  # the year so far


def test_open_actions_section(world, monday):
    east, north = take(world), take(world, customer=world.north_customer)
    late = services.create_action(world.service, title="更换密封圈供应商", cause="来料不合格", owner=world.service,
                                  due_date=datetime.date(2026, 6, 19), complaint_ids=[east.pk, north.pk])
    services.create_action(world.service, title="培训发货员", cause="漏装", owner=world.service,
                           due_date=datetime.date(2026, 7, 1), complaint_ids=[east.pk])
    dropped = services.create_action(world.service, title="不再需要", cause="重复", owner=world.service,
                                     due_date=datetime.date(2026, 7, 1), complaint_ids=[east.pk])
    services.cancel(world.service, dropped, "与另一项重复")
    monday.advance(days=7)                                   # Monday 22 June: the first is overdue
    sections = {s.name: s for s in report.sections(world.admin, YEAR)}
    rows = sections["open_actions"].rows
    assert [r["name"] for r in rows] == ["更换密封圈供应商", "培训发货员"]           # overdue first
    assert rows[0]["overdue"] and not rows[1]["overdue"] and rows[0]["complaints"] == 2
    north_only = AnalysisFilter(date_from=YEAR.date_from, date_to=YEAR.date_to, manager=world.sales_north.pk)
    assert [r["key"] for r in report.sections(world.admin, north_only)[-1].rows] == [late.pk]
    mine = report.sections(world.sales_north, YEAR)[-1].rows
    assert [(r["key"], r["complaints"]) for r in mine] == [(late.pk, 1)]       # only the complaint they may see
