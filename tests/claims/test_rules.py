from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.claims import rules


@pytest.mark.parametrize(("status", "action", "expected"), [
    ("draft", "submit", "submitted"), ("submitted", "approve", "approved"), ("submitted", "reject", "rejected"),
    ("approved", "settle", "settled"), ("draft", "withdraw", "withdrawn"), ("approved", "withdraw", "withdrawn"),
    ("draft", "approve", None), ("settled", "withdraw", None), ("rejected", "settle", None),
    ("withdrawn", "submit", None), ("submitted", "settle", None),
])
def test_transitions(status, action, expected):
    assert rules.next_status(status, action) == expected


def test_allowed_actions():
    assert rules.allowed_actions("submitted") == ["approve", "reject", "withdraw"]
    assert rules.allowed_actions("settled") == []


@pytest.mark.parametrize(("claimed", "agreed", "lines", "expected"), [
    (D("100"), D("80"), [(1, D("50")), (2, D("30"))], {}),
    (None, D("80"), [(1, D("80"))], {"amount_claimed": "missing"}),
    (D("0"), D("80"), [(1, D("80"))], {"amount_claimed": "not_positive"}),
    (D("100"), D("120"), [(1, D("120"))], {"amount_agreed": "over_claimed"}),
    (D("100"), D("-1"), [(1, D("1"))], {"amount_agreed": "not_positive"}),
    (D("100"), D("100"), [], {"lines": "no_lines"}),
    (D("100"), D("100"), [(1, D("100")), (2, D("0"))], {"lines": "line_not_positive"}),
    (D("100"), D("100"), [(1, D("50")), (1, D("50"))], {"lines": "duplicate_invoice"}),
    (D("100"), D("100"), [(1, D("50")), (2, D("40"))], {"lines": "lines_not_agreed"}),
])
def test_check_amounts(claimed, agreed, lines, expected):
    assert rules.check_amounts(claimed, agreed, lines) == expected


def test_check_settlement():
    lines = [(1, D("50")), (2, D("40")), (3, D("10"))]
    assert rules.check_settlement(lines, {1: D("50"), 2: D("30"), 3: D("0")}) == {2: "over_open", 3: "not_open"}
    assert rules.check_settlement(lines, {1: D("60"), 2: D("40"), 3: D("10")}) == {}


cents = st.decimals(min_value=D("0.01"), max_value=D("100000"), places=2)


@given(st.lists(cents, min_size=1, max_size=5))
def test_lines_adding_up_to_the_agreed_amount_pass(amounts):
    total = sum(amounts, D("0"))
    assert rules.check_amounts(total, total, list(enumerate(amounts))) == {}
