"""Charging penalty interest (罚息): the interest is posted as an invoice of kind "interest", so it is owed,
ages and is collected like any debt. Receipts applied FIFO pay the older goods invoices first, so interest
stays owed when a customer pays only the principal."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from credo.core import timeline
from credo.core.clock import business_today
from credo.core.errors import ValidationError
from credo.customers.models import Customer
from credo.sales.models import Invoice
from credo.sales.services import post_invoice

from . import events
from .models import CollectionPolicy, PenaltyCharge
from .queries import daily_rate_for, live_case, uncharged_interest


@transaction.atomic
def charge_penalty_interest(user, customer: Customer, *, through: datetime.date | None = None,
                            number: str = "") -> tuple[Invoice, list[PenaltyCharge]]:
    """Post one interest invoice for every day of lateness not charged yet, up to `through` (default today).
    Needs the ledger posting permission (finance)."""
    through = through or business_today()
    if through > business_today():
        raise ValidationError({"through": [_("Interest can only be charged up to today.")]})
    policy = CollectionPolicy.current()
    case = live_case(customer.pk)
    rate = daily_rate_for(case, policy)
    lines = uncharged_interest(customer.pk, through, rate, policy.penalty_grace_days)
    if not lines:
        raise ValidationError({"through": [_("No uncharged penalty interest up to this date.")]})
    total = sum(line.interest for line in lines)
    if not number.strip():
        prefix = f"FX-{customer.code}-{through:%Y%m%d}"
        taken = Invoice.objects.filter(number__startswith=prefix).count()
        number = prefix if not taken else f"{prefix}-{taken + 1}"
    note = _("Penalty interest at %(rate)s per day through %(day)s") % {"rate": rate, "day": through}
    invoice = post_invoice(user, customer, number=number, invoice_date=through, due_date=through, amount=total,
                           kind=Invoice.Kind.INTEREST, note=note[:300])
    charges = PenaltyCharge.objects.bulk_create([
        PenaltyCharge(source=line.invoice, charge_invoice=invoice, case=case, customer=customer,
                      from_date=line.from_date, through_date=through, daily_rate=rate, amount=line.interest,
                      working=[{"from": s.start.isoformat(), "to": s.end.isoformat(), "days": s.days,
                                "principal": str(s.principal), "interest": str(s.interest)} for s in line.steps])
        for line in lines
    ])
    timeline.add_event(customer.pk, events.INTEREST_CHARGED.code, actor=user, obj=invoice,
                       summary=f"{invoice.number} ¥{total:,.2f}")
    return invoice, charges
