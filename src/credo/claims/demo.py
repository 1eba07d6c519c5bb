"""Demo claims on quality and delivery complaints, through the real services (so the credit notes are in the
ledger and it reconciles): a few settled as credit notes (some spread over two invoices), some waiting for
approval, one rejected, one approved and not yet settled, one draft. Idempotent: nothing is added when demo
claims exist already."""

from decimal import ROUND_DOWN, Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from credo.complaints.models import Category, Complaint
from credo.core.roles import Role
from credo.sales.models import Invoice

from . import services
from .models import Claim

# What each demo claim becomes, in order.
PLAN = ["settled"] * 5 + ["submitted"] * 4 + ["rejected", "approved", "draft"]
REASONS = {Category.QUALITY: "产品质量问题导致客户返工，客户要求赔偿返工费用",
           Category.DELIVERY: "延迟交货造成客户停线损失，客户要求赔偿"}
TEN = Decimal("10")


def _first(role):
    return get_user_model().objects.filter(is_active=True, profile__role=role).order_by("pk").first()


def _amount(open_amount: Decimal, share: str) -> Decimal:
    """A round part of an open amount (whole tens), within tier 1."""
    value = (open_amount * Decimal(share) / TEN).quantize(Decimal("1"), rounding=ROUND_DOWN) * TEN
    return min(max(value, TEN), Decimal("50000"), open_amount)


def generate(limit: int = len(PLAN)) -> int:
    agent, approver, clerk = _first(Role.SERVICE_AGENT), _first(Role.CREDIT_CONTROLLER), _first(Role.FINANCE_CLERK)
    if None in (agent, approver, clerk) or Claim.objects.exists():
        return 0
    complaints = (Complaint.objects.filter(category__in=[Category.QUALITY, Category.DELIVERY],
                                           customer__isnull=False).order_by("-received_at", "pk")[:200])
    made, used = 0, set()
    for complaint in complaints:
        if made >= limit:
            break
        if complaint.customer_id in used:
            continue
        invoices = list(Invoice.objects.filter(customer_id=complaint.customer_id, open_amount__gte=100)
                        .order_by("due_date", "id")[:2])
        if not invoices:
            continue
        used.add(complaint.customer_id)
        target = PLAN[made]
        lines = [(invoices[0], _amount(invoices[0].open_amount, "0.3"))]
        if len(invoices) > 1 and made % 2 == 0:
            lines.append((invoices[1], _amount(invoices[1].open_amount, "0.1")))
        agreed = sum((a for _inv, a in lines), Decimal("0"))
        claimed = (agreed * Decimal("1.25")).quantize(Decimal("1"))
        claim = services.create(agent, complaint, amount_claimed=claimed, amount_agreed=agreed,
                                reason=REASONS[complaint.category], lines=lines)
        made += 1
        if target == "draft":
            continue
        claim = services.submit(agent, claim)
        if target == "rejected":
            services.reject(approver, claim, reason="经核实损失由承运商造成，应向物流公司索赔")
        elif target in ("approved", "settled"):
            claim = services.approve(approver, claim, note="同意按协商金额赔付")
            if target == "settled":
                try:
                    services.settle(clerk, claim)
                except ValidationError:  # the books are closed for today: leave it approved
                    pass
            if made == 1:
                services.record_return(agent, claim, returned_on=complaint.received_at.date(), quantity="12",
                                       description="退回问题批次产品", note="已入库待检")
    return made
