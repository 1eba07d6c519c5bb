"""Claims (索赔, SPEC §7.2), the pure part: which step may follow which, and whether the amounts and the invoice
lines of a claim hold together. No Django: plain inputs, problem codes out (services turn codes into messages)."""

from decimal import Decimal

DRAFT, SUBMITTED, APPROVED, REJECTED, SETTLED, WITHDRAWN = (
    "draft", "submitted", "approved", "rejected", "settled", "withdrawn")
ZERO = Decimal("0.00")

# action: (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({DRAFT}), SUBMITTED),
    "approve": (frozenset({SUBMITTED}), APPROVED),
    "reject": (frozenset({SUBMITTED}), REJECTED),
    "settle": (frozenset({APPROVED}), SETTLED),
    "withdraw": (frozenset({DRAFT, SUBMITTED, APPROVED}), WITHDRAWN),
}
# Goods may come back at any time until the claim is withdrawn (a rejected claim's goods can still be returned).
RETURN_STATUSES = frozenset({DRAFT, SUBMITTED, APPROVED, REJECTED, SETTLED})


def next_status(status: str, action: str) -> str | None:
    """The status after the action, or None when the action cannot follow the status."""
    sources, target = TRANSITIONS[action]
    return target if status in sources else None


def allowed_actions(status: str) -> list[str]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if status in sources]


def check_amounts(claimed: Decimal | None, agreed: Decimal | None,
                  lines: list[tuple[object, Decimal]]) -> dict[str, str]:
    """Problems by field: amount_claimed, amount_agreed, lines. Codes: missing, not_positive, over_claimed,
    no_lines, line_not_positive, duplicate_invoice, lines_not_agreed."""
    problems: dict[str, str] = {}
    if claimed is None:
        problems["amount_claimed"] = "missing"
    elif claimed <= 0:
        problems["amount_claimed"] = "not_positive"
    if agreed is None:
        problems["amount_agreed"] = "missing"
    elif agreed <= 0:
        problems["amount_agreed"] = "not_positive"
    elif claimed is not None and claimed > 0 and agreed > claimed:
        problems["amount_agreed"] = "over_claimed"
    keys = [key for key, _amount in lines]
    if not lines:
        problems["lines"] = "no_lines"
    elif any(amount <= 0 for _key, amount in lines):
        problems["lines"] = "line_not_positive"
    elif len(set(keys)) != len(keys):
        problems["lines"] = "duplicate_invoice"
    elif agreed is not None and "amount_agreed" not in problems and sum((a for _k, a in lines), ZERO) != agreed:
        problems["lines"] = "lines_not_agreed"
    return problems


def check_settlement(lines: list[tuple[object, Decimal]], open_amounts: dict[object, Decimal]) -> dict[object, str]:
    """Problems by invoice key at settlement: 'not_open' (paid or credited meanwhile) or 'over_open' (more than
    the invoice still owes). A claim never credits an invoice below zero."""
    problems: dict[object, str] = {}
    for key, amount in lines:
        left = open_amounts.get(key, ZERO)
        if left <= 0:
            problems[key] = "not_open"
        elif amount > left:
            problems[key] = "over_open"
    return problems
