"""REST endpoints of the service desk, scoped like the pages: tickets (queue, detail, intake and each step),
service contracts (CRUD) and the knowledge base (search, suggestions, writing)."""

import datetime

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema, Status

from credo.core.api_inputs import InputSchema, Limit, MultilineText, Offset
from credo.core.clock import business_today
from credo.core.roles import has_perm
from credo.customers.queries import get_customer_for_user

from . import queries, services

router = Router()


def _require(request, action):
    if not has_perm(request.user, action):
        raise PermissionDenied("permission denied")


# --- tickets -----------------------------------------------------------------------------------------------

class TicketOut(Schema):
    id: int
    number: str
    customer_id: int
    customer_name: str
    contact_id: int | None
    type: str
    product_id: int | None
    severity: str
    subject: str
    description: str
    owner: str | None
    status: str
    resolution: str
    covered: bool
    contract_number: str | None
    customer_class: str
    first_response_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    complaint_id: int | None
    created_at: datetime.datetime
    first_response_due: datetime.datetime | None = None
    resolution_due: datetime.datetime | None = None


class TicketEntryOut(Schema):
    kind: str
    body: str
    author: str
    at: datetime.datetime


class TicketClockOut(Schema):
    metric: str
    target_hours: str
    started_at: datetime.datetime
    due_at: datetime.datetime | None
    paused: bool
    stopped_at: datetime.datetime | None
    breached: bool


class TicketDetailOut(TicketOut):
    entries: list[TicketEntryOut]
    clocks: list[TicketClockOut]


class TicketIn(InputSchema):
    customer_id: int
    subject: str
    description: MultilineText
    type: str = "question"
    severity: str = "normal"
    product_id: int | None = None
    contact_id: int | None = None
    owner_id: int | None = None


class TicketReplyIn(InputSchema):
    body: MultilineText
    kind: str = "reply"


class TicketPauseIn(InputSchema):
    reason: str


class TicketResumeIn(InputSchema):
    note: str = ""


class TicketResolveIn(InputSchema):
    resolution: MultilineText


def _ticket_out(t) -> dict:
    return {"id": t.pk, "number": t.number, "customer_id": t.customer_id, "customer_name": t.customer.name,
            "contact_id": t.contact_id, "type": t.type, "product_id": t.product_id, "severity": t.severity,
            "subject": t.subject, "description": t.description, "owner": t.owner.username if t.owner_id else None,
            "status": t.status, "resolution": t.resolution, "covered": t.contract_id is not None,
            "contract_number": t.contract.number if t.contract_id else None, "customer_class": t.customer_class,
            "first_response_at": t.first_response_at, "resolved_at": t.resolved_at, "complaint_id": t.complaint_id,
            "created_at": t.created_at, "first_response_due": getattr(t, "first_response_due", None),
            "resolution_due": getattr(t, "resolution_due", None)}


def _ticket_detail(user, pk) -> dict:
    ticket = queries.get_ticket_for_user(user, pk)
    ticket = queries.with_dues(queries.visible_tickets(user).filter(pk=ticket.pk)).select_related(
        "customer", "owner", "contract").get()
    return {**_ticket_out(ticket),
            "entries": [{"kind": e.kind, "body": e.body, "author": e.author_name, "at": e.at}
                        for e in ticket.entries.order_by("at", "id")],
            "clocks": [{"metric": c.metric, "target_hours": str(c.target_hours), "started_at": c.started_at,
                        "due_at": c.due_at, "paused": c.paused, "stopped_at": c.stopped_at, "breached": c.breached}
                       for c in queries.ticket_clocks(ticket)]}


@router.get("/tickets", response=list[TicketOut], summary="The ticket queue, filtered; due soonest first")
def ticket_list(request, status: str = "open", owner: str = "", type: str = "", severity: str = "",  # noqa: A002
                covered: str = "", q: str = "", customer_id: int | None = None, offset: Offset = 0,
                limit: Limit(500) = 100):
    _require(request, "servicedesk.view")
    rows = queries.ticket_queue(request.user, status=status, owner=owner, type=type, severity=severity,
                                covered=covered, q=q, customer_id=customer_id)
    return [_ticket_out(t) for t in rows[offset:offset + limit]]


@router.get("/tickets/{int:ticket_id}", response=TicketDetailOut, summary="A ticket with its history and clocks")
def ticket_detail(request, ticket_id: int):
    _require(request, "servicedesk.view")
    return _ticket_detail(request.user, ticket_id)


