"""Writes of SERVQUAL campaigns (servqual.campaign: service agents, sales managers, administrators), each one
transaction with its audit record:

- create_campaign / update_campaign (a draft only; the name may change later too);
- transition: the seed's eight steps as the workflow — steps 1–4 (criteria, weights, items, questionnaire) are
  the instrument version the draft asks; open = step 5 (distribute), closed = step 6 (tally), analysed = steps
  7–8 (E and P, gaps); only forward, one step at a time;
- distribute: one link per active contact of the customers the filters choose (in the user's scope), the tokens
  returned once (only their sha256 is stored); renew=True gives unused links a new token and expiry;
- answer_by_token: the public page's answer — the link locked (select_for_update), checked unused and unexpired,
  the answer and the used mark written together, so two submits at once write one answer;
- enter_answer: staff enter a paper or phone answer for a customer in their scope.
Errors name the field; nothing is written then.
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from credo.analysis.queries import AnalysisFilter, customer_filter
from credo.core import audit
from credo.core.clock import business_now, business_today
from credo.core.errors import ValidationError, require
from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers.models import Contact, Customer

from . import rules, services
from .models import Campaign, CampaignStatus, Channel, Item, Response, ResponseItem, SurveyLink

NAME_LENGTH = 120
MAX_LINK_DAYS = 365
NEXT = {CampaignStatus.DRAFT: CampaignStatus.OPEN, CampaignStatus.OPEN: CampaignStatus.CLOSED,
        CampaignStatus.CLOSED: CampaignStatus.ANALYSED}
STAMPS = {CampaignStatus.OPEN: "opened_at", CampaignStatus.CLOSED: "closed_at",
          CampaignStatus.ANALYSED: "analysed_at"}
FIELDS = ("name", "period_start", "period_end", "link_days", "anonymous", "status", "version")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(24)


def can_run(user) -> bool:
    return has_perm(user, "servqual.campaign")


def _require_run(user):
    require(can_run(user), _("Your role may not run survey campaigns."))


# --- campaigns ----------------------------------------------------------------------------------------

def _date(value, name: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationError({name: [_("Enter a date as YYYY-MM-DD.")]}) from None


def _checked(name, period_start, period_end, link_days) -> dict:
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationError({"name": [_("Give the campaign a name.")]})
    if len(name) > NAME_LENGTH:
        raise ValidationError({"name": [_("At most %(n)s characters.") % {"n": NAME_LENGTH}]})
    start, end = _date(period_start, "period_start"), _date(period_end, "period_end")
    if end < start:
        raise ValidationError({"period_end": [_("The period ends before it starts.")]})
    try:
        days = int(link_days)
    except (TypeError, ValueError):
        raise ValidationError({"link_days": [_("Enter a whole number of days.")]}) from None
    if not 1 <= days <= MAX_LINK_DAYS:
        raise ValidationError({"link_days": [_("Links expire after 1 to %(n)s days.") % {"n": MAX_LINK_DAYS}]})
    return {"name": name, "period_start": start, "period_end": end, "link_days": days}


@transaction.atomic
def create_campaign(user, *, name, period_start, period_end, link_days=14, anonymous=False) -> Campaign:
    """A draft campaign asking the instrument version in force on the period's first day."""
    _require_run(user)
    values = _checked(name, period_start, period_end, link_days)
    campaign = Campaign.objects.create(**values, anonymous=bool(anonymous),
                                       version=services.in_force(values["period_start"]),
                                       created_by=user if getattr(user, "pk", None) else None)
    audit.record(user, "sq.camp", campaign, after=audit.snapshot(campaign, FIELDS))
    return campaign


