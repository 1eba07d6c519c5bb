"""Risk classes CA1–CA5: the inputs of each customer, the rule table, and the stored assignment.

A customer has one current RiskClassAssignment. When the class or the matching rule changes, the old row
stays as history and a new one becomes current (with a timeline event and an audit entry); otherwise the
current row's inputs and check date are refreshed.
"""

import datetime
from decimal import Decimal

from credo.core import audit, timeline
from credo.core.models import AuditEntry

from . import events, rules
from .defaults import ensure_defaults
from .models import RiskClass, RiskClassAssignment, RiskClassRule


def class_table() -> list[rules.ClassRule]:
    """The active rules, in order. An empty table (never set up, or flushed in tests) gets the defaults."""
    if not RiskClassRule.objects.exists() or not RiskClass.objects.exists():
        ensure_defaults()
    return [as_rule(r) for r in RiskClassRule.objects.filter(is_active=True).order_by("position", "id")]


def as_rule(row: RiskClassRule) -> rules.ClassRule:
    return rules.ClassRule(
        id=row.pk, position=row.position, risk_class=row.risk_class,
        risk_levels=frozenset(rules.split_codes(row.risk_levels)),
        importances=frozenset(rules.split_codes(row.importances, upper=False)),
        sales_classes=frozenset(rules.split_codes(row.sales_classes)),
        min_sales=row.min_annual_sales, max_sales=row.max_annual_sales,
        min_completeness=row.min_completeness, max_completeness=row.max_completeness,
        description=row.description)


def rule_text(rule: rules.ClassRule | None) -> str:
    if rule is None:
        return ""
    conditions = "; ".join(f"{name} {value}" for name, value in rule.conditions()) or "—"
    text = f"#{rule.position} {conditions} → {rule.risk_class}"
    return f"{text} ({rule.description})"[:300] if rule.description else text[:300]


def decide(table, *, risk_level: str, importance: str, annual_sales: Decimal, facts: dict,
           sales_class: str | None) -> tuple[str, rules.ClassRule | None, dict]:
    """(class, rule that matched, inputs to store) for one customer."""
    done = rules.completeness(facts)
    inputs = rules.ClassInputs(risk_level=risk_level, importance=importance, annual_sales=annual_sales,
                               completeness=done.percent, sales_class=sales_class)
    risk_class, rule = rules.classify(table, inputs)
    stored = {"risk_level": risk_level, "importance": importance, "annual_sales": str(annual_sales),
              "completeness": done.percent, "missing": done.missing, "sales_class": sales_class}
    return risk_class, rule, stored


def store(decisions: dict[int, tuple], as_of: datetime.date, actor=None) -> int:
    """Write the decisions {customer_id: (class, rule, inputs)}; returns how many customers changed class
    (a first assignment counts as a change). actor: the user, or None for the system (the scan)."""
    if not decisions:
        return 0
    name = getattr(actor, "username", "") or "system"
    current = {a.customer_id: a for a in RiskClassAssignment.objects.filter(
        customer_id__in=list(decisions), is_current=True)}
    new_rows, retired, refreshed, checked = [], [], [], []
    changes = []
    for cid, (risk_class, rule, inputs) in decisions.items():
        rule_id = rule.id if rule else None
        now = current.get(cid)
        if now is not None and now.risk_class == risk_class and now.rule_id == rule_id:
            if now.inputs != inputs:
                now.inputs, now.checked_on = inputs, as_of
                refreshed.append(now)
            elif now.checked_on != as_of:
                checked.append(now.pk)
            continue
        if now is not None:
            retired.append(now.pk)
            changes.append((cid, now.risk_class, risk_class))
        new_rows.append(RiskClassAssignment(customer_id=cid, risk_class=risk_class, rule_id=rule_id,
                                            rule_text=rule_text(rule), inputs=inputs, assigned_on=as_of,
                                            checked_on=as_of, assigned_by=name))
    if retired:
        RiskClassAssignment.objects.filter(pk__in=retired).update(is_current=False)
    if checked:
        RiskClassAssignment.objects.filter(pk__in=checked).update(checked_on=as_of)
    if refreshed:
        RiskClassAssignment.objects.bulk_update(refreshed, ["inputs", "checked_on"], batch_size=500)
    if new_rows:
        created = RiskClassAssignment.objects.bulk_create(new_rows, batch_size=1000)
        audit.record_many(actor, AuditEntry.Action.CREATE,
                          [(row, {"risk_class": row.risk_class, "rule": row.rule_text}) for row in created],
                          reason="risk class")
    if changes:
        timeline.add_events([(cid, f"{old} → {new}", None) for cid, old, new in changes], events.CLASS_CHANGED.code,
                            actor=name)
    return len(new_rows)


def current_assignment(customer_id: int) -> RiskClassAssignment | None:
    return RiskClassAssignment.objects.filter(customer_id=customer_id, is_current=True).select_related("rule").first()
