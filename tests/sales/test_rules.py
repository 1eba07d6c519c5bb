import datetime
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.sales import rules


def test_due_date():
    assert rules.due_date(datetime.date(2026, 1, 31), 30) == datetime.date(2026, 3, 2)


@pytest.mark.parametrize("amount, items, plan, left", [
    (D("100"), [("a", D("60")), ("b", D("60"))], [("a", D("60")), ("b", D("40"))], D("0")),
    (D("60"), [("a", D("60")), ("b", D("60"))], [("a", D("60"))], D("0")),
    (D("150"), [("a", D("60")), ("b", D("60"))], [("a", D("60")), ("b", D("60"))], D("30")),
    (D("10"), [("a", D("0")), ("b", D("60"))], [("b", D("10"))], D("0")),
    (D("0"), [("a", D("60"))], [], D("0")),
    (D("5"), [], [], D("5")),
    (D("0.01"), [("a", D("0.01")), ("b", D("1"))], [("a", D("0.01"))], D("0")),
])
def test_fifo_plan(amount, items, plan, left):
    assert rules.fifo_plan(amount, items) == (plan, left)


def test_fifo_refuses_negative():
    with pytest.raises(ValueError):
        rules.fifo_plan(D("-1"), [])


cents = st.decimals(min_value=D("0"), max_value=D("100000"), places=2)


@given(cents, st.lists(cents, max_size=20))
def test_fifo_never_over_allocates(amount, opens):
    plan, left = rules.fifo_plan(amount, list(enumerate(opens)))
    assert sum(a for _k, a in plan) + left == amount
    assert all(0 < a <= opens[k] for k, a in plan)
    assert left == 0 or all(a == opens[k] for k, a in plan)


def test_manual_plan_problems():
    opens = {1: D("100"), 2: D("50")}
    assert rules.check_manual_plan(D("120"), [(1, D("100")), (2, D("20"))], opens) == {}
    assert rules.check_manual_plan(D("120"), [(1, D("101"))], opens) == {1: "over_open"}
    assert rules.check_manual_plan(D("120"), [(3, D("1"))], opens) == {3: "not_open"}
    assert rules.check_manual_plan(D("120"), [(1, D("0"))], opens) == {1: "not_positive"}
    assert rules.check_manual_plan(D("100"), [(1, D("90")), (2, D("20"))], opens) == {"": "over_amount"}
