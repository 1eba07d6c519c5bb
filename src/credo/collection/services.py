"""Writes on collection cases: opening and closing, reason and evidence, promises, escalation, legal hand-over,
instalment plans and bad-debt measures. One transaction each; ValidationError names the field, PermissionDenied
when the role or scope does not allow it; nothing changes when either is raised. Every change is audited."""

import datetime
import uuid
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from credo.core import audit, timeline
from credo.core.clock import business_today
from credo.core.errors import PermissionDenied, ValidationError, require
from credo.core.models import AuditEntry
from credo.core.money import money
from credo.core.roles import Role, has_perm, role_of
from credo.core.scopes import customer_q
from credo.customers.models import Customer
from credo.sales.models import Receipt
from credo.sales.services import post_credit_note

from . import events, rules
from .models import (
    BadDebtMeasure,
    CaseEntry,
    CollectionCase,
    CollectionPolicy,
    DebtorType,
    Instalment,
    InstalmentPlan,
    PromiseToPay,
)

ZERO = Decimal("0.00")
MAX_INSTALMENTS = 60


def require_case_action(user, customer_id: int, action: str = "collection.act"):
    require(has_perm(user, action), _("Your role may not act on collection cases."))
    if not Customer.objects.filter(customer_q(user), pk=customer_id).exists():
        raise PermissionDenied(_("This customer is not in your scope."))


def _raise(errors: dict):
    if errors:
        raise ValidationError(errors)


def _amount(field: str, value, errors: dict) -> Decimal | None:
    try:
        amount = money(value)
    except (InvalidOperation, TypeError, ValueError):
        errors.setdefault(field, []).append(_("Enter an amount."))
        return None
    if amount <= 0:
        errors.setdefault(field, []).append(_("The amount must be greater than zero."))
        return None
    return amount


def _live(case: CollectionCase) -> CollectionCase:
    case = CollectionCase.objects.select_for_update().get(pk=case.pk)
    if not case.is_live:
        raise ValidationError({"status": [_("This case is closed.")]})
    return case


def _entry(by: str, case, kind, text="", file=None) -> CaseEntry:
    entry = CaseEntry(case=case, kind=kind, text=text, created_by=by)
    if file is not None:
        entry.file, entry.file_name = file, getattr(file, "name", "")[:200]
    entry.save()
    return entry


def _number_cases(cases: list[CollectionCase]):
    for case in cases:
        case.number = f"CS{case.pk:06d}"
    CollectionCase.objects.bulk_update(cases, ["number"])


def new_case(customer_id: int, *, on: datetime.date, opened_by: str, overdue: Decimal, owner=None) -> CollectionCase:
    case = CollectionCase(customer_id=customer_id, number=f"new-{uuid.uuid4().hex[:16]}", opened_on=on,
                          opened_by=opened_by, overdue_at_opening=overdue, owner=owner)
    return case


def _create_case(customer: Customer, actor, *, on: datetime.date, owner=None, reason: str = "",
                 debtor_type: str = "", note: str = "") -> CollectionCase:
    """Write a new case with the overdue amount of its opening day; audited, on the timeline."""
    from .queries import overdue_summary

    username = getattr(actor, "username", "") or str(actor or "system")
    overdue = overdue_summary([customer.pk], on).get(customer.pk, {}).get("overdue", ZERO)
    case = new_case(customer.pk, on=on, opened_by=username, overdue=overdue, owner=owner)
    case.reason, case.debtor_type = reason.strip(), debtor_type
    case.save()
    _number_cases([case])
    if note.strip():
        _entry(username, case, CaseEntry.Kind.NOTE, note.strip())
    audit.record(actor if getattr(actor, "pk", None) else None, AuditEntry.Action.CREATE, case,
                 after=audit.snapshot(case), customer_id=customer.pk, reason=note)
    timeline.add_event(customer.pk, events.CASE_OPENED.code, actor=actor, obj=case,
                       summary=f"{case.number} ¥{overdue:,.2f}")
    return case


