"""Dunning letters — advance notice (预告), warning (警告), lawyer's letter (律师信) — on the editable schedule.

`run_dunning(as_of)` opens a case for every customer with a letter due and writes that letter, once: a case
gets at most one letter per level (a unique constraint), so running the same day twice, or two runs at once,
creates nothing new. Customers keeping an open promise or an instalment plan on schedule are held back.
Days overdue are counted from the as-of date over the invoices open now.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from credo.core import audit, timeline
from credo.core.clock import business_today
from credo.core.errors import ValidationError
from credo.core.models import AuditEntry, CompanyProfile
from credo.sales.models import CustomerBalance, Invoice

from . import events, rules
from .defaults import ensure_defaults
from .letter_pdf import LetterContent, LetterInvoice, format_date, render_letter
from .models import (
    LEVEL_ORDER,
    CollectionCase,
    CollectionPolicy,
    DunningLetter,
    DunningStep,
    InstalmentPlan,
    PromiseToPay,
)
from .queries import plan_progress
from .services import _number_cases, check_promises, close_live_case, new_case, require_case_action

CHUNK = 500
# Functions (customer ids) -> {customer id: collection plan}; the credit app adds the plan of each credit profile.
COLLECTION_PLANS: list = []
LEVEL_SUFFIX = {"notice": "N", "warning": "W", "lawyer": "L"}


def letter_for(case: CollectionCase, step: DunningStep, invoices: list[Invoice], as_of: datetime.date,
               company: CompanyProfile, policy: CollectionPolicy, created_by: str) -> DunningLetter:
    total = sum(i.open_amount for i in invoices)
    oldest = min(i.due_date for i in invoices)
    department = policy.legal_department if step.from_legal else policy.finance_department
    pay_by = as_of + datetime.timedelta(days=step.reply_days)
    values = {"customer": case.customer.name, "company": company.name, "total": f"¥{total:,.2f}",
              "count": str(len(invoices)), "oldest_due": format_date(oldest), "max_days": str((as_of - oldest).days),
              "pay_by": format_date(pay_by), "department": department, "date": format_date(as_of)}
    return DunningLetter(
        case=case, customer_id=case.customer_id, level=step.level,
        number=f"{case.number}-{LEVEL_SUFFIX[step.level]}", letter_date=as_of, title=step.title,
        sender=department, paragraphs=rules.fill_letter(step.body, values),
        invoices=[{"number": i.number, "invoice_date": i.invoice_date.isoformat(), "due_date": i.due_date.isoformat(),
                   "days_overdue": (as_of - i.due_date).days, "open_amount": str(i.open_amount)} for i in invoices],
        total=total, max_days_overdue=(as_of - oldest).days, pay_by=pay_by, created_by=created_by)


def schedule() -> list[DunningStep]:
    """The active steps. A schedule that was never set up (no rows at all) starts from the defaults; to stop
    a letter, switch its step off rather than deleting it."""
    if not DunningStep.objects.exists():
        ensure_defaults()
    return list(DunningStep.objects.filter(is_active=True).order_by("days_overdue"))


def _overdue_by_customer(customer_ids, as_of) -> dict[int, list[Invoice]]:
    found: dict[int, list[Invoice]] = {}
    for invoice in (Invoice.objects.filter(customer_id__in=customer_ids, open_amount__gt=0, due_date__lt=as_of)
                    .only("id", "customer_id", "number", "invoice_date", "due_date", "open_amount")
                    .order_by("customer_id", "due_date", "id")):
        found.setdefault(invoice.customer_id, []).append(invoice)
    return found


def _held_back(customer_ids, as_of) -> set[int]:
    """Customers who promised to pay by a date still ahead, or keep to an instalment plan."""
    held = set(PromiseToPay.objects.filter(customer_id__in=customer_ids, status=PromiseToPay.Status.OPEN,
                                           promised_date__gte=as_of).values_list("customer_id", flat=True))
    for plan in InstalmentPlan.objects.filter(customer_id__in=customer_ids, status=InstalmentPlan.Status.ACTIVE):
        if plan_progress(plan, as_of).overdue == 0:
            held.add(plan.customer_id)
    return held


@dataclass
class DunningResult:
    as_of: datetime.date
    letters: dict[str, int] = field(default_factory=lambda: {level: 0 for level in LEVEL_ORDER})
    cases_opened: int = 0
    cases_closed: int = 0
    held_back: int = 0
    already_sent: int = 0
    promises: dict[str, int] = field(default_factory=dict)
    letter_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "letters": dict(self.letters), "cases_opened": self.cases_opened,
                "cases_closed": self.cases_closed, "held_back": self.held_back, "already_sent": self.already_sent,
                "promises": self.promises}


def run_dunning(as_of: datetime.date | None = None, *, actor: str = "system",
                progress: Callable[[int, int], None] | None = None) -> DunningResult:
    as_of = as_of or business_today()
    result = DunningResult(as_of)
    result.promises = check_promises(as_of, actor=actor)
    steps = schedule()
    if steps:
        # A strict collection plan sends the first letter from the first day overdue.
        first_day = as_of - datetime.timedelta(days=1 if COLLECTION_PLANS else steps[0].days_overdue)
        candidates = list(CustomerBalance.objects.filter(oldest_open_due_date__lte=first_day)
                          .order_by("customer_id").values_list("customer_id", flat=True))
        for start in range(0, len(candidates), CHUNK):
            _run_chunk(candidates[start:start + CHUNK], as_of, steps, actor, result)
            if progress:
                progress(min(start + CHUNK, len(candidates)), len(candidates))
    result.cases_closed = _close_settled_cases(as_of, actor)
    return result


@transaction.atomic
def _run_chunk(customer_ids: list[int], as_of, steps: list[DunningStep], actor: str, result: DunningResult):
    company, policy = CompanyProfile.current(), CollectionPolicy.current()
    overdue = _overdue_by_customer(customer_ids, as_of)
    held = _held_back(list(overdue), as_of)
    cases = {c.customer_id: c for c in CollectionCase.objects.select_related("customer").filter(
        customer_id__in=list(overdue)).exclude(status=CollectionCase.Status.CLOSED)}
    sent: dict[int, set[str]] = {}
    for case_id, level in DunningLetter.objects.filter(case__in=list(cases.values())).values_list("case_id", "level"):
        sent.setdefault(case_id, set()).add(level)
    by_level = {s.level: s for s in steps}
    company_schedule = [(s.level, s.days_overdue) for s in steps]
    plans: dict[int, str] = {}
    for provider in COLLECTION_PLANS:
        plans.update(provider(list(overdue)))
    plan = []
    for customer_id, invoices in overdue.items():
        max_days = (as_of - invoices[0].due_date).days
        case = cases.get(customer_id)
        level = rules.letter_due(max_days, rules.schedule_for_plan(company_schedule, plans.get(customer_id)),
                                 sent.get(case.pk, set()) if case else set(), LEVEL_ORDER)
        if level is None:
            result.already_sent += 1 if case and sent.get(case.pk) else 0
            continue
        if customer_id in held:
            result.held_back += 1
            continue
        plan.append((customer_id, invoices, by_level[level]))
    new_cases = [new_case(cid, on=as_of, opened_by=actor, overdue=sum(i.open_amount for i in inv))
                 for cid, inv, _step in plan if cid not in cases]
    if new_cases:
        CollectionCase.objects.bulk_create(new_cases)
        _number_cases(new_cases)
        result.cases_opened += len(new_cases)
        timeline.add_events([(c.customer_id, f"{c.number} ¥{c.overdue_at_opening:,.2f}", c) for c in new_cases],
                            events.CASE_OPENED.code, actor=actor)
        for case in CollectionCase.objects.select_related("customer").filter(pk__in=[c.pk for c in new_cases]):
            cases[case.customer_id] = case
    letters = [letter_for(cases[cid], step, invoices, as_of, company, policy, actor) for cid, invoices, step in plan]
    DunningLetter.objects.bulk_create(letters)
    for letter in letters:
        result.letters[letter.level] += 1
        result.letter_ids.append(letter.pk)
    timeline.add_events([(lt.customer_id, f"{lt.number} {lt.title} ¥{lt.total:,.2f}", lt) for lt in letters],
                        events.LETTER_SENT.code, actor=actor)
    audit.record_many(None, AuditEntry.Action.CREATE, [(lt, {"number": lt.number, "level": lt.level,
                                                              "total": str(lt.total)}) for lt in letters],
                      reason=f"dunning run {as_of}")


def _close_settled_cases(as_of, actor) -> int:
    """Open cases (not those with legal) of customers with nothing overdue any more close themselves."""
    settled = (CollectionCase.objects.filter(status=CollectionCase.Status.OPEN)
               .filter(Q(customer__balance__oldest_open_due_date__isnull=True)
                       | Q(customer__balance__oldest_open_due_date__gte=as_of)))
    closed = 0
    for case_id in list(settled.values_list("pk", flat=True)):
        with transaction.atomic():
            case = CollectionCase.objects.select_for_update().get(pk=case_id)
            if case.status == CollectionCase.Status.OPEN:
                close_live_case(case, on=as_of, note=_("Nothing overdue any more."), actor=actor, settled=True)
                closed += 1
    return closed


@transaction.atomic
def issue_letter(user, case: CollectionCase, *, as_of: datetime.date | None = None) -> DunningLetter:
    """Issue the next letter for one case now, by hand (the schedule's days do not have to have passed)."""
    require_case_action(user, case.customer_id, "collection.dunning")
    as_of = as_of or business_today()
    case = CollectionCase.objects.select_for_update().select_related("customer").get(pk=case.pk)
    if not case.is_live:
        raise ValidationError({"status": [_("This case is closed.")]})
    invoices = _overdue_by_customer([case.customer_id], as_of).get(case.customer_id)
    if not invoices:
        raise ValidationError({"case": [_("Nothing is overdue: there is nothing to demand.")]})
    sent = set(case.letters.values_list("level", flat=True))
    remaining = [s for s in schedule() if LEVEL_ORDER[s.level] > max((LEVEL_ORDER[x] for x in sent), default=0)]
    if not remaining:
        raise ValidationError({"level": [_("Every letter of the schedule has gone out for this case.")]})
    letter = letter_for(case, remaining[0], invoices, as_of, CompanyProfile.current(), CollectionPolicy.current(),
                        user.username)
    try:
        with transaction.atomic():
            letter.save()
    except IntegrityError:
        raise ValidationError({"level": [_("This letter has just been issued by someone else.")]}) from None
    audit.record(user, AuditEntry.Action.CREATE, letter, after={"number": letter.number, "level": letter.level,
                                                                 "total": str(letter.total)},
                 customer_id=case.customer_id)
    timeline.add_event(case.customer_id, events.LETTER_SENT.code, actor=user, obj=letter,
                       summary=f"{letter.number} {letter.title} ¥{letter.total:,.2f}")
    return letter


def letter_pdf(letter: DunningLetter) -> bytes:
    """The letter as printed: the stored text and invoice list, today's letterhead."""
    company, customer = CompanyProfile.current(), letter.customer
    return render_letter(LetterContent(
        company_name=company.name, company_address=company.address, company_phone=company.phone,
        sender=letter.sender, title=letter.title, number=letter.number, letter_date=letter.letter_date,
        customer_name=customer.name, customer_address=customer.office_address or customer.registered_address,
        salutation=f"{customer.name}：", paragraphs=tuple(letter.paragraphs),
        invoices=tuple(LetterInvoice(i["number"], datetime.date.fromisoformat(i["invoice_date"]),
                                     datetime.date.fromisoformat(i["due_date"]), i["days_overdue"],
                                     Decimal(i["open_amount"])) for i in letter.invoices),
        total=letter.total, pay_by=letter.pay_by, signature=f"{company.name} {letter.sender}"))
