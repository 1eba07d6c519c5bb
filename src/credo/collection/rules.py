"""Pure collection rules: which letter is due, letter wording, instalment schedules and progress, promises,
an invoice's open principal over time (for penalty interest). No database here."""

import calendar
import datetime
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
LETTER_FIELDS = frozenset({"customer", "company", "total", "count", "oldest_due", "max_days", "pay_by", "department",
                           "date"})


def check_letter_template(body: str) -> None:
    """Raise ValueError(name) for a placeholder the letter does not know; a bad brace raises ValueError too."""
    for _literal, name, _spec, _conv in string.Formatter().parse(body or ""):
        if name is not None and name not in LETTER_FIELDS:
            raise ValueError(name or "{}")


def fill_letter(body: str, values: dict[str, str]) -> list[str]:
    """The letter's paragraphs: the template filled in, split at blank lines."""
    text = body.format_map({k: values.get(k, "") for k in LETTER_FIELDS})
    return [" ".join(line.strip() for line in part.splitlines() if line.strip())
            for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def letter_due(max_days_overdue: int, schedule: Iterable[tuple[str, int]], sent: Iterable[str],
               order: dict[str, int]) -> str | None:
    """The letter to send now: the highest level whose day has come, unless it or a higher one went out."""
    due = [level for level, days in schedule if max_days_overdue >= days]
    if not due:
        return None
    level = max(due, key=order.__getitem__)
    highest_sent = max((order[s] for s in sent), default=0)
    return level if order[level] > highest_sent else None


def schedule_for_plan(schedule: Sequence[tuple[str, int]], plan: str | None) -> list[tuple[str, int]]:
    """A customer's collection policy applied to the company schedule [(level, days)], mildest first:
    "relationship" — calls and visits first, no advance notice; "strict" — the first letter from the first
    day overdue; anything else — the schedule as it is."""
    steps = list(schedule)
    if plan == "relationship":
        return steps[1:] if len(steps) > 1 else steps
    if plan == "strict" and steps:
        return [(steps[0][0], 1), *steps[1:]]
    return steps


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def split_instalments(total: Decimal, count: int, first_due: datetime.date,
                      every_months: int = 1) -> list[tuple[datetime.date, Decimal]]:
    """Equal instalments rounded down to the cent; the last one takes the remainder so they sum to total."""
    if count < 1 or total <= 0 or every_months < 1:
        raise ValueError("count, total and interval must be positive")
    each = (total / count).quantize(CENT, rounding=ROUND_DOWN)
    if each <= 0:
        raise ValueError("total too small for so many instalments")
    amounts = [each] * (count - 1) + [total - each * (count - 1)]
    return [(add_months(first_due, i * every_months), amount) for i, amount in enumerate(amounts)]


@dataclass(frozen=True)
class InstalmentState:
    seq: int
    due_date: datetime.date
    amount: Decimal
    paid: Decimal
    status: str  # paid / part / due / overdue

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid


def instalment_progress(instalments: Sequence[tuple[int, datetime.date, Decimal]], received: Decimal,
                        as_of: datetime.date) -> list[InstalmentState]:
    """Money received since the plan was agreed pays the instalments in order."""
    left, states = received, []
    for seq, due, amount in sorted(instalments, key=lambda i: i[0]):
        paid = min(amount, max(left, ZERO))
        left -= paid
        if paid >= amount:
            status = "paid"
        elif due < as_of:
            status = "overdue"
        else:
            status = "part" if paid > 0 else "due"
        states.append(InstalmentState(seq, due, amount, paid, status))
    return states


def promise_outcome(amount: Decimal, received: Decimal, promised_date: datetime.date, as_of: datetime.date,
                    grace_days: int = 0) -> str:
    """kept once enough has come in; broken when the promised date plus grace has passed without it."""
    if received >= amount:
        return "kept"
    if as_of > promised_date + datetime.timedelta(days=grace_days):
        return "broken"
    return "open"


def open_principal_history(invoice_date: datetime.date, amount: Decimal,
                           allocations: Iterable[tuple[datetime.date, Decimal]]) -> list[tuple[datetime.date, Decimal]]:
    """[(from day, open principal)] for penalty interest: each allocation lowers (a reversal raises) the
    principal from its date on."""
    by_day: dict[datetime.date, Decimal] = {}
    for day, allocated in allocations:
        by_day[day] = by_day.get(day, ZERO) + allocated
    history, open_amount = [(invoice_date, amount)], amount
    for day in sorted(by_day):
        open_amount -= by_day[day]
        if day <= invoice_date:
            history = [(invoice_date, open_amount)]
        else:
            history.append((day, open_amount))
    return history


def credit_promises(promises: Sequence[tuple[int, datetime.date, datetime.date, Decimal]],
                    receipts: Sequence[tuple[datetime.date, Decimal]]) -> dict[int, Decimal]:
    """Money received counted towards promises, each payment once: promises in the order they fall due
    (key, made_on, last day counted, amount) take the earliest payments dated inside their window."""
    left = [[day, amount] for day, amount in sorted(receipts)]
    credited: dict[int, Decimal] = {}
    for key, made_on, last_day, amount in sorted(promises, key=lambda p: (p[2], p[0])):
        got = ZERO
        for payment in left:
            if got >= amount:
                break
            if made_on <= payment[0] <= last_day and payment[1] > 0:
                take = min(payment[1], amount - got)
                payment[1] -= take
                got += take
        credited[key] = got
    return credited
