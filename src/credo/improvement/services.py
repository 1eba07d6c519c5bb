"""Writes of service improvement: improvement actions and their transitions, linking them to complaints, the
owners' reminders, service promises, and service recovery.

Who may do what (credo.core.roles):
- improvement.manage (service agents, sales managers, administrators) creates and edits actions, links
  complaints in their scope, verifies and cancels; the action's owner starts and completes it whatever their
  role. The verifier is never the owner: whoever did the work does not judge its effect.
- promises.edit (administrators) writes service promises.
- recovery.record (service agents, sales managers, administrators) records a recovery for a complaint or a
  service request of a customer in their scope.
Each function is one transaction, audited; bad input raises ValidationError naming the field and changes
nothing. Transitions lock the action's row, so two people completing it at once complete it once.
"""

import datetime

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credo.complaints.models import Complaint
from credo.complaints.services import visible_complaints
from credo.core import audit, timeline
from credo.core.clock import business_now, business_today
from credo.core.errors import PermissionDenied, ValidationError
from credo.core.models import AuditEntry
from credo.core.money import parse_decimal
from credo.core.notifications import notify
from credo.core.roles import has_perm
from credo.core.scopes import ALL, customer_q, scope_of
from credo.servicedesk.models import Ticket
from credo.sla.models import SlaClock

from . import events, inputs, rules
from .models import (
    ActionComplaint,
    ActionKind,
    Failure,
    ImprovementAction,
    Measure,
    RecoveryAction,
    RecoveryKind,
    ServicePromise,
    Unit,
)

EDITABLE = ("kind", "title", "cause", "owner", "due_date")
_TRANSITION_CODES = {rules.START: "start", rules.COMPLETE: "complete", rules.VERIFY: "verify",
                     rules.CANCEL: "cancel"}


# --- reads the services need ---------------------------------------------------------------------------

def visible_actions(user):
    """Actions serving a complaint of a customer in the user's scope, plus those the user owns or created;
    everything for users who see all customers."""
    if scope_of(user) is None or not has_perm(user, "improvement.view"):
        return ImprovementAction.objects.none()
    if scope_of(user) == ALL:
        return ImprovementAction.objects.all()
    in_scope = ActionComplaint.objects.filter(customer_q(user, "customer__"), action=OuterRef("pk"),
                                              customer__isnull=False)
    return ImprovementAction.objects.filter(Q(Exists(in_scope)) | Q(owner=user) | Q(created_by=user))


def visible_recoveries(user):
    if scope_of(user) is None or not has_perm(user, "improvement.view"):
        return RecoveryAction.objects.none()
    return RecoveryAction.objects.filter(customer_q(user, "customer__"))


def can_manage(user, action) -> bool:
    return has_perm(user, "improvement.manage") and visible_actions(user).filter(pk=action.pk).exists()


def can_work(user, action) -> bool:
    """May start and complete: its owner, or a manager of it."""
    return action.owner_id == getattr(user, "pk", None) or can_manage(user, action)


def _require_manage(user, action=None):
    if not has_perm(user, "improvement.manage"):
        raise PermissionDenied(_("Your role may not manage improvement actions."))
    if action is not None and not visible_actions(user).filter(pk=action.pk).exists():
        raise PermissionDenied(_("This improvement action is not in your scope."))


def _notify_owner(action, title):
    notify([action.owner], title, f"{action.reference} {action.title}\n{_('Due')}: {action.due_date:%Y-%m-%d}",
           url=f"/improvement/{action.pk}/")


# --- improvement actions --------------------------------------------------------------------------------

def _action_fields(errors, values: dict, *, current=None) -> dict:
    out = {}
    if "kind" in values:
        out["kind"] = inputs.choice(errors, "kind", values["kind"], ActionKind)
    if "title" in values:
        out["title"] = inputs.text(errors, "title", values["title"], rules.TITLE_LENGTH, required=True)
    if "cause" in values:
        out["cause"] = inputs.text(errors, "cause", values["cause"], rules.TEXT_LENGTH, required=True)
    if "owner" in values:
        out["owner"] = inputs.user(errors, "owner", values["owner"])
    if "due_date" in values:
        due = inputs.date(errors, "due_date", values["due_date"])
        if due is not None and due < business_today() and (current is None or due != current.due_date):
            errors["due_date"] = [_("The due date cannot be in the past.")]
        out["due_date"] = due
    return out


