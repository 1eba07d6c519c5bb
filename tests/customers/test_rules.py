import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.customers import rules


@pytest.mark.parametrize(
    "code, problem",
    [
        ("91350100M000100Y43", None),
        ("91110000600037341L", None),
        ("911100006000373410", "check_digit"),
        ("91110000600037341", "length"),
        ("91110000600037341LX", "length"),
        ("9111000060003734IL", "characters"),
        ("", "length"),
    ],
)
def test_credit_code(code, problem):
    assert rules.credit_code_problem(code) == problem


@given(st.text(alphabet=rules.CREDIT_CODE_CHARS, min_size=17, max_size=17))
def test_generated_check_char_always_validates(body):
    assert rules.credit_code_problem(body + rules.credit_code_check_char(body)) is None


def test_clean_credit_code_folds_full_width_and_case():
    assert rules.clean_credit_code(" ９１３５０１００ｍ000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize(
    "a, b",
    [
        ("上海华丰贸易有限公司", "上海华丰贸易有限责任公司"),
        ("上海华丰贸易有限公司", "上海华丰贸易"),
        ("ＡＢＣ（上海）贸易有限公司", "ABC(上海)贸易有限公司"),
        ("Acme Trading Co., Ltd.", "ACME TRADING"),
        ("深圳 新 星 电子 股份有限公司", "深圳新星电子有限公司"),
    ],
)
def test_name_variants_share_a_key(a, b):
    assert rules.normalise_name(a) == rules.normalise_name(b)


def test_different_names_differ():
    assert rules.normalise_name("上海华丰贸易有限公司") != rules.normalise_name("上海华盛贸易有限公司")


def test_suffix_alone_is_kept():
    assert rules.normalise_name("有限公司") == "有限公司"


@pytest.mark.parametrize(
    "raw, key",
    [("+86 138-0013-8000", "13800138000"), ("0086 13800138000", "13800138000"), ("021-6234 5678", "02162345678"),
     ("123", ""), ("１３８００１３８０００", "13800138000")],
)
def test_phone_key(raw, key):
    assert rules.normalise_phone(raw) == key


TODAY = datetime.date(2026, 11, 23)


@pytest.mark.parametrize(
    "first, expected",
    [
        (None, "potential"),
        (datetime.date(2026, 11, 1), "new"),
        (datetime.date(2025, 11, 24), "new"),
        (datetime.date(2025, 11, 23), "old"),
        (datetime.date(2020, 1, 1), "old"),
    ],
)
def test_lifecycle_twelve_month_window(first, expected):
    assert rules.lifecycle(first, TODAY, 12) == expected


def test_add_months_clamps_month_end():
    assert rules.add_months(datetime.date(2026, 3, 31), -1) == datetime.date(2026, 2, 28)
    assert rules.add_months(datetime.date(2024, 3, 31), -1) == datetime.date(2024, 2, 29)
    assert rules.add_months(datetime.date(2026, 1, 15), -13) == datetime.date(2024, 12, 15)


@pytest.mark.parametrize("a, b", [("+86 21 6234 5678", "021-62345678"), ("+86 10 6234 5678", "010 6234 5678"),
                                  ("+86 138 0013 8000", "13800138000")])
def test_international_and_domestic_forms_match(a, b):
    assert rules.normalise_phone(a) == rules.normalise_phone(b)
