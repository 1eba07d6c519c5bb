"""Pure rules: step order, priority from class, repeat detection — table-driven, plus properties."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.complaints import rules
from credo.complaints.rules import Case, StepError

D = datetime.date(2026, 6, 30)


@pytest.mark.parametrize(("status", "current", "number", "record", "code"), [
    ("open", 1, 1, "  ", "no_record"),
    ("open", 1, 1, "", "no_record"),
    ("open", 1, 2, "found it", "skip"),
    ("open", 3, 6, "found it", "skip"),
    ("open", 3, 2, "found it", "done"),
    ("open", 3, 7, "found it", "unknown_step"),
    ("open", 3, 0, "found it", "unknown_step"),
    ("closed", 6, 6, "found it", "closed"),
    ("open", 2, 2, "x" * (rules.RECORD_LENGTH + 1), "record_too_long"),
])
def test_a_step_is_refused(status, current, number, record, code):
    with pytest.raises(StepError) as exc:
        rules.check_close(status, current, number, record)
    assert exc.value.code == code
    assert exc.value.field == ("record" if code in ("no_record", "record_too_long") else "step")


def test_the_open_step_closes_with_its_record_and_the_next_opens():
    assert rules.check_close("open", 2, 2, "  cause: a loose valve \n") == "cause: a loose valve"
    assert [rules.after_close(n) for n in rules.STEPS] == [(2, "open"), (3, "open"), (4, "open"), (5, "open"),
                                                           (6, "open"), (6, "closed")]
    assert rules.next_step(6) is None and rules.next_step(1) == 2


@pytest.mark.parametrize(("status", "current", "to", "reason", "result"), [
    ("closed", 6, 2, "customer says it broke again", (2, "customer says it broke again")),
    ("closed", 6, 6, "review again", (6, "review again")),
    ("open", 4, 2, "cause was wrong", (2, "cause was wrong")),
    ("open", 4, 4, "again", "ahead"),
    ("open", 4, 5, "again", "ahead"),
    ("closed", 6, 7, "again", "unknown_step"),
    ("closed", 6, "x", "again", "unknown_step"),
    ("closed", 6, 1, "   ", "no_reason"),
])
def test_reopen(status, current, to, reason, result):
    if isinstance(result, tuple):
        assert rules.check_reopen(status, current, to, reason) == result
    else:
        with pytest.raises(StepError) as exc:
            rules.check_reopen(status, current, to, reason)
        assert exc.value.code == result


@pytest.mark.parametrize(("pyramid", "abc", "key", "expected"), [
    ("A", "", False, (rules.HIGH, "A")),
    ("", "A", False, (rules.HIGH, "A")),
    ("D", "C", True, (rules.HIGH, "A")),
    ("B", "C", False, (rules.MEDIUM, "")),
    ("C", "b", False, (rules.MEDIUM, "")),
    ("C", "C", False, (rules.NORMAL, "")),
    ("", "", False, (rules.NORMAL, "")),
])
def test_priority_follows_the_class(pyramid, abc, key, expected):
    assert rules.priority(pyramid, abc, key) == expected


def case(id, days_before=0, customer=1, category="quality", product=None, text="", order=None):
    return Case(id, customer, D - datetime.timedelta(days=days_before), category, product, text, order)


@pytest.mark.parametrize(("earlier", "new", "reason"), [
    (case(1, 30, category="billing", product=7), case(2, category="delivery", product=7), "product"),
    (case(1, 30, category="billing", text="A-100 阀门"), case(2, category="delivery", text="a-100阀门"), "product"),
    (case(1, 30, category="billing", order=5), case(2, category="delivery", order=5), "order"),
    (case(1, 30), case(2), "category"),
    (case(1, 90), case(2), "category"),               # the window's last day counts
    (case(1, 91), case(2), None),                     # one day past it
    (case(1, 10, customer=2), case(2), None),         # another customer
    (case(1, 10, category="billing"), case(2), None),  # nothing in common
    (case(1, -1), case(2), None),                      # later, not earlier
    (case(1, 10), case(2, customer=None), None),       # no customer yet
])
def test_repeat_detection(earlier, new, reason):
    assert rules.why_repeat(new, earlier, 90) == reason


def test_the_most_recent_earlier_complaint_is_the_one_linked():
    new = case(9)
    found = rules.find_repeat(new, [case(1, 80), case(2, 5), case(3, 40), case(4, 3, category="price")], 90)
    assert found == (case(2, 5), "category")
    assert rules.find_repeat(new, [], 90) is None


@pytest.mark.parametrize(("value", "ok"), [(90, 90), ("30", 30), (0, None), (3651, None), ("x", None), (None, None)])
def test_the_window(value, ok):
    if ok is None:
        with pytest.raises(StepError):
            rules.check_window(value)
    else:
        assert rules.check_window(value) == ok


@given(st.lists(st.integers(min_value=0, max_value=7), max_size=30))
def test_steps_only_move_forward_one_at_a_time(attempts):
    """Whatever order people try to close steps in, the complaint passes 1..6 in order and closes after 6."""
    status, current, closed = "open", 1, []
    for number in attempts:
        try:
            rules.check_close(status, current, number, "record")
        except StepError:
            continue
        closed.append(number)
        current, status = rules.after_close(number)
    assert closed == list(range(1, len(closed) + 1))
    assert (status == "closed") == (len(closed) == 6)


@given(st.integers(min_value=1, max_value=400), st.integers(min_value=-10, max_value=500),
       st.sampled_from(["quality", "price"]), st.sampled_from(["quality", "price"]))
def test_a_repeat_always_lies_within_the_window(window, gap, cat_a, cat_b):
    earlier, new = case(1, gap, category=cat_a), case(2, category=cat_b)
    reason = rules.why_repeat(new, earlier, window)
    assert (reason is not None) == (0 <= gap <= window and cat_a == cat_b)