@transaction.atomic
def open_case(user, customer: Customer, *, on: datetime.date | None = None, reason: str = "",
              debtor_type: str = "") -> CollectionCase:
    """Open a case by hand (the dunning run opens them too). One live case per customer."""
    from .queries import live_case

    require_case_action(user, customer.pk)
    on = on or business_today()
    errors: dict = {}
    if live_case(customer.pk) is not None:
        errors.setdefault("customer", []).append(_("This customer already has an open collection case."))
    if debtor_type and debtor_type not in DebtorType.values:
        errors.setdefault("debtor_type", []).append(_("Choose a debtor type from the list."))
    if on > business_today():
        errors.setdefault("opened_on", []).append(_("The date cannot be in the future."))
    _raise(errors)
    return _create_case(customer, user, on=on, owner=user, reason=reason, debtor_type=debtor_type)


def open_case_for(customer: Customer, actor, *, reason: str = "") -> CollectionCase:
    """The customer's live case, opened now if there is none (e.g. when trade is stopped: SPEC §5.8). No permission
    check: the caller decided (an approved decision of the credit app)."""
    from .queries import live_case

    return live_case(customer.pk) or _create_case(customer, actor, on=business_today(), note=reason)


@transaction.atomic
def update_case(user, case: CollectionCase, *, reason: str | None = None, debtor_type: str | None = None,
                owner=None, penalty_daily_rate=None) -> CollectionCase:
    """The customer's stated reason, the debtor type, the collector and a case-specific interest rate."""
    require_case_action(user, case.customer_id)
    case = _live(case)
    before = audit.snapshot(case)
    errors: dict = {}
    if debtor_type is not None:
        if debtor_type and debtor_type not in DebtorType.values:
            errors.setdefault("debtor_type", []).append(_("Choose a debtor type from the list."))
        case.debtor_type = debtor_type
    if penalty_daily_rate not in (None, ""):
        try:
            rate = Decimal(str(penalty_daily_rate))
            if not (0 <= rate < 1):
                raise InvalidOperation
            case.penalty_daily_rate = rate
        except (InvalidOperation, ValueError):
            errors.setdefault("penalty_daily_rate", []).append(
                _("Enter a daily rate as a fraction between 0 and 1, e.g. 0.0005."))
    if owner is not None:
        case.owner = owner
    _raise(errors)
    if reason is not None and reason.strip() != case.reason:
        case.reason = reason.strip()
        _entry(user.username, case, CaseEntry.Kind.REASON, case.reason)
    case.save()
    audit.record_change(user, case, before, customer_id=case.customer_id)
    return case


@transaction.atomic
def add_entry(user, case: CollectionCase, *, text: str, file=None, evidence: bool = False) -> CaseEntry:
    """A note or a piece of evidence (e.g. the customer's letter, a delivery receipt), with an optional file.
    Salespeople and managers the case was escalated to may add notes too."""
    require_case_action(user, case.customer_id, "collection.note")
    if not text.strip() and file is None:
        raise ValidationError({"text": [_("Write something or attach a file.")]})
    kind = CaseEntry.Kind.EVIDENCE if evidence or file is not None else CaseEntry.Kind.NOTE
    entry = _entry(user.username, case, kind, text.strip(), file)
    audit.record(user, AuditEntry.Action.CREATE, entry, after=audit.snapshot(entry), customer_id=case.customer_id)
    return entry


@transaction.atomic
def record_promise(user, case: CollectionCase, *, promised_date: datetime.date, amount, made_on=None,
                   made_by: str = "", note: str = "") -> PromiseToPay:
    require_case_action(user, case.customer_id)
    case = _live(case)
    made_on = made_on or business_today()
    errors: dict = {}
    amount = _amount("amount", amount, errors)
    if not promised_date:
        errors.setdefault("promised_date", []).append(_("Enter the date the customer promised to pay by."))
    elif promised_date < made_on:
        errors.setdefault("promised_date", []).append(_("The promised date cannot be before the promise was made."))
    if made_on > business_today():
        errors.setdefault("made_on", []).append(_("The date cannot be in the future."))
    _raise(errors)
    promise = PromiseToPay.objects.create(case=case, customer_id=case.customer_id, made_on=made_on,
                                          promised_date=promised_date, amount=amount, made_by=made_by.strip(),
                                          note=note.strip(), recorded_by=user.username)
    audit.record(user, AuditEntry.Action.CREATE, promise, after=audit.snapshot(promise), customer_id=case.customer_id)
    timeline.add_event(case.customer_id, events.PROMISE_RECORDED.code, actor=user, obj=promise,
                       summary=f"¥{amount:,.2f} → {promised_date}")
    return promise


