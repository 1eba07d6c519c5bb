"""Read side of collection: overdue figures per customer, case lists in the user's scope, plan progress,
penalty interest not yet charged, broken promises."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Max, Min, Q, Sum

from credo.core.clock import business_today
from credo.core.scopes import customer_q
from credo.receivables import rules as receivable_rules
from credo.receivables.queries import to_money
from credo.sales.models import Allocation, Invoice, Receipt

from . import rules
from .models import CollectionCase, CollectionPolicy, InstalmentPlan, PenaltyCharge, PromiseToPay

ZERO = Decimal("0.00")


def overdue_summary(customer_ids, as_of: datetime.date) -> dict[int, dict]:
    """Per customer: overdue open amount, invoice count, oldest due date and days overdue on as_of."""
    rows = (Invoice.objects.filter(customer_id__in=list(customer_ids), open_amount__gt=0, due_date__lt=as_of)
            .values("customer_id").annotate(overdue=Sum("open_amount"), count=Count("id"), oldest=Min("due_date")))
    return {r["customer_id"]: {"overdue": to_money(r["overdue"]), "count": r["count"], "oldest_due": r["oldest"],
                               "max_days": (as_of - r["oldest"]).days} for r in rows}


def overdue_invoices(customer_id: int, as_of: datetime.date):
    return (Invoice.objects.filter(customer_id=customer_id, open_amount__gt=0, due_date__lt=as_of)
            .order_by("due_date", "id"))


def cases_for(user, *, status: str = "live", mine: bool = False, search: str = ""):
    """Cases of customers in the user's scope, worst first; each with overdue figures annotated."""
    cases = CollectionCase.objects.filter(customer_q(user, "customer__")).select_related(
        "customer", "owner", "escalated_to", "customer__balance")
    if status == "live":
        cases = cases.exclude(status=CollectionCase.Status.CLOSED)
    elif status in CollectionCase.Status.values:
        cases = cases.filter(status=status)
    if mine:
        cases = cases.filter(Q(owner=user) | Q(escalated_to=user))
    if search:
        cases = cases.filter(Q(customer__name__icontains=search) | Q(customer__code__icontains=search)
                             | Q(number__icontains=search))
    return cases.annotate(
        broken=Count("promises", filter=Q(promises__status=PromiseToPay.Status.BROKEN), distinct=True),
        last_letter=Max("letters__letter_date"),
    ).order_by(F("customer__balance__oldest_open_due_date").asc(nulls_last=True), "-id")


def live_case(customer_id: int) -> CollectionCase | None:
    return (CollectionCase.objects.filter(customer_id=customer_id).exclude(status=CollectionCase.Status.CLOSED)
            .first())


def broken_promises(customer_id: int, since: datetime.date | None = None) -> int:
    """How often the customer broke a promise to pay (a risk signal: 客户多次破坏付款承诺)."""
    found = PromiseToPay.objects.filter(customer_id=customer_id, status=PromiseToPay.Status.BROKEN)
    if since:
        found = found.filter(promised_date__gte=since)
    return found.count()


