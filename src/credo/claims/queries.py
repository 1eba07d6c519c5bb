"""Read side of claims, scoped by the customers the user may see: the list with its filters, the claims of one
complaint, one claim, and the references the ledger tab shows on claim credit notes."""

from django.db.models import Q
from django.urls import reverse

from .models import Claim, Status
from .services import visible_claims

LIST_FILTERS = ("status", "customer", "q")


def listing(user, *, status: str = "", customer: str | int = "", q: str = ""):
    rows = visible_claims(user).select_related("customer", "complaint", "credit_note")
    if status in Status.values:
        rows = rows.filter(status=status)
    elif status == "open":
        rows = rows.filter(status__in=[Status.DRAFT, Status.SUBMITTED, Status.APPROVED])
    if str(customer).isdigit():
        rows = rows.filter(customer_id=int(customer))
    text = (q or "").strip()
    if text:
        rows = rows.filter(Q(number__icontains=text) | Q(complaint__number__icontains=text)
                           | Q(customer__name__icontains=text) | Q(customer__code__iexact=text))
    return rows.order_by("-created_at", "-id")


def detail(user, pk) -> Claim | None:
    return (visible_claims(user).select_related("customer", "complaint", "credit_note", "created_by", "submitted_by",
                                                "decided_by", "settled_by").filter(pk=pk).first())


def for_complaint(user, complaint) -> list[Claim]:
    rows = list(visible_claims(user).filter(complaint=complaint)
                .select_related("credit_note", "created_by", "submitted_by", "decided_by", "settled_by")
                .prefetch_related("lines__invoice", "returns").order_by("created_at", "id"))
    return rows


def credit_note_references(notes) -> dict[int, list[tuple[str, str]]]:
    """{credit note id: [(claim number, url), (complaint number, url)]} for the claim credit notes among notes."""
    ids = [note.pk for note in notes if note.kind == "claim"]
    if not ids:
        return {}
    found: dict[int, list[tuple[str, str]]] = {}
    for claim in Claim.objects.filter(credit_note_id__in=ids).select_related("complaint"):
        url = reverse("complaints:detail", args=[claim.complaint_id])
        found[claim.credit_note_id] = [(claim.number, f"{url}#claim-{claim.pk}"), (claim.complaint.number, url)]
    return found
