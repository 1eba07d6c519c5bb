import datetime
from decimal import Decimal

import pytest

from credo.receivables import queries
from credo.receivables.models import AgingBucketSet

from .conftest import AS_OF

D = Decimal
LABELS = ["current", "1-30", "31-60", "61-90", "91-180", "180+"]


def buckets(*values):
    return {label: D(v).quantize(D("0.01")) for label, v in zip(LABELS, values, strict=True)}


def by_code(result):
    return {r.code: r for r in result.rows}


def test_past_as_of_date_by_hand(ledger):
    result = queries.aging(None, queries.AgingFilter(as_of=AS_OF))
    rows = by_code(result)
    assert [r.code for r in result.rows] == ["E002", "E001", "N001"]  # most overdue first
    assert rows["E001"].buckets == buckets(100, 200, 250, 0, 0, 400)
    assert rows["E001"].total == D("950.00") and rows["E001"].overdue == D("850.00")
    # I6 was paid on 2026-07-05, after the as-of date: still open then (180 days: 91-180).
    assert rows["E002"].buckets == buckets(0, 0, 0, 500, 600, 0)
    assert rows["N001"].buckets == buckets(700, 0, 0, 0, 0, 0)  # I8 is dated after the as-of date
    assert {k: result.totals[k] for k in LABELS} == buckets(800, 200, 250, 500, 600, 400)
    assert result.totals["total"] == D("2750.00")
    assert result.count == 3
    # Opportunity cost: 255,400 ¥·days × 6 % ÷ 365.
    assert rows["E001"].opportunity_cost == D("41.98")
    assert result.policy["buckets"]["valid_from"] == "2000-01-01"


def test_as_of_today_reads_open_amounts(ledger, monkeypatch):
    monkeypatch.setattr(queries, "business_today", lambda: AS_OF)
    result = queries.aging(None, queries.AgingFilter(as_of=AS_OF))
    # Today the open amounts count: I6 is closed, I8 (due 2026-07-31) is current.
    assert {k: result.totals[k] for k in LABELS} == buckets(1600, 200, 250, 500, 0, 400)
    assert result.totals["total"] == D("2950.00")


def test_groups(ledger):
    world = ledger
    managers = queries.aging(None, queries.AgingFilter(as_of=AS_OF, group="manager"))
    totals = {r.key: r.total for r in managers.rows}
    assert totals == {world.sales_east.pk: D("950.00"), world.sales_east2.pk: D("1100.00"),
                      world.sales_north.pk: D("700.00")}
    assert managers.rows[0].name == "sales_east2"
    territories = queries.aging(None, queries.AgingFilter(as_of=AS_OF, group="territory"))
    assert {r.key: r.total for r in territories.rows} == {world.territory.pk: D("950.00"), None: D("1800.00")}
    company = queries.aging(None, queries.AgingFilter(as_of=AS_OF, group="company"))
    assert len(company.rows) == 1 and company.rows[0].total == D("2750.00")


def test_filters_and_sorts(ledger):
    world = ledger
    only_sh = queries.aging(None, queries.AgingFilter(as_of=AS_OF, territory=world.territory.pk))
    assert [r.code for r in only_sh.rows] == ["E001"] and only_sh.totals["total"] == D("950.00")
    oldest = queries.aging(None, queries.AgingFilter(as_of=AS_OF, sort="oldest"))
    assert [r.code for r in oldest.rows] == ["E001", "E002", "N001"]  # E001 has 180+
    page2 = queries.aging(None, queries.AgingFilter(as_of=AS_OF), limit=2, offset=2)
    assert [r.code for r in page2.rows] == ["N001"] and page2.totals["total"] == D("2750.00")
    past_end = queries.aging(None, queries.AgingFilter(as_of=AS_OF), limit=2, offset=10)
    assert past_end.rows == [] and past_end.count == 3 and past_end.totals["total"] == D("2750.00")


def test_scope(ledger):
    world = ledger
    own = queries.aging(world.sales_east, queries.AgingFilter(as_of=AS_OF))
    assert [r.code for r in own.rows] == ["E001"] and own.totals["total"] == D("950.00")
    team = queries.aging(world.manager_east, queries.AgingFilter(as_of=AS_OF))
    assert sorted(r.code for r in team.rows) == ["E001", "E002"]
    labels, rows = queries.iter_aging(world.sales_north, queries.AgingFilter(as_of=AS_OF))
    assert [r.code for r in rows] == ["N001"]
    rows, count, amount = queries.overdue_invoices(world.sales_east, queries.AgingFilter(as_of=AS_OF))
    assert count == 3 and {i.customer.code for i in rows} == {"E001"}


def test_iter_aging_all_rows_by_code(ledger):
    labels, rows = queries.iter_aging(None, queries.AgingFilter(as_of=AS_OF), chunk=1)
    rows = list(rows)
    assert labels == LABELS
    assert [r.code for r in rows] == ["E001", "E002", "N001"]
    assert rows[0].name == "上海东方贸易有限公司"


def test_overdue_list(ledger):
    rows, count, amount = queries.overdue_invoices(None, queries.AgingFilter(as_of=AS_OF))
    assert [i.number for i in rows] == ["I4", "I6", "I5", "I3", "I2"]
    assert count == 5 and amount == D("1950.00")
    assert rows[0].days_overdue == 181 and rows[0].bucket == "180+"
    assert rows[3].outstanding == D("250.00")


def test_versioned_buckets(ledger):
    AgingBucketSet.objects.create(valid_from=datetime.date(2026, 6, 1), bounds=[0, 90])
    result = queries.aging(None, queries.AgingFilter(as_of=AS_OF))
    assert result.labels == ["current", "1-90", "90+"]
    assert result.totals["1-90"] == D("950.00") and result.totals["90+"] == D("1000.00")
    older = queries.aging(None, queries.AgingFilter(as_of=datetime.date(2026, 5, 31)))
    assert older.labels == LABELS


def test_monthly_figures(ledger):
    months = queries.monthly_figures(None, queries.AgingFilter(as_of=AS_OF), months=3)
    june = months[-1]
    assert june["period"] == datetime.date(2026, 6, 1)
    assert june["sales"] == D("800.00") and june["receivable"] == D("2750.00")
    assert june["dso"] == D("103.1")
    assert june["due"] == D("100.00") and june["collected"] == D("0.00") and june["collection_rate"] == D("0")
    may = months[-2]
    assert may["receivable"] == D("2000.00")  # 2750 − June's 800 of sales + June's 50 received


@pytest.mark.parametrize("data,field", [({"as_of": "2026-02-30"}, "as_of"), ({"group": "x"}, "group"),
                                        ({"territory": "x"}, "territory"), ({"sort": "x"}, "sort")])
def test_bad_filters_name_the_field(data, field):
    with pytest.raises(ValueError, match=field):
        queries.AgingFilter.from_mapping(data)