@dataclass
class PlanProgress:
    plan: InstalmentPlan
    received: Decimal
    instalments: list[rules.InstalmentState]

    @property
    def overdue(self) -> Decimal:
        return sum((i.outstanding for i in self.instalments if i.status == "overdue"), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((i.paid for i in self.instalments), ZERO)


def plan_progress(plan: InstalmentPlan, as_of: datetime.date | None = None) -> PlanProgress:
    as_of = as_of or business_today()
    received = to_money(Receipt.objects.filter(customer_id=plan.customer_id, is_reversed=False,
                                               receipt_date__gte=plan.agreed_on, receipt_date__lte=as_of)
                        .aggregate(s=Sum("amount"))["s"])
    rows = [(i.seq, i.due_date, i.amount) for i in plan.instalments.all()]
    return PlanProgress(plan, received, rules.instalment_progress(rows, received, as_of))


@dataclass
class InterestLine:
    invoice: Invoice
    from_date: datetime.date | None
    interest: Decimal
    steps: list


def daily_rate_for(case: CollectionCase | None, policy: CollectionPolicy | None = None) -> Decimal:
    policy = policy or CollectionPolicy.current()
    if case is not None and case.penalty_daily_rate is not None:
        return case.penalty_daily_rate
    return policy.penalty_daily_rate


def uncharged_interest(customer_id: int, through: datetime.date, daily_rate: Decimal,
                       grace_days: int = 0) -> list[InterestLine]:
    """Penalty interest on each goods invoice that was overdue at some point up to `through`, for the days
    not charged yet. Paid-late invoices still owe the interest for the days they were late."""
    first_overdue = through - datetime.timedelta(days=grace_days + 1)
    invoices = list(Invoice.objects.filter(customer_id=customer_id, kind=Invoice.Kind.GOODS,
                                           due_date__lte=first_overdue)
                    .filter(Q(open_amount__gt=0) | Q(allocations__allocation_date__gt=F("due_date")))
                    .distinct().order_by("due_date", "id"))
    if not invoices:
        return []
    ids = [i.pk for i in invoices]
    charged = dict(PenaltyCharge.objects.filter(source_id__in=ids).values("source_id")
                   .annotate(last=Max("through_date")).values_list("source_id", "last"))
    allocations: dict[int, list] = {}
    for inv_id, day, amount in Allocation.objects.filter(invoice_id__in=ids).values_list(
            "invoice_id", "allocation_date", "amount"):
        allocations.setdefault(inv_id, []).append((day, amount))
    lines = []
    for invoice in invoices:
        history = rules.open_principal_history(invoice.invoice_date, invoice.amount, allocations.get(invoice.pk, []))
        interest, steps = receivable_rules.penalty_interest(invoice.due_date, history, daily_rate, through,
                                                            grace_days, charged.get(invoice.pk))
        if interest > 0:
            lines.append(InterestLine(invoice, steps[0].start if steps else None, interest, steps))
    return lines



# Read functions for the pages (views.py, panels.py).

def visible_cases(user):
    """Cases whose customer the user may see."""
    return CollectionCase.objects.filter(customer_q(user, "customer__"))


def next_letter_step(case: CollectionCase):
    """The schedule's next letter for this case (above the highest level sent), or None when all went out."""
    from .models import LEVEL_ORDER, DunningStep

    sent = max((LEVEL_ORDER[level] for level in case.letters.values_list("level", flat=True)), default=0)
    for step in DunningStep.objects.filter(is_active=True).order_by("days_overdue"):
        if LEVEL_ORDER[step.level] > sent:
            return step
    return None


def promises_due(user, as_of: datetime.date, days: int = 3):
    """Waiting promises in the user's scope falling due within `days`, or already past and not checked yet."""
    return (PromiseToPay.objects.filter(customer_q(user, "customer__"), status=PromiseToPay.Status.OPEN,
                                        promised_date__lte=as_of + datetime.timedelta(days=days))
            .select_related("customer", "case").order_by("promised_date", "id"))


def waiting_promise_dates(case_ids, as_of: datetime.date) -> dict[int, datetime.date]:
    """Per case: the earliest waiting promise date on or before as_of (due today, or past and not checked)."""
    rows = (PromiseToPay.objects.filter(case_id__in=list(case_ids), status=PromiseToPay.Status.OPEN,
                                        promised_date__lte=as_of)
            .values("case_id").annotate(first=Min("promised_date")))
    return {r["case_id"]: r["first"] for r in rows}


def visible_letter(user, pk: int):
    """A dunning letter, if its customer is in the user's scope (else None)."""
    from .models import DunningLetter

    return DunningLetter.objects.filter(customer_q(user, "customer__"), pk=pk).select_related("customer").first()
