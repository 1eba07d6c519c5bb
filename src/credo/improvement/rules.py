"""Improvement actions and service promises, pure (no Django import).

Improvement actions (改善缺点) move open → in progress → done → verified, or are cancelled on the way; an action
is overdue when its due date has passed and it is not done yet.

A service promise (服务承诺) is a budget for one measure of a complaint or a service request: "first reply
within 4 working hours" is 4 business hours of first response, "replacement within 3 days" 3 calendar days of
resolution. Each case the promise covers (one SLA clock: started_at, stopped_at, the pauses while the subject
waited on the customer) is judged against the budget at a moment `as_of`:

- kept     stopped within the budget;
- broken   the time used (until the stop, or until as_of while it runs) is over the budget — a running case
           that is already over is broken, it cannot be kept any more;
- running  not stopped and still within the budget.

Business hours are counted on the company's business calendar (credo.worktime.rules.Calendar, passed in:
anything with business_time_between(a, b, pauses)); calendar days count the wall-clock time less the paused
time. The share kept is kept / (kept + broken): running cases are not decided yet.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# --- improvement actions -----------------------------------------------------------------------------------

OPEN, IN_PROGRESS, DONE, VERIFIED, CANCELLED = "open", "in_progress", "done", "verified", "cancelled"
STATUSES = (OPEN, IN_PROGRESS, DONE, VERIFIED, CANCELLED)
NOT_DONE = (OPEN, IN_PROGRESS)
CORRECTIVE, PREVENTIVE = "corrective", "preventive"

START, COMPLETE, VERIFY, CANCEL = "start", "complete", "verify", "cancel"
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    START: (frozenset({OPEN}), IN_PROGRESS),
    COMPLETE: (frozenset({IN_PROGRESS}), DONE),
    VERIFY: (frozenset({DONE}), VERIFIED),
    CANCEL: (frozenset({OPEN, IN_PROGRESS, DONE}), CANCELLED),
}
TITLE_LENGTH, TEXT_LENGTH = 200, 4000


class TransitionError(ValueError):
    """A move the action's status does not allow; code names why."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


def next_status(current: str, transition: str) -> str:
    """The status after a transition; TransitionError("unknown") or ("not_allowed")."""
    if transition not in TRANSITIONS:
        raise TransitionError("unknown", transition)
    allowed, target = TRANSITIONS[transition]
    if current not in allowed:
        raise TransitionError("not_allowed", f"{transition} from {current}")
    return target


def allowed_transitions(current: str) -> list[str]:
    return [name for name, (allowed, _target) in TRANSITIONS.items() if current in allowed]


def is_overdue(status: str, due_date: datetime.date | None, today: datetime.date) -> bool:
    return status in NOT_DONE and due_date is not None and due_date < today


def needs_due_reminder(status: str, due_date: datetime.date, reminded_for: datetime.date | None,
                       as_of: datetime.date) -> bool:
    """The owner is told once per due date, on the day it falls due or later, while the action is not done."""
    return status in NOT_DONE and due_date <= as_of and reminded_for != due_date


# --- service promises ------------------------------------------------------------------------------------

BUSINESS_HOURS, CALENDAR_DAYS = "business_hours", "calendar_days"
UNITS = (BUSINESS_HOURS, CALENDAR_DAYS)
KEPT, BROKEN, RUNNING = "kept", "broken", "running"
MAX_BUDGET = {BUSINESS_HOURS: Decimal(10_000), CALENDAR_DAYS: Decimal(365)}
WORST_MISSES = 5
ZERO = datetime.timedelta(0)

Pause = tuple[datetime.datetime, datetime.datetime | None]


@dataclass(frozen=True)
class Case:
    """One complaint's or service request's clock that a promise covers."""

    subject_id: int
    started_at: datetime.datetime
    stopped_at: datetime.datetime | None = None
    pauses: tuple[Pause, ...] = ()
    customer_id: int | None = None


@dataclass(frozen=True)
class Outcome:
    case: Case
    result: str                      # KEPT, BROKEN or RUNNING
    used: datetime.timedelta         # time used until the stop (or as_of while running)
    over: datetime.timedelta         # how far over the budget; zero unless broken


@dataclass
class Performance:
    kept: int = 0
    broken: int = 0
    running: int = 0
    share_kept: Decimal | None = None   # per cent, one decimal; None when nothing is decided
    worst: list[Outcome] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.kept + self.broken + self.running


def budget_delta(unit: str, amount: Decimal) -> datetime.timedelta:
    """The promised budget as a timedelta, exact to the microsecond (1.5 hours is 90 minutes)."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}")
    per = 3_600_000_000 if unit == BUSINESS_HOURS else 86_400_000_000
    return datetime.timedelta(microseconds=int((Decimal(amount) * per).to_integral_value(ROUND_HALF_UP)))


def _paused_wall_time(pauses: Iterable[Pause], start: datetime.datetime, end: datetime.datetime
                      ) -> datetime.timedelta:
    """Wall-clock time within [start, end) covered by the pauses (overlapping pauses counted once)."""
    spans = sorted((max(b, start), min(e or end, end)) for b, e in pauses)
    total, reach = ZERO, start
    for begin, finish in spans:
        begin = max(begin, reach)
        if finish > begin:
            total += finish - begin
            reach = finish
    return total


def used_time(calendar, unit: str, case: Case, as_of: datetime.datetime) -> datetime.timedelta:
    end = case.stopped_at or as_of
    if end <= case.started_at:
        return ZERO
    if unit == BUSINESS_HOURS:
        return calendar.business_time_between(case.started_at, end, case.pauses)
    return (end - case.started_at) - _paused_wall_time(case.pauses, case.started_at, end)


def judge(calendar, unit: str, budget: datetime.timedelta, case: Case, as_of: datetime.datetime) -> Outcome:
    used = used_time(calendar, unit, case, as_of)
    if used > budget:
        return Outcome(case, BROKEN, used, used - budget)
    return Outcome(case, KEPT if case.stopped_at is not None else RUNNING, used, ZERO)


def share(kept: int, broken: int) -> Decimal | None:
    decided = kept + broken
    if not decided:
        return None
    return (Decimal(kept) * 100 / decided).quantize(Decimal("0.1"), ROUND_HALF_UP)


def summarise(outcomes: Sequence[Outcome], worst: int = WORST_MISSES) -> Performance:
    counts = {KEPT: 0, BROKEN: 0, RUNNING: 0}
    for outcome in outcomes:
        counts[outcome.result] += 1
    misses = sorted((o for o in outcomes if o.result == BROKEN), key=lambda o: (-o.over, o.case.subject_id))
    return Performance(counts[KEPT], counts[BROKEN], counts[RUNNING], share(counts[KEPT], counts[BROKEN]),
                       misses[:worst])


def measure(calendar, unit: str, amount: Decimal, cases: Iterable[Case], as_of: datetime.datetime,
            worst: int = WORST_MISSES) -> Performance:
    """How a promise of `amount` (hours or days, by unit) did over the cases, judged at as_of."""
    budget = budget_delta(unit, amount)
    return summarise([judge(calendar, unit, budget, case, as_of) for case in cases], worst)


def in_unit(delta: datetime.timedelta, unit: str) -> Decimal:
    """A duration in a promise's unit (hours or days), to two decimals."""
    micro = Decimal((delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds)
    per = Decimal(3_600_000_000 if unit == BUSINESS_HOURS else 86_400_000_000)
    return (micro / per).quantize(Decimal("0.01"), ROUND_HALF_UP)
