"""REST endpoints of SERVQUAL campaigns, under /api/servqual/campaigns: list, create, edit, transitions,
distribute (the new links with their full URLs, shown this once), the links and their state, staff entry, and
the results (the same sections as the page and the workbook). The public answer is page-only (/s/<token>/).

Errors: 401 not signed in, 403 not allowed, 404 no such campaign or a customer out of scope, 422 naming the
field."""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from credo.analysis.exporting import report_json
from credo.core.api_inputs import InputSchema
from credo.core.errors import require
from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers.models import Customer

from . import campaign_queries as queries
from . import campaign_services as services
from .campaign_views import public_url
from .models import Campaign

router = Router()


class CampaignOut(Schema):
    id: int
    name: str
    status: str
    period_start: datetime.date
    period_end: datetime.date
    link_days: int
    anonymous: bool
    version_id: int


class CampaignIn(InputSchema):
    name: str
    period_start: datetime.date
    period_end: datetime.date
    link_days: int = Field(14, description="links expire after this many days (1–365)")
    anonymous: bool = False


class CampaignPatch(InputSchema):
    name: str | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    link_days: int | None = None
    anonymous: bool | None = None


class TransitionIn(InputSchema):
    to: str = Field(description="open, closed or analysed: the next status")


class DistributeIn(InputSchema):
    territory: int | None = None
    manager: int | None = Field(None, description="account manager (user id)")
    kind: str = ""
    klass: str = Field("", description="customer class (from the classification)")
    customer: int | None = None
    renew: bool = Field(False, description="new tokens for the chosen contacts' links not answered yet")


class IssuedOut(Schema):
    link_id: int
    customer_id: int
    contact_id: int
    url: str = Field(description="the full one-time link; shown only in this answer")
    expires_at: datetime.datetime


class LinkOut(Schema):
    id: int
    customer_id: int
    contact_id: int | None
    state: str = Field(description="sent, answered or expired")
    created_at: datetime.datetime
    expires_at: datetime.datetime


class EntryIn(InputSchema):
    customer: int
    contact: int | None = None
    channel: str = Field("paper", description="paper or phone")
    scores: dict[str, list[int | None]] = Field(description="{item key: [E, P]}, each 1–7 or null")


class EntryOut(Schema):
    response_id: int
    items: int


def _view(request):
    require(has_perm(request.user, "servqual.view"), "permission denied")


def _campaign(pk) -> Campaign:
    return get_object_or_404(Campaign, pk=pk)


@router.get("", response=list[CampaignOut], summary="Survey campaigns, newest first")
def campaign_list(request):
    _view(request)
    return list(queries.campaigns(request.user))


@router.post("", response={201: CampaignOut}, summary="Create a draft campaign")
def create(request, payload: CampaignIn):
    return Status(201, services.create_campaign(request.user, **payload.dict()))


@router.get("/{int:pk}", response=CampaignOut, summary="One campaign")
def detail(request, pk: int):
    _view(request)
    return _campaign(pk)


@router.patch("/{int:pk}", response=CampaignOut, summary="Change a draft (only the name once open)")
def edit(request, pk: int, payload: CampaignPatch):
    return services.update_campaign(request.user, _campaign(pk), **payload.dict())


@router.post("/{int:pk}/status", response=CampaignOut, summary="Move to the next status")
def transition(request, pk: int, payload: TransitionIn):
    return services.transition(request.user, _campaign(pk), payload.to)


@router.post("/{int:pk}/distribute", response=list[IssuedOut],
             summary="Links for the contacts of the customers chosen (the URLs are shown only here)")
def distribute(request, pk: int, payload: DistributeIn):
    data = payload.dict()
    renew = data.pop("renew")
    issued = services.distribute(request.user, _campaign(pk), data, renew=renew)
    return [{"link_id": row.link.pk, "customer_id": row.link.customer_id, "contact_id": row.link.contact_id,
             "url": public_url(row.token), "expires_at": row.link.expires_at} for row in issued]


@router.get("/{int:pk}/links", response=list[LinkOut], summary="The campaign's links in your scope and their state")
def links(request, pk: int):
    _view(request)
    return [{"id": r["link"].pk, "customer_id": r["link"].customer_id, "contact_id": r["link"].contact_id,
             "state": r["state"], "created_at": r["link"].created_at, "expires_at": r["link"].expires_at}
            for r in queries.links(request.user, _campaign(pk))]


@router.post("/{int:pk}/answers", response={201: EntryOut}, summary="Enter a paper or phone answer")
def enter(request, pk: int, payload: EntryIn):
    campaign = _campaign(pk)
    require(services.can_run(request.user), "permission denied")
    if not Customer.objects.filter(customer_q(request.user), pk=payload.customer).exists():
        raise Http404
    scores = {key: tuple(pair) if len(pair) == 2 else pair for key, pair in payload.scores.items()}
    response = services.enter_answer(request.user, campaign, customer=payload.customer, contact=payload.contact,
                                     channel=payload.channel, scores=scores)
    return Status(201, {"response_id": response.pk, "items": response.scores.count()})


@router.get("/{int:pk}/results", summary="Results: summary, dimensions, items (weakest first), classes, territories "
                                         "and (not anonymous) customers; figures as strings with 4 decimals")
def results(request, pk: int):
    _view(request)
    campaign = _campaign(pk)
    flt = queries.report_filter(campaign)
    return {"campaign": campaign.pk, "sections": [report_json(s, flt) for s in queries.results(request.user,
                                                                                               campaign)]}
