import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.collection import rules
from credo.collection.models import LEVEL_ORDER

D = datetime.date
SCHEDULE = [("notice", 7), ("warning", 30), ("lawyer", 60)]


@pytest.mark.parametrize("days, sent, expected", [
    (0, set(), None),
    (6, set(), None),
    (7, set(), "notice"),          # the day the notice falls due
    (29, {"notice"}, None),        # notice sent, warning not yet due
    (30, {"notice"}, "warning"),
    (30, set(), "warning"),        # first run late: the highest letter due, not the whole series
    (59, {"notice", "warning"}, None),
    (60, {"notice", "warning"}, "lawyer"),
    (400, {"lawyer"}, None),       # everything sent
    (45, {"lawyer"}, None),        # never step back down
])
def test_letter_due(days, sent, expected):
    assert rules.letter_due(days, SCHEDULE, sent, LEVEL_ORDER) == expected


def test_fill_letter_splits_paragraphs_and_joins_lines():
    body = "致{customer}：\n贵司欠款{total}。\n\n请于{pay_by}前付清。\n\n\n"
    assert rules.fill_letter(body, {"customer": "甲公司", "total": "¥1.00", "pay_by": "2026年1月1日"}) == [
        "致甲公司： 贵司欠款¥1.00。", "请于2026年1月1日前付清。"]


@pytest.mark.parametrize("body, bad", [("{customer} {amount}", "amount"), ("{0}", "0"), ("{}", "{}")])
def test_unknown_placeholders_are_refused(body, bad):
    with pytest.raises(ValueError) as exc:
        rules.check_letter_template(body)
    assert exc.value.args[0] == bad


def test_known_placeholders_pass():
    rules.check_letter_template("{customer}{company}{total}{count}{oldest_due}{max_days}{pay_by}{department}{date}")


@pytest.mark.parametrize("start, months, expected", [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2026, 11, 15), 2, D(2027, 1, 15)),
    (D(2026, 12, 31), 12, D(2027, 12, 31)),
])
def test_add_months_clamps_to_month_end(start, months, expected):
    assert rules.add_months(start, months) == expected


def test_split_instalments_last_takes_the_cents():
    plan = rules.split_instalments(Decimal("100.00"), 3, D(2026, 1, 31))
    assert [a for _d, a in plan] == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert [d for d, _a in plan] == [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31)]


@pytest.mark.parametrize("total, count", [(Decimal("0"), 1), (Decimal("10"), 0), (Decimal("0.02"), 3)])
def test_split_instalments_refuses_impossible_plans(total, count):
    with pytest.raises(ValueError):
        rules.split_instalments(total, count, D(2026, 1, 1))


@given(st.integers(min_value=1, max_value=10_000_000).map(lambda c: Decimal(c) / 100), st.integers(1, 60))
def test_split_instalments_sum_to_total(total, count):
    if total / count < Decimal("0.01"):
        return
    plan = rules.split_instalments(total, count, D(2026, 1, 1))
    assert sum(a for _d, a in plan) == total and len(plan) == count and all(a > 0 for _d, a in plan)


def test_instalment_progress_pays_in_order():
    rows = [(1, D(2026, 1, 10), Decimal("100")), (2, D(2026, 2, 10), Decimal("100")), (3, D(2026, 3, 10), Decimal("100"))]
    states = rules.instalment_progress(rows, Decimal("150"), D(2026, 2, 20))
    assert [(s.paid, s.status) for s in states] == [
        (Decimal("100"), "paid"), (Decimal("50"), "overdue"), (Decimal("0"), "due")]
    assert states[1].outstanding == Decimal("50")
    assert rules.instalment_progress(rows, Decimal("150"), D(2026, 2, 10))[1].status == "part"  # due today: not late


@pytest.mark.parametrize("received, as_of, grace, expected", [
    ("100", D(2026, 1, 5), 0, "kept"),       # paid early
    ("99.99", D(2026, 1, 10), 0, "open"),    # on the promised day: still in time
    ("99.99", D(2026, 1, 11), 0, "broken"),  # the day after
    ("0", D(2026, 1, 12), 2, "open"),        # within the grace days
    ("0", D(2026, 1, 13), 2, "broken"),
    ("150", D(2026, 3, 1), 0, "kept"),
])
def test_promise_outcome(received, as_of, grace, expected):
    assert rules.promise_outcome(Decimal("100"), Decimal(received), D(2026, 1, 10), as_of, grace) == expected


def test_open_principal_history():
    history = rules.open_principal_history(D(2026, 1, 1), Decimal("1000"), [
        (D(2026, 3, 1), Decimal("400")), (D(2026, 2, 1), Decimal("100")), (D(2026, 3, 1), Decimal("100")),
        (D(2026, 4, 1), Decimal("-200"))])  # a bounced cheque puts 200 back
    assert history == [(D(2026, 1, 1), Decimal("1000")), (D(2026, 2, 1), Decimal("900")),
                       (D(2026, 3, 1), Decimal("400")), (D(2026, 4, 1), Decimal("600"))]


def test_open_principal_history_credit_on_the_invoice_day():
    assert rules.open_principal_history(D(2026, 1, 1), Decimal("1000"), [(D(2026, 1, 1), Decimal("300"))]) == [
        (D(2026, 1, 1), Decimal("700"))]


def test_credit_promises_counts_each_payment_once():
    promises = [(1, D(2026, 1, 1), D(2026, 1, 10), Decimal("100")), (2, D(2026, 1, 1), D(2026, 1, 20), Decimal("100"))]
    assert rules.credit_promises(promises, [(D(2026, 1, 5), Decimal("150"))]) == {1: Decimal("100"), 2: Decimal("50")}
    assert rules.credit_promises(promises, [(D(2026, 1, 15), Decimal("150"))]) == {1: Decimal("0"), 2: Decimal("100")}
    # a payment before the promise was made does not count for it
    assert rules.credit_promises([(3, D(2026, 2, 1), D(2026, 2, 9), Decimal("10"))],
                                 [(D(2026, 1, 31), Decimal("10"))]) == {3: Decimal("0")}


@pytest.mark.parametrize("plan, expected", [
    (None, SCHEDULE),
    ("standard", SCHEDULE),
    ("relationship", [("warning", 30), ("lawyer", 60)]),
    ("strict", [("notice", 1), ("warning", 30), ("lawyer", 60)]),
])
def test_schedule_for_plan(plan, expected):
    assert rules.schedule_for_plan(SCHEDULE, plan) == expected
