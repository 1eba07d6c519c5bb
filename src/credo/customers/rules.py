"""Pure rules of the customer file: no Django imports.

- unified social credit code (统一社会信用代码, GB 32100-2015) check digit
- name normalisation for duplicate detection (full/half width, legal-form suffix variants)
- phone normalisation
- lifecycle (potential / new / old) from the first order date
"""

import datetime
import re
import unicodedata

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """None if code is a valid unified social credit code, else a short reason key.

    Reasons: "length", "characters", "check_digit".
    """
    if len(code) != 18:
        return "length"
    if any(c not in CREDIT_CODE_CHARS for c in code):
        return "characters"
    if credit_code_check_char(code[:17]) != code[17]:
        return "check_digit"
    return None


def clean_credit_code(code: str) -> str:
    return unicodedata.normalize("NFKC", code or "").strip().upper().replace(" ", "")


# Longest first, so 有限责任公司 is stripped before 有限公司 and 公司.
LEGAL_SUFFIXES = (
    "股份有限公司", "有限责任公司", "有限公司", "集团公司", "分公司", "公司",
    "co.,ltd.", "co.,ltd", "co.ltd.", "co.ltd", "corporation", "company", "limited", "ltd.", "ltd", "inc.", "inc",
)
_PUNCTUATION = re.compile(r"[\s\-_.,·•'\"“”‘’()\[\]{}<>《》【】（）、，。]+")


def normalise_name(name: str) -> str:
    """Key for duplicate detection: same key means 'probably the same company'.

    NFKC folds full-width letters, digits and brackets to half width; case is folded; spaces and
    punctuation go; a trailing legal-form suffix (有限公司 / 有限责任公司 / 股份有限公司 / Co., Ltd …) goes.
    """
    text = unicodedata.normalize("NFKC", name or "").casefold().strip()
    compact = re.sub(r"\s+", "", text)
    for suffix in LEGAL_SUFFIXES:
        if compact.endswith(suffix):
            if len(compact) > len(suffix):
                compact = compact[: -len(suffix)]
            break
    return _PUNCTUATION.sub("", compact)


def normalise_phone(phone: str) -> str:
    """Digits only, without a leading +86 / 0086 country code; '' if too short to compare."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", phone or ""))
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 9:
            digits = digits[len(prefix):]
            # International form drops the trunk 0 of a landline area code; mobiles are 11 digits from 1.
            if not (len(digits) == 11 and digits.startswith("1")) and not digits.startswith("0"):
                digits = "0" + digits
            break
    return digits if len(digits) >= 7 else ""


POTENTIAL, NEW, OLD = "potential", "new", "old"


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError("unreachable")


def lifecycle(first_order: datetime.date | None, today: datetime.date, new_months: int) -> str:
    """potential: never ordered; new: first order within the last new_months months; old: earlier."""
    if first_order is None:
        return POTENTIAL
    return NEW if first_order > add_months(today, -new_months) else OLD


def new_since(today: datetime.date, new_months: int) -> datetime.date:
    """First-order dates after this day are 'new' (for filtering in the database)."""
    return add_months(today, -new_months)