@transaction.atomic
def check_promises(as_of: datetime.date, *, customer_ids=None, actor="system") -> dict[str, int]:
    """Mark waiting promises kept (enough received since the promise) or broken (date + grace passed).
    Overlapping promises of one customer share the payments: each payment counts once."""
    grace = datetime.timedelta(days=CollectionPolicy.current().promise_grace_days)
    waiting = PromiseToPay.objects.select_for_update().filter(status=PromiseToPay.Status.OPEN, made_on__lte=as_of)
    if customer_ids is not None:
        waiting = waiting.filter(customer_id__in=list(customer_ids))
    by_customer: dict[int, list[PromiseToPay]] = {}
    for promise in waiting.order_by("customer_id", "promised_date", "id"):
        by_customer.setdefault(promise.customer_id, []).append(promise)
    counts = {"kept": 0, "broken": 0, "open": 0}
    broken = []
    payments: dict[int, list] = {}
    if by_customer:  # one query for every customer with a waiting promise
        since = min(p.made_on for promises in by_customer.values() for p in promises)
        for customer_id, day, amount in Receipt.objects.filter(
                customer_id__in=list(by_customer), is_reversed=False, receipt_date__gte=since,
                receipt_date__lte=as_of).values_list("customer_id", "receipt_date", "amount"):
            payments.setdefault(customer_id, []).append((day, amount))
    for customer_id, promises in by_customer.items():
        credited = rules.credit_promises(
            [(p.pk, p.made_on, min(as_of, p.promised_date + grace), p.amount) for p in promises],
            payments.get(customer_id, []))
        for promise in promises:
            received = credited[promise.pk]
            outcome = rules.promise_outcome(promise.amount, received, promise.promised_date, as_of, grace.days)
            counts[outcome] += 1
            if outcome != "open":
                promise.status, promise.received, promise.checked_on = outcome, received, as_of
                promise.save(update_fields=["status", "received", "checked_on"])
                if outcome == "broken":
                    broken.append(promise)
    timeline.add_events([(p.customer_id, f"¥{p.amount:,.2f} → {p.promised_date}", p) for p in broken],
                        events.PROMISE_BROKEN.code, actor=actor)
    return counts


def escalation_targets(case: CollectionCase):
    """Whom a case can go up to: the account manager's sales manager, then executives and credit controllers."""
    users = get_user_model().objects.filter(is_active=True)
    above = Q(profile__role__in=[Role.EXECUTIVE, Role.CREDIT_CONTROLLER])
    if case.customer.account_manager_id:
        above |= Q(managed_teams__members__user_id=case.customer.account_manager_id)
    return users.filter(above).distinct()


@transaction.atomic
def escalate(user, case: CollectionCase, *, to_user, note: str) -> CollectionCase:
    """Hand the case to higher management to raise the pressure (SPEC §6.4)."""
    require_case_action(user, case.customer_id)
    case = _live(case)
    errors: dict = {}
    if to_user is None or not escalation_targets(case).filter(pk=to_user.pk).exists():
        errors.setdefault("to_user", []).append(_("Choose a manager or executive to escalate to."))
    elif to_user.pk == user.pk:
        errors.setdefault("to_user", []).append(_("Escalate to someone other than yourself."))
    if not note.strip():
        errors.setdefault("note", []).append(_("Say what the manager should do."))
    _raise(errors)
    before = audit.snapshot(case)
    case.escalation_level += 1
    case.escalated_to = to_user
    case.save(update_fields=["escalation_level", "escalated_to"])
    _entry(user.username, case, CaseEntry.Kind.ESCALATION, f"→ {to_user.get_full_name() or to_user.username}: {note.strip()}")
    audit.record_change(user, case, before, customer_id=case.customer_id, reason=note)
    timeline.add_event(case.customer_id, events.CASE_ESCALATED.code, actor=user, obj=case,
                       summary=f"{case.number} → {to_user.username}")
    return case


