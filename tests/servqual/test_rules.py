"""The SERVQUAL scoring rules as issue 13 pins them: table-driven and by property."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.servqual import rules
from credo.servqual.rules import Answer, AnswerError, WeightError

EQUAL = {d: Decimal("0.2") for d in rules.DIMENSIONS}


def a(respondent, dimension, item, e, p):
    return Answer(respondent, dimension, item, e, p)


def full(gap_by_dimension: dict[str, int]) -> list[Answer]:
    """One respondent answering one item per dimension with P − E = the given gap."""
    return [a("r", d, "i", 4, 4 + g) for d, g in gap_by_dimension.items()]


@pytest.mark.parametrize("answers, dimension, expected", [
    # item gap = mean of P − E over those who gave both
    ([a("r1", "tangibles", "T1", 6, 5), a("r2", "tangibles", "T1", 7, 6)], "tangibles", Fraction(-1)),
    ([a("r1", "tangibles", "T1", 6, 5), a("r2", "tangibles", "T1", 5, 7)], "tangibles", Fraction(1, 2)),
    # only E, only P: not counted
    ([a("r1", "tangibles", "T1", 6, 5), a("r2", "tangibles", "T1", 1, None), a("r3", "tangibles", "T1", None, 7)],
     "tangibles", Fraction(-1)),
    # dimension gap = mean of the items' gaps, not of all answers (T1 has two answers, T2 one)
    ([a("r1", "reliability", "R1", 4, 6), a("r2", "reliability", "R1", 4, 6), a("r1", "reliability", "R2", 5, 4)],
     "reliability", Fraction(1, 2)),
    # an item nobody answered is left out of its dimension
    ([a("r1", "empathy", "E1", 3, 5), a("r1", "empathy", "E2", None, None)], "empathy", Fraction(2)),
    # nothing answered: no gap
    ([a("r1", "assurance", "A1", None, 5)], "assurance", None),
])
def test_item_and_dimension_gaps(answers, dimension, expected):
    assert rules.score(answers, EQUAL).dimensions[dimension] == expected


def test_unweighted_and_weighted_scores():
    weights = {"tangibles": Decimal("0.1"), "reliability": Decimal("0.3"), "responsiveness": Decimal("0.2"),
               "assurance": Decimal("0.25"), "empathy": Decimal("0.15")}
    result = rules.score(full({"tangibles": -1, "reliability": -2, "responsiveness": 1, "assurance": 0,
                               "empathy": 3}), weights)
    assert result.unweighted == Fraction(1, 5)
    assert result.weighted == Fraction(-1, 10) - Fraction(6, 10) + Fraction(2, 10) + 0 + Fraction(45, 100)
    assert rules.figures(result)["weighted"] == "-0.0500"


def test_a_dimension_without_answers_is_left_out_of_the_mean_and_the_weighted_score_is_none():
    result = rules.score(full({"tangibles": -1, "reliability": -2, "responsiveness": 1, "assurance": 0}), EQUAL)
    assert result.dimensions["empathy"] is None
    assert result.unweighted == Fraction(-2, 4)
    assert result.weighted is None
    assert rules.figures(result) == {
        "dimensions": {"tangibles": "-1.0000", "reliability": "-2.0000", "responsiveness": "1.0000",
                       "assurance": "0.0000", "empathy": None},
        "unweighted": "-0.5000", "weighted": None, "items": 4, "respondents": 1}


def test_no_answers_at_all():
    result = rules.score([], EQUAL)
    assert result.unweighted is None and result.weighted is None
    assert result.respondents == 0 and result.item_count == 0


def test_counts_are_of_counted_answers():
    result = rules.score([a("r1", "tangibles", "T1", 6, 5), a("r2", "tangibles", "T1", 6, None),
                          a("r2", "tangibles", "T2", None, None)], EQUAL)
    assert (result.respondents, result.item_count) == (1, 1)


@pytest.mark.parametrize("value, text", [
    (Fraction(-13, 20), "-0.6500"), (Fraction(1, 3), "0.3333"), (Fraction(2, 3), "0.6667"),
    (Fraction(1, 20000), "0.0001"),          # a tie rounds up (away from zero)
    (Fraction(-1, 20000), "-0.0001"),
    (Fraction(-1, 30000), "0.0000"),         # no negative zero
    (Fraction(123456789, 10 ** 8), "1.2346"), (Decimal("0.2"), "0.2000"), (3, "3.0000"), (None, None),
])
def test_shown_rounds_half_up_to_four_places(value, text):
    assert rules.shown(value) == text


@pytest.mark.parametrize("values, code, dimension", [
    ({**EQUAL, "empathy": "0.3"}, "sum", ""),
    ({d: EQUAL[d] for d in rules.DIMENSIONS[:4]}, "missing", "empathy"),
    ({**EQUAL, "price": "0"}, "unknown", "price"),
    ({**EQUAL, "tangibles": "x"}, "not_number", "tangibles"),
    ({**EQUAL, "tangibles": "-0.2", "reliability": "0.6"}, "negative", "tangibles"),
    ({**EQUAL, "tangibles": "NaN"}, "not_number", "tangibles"),
])
def test_bad_weights(values, code, dimension):
    with pytest.raises(WeightError) as caught:
        rules.check_weights(values)
    assert (caught.value.code, caught.value.dimension) == (code, dimension)


def test_weights_must_sum_to_exactly_one():
    thirds = {"tangibles": "0.3333", "reliability": "0.3333", "responsiveness": "0.3334", "assurance": "0",
              "empathy": "0"}
    assert sum(rules.check_weights(thirds).values()) == 1
    with pytest.raises(WeightError):
        rules.check_weights({**thirds, "responsiveness": "0.3333"})


def test_points_are_divided_by_100():
    weights = rules.points_to_weights({"tangibles": 10, "reliability": "30", "responsiveness": 20,
                                       "assurance": "25", "empathy": "15"})
    assert weights == {"tangibles": Decimal("0.1"), "reliability": Decimal("0.3"), "responsiveness": Decimal("0.2"),
                       "assurance": Decimal("0.25"), "empathy": Decimal("0.15")}
    with pytest.raises(WeightError) as caught:
        rules.points_to_weights({**{d: 20 for d in rules.DIMENSIONS}, "empathy": 21})
    assert caught.value.code == "sum" and caught.value.total == 101


def test_the_weights_option():
    assert rules.parse_weights_option("tangibles=0.2, reliability=0.2,responsiveness=0.2,assurance=0.2,"
                                      "Empathy=0.2") == EQUAL
    with pytest.raises(WeightError) as caught:
        rules.parse_weights_option("tangibles=0.2,tangibles=0.2")
    assert caught.value.code == "duplicate"


@pytest.mark.parametrize("values, code, field", [
    (("", "tangibles", "T1", 1, 1), "required", "respondent"),
    (("r", "price", "T1", 1, 1), "unknown_dimension", "dimension"),
    (("r", "tangibles", " ", 1, 1), "required", "item"),
    (("r", "tangibles", "T1", "8", 1), "out_of_range", "expectation"),
    (("r", "tangibles", "T1", 1, 0), "out_of_range", "perception"),
    (("r", "tangibles", "T1", "5.5", 1), "not_integer", "expectation"),
    (("r", "tangibles", "T1", 1, "七"), "not_integer", "perception"),
    (("r", "tangibles", "T1", True, 1), "not_integer", "expectation"),
])
def test_the_answer_validator_returns_codes(values, code, field):
    with pytest.raises(AnswerError) as caught:
        rules.make_answer(*values)
    assert (caught.value.code, caught.value.field) == (code, field)


def test_valid_answers_are_normalised():
    assert rules.make_answer(" r1 ", " Tangibles ", " T1 ", " 7 ", "") == Answer("r1", "tangibles", "T1", 7, None)


def test_the_same_respondent_twice_on_an_item_is_a_duplicate():
    answers = [a("r1", "tangibles", "T1", 1, 2), a("r2", "tangibles", "T1", 1, 2), a("r1", "tangibles", "T1", 3, 3)]
    [(index, error)] = rules.check_answers(answers)
    assert (index, error.code, error.detail) == (2, "duplicate", "0")


# --- properties -----------------------------------------------------------------------------------

scores = st.one_of(st.none(), st.integers(1, 7))
answer_lists = st.lists(st.tuples(st.integers(0, 6), st.sampled_from(rules.DIMENSIONS), st.sampled_from("abc"),
                                  scores, scores), max_size=60).map(
    lambda rows: list({(f"r{r}", d, i): a(f"r{r}", d, i, e, p) for r, d, i, e, p in rows}.values()))
weight_points = st.lists(st.integers(0, 100), min_size=4, max_size=4).filter(lambda xs: sum(xs) <= 100).map(
    lambda xs: dict(zip(rules.DIMENSIONS, [*xs, 100 - sum(xs)], strict=True)))


@given(answer_lists, st.data())
def test_permuting_respondents_changes_nothing(answers, data):
    shuffled = data.draw(st.permutations(answers))
    assert rules.score(shuffled, EQUAL) == rules.score(answers, EQUAL)


@given(answer_lists, st.sampled_from(rules.DIMENSIONS), st.integers(1, 7))
def test_a_respondent_who_answers_only_e_is_not_counted(answers, dimension, expectation):
    extra = a("only-e", dimension, "a", expectation, None)
    with_extra = rules.score([*answers, extra], EQUAL)
    without = rules.score(answers, EQUAL)
    assert with_extra == without


@given(answer_lists, weight_points)
def test_points_over_100_give_the_same_weighted_score(answers, points):
    weights = {d: Decimal(p) / 100 for d, p in points.items()}
    assert rules.score(answers, rules.points_to_weights(points)).weighted == rules.score(answers, weights).weighted


@given(answer_lists)
def test_gaps_stay_within_the_scale(answers):
    result = rules.score(answers, EQUAL)
    for gap in [*result.dimensions.values(), result.unweighted, result.weighted]:
        assert gap is None or -6 <= gap <= 6
    if all(g is not None for g in result.dimensions.values()):
        # equal weights: the weighted score is the unweighted mean
        assert result.weighted == result.unweighted
