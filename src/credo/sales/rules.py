"""Pure rules of the ledger (no Django import): due dates and the allocation plan."""

import datetime
from decimal import Decimal

ZERO = Decimal("0.00")


def due_date(invoice_date: datetime.date, credit_days: int) -> datetime.date:
    return invoice_date + datetime.timedelta(days=credit_days)


def fifo_plan(amount: Decimal, open_items: list[tuple[object, Decimal]]) -> tuple[list[tuple[object, Decimal]], Decimal]:
    """Apply `amount` to open items in the order given (oldest first).

    Returns ([(item key, amount applied)], remainder). Never applies more than an item's open amount,
    never more than `amount` in total, never a zero line.
    """
    if amount < 0:
        raise ValueError("amount must not be negative")
    plan, left = [], amount
    for key, open_amount in open_items:
        if left <= 0:
            break
        if open_amount <= 0:
            continue
        applied = min(left, open_amount)
        plan.append((key, applied))
        left -= applied
    return plan, left


def check_manual_plan(amount: Decimal, requested: list[tuple[object, Decimal]],
                      open_amounts: dict[object, Decimal]) -> dict[object, str]:
    """Problems with a hand-made allocation, by item key ('' for the whole): reason keys
    'not_positive', 'not_open', 'over_open', 'over_amount'."""
    problems: dict[object, str] = {}
    total = ZERO
    for key, applied in requested:
        total += applied
        if applied <= 0:
            problems[key] = "not_positive"
        elif key not in open_amounts or open_amounts[key] <= 0:
            problems[key] = "not_open"
        elif applied > open_amounts[key]:
            problems[key] = "over_open"
    if total > amount:
        problems[""] = "over_amount"
    return problems