@transaction.atomic
def hand_over_to_legal(user, case: CollectionCase, *, on: datetime.date | None = None, note: str) -> CollectionCase:
    require_case_action(user, case.customer_id)
    case = _live(case)
    on = on or business_today()
    errors: dict = {}
    if case.status == CollectionCase.Status.LEGAL:
        errors.setdefault("status", []).append(_("This case is already with legal."))
    if not note.strip():
        errors.setdefault("note", []).append(_("Say what legal should pursue."))
    if on > business_today():
        errors.setdefault("on", []).append(_("The date cannot be in the future."))
    _raise(errors)
    before = audit.snapshot(case)
    case.status, case.legal_on = CollectionCase.Status.LEGAL, on
    case.save(update_fields=["status", "legal_on"])
    _entry(user.username, case, CaseEntry.Kind.LEGAL, note.strip())
    audit.record_change(user, case, before, customer_id=case.customer_id, reason=note)
    timeline.add_event(case.customer_id, events.CASE_LEGAL.code, actor=user, obj=case, summary=case.number)
    return case


def close_live_case(case: CollectionCase, *, on: datetime.date, note: str, actor, settled: bool = False) -> None:
    """Close the case; its active instalment plan ends with it (completed when the debt is settled)."""
    before = audit.snapshot(case)
    case.plans.filter(status=InstalmentPlan.Status.ACTIVE).update(
        status=InstalmentPlan.Status.COMPLETED if settled else InstalmentPlan.Status.CANCELLED)
    case.status, case.closed_on, case.close_note = CollectionCase.Status.CLOSED, on, note[:300]
    case.save(update_fields=["status", "closed_on", "close_note"])
    user = actor if hasattr(actor, "username") else None
    _entry(getattr(user, "username", None) or str(actor or "system"), case, CaseEntry.Kind.CLOSED, note)
    audit.record_change(user, case, before, customer_id=case.customer_id, reason=note)
    timeline.add_event(case.customer_id, events.CASE_CLOSED.code, actor=actor, obj=case,
                       summary=f"{case.number}: {note}"[:300])


@transaction.atomic
def close_case(user, case: CollectionCase, *, note: str) -> CollectionCase:
    require_case_action(user, case.customer_id)
    case = _live(case)
    if not note.strip():
        raise ValidationError({"note": [_("Say why the case is closed (paid, settled, written off …).")]})
    close_live_case(case, on=business_today(), note=note.strip(), actor=user)
    return case


@transaction.atomic
def create_instalment_plan(user, case: CollectionCase, *, total, count: int, first_due: datetime.date,
                           every_months: int = 1, agreed_on: datetime.date | None = None,
                           note: str = "") -> InstalmentPlan:
    """分期付款: equal instalments (the last takes the cents) from first_due every N months."""
    require_case_action(user, case.customer_id)
    case = _live(case)
    agreed_on = agreed_on or business_today()
    errors: dict = {}
    total = _amount("total", total, errors)
    if not isinstance(count, int) or not 1 <= count <= MAX_INSTALMENTS:
        errors.setdefault("count", []).append(_("Between 1 and %(n)d instalments.") % {"n": MAX_INSTALMENTS})
    if not isinstance(every_months, int) or not 1 <= every_months <= 12:
        errors.setdefault("every_months", []).append(_("Every 1 to 12 months."))
    if not first_due:
        errors.setdefault("first_due", []).append(_("Enter the first due date."))
    elif first_due < agreed_on:
        errors.setdefault("first_due", []).append(_("The first instalment cannot fall before the agreement."))
    if total is not None:
        receivable = money(getattr(getattr(case.customer, "balance", None), "receivable", 0) or 0)
        if total > receivable:
            errors.setdefault("total", []).append(
                _("More than the customer owes (¥%(owed)s).") % {"owed": f"{receivable:,.2f}"})
    if case.plans.filter(status=InstalmentPlan.Status.ACTIVE).exists():
        errors.setdefault("case", []).append(_("Cancel or complete the active plan first."))
    _raise(errors)
    try:
        schedule = rules.split_instalments(total, count, first_due, every_months)
    except ValueError:
        raise ValidationError({"count": [_("The total is too small for so many instalments.")]}) from None
    plan = InstalmentPlan.objects.create(case=case, customer_id=case.customer_id, agreed_on=agreed_on, total=total,
                                         note=note.strip(), created_by=user.username)
    Instalment.objects.bulk_create([Instalment(plan=plan, seq=i + 1, due_date=due, amount=amount)
                                    for i, (due, amount) in enumerate(schedule)])
    audit.record(user, AuditEntry.Action.CREATE, plan,
                 after={**audit.snapshot(plan), "instalments": [[str(d), str(a)] for d, a in schedule]},
                 customer_id=case.customer_id)
    timeline.add_event(case.customer_id, events.PLAN_AGREED.code, actor=user, obj=plan,
                       summary=f"¥{total:,.2f} × {count}")
    return plan