def _complaints_for(errors, user, complaint_ids) -> list[Complaint]:
    wanted = inputs.ids(errors, "complaint_ids", complaint_ids)
    if not wanted:
        return []
    found = list(visible_complaints(user).filter(pk__in=wanted))
    missing = sorted(set(wanted) - {c.pk for c in found})
    if missing:
        errors["complaint_ids"] = [_("No complaint in your scope has the id %(ids)s.")
                                   % {"ids": ", ".join(map(str, missing))}]
    return found


def _link(user, action, complaints) -> int:
    existing = set(action.links.values_list("complaint_id", flat=True))
    added = 0
    for complaint in complaints:
        if complaint.pk in existing:
            continue
        link = ActionComplaint.objects.create(action=action, complaint=complaint, customer_id=complaint.customer_id,
                                              linked_by=user if getattr(user, "pk", None) else None)
        audit.record(user, "link", link, after=audit.snapshot(link), customer_id=complaint.customer_id,
                     object_repr=f"{action.reference} ↔ {complaint}")
        added += 1
    return added


@transaction.atomic
def create_action(user, *, kind=rules.CORRECTIVE, title="", cause="", owner=None, due_date=None,
                  complaint_ids=()) -> ImprovementAction:
    _require_manage(user)
    errors: dict = {}
    fields = _action_fields(errors, {"kind": kind, "title": title, "cause": cause, "owner": owner,
                                     "due_date": due_date})
    complaints = _complaints_for(errors, user, complaint_ids)
    if errors:
        raise ValidationError(errors)
    action = ImprovementAction.objects.create(**fields, created_by=user)
    audit.record(user, AuditEntry.Action.CREATE, action, after=audit.snapshot(action))
    _link(user, action, complaints)
    _notify_owner(action, _("An improvement action is yours: %(ref)s") % {"ref": action.reference})
    return action


@transaction.atomic
def update_action(user, action, **values) -> ImprovementAction:
    """Change kind, title, cause, owner or due date of an action that is not finished (verified or cancelled)."""
    _require_manage(user, action)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in sorted(unknown)})
    action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    if action.status in (rules.VERIFIED, rules.CANCELLED):
        raise ValidationError({"status": [_("A verified or cancelled action cannot be changed.")]})
    errors: dict = {}
    fields = _action_fields(errors, values, current=action)
    if action.verified_by_id and fields.get("owner") is not None and fields["owner"].pk == action.verified_by_id:
        errors["owner"] = [_("The owner cannot be the person who verified the action.")]
    if errors:
        raise ValidationError(errors)
    before, old_owner = audit.snapshot(action), action.owner_id
    for name, value in fields.items():
        setattr(action, name, value)
    action.save()
    audit.record_change(user, action, before)
    if action.owner_id != old_owner:
        _notify_owner(action, _("An improvement action is yours: %(ref)s") % {"ref": action.reference})
    return action


@transaction.atomic
def link_complaints(user, action, complaint_ids) -> int:
    """Link the action to more complaints (those already linked are left as they are); returns how many."""
    _require_manage(user, action)
    errors: dict = {}
    complaints = _complaints_for(errors, user, complaint_ids)
    if not errors and not complaints:
        errors["complaint_ids"] = [_("Name at least one complaint.")]
    if errors:
        raise ValidationError(errors)
    return _link(user, action, complaints)


@transaction.atomic
def unlink_complaint(user, action, complaint_id) -> None:
    _require_manage(user, action)
    errors: dict = {}
    found = _complaints_for(errors, user, [complaint_id])
    link = action.links.filter(complaint__in=found).first() if found else None
    if link is None and not errors:
        errors["complaint_ids"] = [_("This complaint is not linked to the action.")]
    if errors:
        raise ValidationError(errors)
    audit.record(user, "unlink", link, before=audit.snapshot(link), customer_id=link.customer_id,
                 object_repr=f"{action.reference} ↔ {link.complaint}")
    link.delete()


_TRANSITION_MESSAGES = {
    rules.START: gettext_lazy("Only an open action can be started."),
    rules.COMPLETE: gettext_lazy("Only an action in progress can be completed."),
    rules.VERIFY: gettext_lazy("Only a done action can be verified."),
    rules.CANCEL: gettext_lazy("A verified or cancelled action cannot be cancelled."),
}


def _transition(user, action, transition, change):
    action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    try:
        status = rules.next_status(action.status, transition)
    except rules.TransitionError:
        raise ValidationError({"status": [str(_TRANSITION_MESSAGES[transition])]}) from None
    before = audit.snapshot(action)
    change(action)
    action.status = status
    action.save()
    after = audit.snapshot(action)
    changed = sorted(k for k in after if before.get(k) != after.get(k))
    audit.record(user, _TRANSITION_CODES[transition], action, before={k: before[k] for k in changed},
                 after={k: after[k] for k in changed})
    return action


def _require_work(user, action):
    if not (action.owner_id == getattr(user, "pk", None) or has_perm(user, "improvement.manage")):
        raise PermissionDenied(_("Only the owner or a manager of improvement actions may do this."))
    if action.owner_id != getattr(user, "pk", None):
        _require_manage(user, action)


@transaction.atomic
def start(user, action) -> ImprovementAction:
    _require_work(user, action)

    def change(a):
        a.started_at = business_now()

    return _transition(user, action, rules.START, change)


@transaction.atomic
def complete(user, action, outcome="") -> ImprovementAction:
    _require_work(user, action)
    errors: dict = {}
    outcome = inputs.text(errors, "outcome", outcome, rules.TEXT_LENGTH, required=True)
    if errors:
        raise ValidationError(errors)

    def change(a):
        a.outcome, a.completed_at = outcome, business_now()

    return _transition(user, action, rules.COMPLETE, change)


@transaction.atomic
def verify(user, action, effect="") -> ImprovementAction:
    """Record the effect found; the verifier holds improvement.manage and is not the owner."""
    _require_manage(user, action)
    errors: dict = {}
    effect = inputs.text(errors, "effect", effect, rules.TEXT_LENGTH, required=True)
    if action.owner_id == getattr(user, "pk", None):
        errors["verified_by"] = [_("The owner cannot verify their own action; someone else must judge its effect.")]
    if errors:
        raise ValidationError(errors)

    def change(a):
        a.effect, a.verified_by, a.verified_at = effect, user, business_now()

    return _transition(user, action, rules.VERIFY, change)


@transaction.atomic
def cancel(user, action, reason="") -> ImprovementAction:
    _require_manage(user, action)
    errors: dict = {}
    reason = inputs.text(errors, "reason", reason, 300, required=True)
    if errors:
        raise ValidationError(errors)

    def change(a):
        a.cancel_reason, a.cancelled_at = reason, business_now()

    return _transition(user, action, rules.CANCEL, change)


def remind(as_of: datetime.date | None = None) -> int:
    """Tell each owner once that their action fell due (due on or before as_of, not done); returns how many
    reminders went out. Idempotent: a second run for the same due dates tells nobody again."""
    as_of = as_of or business_today()
    sent = 0
    due = (ImprovementAction.objects.filter(status__in=rules.NOT_DONE, due_date__lte=as_of)
           .filter(Q(due_reminded_for__isnull=True) | ~Q(due_reminded_for=F("due_date")))
           .select_related("owner").order_by("pk"))
    for action in due:
        with transaction.atomic():
            locked = ImprovementAction.objects.select_for_update().get(pk=action.pk)
            if not rules.needs_due_reminder(locked.status, locked.due_date, locked.due_reminded_for, as_of):
                continue
            title = (_("Improvement action overdue: %(ref)s") if locked.due_date < as_of
                     else _("Improvement action due today: %(ref)s")) % {"ref": locked.reference}
            locked.owner = action.owner
            _notify_owner(locked, title)
            ImprovementAction.objects.filter(pk=locked.pk).update(due_reminded_for=locked.due_date)
            sent += 1
    return sent


# --- service promises ---------------------------------------------------------------------------------

PROMISE_FIELDS = ("name", "customer_text", "measure", "unit", "budget", "valid_from", "valid_to", "active")


def _promise_fields(errors, values: dict, current=None) -> dict:
    out = {}
    if "name" in values:
        out["name"] = inputs.text(errors, "name", values["name"], 100, required=True)
        clash = ServicePromise.objects.filter(name=out["name"])
        if current is not None:
            clash = clash.exclude(pk=current.pk)
        if out["name"] and clash.exists():
            errors["name"] = [_("Another promise has this name.")]
    if "customer_text" in values:
        out["customer_text"] = inputs.text(errors, "customer_text", values["customer_text"], 300, required=True)
    if "measure" in values:
        out["measure"] = inputs.choice(errors, "measure", values["measure"], Measure)
    if "unit" in values:
        out["unit"] = inputs.choice(errors, "unit", values["unit"], Unit)
    if "budget" in values:
        try:
            budget = parse_decimal(values["budget"], max_digits=8, decimal_places=2)
        except ValueError as exc:
            errors["budget"] = [str(exc)]
        else:
            unit = out.get("unit") or (current.unit if current else rules.BUSINESS_HOURS)
            if budget <= 0:
                errors["budget"] = [_("The promised time must be more than zero.")]
            elif unit in rules.MAX_BUDGET and budget > rules.MAX_BUDGET[unit]:
                errors["budget"] = [_("At most %(n)s.") % {"n": rules.MAX_BUDGET[unit]}]
            out["budget"] = budget
    if "valid_from" in values:
        out["valid_from"] = inputs.date(errors, "valid_from", values["valid_from"])
    if "valid_to" in values:
        out["valid_to"] = inputs.date(errors, "valid_to", values["valid_to"], required=False)
    if "active" in values:
        out["active"] = bool(values["active"])
    start = out.get("valid_from", current.valid_from if current else None)
    end = out["valid_to"] if "valid_to" in out else (current.valid_to if current else None)
    if start and end and end < start and "valid_to" not in errors:
        errors["valid_to"] = [_("The end of validity is before its start.")]
    return out


@transaction.atomic
def save_promise(user, promise=None, **values) -> ServicePromise:
    """Create a promise (promise None: name, customer_text, measure, budget and valid_from required) or change
    the given fields of one."""
    if not has_perm(user, "promises.edit"):
        raise PermissionDenied(_("Your role may not edit service promises."))
    unknown = set(values) - set(PROMISE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    errors: dict = {}
    if promise is None:
        values = {"unit": rules.BUSINESS_HOURS, "active": True, "valid_from": business_today(), "valid_to": None,
                  "name": "", "customer_text": "", "measure": "", "budget": None, **values}
    else:
        promise = ServicePromise.objects.select_for_update().get(pk=promise.pk)
    fields = _promise_fields(errors, values, promise)
    if errors:
        raise ValidationError(errors)
    if promise is None:
        promise = ServicePromise.objects.create(**fields)
        audit.record(user, AuditEntry.Action.CREATE, promise, after=audit.snapshot(promise))
        return promise
    before = audit.snapshot(promise)
    for name, value in fields.items():
        setattr(promise, name, value)
    promise.save()
    audit.record_change(user, promise, before)
    return promise


# --- service recovery ---------------------------------------------------------------------------------

def _breached(kind: str, subject_id: int) -> bool:
    return SlaClock.objects.filter(kind=kind, subject_id=subject_id).filter(
        Q(breached_at__isnull=False) | Q(over__gt=datetime.timedelta(0))).exists()


@transaction.atomic
def record_recovery(user, *, complaint_id=None, ticket_id=None, failure=Failure.COMPLAINT, promise_id=None,
                    kind="", description="", done_by=None, done_at=None, cost=None) -> RecoveryAction:
    """Record what was done to win the customer back after a failure, on the complaint and/or service request
    (of one customer in the user's scope), with its cost in yuan."""
    if not has_perm(user, "recovery.record"):
        raise PermissionDenied(_("Your role may not record service recovery."))
    errors: dict = {}
    complaint = ticket = promise = None
    if complaint_id not in (None, ""):
        found = inputs.ids(errors, "complaint_id", [complaint_id])
        complaint = visible_complaints(user).filter(pk=found[0]).first() if found else None
        if complaint is None and "complaint_id" not in errors:
            errors["complaint_id"] = [_("No complaint in your scope has this id.")]
        elif complaint is not None and complaint.customer_id is None:
            errors["complaint_id"] = [_("Link the complaint to its customer first.")]
    if ticket_id not in (None, ""):
        found = inputs.ids(errors, "ticket_id", [ticket_id])
        ticket = Ticket.objects.filter(customer_q(user, "customer__"), pk=found[0]).first() if found else None
        if ticket is None and "ticket_id" not in errors:
            errors["ticket_id"] = [_("No service request in your scope has this id.")]
    if complaint is None and ticket is None and not errors:
        errors["complaint_id"] = [_("Name the complaint or the service request this recovery answers.")]
    if complaint and ticket and complaint.customer_id != ticket.customer_id:
        errors["ticket_id"] = [_("The service request belongs to another customer than the complaint.")]
    failure = inputs.choice(errors, "failure", failure, Failure)
    if failure == Failure.BROKEN_PROMISE:
        if promise_id in (None, ""):
            errors["promise_id"] = [_("Name the promise that was broken.")]
        else:
            found = inputs.ids(errors, "promise_id", [promise_id])
            promise = ServicePromise.objects.filter(pk=found[0]).first() if found else None
            if promise is None and "promise_id" not in errors:
                errors["promise_id"] = [_("There is no service promise with this id.")]
    elif failure == Failure.SLA_BREACH and (complaint or ticket) and not any(
            _breached(k, s.pk) for k, s in (("complaint", complaint), ("ticket", ticket)) if s is not None):
        errors["failure"] = [_("No service-level clock of this complaint or service request was breached.")]
    kind = inputs.choice(errors, "kind", kind, RecoveryKind)
    description = inputs.text(errors, "description", description, rules.TEXT_LENGTH,
                              required=kind == RecoveryKind.OTHER)
    doer = inputs.user(errors, "done_by", done_by, required=False) or (user if getattr(user, "pk", None) else None)
    when = done_at or business_now()
    if not isinstance(when, datetime.datetime):
        errors["done_at"] = [_("Give the moment as YYYY-MM-DD HH:MM.")]
        when = business_now()
    elif when.tzinfo is None:
        when = when.replace(tzinfo=business_now().tzinfo)
    if when > business_now() + datetime.timedelta(minutes=5):
        errors["done_at"] = [_("The recovery cannot be in the future.")]
    amount = inputs.money(errors, "cost", cost)
    if errors:
        raise ValidationError(errors)
    customer_id = complaint.customer_id if complaint else ticket.customer_id
    row = RecoveryAction.objects.create(customer_id=customer_id, complaint=complaint, ticket=ticket, failure=failure,
                                        promise=promise, kind=kind, description=description, done_by=doer,
                                        done_at=when, cost=amount, recorded_by=user)
    audit.record(user, AuditEntry.Action.CREATE, row, after=audit.snapshot(row), customer_id=customer_id)
    subject = complaint.number if complaint else ticket.number
    timeline.add_event(customer_id, events.RECOVERY.code, actor=user, obj=row, at=when,
                       summary=f"{subject}: {row.get_kind_display()} ¥{amount:,.2f}",
                       data={"cost": str(amount), "kind": kind})
    return row