def _locked(campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


@transaction.atomic
def update_campaign(user, campaign, *, name=None, period_start=None, period_end=None, link_days=None,
                    anonymous=None) -> Campaign:
    """Change a campaign: everything while a draft, only the name afterwards."""
    _require_run(user)
    campaign = _locked(campaign)
    before = audit.snapshot(campaign, FIELDS)
    others = (period_start, period_end, link_days, anonymous)
    if campaign.status != CampaignStatus.DRAFT and any(v is not None for v in others):
        raise ValidationError({"status": [_("Only the name of a campaign that is no longer a draft may change.")]})
    values = _checked(campaign.name if name is None else name,
                      campaign.period_start if period_start is None else period_start,
                      campaign.period_end if period_end is None else period_end,
                      campaign.link_days if link_days is None else link_days)
    for key, value in values.items():
        setattr(campaign, key, value)
    if anonymous is not None:
        campaign.anonymous = bool(anonymous)
    if campaign.status == CampaignStatus.DRAFT:
        campaign.version = services.in_force(campaign.period_start)
    campaign.save()
    audit.record_change(user, campaign, before)
    return campaign


@transaction.atomic
def transition(user, campaign, to: str) -> Campaign:
    """One step forward: draft → open → closed → analysed."""
    _require_run(user)
    campaign = _locked(campaign)
    if to not in CampaignStatus.values or NEXT.get(campaign.status) != to:
        raise ValidationError({"status": [_("A %(current)s campaign cannot become %(to)s.")
                                          % {"current": campaign.get_status_display(), "to": to}]})
    before = campaign.status
    campaign.status = to
    setattr(campaign, STAMPS[to], business_now())
    campaign.save(update_fields=["status", STAMPS[to]])
    audit.record(user, "sq.status", campaign, before={"status": before}, after={"status": to})
    return campaign


# --- distribution ---------------------------------------------------------------------------------------

@dataclass
class IssuedLink:
    link: SurveyLink
    token: str


def filter_of(data) -> AnalysisFilter:
    """The customer filters of a distribution (territory, manager, kind, klass); ValidationError naming it."""
    try:
        return AnalysisFilter.from_mapping({k: str(v) for k, v in (data or {}).items() if v not in (None, "")})
    except ValueError as exc:
        raise ValidationError({str(exc): [_("Bad value for %(field)s.") % {"field": exc}]}) from None


@transaction.atomic
def distribute(user, campaign, filters=None, *, renew: bool = False) -> list[IssuedLink]:
    """Links for the active contacts of the customers chosen (see the module's docstring); the tokens are
    returned once and never stored."""
    _require_run(user)
    campaign = _locked(campaign)
    if campaign.status not in (CampaignStatus.DRAFT, CampaignStatus.OPEN):
        raise ValidationError({"status": [_("Links can be sent only before the campaign closes.")]})
    flt = filter_of(filters)
    customers = Customer.objects.filter(customer_filter(user, flt), is_active=True)
    contacts = list(Contact.objects.filter(customer__in=customers, is_active=True).order_by("customer_id", "pk")
                    .values_list("pk", "customer_id"))
    existing = {link.contact_id: link for link in SurveyLink.objects.filter(campaign=campaign)}
    now = business_now()
    expires = now + datetime.timedelta(days=campaign.link_days)
    issued, made, renewed = [], [], []
    for contact_id, customer_id in contacts:
        link = existing.get(contact_id)
        if link is not None and (not renew or link.used_at is not None):
            continue
        token = new_token()
        if link is None:
            link = SurveyLink(campaign=campaign, customer_id=customer_id, contact_id=contact_id)
            made.append(link)
        else:
            renewed.append(link)
        link.token_hash, link.created_at, link.expires_at = token_hash(token), now, expires
        issued.append(IssuedLink(link, token))
    SurveyLink.objects.bulk_create(made, batch_size=1000)
    SurveyLink.objects.bulk_update(renewed, ["token_hash", "created_at", "expires_at"], batch_size=1000)
    audit.record(user, "sq.send", campaign, after={"filter": flt.query(), "new": len(made), "renewed": len(renewed),
                                                   "renew": renew})
    return issued


# --- answers -----------------------------------------------------------------------------------------------

def campaign_items(campaign) -> dict[str, Item]:
    """{item key: Item} of the version the campaign asks."""
    return {i.key: i for i in Item.objects.filter(dimension__version_id=campaign.version_id)
            .select_related("dimension")}


def check_scores(campaign, scores) -> dict[str, tuple[int | None, int | None]]:
    """{item key: (E, P)} checked against the campaign's items and the 1–7 scale; items may be left out.
    ValidationError naming `scores`."""
    items = campaign_items(campaign)
    checked = {}
    for key, pair in (scores or {}).items():
        if key not in items:
            raise ValidationError({"scores": [_("Unknown item %(key)s.") % {"key": key}]})
        try:
            e, p = pair
            values = (rules.parse_score(e, "expectation"), rules.parse_score(p, "perception"))
        except (TypeError, ValueError):
            raise ValidationError({"scores": [_("%(key)s: scores are whole numbers 1–7.") % {"key": key}]}) from None
        if values != (None, None):
            checked[key] = values
    if not checked:
        raise ValidationError({"scores": [_("Answer at least one question.")]})
    return checked


def _write(campaign, customer_id, contact_id, link, channel, checked) -> Response:
    items = campaign_items(campaign)
    response = Response.objects.create(
        campaign=campaign, customer_id=customer_id, channel=channel, answered_on=business_today(),
        contact_id=None if campaign.anonymous else contact_id, link=None if campaign.anonymous else link)
    ResponseItem.objects.bulk_create([ResponseItem(response=response, item=items[key], expectation=e, perception=p)
                                      for key, (e, p) in checked.items()])
    return response


class LinkUnusable(Exception):
    """The link cannot be answered: `reason` is unknown, used, expired or closed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def link_state(link: SurveyLink | None, now=None) -> str:
    if link is None:
        return "unknown"
    if link.used_at is not None:
        return "used"
    if link.campaign.status != CampaignStatus.OPEN:
        return "closed"
    if link.expires_at <= (now or business_now()):
        return "expired"
    return "open"


def find_link(token: str) -> SurveyLink | None:
    return SurveyLink.objects.select_related("campaign").filter(token_hash=token_hash(token or "")).first()


@transaction.atomic
def answer_by_token(token: str, scores) -> Response:
    """The answer through a one-time link (no user): LinkUnusable, or ValidationError naming `scores`."""
    found = find_link(token)
    if found is None:
        raise LinkUnusable("unknown")
    link = SurveyLink.objects.select_for_update().select_related("campaign").get(pk=found.pk)
    now = business_now()
    state = link_state(link, now)
    if state != "open":
        raise LinkUnusable(state)
    checked = check_scores(link.campaign, scores)
    # Anonymous: only the day is kept, so the order of the used links cannot be matched to the answers.
    link.used_at = now.replace(hour=0, minute=0, second=0, microsecond=0) if link.campaign.anonymous else now
    link.save(update_fields=["used_at"])
    response = _write(link.campaign, link.customer_id, link.contact_id, link, Channel.LINK, checked)
    audit.record(None, "sq.answer", link.campaign, customer_id=link.customer_id,
                 after={"channel": Channel.LINK, "items": len(checked),
                        **({} if link.campaign.anonymous else {"response": response.pk})})
    return response


@transaction.atomic
def enter_answer(user, campaign, *, customer, contact=None, channel=Channel.PAPER, scores=None) -> Response:
    """A paper or phone answer entered by staff for a customer in their scope, while the campaign is open."""
    _require_run(user)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError({"status": [_("Answers are taken only while the campaign is open.")]})
    if channel not in (Channel.PAPER, Channel.PHONE):
        raise ValidationError({"channel": [_("Enter paper or phone.")]})
    customer_id = getattr(customer, "pk", customer)
    if not Customer.objects.filter(customer_q(user), pk=customer_id).exists():
        raise ValidationError({"customer": [_("No such customer in your scope.")]})
    contact_id = getattr(contact, "pk", contact)
    if contact_id and not Contact.objects.filter(pk=contact_id, customer_id=customer_id).exists():
        raise ValidationError({"contact": [_("This contact is not one of the customer's.")]})
    checked = check_scores(campaign, scores)
    response = _write(campaign, customer_id, contact_id, None, channel, checked)
    audit.record(user, "sq.enter", campaign, customer_id=customer_id,
                 after={"channel": channel, "items": len(checked), "response": response.pk})
    return response