@router.post("/tickets", response={201: TicketDetailOut}, summary="Log a service request (the clocks start)")
def ticket_create(request, payload: TicketIn):
    _require(request, "servicedesk.intake")
    customer = get_customer_for_user(request.user, payload.customer_id)
    ticket = services.intake(request.user, customer, subject=payload.subject, description=payload.description,
                             type=payload.type, severity=payload.severity, product=payload.product_id,
                             contact_id=payload.contact_id, owner=payload.owner_id)
    return Status(201, _ticket_detail(request.user, ticket.pk))


def _ticket(request, ticket_id):
    _require(request, "servicedesk.view")
    return queries.get_ticket_for_user(request.user, ticket_id)


@router.post("/tickets/{int:ticket_id}/reply", response=TicketDetailOut,
             summary="A reply to the customer or an internal note (kind reply|note)")
def ticket_reply(request, ticket_id: int, payload: TicketReplyIn):
    services.reply(request.user, _ticket(request, ticket_id), payload.body, kind=payload.kind)
    return _ticket_detail(request.user, ticket_id)


@router.post("/tickets/{int:ticket_id}/pause", response=TicketDetailOut,
             summary="Wait for the customer: the clocks pause with the reason")
def ticket_pause(request, ticket_id: int, payload: TicketPauseIn):
    services.pause(request.user, _ticket(request, ticket_id), payload.reason)
    return _ticket_detail(request.user, ticket_id)


@router.post("/tickets/{int:ticket_id}/resume", response=TicketDetailOut, summary="The customer answered")
def ticket_resume(request, ticket_id: int, payload: TicketResumeIn):
    services.resume(request.user, _ticket(request, ticket_id), payload.note)
    return _ticket_detail(request.user, ticket_id)


@router.post("/tickets/{int:ticket_id}/resolve", response=TicketDetailOut, summary="Resolve with the resolution")
def ticket_resolve(request, ticket_id: int, payload: TicketResolveIn):
    services.resolve(request.user, _ticket(request, ticket_id), payload.resolution)
    return _ticket_detail(request.user, ticket_id)


class TicketReasonIn(InputSchema):
    reason: str


class TicketAssignIn(InputSchema):
    owner_id: int


@router.post("/tickets/{int:ticket_id}/reopen", response=TicketDetailOut,
             summary="Reopen a resolved ticket with the reason (a new resolution clock starts)")
def ticket_reopen(request, ticket_id: int, payload: TicketReasonIn):
    services.reopen(request.user, _ticket(request, ticket_id), payload.reason)
    return _ticket_detail(request.user, ticket_id)


@router.post("/tickets/{int:ticket_id}/close", response=TicketDetailOut, summary="Close a resolved ticket")
def ticket_close(request, ticket_id: int):
    services.close(request.user, _ticket(request, ticket_id))
    return _ticket_detail(request.user, ticket_id)


@router.post("/tickets/{int:ticket_id}/assign", response=TicketDetailOut, summary="Give the ticket to an agent")
def ticket_assign(request, ticket_id: int, payload: TicketAssignIn):
    services.assign(request.user, _ticket(request, ticket_id), payload.owner_id)
    return _ticket_detail(request.user, ticket_id)


# --- contracts ---------------------------------------------------------------------------------------------

class ServiceContractOut(Schema):
    id: int
    number: str
    customer_id: int
    customer_name: str
    terms: str
    all_products: bool
    product_ids: list[int]
    starts_on: datetime.date
    expires_on: datetime.date
    status: str
    state: str
    days_to_expiry: int


class ServiceContractIn(InputSchema):
    customer_id: int
    number: str
    terms: MultilineText
    starts_on: datetime.date
    expires_on: datetime.date
    status: str = "active"
    all_products: bool = False
    product_ids: list[int] = []


class ServiceContractChangeIn(InputSchema):
    number: str
    terms: MultilineText
    starts_on: datetime.date
    expires_on: datetime.date
    status: str = "active"
    all_products: bool = False
    product_ids: list[int] = []


def _contract_out(c) -> dict:
    today = business_today()
    return {"id": c.pk, "number": c.number, "customer_id": c.customer_id, "customer_name": c.customer.name,
            "terms": c.terms, "all_products": c.all_products, "product_ids": sorted(p.pk for p in c.products.all()),
            "starts_on": c.starts_on, "expires_on": c.expires_on, "status": c.status, "state": c.state(today),
            "days_to_expiry": (c.expires_on - today).days}


@router.get("/contracts", response=list[ServiceContractOut],
            summary="Service contracts; state active|expiring|expired|pending|draft|terminated")
