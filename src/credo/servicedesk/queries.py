"""Reads of the service desk, always limited to the user's scope (credo.core.scopes): the ticket queue with
its filters and SLA dues, a customer's tickets and contracts, contracts expiring soon, and the knowledge base
(search and intake suggestions, computed by the database)."""

import datetime

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.http import Http404

from credo.core.roles import has_perm
from credo.core.scopes import customer_q, scope_of
from credo.sla.models import SlaClock, SlaPause

from . import rules
from .models import Article, ContractStatus, ServiceContract, Ticket

TICKET = "ticket"
OPEN = "open"


def visible_tickets(user):
    if not has_perm(user, "servicedesk.view") or scope_of(user) is None:
        return Ticket.objects.none()
    return Ticket.objects.filter(customer_q(user, "customer__"))


def get_ticket_for_user(user, pk) -> Ticket:
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    ticket = (visible_tickets(user).select_related("customer", "contact", "product", "owner", "contract",
                                                    "created_by").filter(pk=pk).first())
    if ticket is None:
        raise Http404
    return ticket


def with_dues(tickets):
    """Each ticket with the due moment of its running first-response and resolution clocks (None: stopped
    or paused) and whether one of them is breached."""
    clocks = SlaClock.objects.filter(kind=TICKET, subject_id=OuterRef("pk"), stopped_at__isnull=True)
    return tickets.annotate(
        first_response_due=Subquery(clocks.filter(metric="first_response").values("due_at")[:1]),
        resolution_due=Subquery(clocks.filter(metric="resolution").values("due_at")[:1]),
        breached_at=Subquery(SlaClock.objects.filter(kind=TICKET, subject_id=OuterRef("pk"),
                                                     breached_at__isnull=False).values("breached_at")[:1]),
    )


def ticket_queue(user, *, status: str = OPEN, owner: str = "", type: str = "", severity: str = "",  # noqa: A002
                 covered: str = "", q: str = "", customer_id: int | None = None):
    """The queue as filtered: status (open = not resolved or closed; empty: all), owner ("me", "none" or a
    user id), type, severity, covered ("yes"/"no"), a search on number, subject and customer; the request due
    soonest first, paused and stopped ones after."""
    rows = visible_tickets(user)
    if status == OPEN:
        rows = rows.filter(status__in=rules.OPEN_STATUSES)
    elif status:
        rows = rows.filter(status=status)
    if owner == "me":
        rows = rows.filter(owner=user)
    elif owner == "none":
        rows = rows.filter(owner__isnull=True)
    elif owner.isdigit():
        rows = rows.filter(owner_id=int(owner))
    if type:
        rows = rows.filter(type=type)
    if severity:
        rows = rows.filter(severity=severity)
    if covered == "yes":
        rows = rows.filter(contract__isnull=False)
    elif covered == "no":
        rows = rows.filter(contract__isnull=True)
    if customer_id:
        rows = rows.filter(customer_id=customer_id)
    q = rules.normalise(q)
    if q:
        rows = rows.filter(Q(number__icontains=q) | Q(subject__icontains=q) | Q(customer__name__icontains=q)
                           | Q(customer__code__iexact=q))
    rows = with_dues(rows).select_related("customer", "owner", "product", "contract")
    return rows.order_by(F("resolution_due").asc(nulls_last=True), "-created_at", "-id")


def due_soonest(user, limit: int = 10):
    """For a service person's home page: open requests they own or nobody owns, due soonest first."""
    rows = visible_tickets(user).filter(status__in=rules.OPEN_STATUSES).filter(Q(owner=user) | Q(owner__isnull=True))
    rows = with_dues(rows).select_related("customer", "owner")
    return list(rows.order_by(F("first_response_due").asc(nulls_last=True), F("resolution_due").asc(nulls_last=True),
                              "created_at", "id")[:limit])


def ticket_clocks(ticket) -> list[SlaClock]:
    return list(SlaClock.objects.filter(kind=TICKET, subject_id=ticket.pk).order_by("started_at", "id"))


def ticket_pauses(ticket) -> list[SlaPause]:
    return list(SlaPause.objects.filter(kind=TICKET, subject_id=ticket.pk).order_by("started_at", "id"))


def customer_tickets(user, customer, limit: int = 50):
    return list(with_dues(visible_tickets(user).filter(customer=customer)).select_related("owner", "product",
                                                                                           "contract")
                .order_by("-created_at", "-id")[:limit])


# --- contracts ---------------------------------------------------------------------------------------------

def visible_contracts(user):
    if not has_perm(user, "servicedesk.view") or scope_of(user) is None:
        return ServiceContract.objects.none()
    return ServiceContract.objects.filter(customer_q(user, "customer__"))


def get_contract_for_user(user, pk) -> ServiceContract:
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    contract = visible_contracts(user).select_related("customer").filter(pk=pk).first()
    if contract is None:
        raise Http404
    return contract


