"""Campaign pages: the list (and a new campaign), a campaign (its steps, transitions, distribution with the CSV
of links to mail, the links and their state, staff entry of a paper or phone answer), and its results (tables,
the radar chart, gaps as bars; Excel). Bad input shows the error; nothing is written then."""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credo.analysis.sections import page_table, workbook_response
from credo.core.clock import business_today
from credo.core.errors import require
from credo.core.notifications import absolute_url
from credo.core.roles import has_perm
from credo.core.scopes import OWN, assignable_managers, scope_of
from credo.core.view_helpers import add_form_errors
from credo.customers.models import Contact, Customer

from . import campaign_queries as queries
from . import campaign_services as services
from .campaign_forms import CampaignForm, DistributeForm, EntryForm
from .models import CampaignStatus

STEPS = [  # the seed's eight steps, and the status that reaches each
    (_("Choose the criteria"), CampaignStatus.DRAFT), (_("Weight them"), CampaignStatus.DRAFT),
    (_("Write the items"), CampaignStatus.DRAFT), (_("Make the questionnaire"), CampaignStatus.DRAFT),
    (_("Distribute"), CampaignStatus.OPEN), (_("Tally"), CampaignStatus.CLOSED),
    (_("Compute expectation and perception"), CampaignStatus.ANALYSED),
    (_("Compute the gaps"), CampaignStatus.ANALYSED)]
ORDER = list(CampaignStatus.values)
NEXT_LABELS = {CampaignStatus.OPEN: _("Open (send the links)"), CampaignStatus.CLOSED: _("Close (tally)"),
               CampaignStatus.ANALYSED: _("Mark analysed")}


def _view(request):
    require(has_perm(request.user, "servqual.view"), _("You may not do this."))


@login_required
def campaign_list(request):
    _view(request)
    form = None
    if has_perm(request.user, "servqual.campaign"):
        today = business_today()
        form = CampaignForm(request.POST or None, initial={"period_start": today, "period_end": today})
        if request.method == "POST" and form.is_valid():
            try:
                campaign = services.create_campaign(request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, _("Campaign created."))
                return redirect("servqual:campaign", pk=campaign.pk)
    return render(request, "servqual/campaigns.html", {"campaigns": queries.campaigns(request.user), "form": form},
                  status=400 if form is not None and form.errors else 200)


def _distribute_form(request, data=None):
    managers = [] if scope_of(request.user) == OWN else assignable_managers(request.user).order_by("username")
    return DistributeForm(data, managers=managers, prefix="send")


def _entry_form(campaign, data=None):
    return EntryForm(data, items=services.campaign_items(campaign).values(), prefix="entry")


def _campaign_page(request, campaign, *, distribute=None, entry=None, status=200):
    rows = queries.links(request.user, campaign)
    reached = ORDER.index(campaign.status)
    steps = [(n, title, ORDER.index(needed) <= reached) for n, (title, needed) in enumerate(STEPS, start=1)]
    following = services.NEXT.get(campaign.status)
    can_run = services.can_run(request.user)
    return render(request, "servqual/campaign.html", {
        "campaign": campaign, "steps": steps, "links": rows, "counts": queries.link_counts(rows),
        "answers": queries.responses(request.user, campaign).count(), "can_run": can_run,
        "next_status": following, "next_label": NEXT_LABELS.get(following, ""),
        "distribute_form": distribute or (_distribute_form(request) if can_run else None),
        "entry_form": entry or (_entry_form(campaign) if can_run and campaign.status == CampaignStatus.OPEN
                                else None),
        "edit_form": CampaignForm(initial={f: getattr(campaign, f) for f in
                                           ("name", "period_start", "period_end", "link_days", "anonymous")})
        if can_run and campaign.status == CampaignStatus.DRAFT else None,
    }, status=status)


@login_required
def campaign(request, pk):
    _view(request)
    return _campaign_page(request, queries.visible_campaign(request.user, pk))


@login_required
@require_POST
def edit(request, pk):
    item = queries.visible_campaign(request.user, pk)
    form = CampaignForm(request.POST)
    if form.is_valid():
        try:
            services.update_campaign(request.user, item, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("servqual:campaign", pk=pk)


@login_required
@require_POST
def transition(request, pk):
    item = queries.visible_campaign(request.user, pk)
    try:
        services.transition(request.user, item, request.POST.get("to", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The campaign is now %(status)s.") % {"status": item.__class__.objects.get(
            pk=pk).get_status_display()})
    return redirect("servqual:campaign", pk=pk)


def links_csv(issued, campaign) -> HttpResponse:
    """The new links to mail out: customer, contact, e-mail, mobile, the full URL, expiry (UTF-8 with BOM)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([_("customer code"), _("customer"), _("contact"), _("e-mail"), _("mobile"), _("link"),
                     _("expires")])
    contacts = Contact.objects.select_related("customer").in_bulk([row.link.contact_id for row in issued])
    for row in issued:
        link = row.link
        contact = contacts[link.contact_id]
        customer = contact.customer
        writer.writerow([customer.code, customer.name, contact.name, contact.email, contact.mobile,
                         public_url(row.token), link.expires_at.date().isoformat()])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="servqual-links-{campaign.pk}.csv"'
    return response


def public_url(token: str) -> str:
    return absolute_url(reverse("servqual_public:answer", args=[token]))


@login_required
@require_POST
def distribute(request, pk):
    item = queries.visible_campaign(request.user, pk)
    form = _distribute_form(request, request.POST)
    if form.is_valid():
        try:
            issued = services.distribute(request.user, item, form.filters(), renew=form.cleaned_data["renew"])
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            if issued:
                return links_csv(issued, item)
            messages.info(request, _("No new links: every chosen contact has one already."))
            return redirect("servqual:campaign", pk=pk)
    return _campaign_page(request, item, distribute=form, status=400)


@login_required
@require_POST
def enter(request, pk):
    item = queries.visible_campaign(request.user, pk)
    form = _entry_form(item, request.POST)
    if form.is_valid():
        customer = Customer.objects.filter(code=form.cleaned_data["customer"].strip()).first()
        try:
            services.enter_answer(request.user, item, customer=customer.pk if customer else 0,
                                  channel=form.cleaned_data["channel"], scores=form.scores())
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("The answer is entered."))
            return redirect(reverse("servqual:campaign", args=[pk]) + "#entry")
    return _campaign_page(request, item, entry=form, status=400)


@login_required
def results(request, pk):
    _view(request)
    item = queries.visible_campaign(request.user, pk)
    sections = queries.results(request.user, item)
    if request.GET.get("export") == "xlsx":
        return workbook_response(sections, queries.report_filter(item), f"servqual-{item.pk}")
    return render(request, "servqual/results.html", {"campaign": item,
                                                       "tables": [page_table(s) for s in sections]})
