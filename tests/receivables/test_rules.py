import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.receivables import rules

B = rules.DEFAULT_BOUNDS


@pytest.mark.parametrize("days,label", [
    (-400, "current"), (-1, "current"), (0, "current"),
    (1, "1-30"), (30, "1-30"), (31, "31-60"), (60, "31-60"), (61, "61-90"), (90, "61-90"),
    (91, "91-180"), (180, "91-180"), (181, "180+"), (5000, "180+"),
])
def test_bucket_boundaries(days, label):
    assert rules.bucket_for(days, B) == label


def test_labels_default_and_custom():
    assert rules.bucket_labels(B) == ["current", "1-30", "31-60", "61-90", "91-180", "180+"]
    assert rules.bucket_labels([0, 15, 45]) == ["current", "1-15", "16-45", "45+"]


@pytest.mark.parametrize("bounds", [[], [0], [5, 10], [0, 30, 30], [0, 60, 30], [0, "x"], [0, 1.5], [0, True]])
def test_bad_bounds(bounds):
    with pytest.raises(ValueError):
        rules.validate_bounds(bounds)


def test_due_on_as_of_date_is_current():
    as_of = datetime.date(2026, 6, 30)
    assert rules.days_overdue(as_of, as_of) == 0
    assert rules.bucket_for(rules.days_overdue(as_of, as_of)) == "current"
    assert rules.bucket_for(rules.days_overdue(as_of, datetime.date(2026, 6, 29))) == "1-30"


@pytest.mark.parametrize("receivable,sales,days,expected", [
    ("300000", "900000", 90, Decimal("30.0")),
    ("100", "300", 31, Decimal("10.3")),
    ("0", "100", 30, Decimal("0.0")),
    ("100", "0", 30, None),
])
def test_dso(receivable, sales, days, expected):
    assert rules.dso(Decimal(receivable), Decimal(sales), days) == expected


@pytest.mark.parametrize("collected,due,expected", [
    ("95120", "100000", Decimal("0.9512")), ("0", "10", Decimal("0.0000")), ("5", "0", None),
    ("120", "100", Decimal("1.2000")),
])
def test_collection_rate(collected, due, expected):
    assert rules.collection_rate(Decimal(collected), Decimal(due)) == expected


@pytest.mark.parametrize("outstanding,rate,days,expected", [
    ("365000", "0.06", 365, Decimal("21900.00")),
    ("100000", "0.06", 30, Decimal("493.15")),
    ("100000", "0", 30, Decimal("0.00")),
    ("1", "0.06", 1, Decimal("0.00")),
])
def test_opportunity_cost(outstanding, rate, days, expected):
    assert rules.opportunity_cost(Decimal(outstanding), Decimal(rate), days) == expected


def test_negative_rate_refused():
    with pytest.raises(ValueError):
        rules.opportunity_cost(Decimal(1), Decimal("-0.01"), 1)


bounds_strategy = st.lists(st.integers(1, 2000), min_size=1, max_size=8, unique=True).map(
    lambda xs: [0, *sorted(xs)])


@given(st.integers(-10_000, 10_000), bounds_strategy)
def test_buckets_partition(days, bounds):
    """Every number of days falls in exactly one bucket, and the buckets are ordered."""
    index = rules.bucket_index(days, bounds)
    labels = rules.bucket_labels(bounds)
    assert 0 <= index < len(labels)
    lower = -10**9 if index == 0 else bounds[index - 1] + 1
    upper = bounds[index] if index < len(bounds) else 10**9
    assert lower <= days <= upper
    assert rules.bucket_index(days + 1, bounds) >= index


@given(st.lists(st.tuples(st.integers(-500, 500), st.decimals("0.01", "1000000", places=2)), max_size=40),
       bounds_strategy)
def test_sum_of_buckets_is_total(items, bounds):
    as_of = datetime.date(2026, 6, 30)
    pairs = [(as_of - datetime.timedelta(days=d), amount) for d, amount in items]
    result = rules.age(pairs, as_of, bounds)
    total = result.pop("total")
    assert sum(result.values(), Decimal(0)) == total == sum((a for _, a in pairs), Decimal("0.00"))
    assert list(result) == rules.bucket_labels(bounds)


def test_colours_run_from_neutral_to_deep_red():
    colours = rules.bucket_colours(6)
    assert colours[0] == "#9aa0ac" and colours[-1] == "#8b1a1a" and len(colours) == 6


D0 = datetime.date(2026, 3, 1)


@pytest.mark.parametrize("as_of, grace, expected", [
    (D0, 0, "0.00"),                                   # due today: nothing yet
    (D0 + datetime.timedelta(days=1), 0, "0.50"),      # one day × 1000 × 0.05 %
    (D0 + datetime.timedelta(days=10), 0, "5.00"),
    (D0 + datetime.timedelta(days=10), 7, "1.50"),     # grace: days 8–10 only
    (D0 + datetime.timedelta(days=7), 7, "0.00"),
])
def test_penalty_interest_full_principal(as_of, grace, expected):
    total, _steps = rules.penalty_interest(D0, [(D0 - datetime.timedelta(days=30), Decimal("1000"))],
                                           Decimal("0.0005"), as_of, grace_days=grace)
    assert total == Decimal(expected)


def test_penalty_interest_after_partial_payment_uses_lower_principal():
    paid_on = D0 + datetime.timedelta(days=6)
    total, steps = rules.penalty_interest(D0, [(D0 - datetime.timedelta(days=30), Decimal("1000")),
                                               (paid_on, Decimal("400"))], Decimal("0.0005"),
                                          D0 + datetime.timedelta(days=10))
    assert [(s.days, s.principal, s.interest) for s in steps] == [(5, Decimal("1000"), Decimal("2.50")),
                                                                   (5, Decimal("400"), Decimal("1.00"))]
    assert total == Decimal("3.50")


def test_penalty_interest_stops_when_paid_and_skips_what_was_charged():
    changes = [(D0 - datetime.timedelta(days=30), Decimal("1000")), (D0 + datetime.timedelta(days=4), Decimal("0"))]
    total, _ = rules.penalty_interest(D0, changes, Decimal("0.0005"), D0 + datetime.timedelta(days=40))
    assert total == Decimal("1.50")  # days 1–3 only: paying the principal does not cancel what accrued
    total, _ = rules.penalty_interest(D0, [(D0, Decimal("1000"))], Decimal("0.0005"), D0 + datetime.timedelta(days=10),
                                      charged_through=D0 + datetime.timedelta(days=8))
    assert total == Decimal("1.00")


def test_penalty_interest_refuses_negative_rate():
    with pytest.raises(ValueError):
        rules.penalty_interest(D0, [], Decimal("-0.1"), D0)