@transaction.atomic
def end_instalment_plan(user, plan: InstalmentPlan, *, completed: bool, note: str = "") -> InstalmentPlan:
    require_case_action(user, plan.customer_id)
    plan = InstalmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != InstalmentPlan.Status.ACTIVE:
        raise ValidationError({"status": [_("This plan is no longer active.")]})
    before = audit.snapshot(plan)
    plan.status = InstalmentPlan.Status.COMPLETED if completed else InstalmentPlan.Status.CANCELLED
    plan.save(update_fields=["status"])
    _entry(user.username, plan.case, CaseEntry.Kind.PLAN_ENDED,
           f"¥{plan.total:,.2f} · {plan.get_status_display()}" + (f": {note.strip()}" if note.strip() else ""))
    audit.record_change(user, plan, before, customer_id=plan.customer_id, reason=note)
    return plan


NEEDS_AMOUNT = {BadDebtMeasure.Kind.ALLOWANCE, BadDebtMeasure.Kind.GOODS_BACK, BadDebtMeasure.Kind.COLLATERAL}
CREDIT_NOTE_KIND = {BadDebtMeasure.Kind.ALLOWANCE: "allowance", BadDebtMeasure.Kind.GOODS_BACK: "return"}


@transaction.atomic
def record_measure(user, case: CollectionCase, *, kind: str, description: str, taken_on=None, amount=None,
                   until: datetime.date | None = None, credit_note_number: str = "") -> BadDebtMeasure:
    """A bad-debt measure (SPEC §6.5). An allowance or goods taken back can post its credit note at once
    (finance's ledger permission needed for that part); the credit note number makes it post."""
    require_case_action(user, case.customer_id)
    case = _live(case)
    taken_on = taken_on or business_today()
    errors: dict = {}
    if kind not in BadDebtMeasure.Kind.values:
        errors.setdefault("kind", []).append(_("Choose a measure from the list."))
    if not description.strip():
        errors.setdefault("description", []).append(_("Describe the measure."))
    if amount not in (None, ""):
        amount = _amount("amount", amount, errors)
    elif kind in NEEDS_AMOUNT:
        errors.setdefault("amount", []).append(_("Enter the amount this measure recovers or allows."))
        amount = None
    else:
        amount = None
    if kind == BadDebtMeasure.Kind.CREDIT_STOP and (until is None or until <= taken_on):
        errors.setdefault("until", []).append(_("Enter until when credit is stopped (after the date)."))
    if credit_note_number and kind not in CREDIT_NOTE_KIND:
        errors.setdefault("credit_note_number", []).append(_("Only an allowance or goods taken back post a credit note."))
    _raise(errors)
    measure = BadDebtMeasure(case=case, customer_id=case.customer_id, kind=kind, taken_on=taken_on, amount=amount,
                             until=until, description=description.strip(), recorded_by=user.username)
    if credit_note_number:
        measure.credit_note = post_credit_note(
            user, case.customer, number=credit_note_number, note_date=taken_on, kind=CREDIT_NOTE_KIND[kind],
            amount=amount, reason=f"{case.number}: {description.strip()}"[:300])
    measure.save()
    audit.record(user, AuditEntry.Action.CREATE, measure, after=audit.snapshot(measure), customer_id=case.customer_id)
    timeline.add_event(case.customer_id, events.MEASURE_RECORDED.code, actor=user, obj=measure,
                       summary=f"{measure.get_kind_display()} {description.strip()}"[:300])
    return measure


def can_act(user) -> bool:
    return has_perm(user, "collection.act")


def is_finance(user) -> bool:
    return role_of(user) in (Role.FINANCE_CLERK, Role.ADMINISTRATOR)


def merge_cases(source: Customer, target: Customer):
    """Customer merge: the source's cases move to the target; with two live cases the source's one closes
    (its promises, letters and plans move with it), since a customer has one live case."""
    from .queries import live_case

    target_live, source_live = live_case(target.pk), live_case(source.pk)
    if target_live and source_live:
        close_live_case(source_live, on=business_today(), actor="system",
                        note=_("Merged into case %(number)s.") % {"number": target_live.number})
    CollectionCase.objects.filter(customer=source).update(customer=target)