def contract_list(user, today: datetime.date, *, state: str = "", q: str = "", expiring_days: int = 30,
                  customer_id: int | None = None):
    """state: active (in force today), expiring (in force and ending within expiring_days), expired, pending,
    draft, terminated; empty: all."""
    rows = visible_contracts(user)
    active = Q(status=ContractStatus.ACTIVE)
    if state == rules.ACTIVE:
        rows = rows.filter(active, starts_on__lte=today, expires_on__gte=today)
    elif state == "expiring":
        rows = rows.filter(active, starts_on__lte=today, expires_on__gte=today,
                           expires_on__lte=today + datetime.timedelta(days=expiring_days))
    elif state == rules.EXPIRED:
        rows = rows.filter(active, expires_on__lt=today)
    elif state == rules.PENDING:
        rows = rows.filter(active, starts_on__gt=today)
    elif state in (rules.DRAFT, rules.TERMINATED):
        rows = rows.filter(status=state)
    if customer_id:
        rows = rows.filter(customer_id=customer_id)
    q = rules.normalise(q)
    if q:
        rows = rows.filter(Q(number__icontains=q) | Q(customer__name__icontains=q) | Q(customer__code__iexact=q))
    return rows.select_related("customer").prefetch_related("products").order_by("expires_on", "id")


def expiring_contracts(user, today: datetime.date, days: int = 30):
    return contract_list(user, today, state="expiring", expiring_days=days)


def customer_contracts(user, customer):
    return list(visible_contracts(user).filter(customer=customer).prefetch_related("products")
                .order_by("-expires_on", "-id"))


# --- knowledge base ----------------------------------------------------------------------------------------

def visible_articles(user):
    if not has_perm(user, "kb.view"):
        return Article.objects.none()
    if has_perm(user, "kb.edit"):
        return Article.objects.all()
    return Article.objects.filter(published=True)


def get_article_for_user(user, pk) -> Article:
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    article = visible_articles(user).select_related("author").filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def _hit(field: str, term: str, weight: int):
    return Case(When(**{f"{field}__icontains": term}, then=Value(weight)), default=Value(0),
                output_field=IntegerField())


def _scored(rows, terms, weights: dict[str, int] | None = None):
    """Annotate rules.score in SQL: title_hits (terms found in the title) and score (weighted hits)."""
    weights = weights or {}
    title_hits = sum((_hit("title", t, 1) for t in terms), Value(0))
    score = sum((_hit("title", t, rules.TITLE_WEIGHT * weights.get(t, 1)) + _hit("tags", t, rules.TAG_WEIGHT
                                                                              * weights.get(t, 1))
                 + _hit("body", t, rules.BODY_WEIGHT * weights.get(t, 1)) for t in terms), Value(0))
    return rows.annotate(title_hits=title_hits, score=score)


def _anywhere(term: str) -> Q:
    return Q(title__icontains=term) | Q(tags__icontains=term) | Q(body__icontains=term)


def search_articles(user, query: str = "", *, category: str = "", published: bool | None = None):
    """Articles holding every word of the query (in the title, tags or text), those with the words in the
    title first, then by weighted hits; without a query, by title. Two Chinese characters (安装) are one word."""
    rows = visible_articles(user)
    if category:
        rows = rows.filter(category=category)
    if published is not None:
        rows = rows.filter(published=published)
    terms = rules.query_terms(query)
    if not terms:
        return rows.select_related("author").order_by("title", "id")
    for term in terms:
        rows = rows.filter(_anywhere(term))
    return _scored(rows, terms).select_related("author").order_by("-title_hits", "-score", "title", "id")


def suggestion_weights(rows, terms) -> dict[str, int]:
    """rules.term_weights from one query counting, for each term, the articles that hold it."""
    counts = rows.aggregate(total=Count("pk"), **{f"t{i}": Count("pk", filter=_anywhere(t))
                                                  for i, t in enumerate(terms)})
    return rules.term_weights({t: counts[f"t{i}"] for i, t in enumerate(terms)}, counts["total"])


def suggest(text: str, limit: int = 5, user=None) -> list[Article]:
    """Published articles for an intake description: its Chinese bigrams and words (rules.suggestion_terms),
    each weighted by its rarity in the knowledge base, looked up in title, tags and text and ranked by
    weighted hits (two queries). Used on the ticket intake (and the complaint intake)."""
    terms = rules.suggestion_terms(text)
    if not terms:
        return []
    rows = Article.objects.filter(published=True) if user is None else visible_articles(user).filter(published=True)
    weights = suggestion_weights(rows, terms)
    terms = [t for t in terms if weights[t]]
    if not terms:
        return []
    any_term = Q()
    for term in terms:
        any_term |= _anywhere(term)
    threshold = rules.suggestion_threshold({t: weights[t] for t in terms})
    rows = _scored(rows.filter(any_term), terms, weights).filter(score__gte=threshold)
    return list(rows.order_by("-score", "-title_hits", "title", "id")[:max(1, min(int(limit), 20))])