def contract_list(request, state: str = "", q: str = "", customer_id: int | None = None, days: Limit(366) = 30,
                  offset: Offset = 0, limit: Limit(500) = 100):
    _require(request, "servicedesk.view")
    rows = queries.contract_list(request.user, business_today(), state=state, q=q, expiring_days=days,
                                 customer_id=customer_id)
    return [_contract_out(c) for c in rows[offset:offset + limit]]


@router.get("/contracts/{int:contract_id}", response=ServiceContractOut, summary="A service contract")
def contract_detail(request, contract_id: int):
    _require(request, "servicedesk.view")
    return _contract_out(queries.get_contract_for_user(request.user, contract_id))


@router.post("/contracts", response={201: ServiceContractOut}, summary="Add a service contract")
def contract_create(request, payload: ServiceContractIn):
    _require(request, "servicedesk.contract")
    customer = get_customer_for_user(request.user, payload.customer_id)
    contract = services.save_contract(request.user, customer, number=payload.number, terms=payload.terms,
                                      starts_on=payload.starts_on, expires_on=payload.expires_on,
                                      status=payload.status, all_products=payload.all_products,
                                      product_ids=payload.product_ids)
    return Status(201, _contract_out(contract))


@router.put("/contracts/{int:contract_id}", response=ServiceContractOut, summary="Change a service contract")
def contract_update(request, contract_id: int, payload: ServiceContractChangeIn):
    _require(request, "servicedesk.contract")
    contract = queries.get_contract_for_user(request.user, contract_id)
    contract = services.save_contract(request.user, contract.customer, number=payload.number, terms=payload.terms,
                                      starts_on=payload.starts_on, expires_on=payload.expires_on,
                                      status=payload.status, all_products=payload.all_products,
                                      product_ids=payload.product_ids, contract=contract)
    return _contract_out(contract)


@router.delete("/contracts/{int:contract_id}", response={204: None},
               summary="Delete a contract no request refers to (otherwise terminate it)")
def contract_delete(request, contract_id: int):
    _require(request, "servicedesk.contract")
    services.delete_contract(request.user, queries.get_contract_for_user(request.user, contract_id))
    return Status(204, None)


# --- knowledge base ----------------------------------------------------------------------------------------

class ArticleOut(Schema):
    id: int
    title: str
    category: str
    tags: list[str]
    body: str
    author: str | None
    published: bool
    source_complaint_id: int | None
    updated_at: datetime.datetime


class ArticleIn(InputSchema):
    title: str
    body: MultilineText
    category: str = "other"
    tags: list[str] = []
    published: bool = False
    source_complaint_id: int | None = None


def _article_out(a) -> dict:
    return {"id": a.pk, "title": a.title, "category": a.category, "tags": a.tag_list, "body": a.body,
            "author": a.author.username if a.author_id else None, "published": a.published,
            "source_complaint_id": a.source_complaint_id, "updated_at": a.updated_at}


@router.get("/articles", response=list[ArticleOut],
            summary="Search the knowledge base (every word; title hits first); two Chinese characters are a word")
def article_search(request, q: str = "", category: str = "", offset: Offset = 0, limit: Limit(200) = 50):
    _require(request, "kb.view")
    rows = queries.search_articles(request.user, q, category=category)
    return [_article_out(a) for a in rows[offset:offset + limit]]


@router.get("/articles/suggest", response=list[ArticleOut],
            summary="Articles for an intake description, best first")
def article_suggest(request, text: str = "", limit: Limit(20) = 5):
    _require(request, "kb.view")
    return [_article_out(a) for a in queries.suggest(text, limit=limit, user=request.user)]


@router.get("/articles/{int:article_id}", response=ArticleOut, summary="A knowledge article")
def article_detail(request, article_id: int):
    _require(request, "kb.view")
    return _article_out(queries.get_article_for_user(request.user, article_id))


@router.post("/articles", response={201: ArticleOut}, summary="Write a knowledge article")
def article_create(request, payload: ArticleIn):
    _require(request, "kb.edit")
    article = services.save_article(request.user, title=payload.title, body=payload.body, category=payload.category,
                                    tags=payload.tags, published=payload.published,
                                    source_complaint_id=payload.source_complaint_id)
    return Status(201, _article_out(article))


@router.put("/articles/{int:article_id}", response=ArticleOut, summary="Change a knowledge article")
def article_update(request, article_id: int, payload: ArticleIn):
    _require(request, "kb.edit")
    article = queries.get_article_for_user(request.user, article_id)
    article = services.save_article(request.user, title=payload.title, body=payload.body, category=payload.category,
                                    tags=payload.tags, published=payload.published,
                                    source_complaint_id=payload.source_complaint_id, article=article)
    return _article_out(article)
