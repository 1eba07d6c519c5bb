"""Pure rules of complaints (SPEC §7.1): the six steps in order, the priority a customer's class gives, and
repeat detection. No Django import: plain values in, plain values out, each refusal a StepError with a code the
services turn into a translated message naming the field.

Steps: 1 record / listen → 2 analyse the cause → 3 find a solution → 4 tell the customer → 5 carry it out →
6 review the result. Only the open step can be closed (no skipping, no closing twice), only with its record;
closing step 6 closes the complaint. A reopen names the step to start again at (1–6) and needs a reason.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

STEPS = (1, 2, 3, 4, 5, 6)
FIRST_STEP, LAST_STEP = STEPS[0], STEPS[-1]
CAUSE_STEP = 2          # analyse the cause: its closing names where the cause lies
RECORD_LENGTH = 4000
REASON_LENGTH = 500

OPEN, CLOSED = "open", "closed"

# Priority: 1 is handled first. Class A (pyramid or ABC) and key customers are high (SPEC §2.2 "complaints
# handled first"); B medium; everybody else normal.
HIGH, MEDIUM, NORMAL = 1, 2, 3
SLA_CLASS_A = "A"

DEFAULT_REPEAT_WINDOW_DAYS = 90
MAX_REPEAT_WINDOW_DAYS = 3650


class StepError(Exception):
    """A refused step change; `code` says why, `field` which input it concerns."""

    def __init__(self, code: str, field: str = "step"):
        super().__init__(code)
        self.code, self.field = code, field


def next_step(number: int) -> int | None:
    """The step after `number`; None after the last."""
    if number not in STEPS:
        raise StepError("unknown_step")
    return None if number == LAST_STEP else number + 1


def check_close(status: str, current: int, number: int, record: str) -> str:
    """The record text to keep when step `number` may be closed now, else StepError:
    closed (the complaint is closed), unknown_step, done (already closed), skip (a later step than the open one),
    no_record (empty), record_too_long."""
    if status != OPEN:
        raise StepError("closed")
    if number not in STEPS:
        raise StepError("unknown_step")
    if number < current:
        raise StepError("done")
    if number > current:
        raise StepError("skip")
    text = (record or "").strip()
    if not text:
        raise StepError("no_record", "record")
    if len(text) > RECORD_LENGTH:
        raise StepError("record_too_long", "record")
    return text


def after_close(number: int) -> tuple[int, str]:
    """(current step, status) once step `number` is closed: the next step opens, or the complaint closes."""
    following = next_step(number)
    return (number, CLOSED) if following is None else (following, OPEN)


def check_reopen(status: str, current: int, to_step, reason: str) -> tuple[int, str]:
    """(step to start again at, reason) for a reopen, else StepError: unknown_step (field to_step), ahead
    (an open complaint can only go back, not forward or stay), no_reason / reason_too_long (field reason)."""
    try:
        target = int(to_step)
    except (TypeError, ValueError):
        raise StepError("unknown_step", "to_step") from None
    if target not in STEPS:
        raise StepError("unknown_step", "to_step")
    if status == OPEN and target >= current:
        raise StepError("ahead", "to_step")
    text = (reason or "").strip()
    if not text:
        raise StepError("no_reason", "reason")
    if len(text) > REASON_LENGTH:
        raise StepError("reason_too_long", "reason")
    return target, text


def priority(pyramid_class: str = "", abc_class: str = "", key_customer: bool = False) -> tuple[int, str]:
    """(priority, SLA customer class) from the customer's classes and key flag."""
    classes = {(pyramid_class or "").upper(), (abc_class or "").upper()}
    if key_customer or "A" in classes:
        return HIGH, SLA_CLASS_A
    if "B" in classes:
        return MEDIUM, ""
    return NORMAL, ""


def check_window(days) -> int:
    try:
        value = int(str(days).strip())
    except (TypeError, ValueError):
        raise StepError("bad_window", "repeat_window_days") from None
    if not 1 <= value <= MAX_REPEAT_WINDOW_DAYS:
        raise StepError("bad_window", "repeat_window_days")
    return value


@dataclass(frozen=True)
class Case:
    """What repeat detection compares of one complaint."""

    id: int
    customer_id: int | None
    received_on: datetime.date
    category: str
    product_id: int | None = None
    product_text: str = ""
    order_id: int | None = None


def _product_key(case: Case) -> str:
    if case.product_id:
        return f"id:{case.product_id}"
    text = "".join((case.product_text or "").split()).casefold()
    return f"text:{text}" if text else ""


def why_repeat(new: Case, earlier: Case, window_days: int) -> str | None:
    """"product", "order" or "category" when `earlier` makes `new` a repeat: the same customer, received within
    `window_days` days before (same day included), and the same product, the same order or the same category;
    None otherwise."""
    if new.customer_id is None or earlier.customer_id != new.customer_id or earlier.id == new.id:
        return None
    gap = (new.received_on - earlier.received_on).days
    if gap < 0 or gap > window_days:
        return None
    product = _product_key(new)
    if product and product == _product_key(earlier):
        return "product"
    if new.order_id and new.order_id == earlier.order_id:
        return "order"
    if new.category and new.category == earlier.category:
        return "category"
    return None


def find_repeat(new: Case, earlier: Iterable[Case], window_days: int) -> tuple[Case, str] | None:
    """The most recent earlier complaint that makes `new` a repeat, with the reason; None when there is none."""
    found = [(case, reason) for case in earlier if (reason := why_repeat(new, case, window_days))]
    if not found:
        return None
    return max(found, key=lambda pair: (pair[0].received_on, pair[0].id))


# --- the management view's figures (SPEC §7.3) ------------------------------------------------------------

HUNDRED = Decimal(100)


def share(part: int, whole: int) -> Decimal | None:
    """part / whole as a fraction with 4 decimals; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def per_hundred_orders(complaints: int, orders: int) -> Decimal | None:
    """The complaint rate (投诉率) per 100 orders, 2 decimals; None without orders (a rate of nothing)."""
    if not orders:
        return None
    return (Decimal(complaints) * HUNDRED / Decimal(orders)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def hours(seconds: float) -> Decimal:
    return (Decimal(str(seconds)) / Decimal(3600)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def average(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def median(values: Iterable[Decimal]) -> Decimal | None:
    ordered = sorted(values)
    if not ordered:
        return None
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return ((ordered[mid - 1] + ordered[mid]) / 2).quantize(Decimal("0.01"), ROUND_HALF_UP)


def month_keys(first, last) -> list[str]:
    """'YYYY-MM' for every month from first's to last's, in order."""
    keys, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys
