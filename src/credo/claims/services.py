"""Every write to claims: one function per step, one transaction each, permission and scope checked, audited and
on the customer's timeline. Errors: ValidationError keyed by field or PermissionDenied; nothing changes then.

Approval: the agreed amount picks the credit app's authority tier (days 0: a claim grants no credit period); only
a role the tier names as approver decides, never the person who recorded or submitted the claim.
Settlement: ONE credit note of kind "claim", posted by the ledger's own post_credit_note, spread over the
claim's invoice lines. Lock order as in the ledger: the customer's balance row, then the claim, then the
invoices, so two settlements at once post one note."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credo.complaints.services import visible_complaints
from credo.core import audit, notifications, timeline
from credo.core.clock import business_today
from credo.core.errors import PermissionDenied, ValidationError, require
from credo.core.models import AuditEntry
from credo.core.money import parse_money
from credo.core.roles import has_perm, role_of
from credo.core.scopes import customer_q
from credo.credit.authority import tier_for
from credo.credit.models import split_roles
from credo.customers.models import Customer
from credo.sales import services as ledger
from credo.sales.models import CreditNote, Invoice

from . import events, rules
from .models import Claim, ClaimLine, GoodsReturn, Status

AMOUNT_MESSAGES = {
    "missing": lambda: _("Enter the amount."),
    "not_positive": lambda: _("The amount must be greater than zero."),
    "over_claimed": lambda: _("The amount agreed cannot be more than the amount claimed."),
    "no_lines": lambda: _("Name at least one invoice to credit and the amount on it."),
    "line_not_positive": lambda: _("Each amount to credit must be greater than zero."),
    "duplicate_invoice": lambda: _("Each invoice may appear only once."),
    "lines_not_agreed": lambda: _("The amounts to credit must add up to the amount agreed."),
}


def visible_claims(user):
    if not has_perm(user, "claims.view"):
        return Claim.objects.none()
    return Claim.objects.filter(customer_q(user, "customer__"))


def _in_scope(user, claim) -> bool:
    return visible_claims(user).filter(pk=claim.pk).exists()


def _require_scope(user, claim):
    if not _in_scope(user, claim):
        raise PermissionDenied(_("This claim is not in your scope."))


def _parse_money(field, value, errors) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return parse_money(value)
    except ValueError as exc:
        errors[field] = [str(exc)]
        return None


def _audit(user, claim, action, before, reason=""):
    after = audit.snapshot(claim)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    audit.record(user, action, claim, before={k: before.get(k) for k in changed},
                 after={k: after.get(k) for k in changed}, reason=reason, customer_id=claim.customer_id)


def _event(user, claim, kind, summary=""):
    timeline.add_event(claim.customer_id, kind.code, actor=user, obj=claim,
                       summary=f"{claim.number} ({claim.complaint.number}) ¥{claim.amount_agreed:,.2f} {summary}".strip())


def _locked(claim) -> Claim:
    return Claim.objects.select_for_update().select_related("complaint").get(pk=claim.pk)


def _step(claim, action):
    target = rules.next_status(claim.status, action)
    if target is None:
        raise ValidationError({"status": [_("A claim that is “%(status)s” cannot be %(action)s.") % {
            "status": claim.get_status_display(), "action": ACTION_WORDS[action]()}]})
    return target


ACTION_WORDS = {
    "submit": lambda: _("submitted"), "approve": lambda: _("approved"), "reject": lambda: _("rejected"),
    "settle": lambda: _("settled"), "withdraw": lambda: _("withdrawn"),
}


def _lines(customer, lines, errors) -> list[tuple[Invoice, Decimal]]:
    """[(invoice or invoice id, amount)] -> [(invoice, amount)], each invoice the customer's."""
    found = []
    for invoice, amount in lines or []:
        if not isinstance(invoice, Invoice):
            invoice = Invoice.objects.filter(pk=invoice).first() if str(invoice).isdigit() else None
        if invoice is None or invoice.customer_id != customer.pk:
            errors.setdefault("lines", []).append(_("Each invoice must be one of this customer's invoices."))
            return []
        value = _parse_money("lines", amount, errors)
        if value is None:
            errors.setdefault("lines", []).append(_("Enter the amount to credit on each invoice."))
            return []
        found.append((invoice, value))
    return found


@transaction.atomic
def create(user, complaint, *, amount_claimed, reason: str, lines, amount_agreed=None) -> Claim:
    """A draft claim on a complaint: the amount claimed, the amount agreed (default: the amount claimed) and the
    invoices it credits (lines: [(invoice or id, amount)], adding up to the amount agreed)."""
    require(has_perm(user, "claims.manage"), _("Your role may not record claims."))
    if not visible_complaints(user).filter(pk=complaint.pk).exists():
        raise PermissionDenied(_("This complaint is not in your scope."))
    errors: dict = {}
    if complaint.customer_id is None:
        errors["complaint"] = [_("Link the complaint to a customer first.")]
        raise ValidationError(errors)
    customer = Customer.objects.get(pk=complaint.customer_id)
    claimed = _parse_money("amount_claimed", amount_claimed, errors)
    agreed = _parse_money("amount_agreed", amount_agreed, errors) if amount_agreed not in (None, "") else claimed
    rows = _lines(customer, lines, errors)
    if not (reason or "").strip():
        errors["reason"] = [_("Say what the customer claims and why.")]
    if "lines" not in errors:
        for field, code in rules.check_amounts(claimed, agreed, [(inv.pk, a) for inv, a in rows]).items():
            if field not in errors:
                errors[field] = [AMOUNT_MESSAGES[code]()]
    if errors:
        raise ValidationError(errors)
    claim = Claim.objects.create(complaint=complaint, customer=customer, amount_claimed=claimed,
                                 amount_agreed=agreed, reason=reason.strip(), created_by=user)
    claim.number = f"SP-{timezone.localtime(claim.created_at):%Y}-{claim.pk:06d}"
    claim.save(update_fields=["number"])
    ClaimLine.objects.bulk_create([ClaimLine(claim=claim, customer=customer, invoice=inv, amount=a) for inv, a in rows])
    audit.record(user, AuditEntry.Action.CREATE, claim, customer_id=customer.pk,
                 after={**audit.snapshot(claim), "lines": [[inv.number, str(a)] for inv, a in rows]})
    _event(user, claim, events.CREATED)
    return claim


def approvers_for(claim) -> list:
    """Active users who may decide the claim: a role of its tier, claims.approve, the customer in their scope,
    and neither its recorder nor its submitter."""
    roles = split_roles(tier_for(claim.amount_agreed, 0).approver_roles)
    people = get_user_model().objects.filter(is_active=True, profile__role__in=roles).order_by("pk")
    excluded = {claim.created_by_id, claim.submitted_by_id}
    return [person for person in people if person.pk not in excluded and has_perm(person, "claims.approve")
            and Customer.objects.filter(customer_q(person), pk=claim.customer_id).exists()]


@transaction.atomic
def submit(user, claim) -> Claim:
    require(has_perm(user, "claims.manage"), _("Your role may not submit claims."))
    _require_scope(user, claim)
    claim = _locked(claim)
    target = _step(claim, "submit")
    before = audit.snapshot(claim)
    tier = tier_for(claim.amount_agreed, 0)
    claim.status, claim.tier_level = target, tier.level
    claim.submitted_by, claim.submitted_at = user, timezone.now()
    claim.save()
    _audit(user, claim, "submit", before)
    _event(user, claim, events.SUBMITTED, tier.name)
    notifications.notify(
        approvers_for(claim), _("Claim %(number)s waits for your approval") % {"number": claim.number},
        _("%(customer)s claims ¥%(amount)s on complaint %(complaint)s (tier %(tier)s).") % {
            "customer": claim.customer.name, "amount": f"{claim.amount_agreed:,.2f}",
            "complaint": claim.complaint.number, "tier": tier.name},
        url=f"/complaints/{claim.complaint_id}/#claim-{claim.pk}", customer_id=claim.customer_id)
    return claim


def may_decide(user, claim) -> bool:
    """Whether the user may approve or reject the claim now (the page shows the buttons by it)."""
    if claim.status != Status.SUBMITTED or not has_perm(user, "claims.approve"):
        return False
    if getattr(user, "pk", None) in (claim.created_by_id, claim.submitted_by_id):
        return False
    return role_of(user) in split_roles(tier_for(claim.amount_agreed, 0).approver_roles)


def _require_decide(user, claim):
    require(has_perm(user, "claims.approve"), _("Your role may not approve claims."))
    _require_scope(user, claim)
    if user.pk in (claim.created_by_id, claim.submitted_by_id):
        raise PermissionDenied(_("Nobody approves their own claim."))
    tier = tier_for(claim.amount_agreed, 0)
    if role_of(user) not in split_roles(tier.approver_roles):
        raise PermissionDenied(_("A claim of this amount is decided at tier %(tier)s; your role may not decide "
                                 "it.") % {"tier": tier.name})


@transaction.atomic
def approve(user, claim, *, note: str = "") -> Claim:
    claim = _locked(claim)
    _require_decide(user, claim)
    target = _step(claim, "approve")
    before = audit.snapshot(claim)
    claim.status, claim.decided_by, claim.decided_at = target, user, timezone.now()
    claim.decision_note = (note or "").strip()[:300]
    claim.save()
    _audit(user, claim, "approve", before, reason=claim.decision_note)
    _event(user, claim, events.APPROVED)
    return claim


@transaction.atomic
def reject(user, claim, *, reason: str) -> Claim:
    claim = _locked(claim)
    _require_decide(user, claim)
    target = _step(claim, "reject")
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the claim is rejected.")]})
    before = audit.snapshot(claim)
    claim.status, claim.decided_by, claim.decided_at = target, user, timezone.now()
    claim.decision_note = reason.strip()[:300]
    claim.save()
    _audit(user, claim, "reject", before, reason=claim.decision_note)
    _event(user, claim, events.REJECTED, claim.decision_note)
    return claim


SETTLE_MESSAGES = {
    "not_open": lambda number: _("Invoice %(number)s is no longer open.") % {"number": number},
    "over_open": lambda number: _("More than invoice %(number)s still owes.") % {"number": number},
}


@transaction.atomic
def settle(user, claim, *, settled_on: datetime.date | None = None) -> Claim:
    """Post the one credit note of kind "claim" for the amount agreed, spread over the claim's invoices. Settling
    a settled claim again changes nothing and returns it (the same note)."""
    require(has_perm(user, "claims.settle"), _("Your role may not settle claims."))
    _require_scope(user, claim)
    ledger.lock_balance(claim.customer_id)
    claim = _locked(claim)
    if claim.status == Status.SETTLED:
        return claim
    target = _step(claim, "settle")
    settled_on = settled_on or business_today()
    lines = list(claim.lines.order_by("id"))
    invoices = {inv.pk: inv for inv in Invoice.objects.select_for_update().filter(
        pk__in=[line.invoice_id for line in lines]).order_by("id")}
    problems = rules.check_settlement([(line.invoice_id, line.amount) for line in lines],
                                      {pk: inv.open_amount for pk, inv in invoices.items()})
    if problems:
        raise ValidationError({"lines": [SETTLE_MESSAGES[code](invoices[pk].number) for pk, code in problems.items()]})
    before = audit.snapshot(claim)
    reason = f"{claim.number} / {claim.complaint.number}: {claim.reason}"[:300]
    try:
        note = ledger.post_credit_note(
            user, claim.customer, number=f"CN-{claim.number}", note_date=settled_on, kind=CreditNote.Kind.CLAIM,
            amount=claim.amount_agreed, reason=reason,
            allocations=[(invoices[line.invoice_id], line.amount) for line in lines])
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "note_date" in exc.error_dict:
            exc.error_dict["settled_on"] = exc.error_dict.pop("note_date")
        raise
    claim.status, claim.credit_note = target, note
    claim.settled_by, claim.settled_on = user, settled_on
    claim.save()
    _audit(user, claim, "settle", before)
    _event(user, claim, events.SETTLED, note.number)
    return claim


@transaction.atomic
def withdraw(user, claim, *, reason: str = "") -> Claim:
    require(has_perm(user, "claims.manage"), _("Your role may not withdraw claims."))
    _require_scope(user, claim)
    claim = _locked(claim)
    target = _step(claim, "withdraw")
    before = audit.snapshot(claim)
    claim.status, claim.withdrawn_at = target, timezone.now()
    claim.withdraw_reason = (reason or "").strip()[:300]
    claim.save()
    _audit(user, claim, "withdraw", before, reason=claim.withdraw_reason)
    _event(user, claim, events.WITHDRAWN, claim.withdraw_reason)
    return claim


@transaction.atomic
def record_return(user, claim, *, returned_on: datetime.date | None, description: str, quantity=None,
                  note: str = "") -> GoodsReturn:
    """Goods came back on the claim (at any time until it is withdrawn; settlement does not wait for them)."""
    require(has_perm(user, "claims.manage"), _("Your role may not record returned goods."))
    _require_scope(user, claim)
    claim = _locked(claim)
    errors: dict = {}
    if claim.status not in rules.RETURN_STATUSES:
        errors["status"] = [_("Goods cannot be recorded on a withdrawn claim.")]
    if returned_on is None:
        errors["returned_on"] = [_("Enter the date.")]
    elif returned_on > business_today():
        errors["returned_on"] = [_("The date cannot be in the future.")]
    if not (description or "").strip():
        errors["description"] = [_("Say which goods came back.")]
    if quantity not in (None, ""):
        try:
            quantity = Decimal(str(quantity))
        except ArithmeticError:
            quantity = None
            errors["quantity"] = [_("Enter a quantity such as 12.")]
        else:
            if not quantity.is_finite() or quantity <= 0 or quantity >= Decimal("1e11"):
                errors["quantity"] = [_("The quantity must be greater than zero.")]
    else:
        quantity = None
    if errors:
        raise ValidationError(errors)
    row = GoodsReturn.objects.create(claim=claim, customer_id=claim.customer_id, returned_on=returned_on,
                                     quantity=quantity, description=description.strip()[:200],
                                     note=(note or "").strip()[:300], recorded_by=user)
    audit.record(user, AuditEntry.Action.CREATE, row, after=audit.snapshot(row), customer_id=claim.customer_id)
    _event(user, claim, events.RETURNED, row.description)
    return row
