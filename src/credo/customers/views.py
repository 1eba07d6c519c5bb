"""Pages of the customer file. Thin: parse input, call a query or a service, render."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from credo.core import timeline
from credo.core.clock import business_today
from credo.core.models import CompanyProfile, Territory
from credo.core.roles import has_perm
from credo.core.scopes import assignable_managers, scope_of

from . import card, queries, services
from .forms import (
    IMPORTANCE_CHOICES,
    KIND_CHOICES,
    AttachmentForm,
    BankAccountForm,
    CompetitorForm,
    ContactForm,
    CustomerForm,
    MergeForm,
    NoteForm,
    ReassignForm,
)
from .models import Contact, Customer, Lifecycle

PAGE_SIZE = 50
TAB_LABELS = [
    ("overview", gettext_lazy("Overview")), ("contacts", gettext_lazy("Contacts")), ("banking", gettext_lazy("Bank accounts")),
    ("competitors", gettext_lazy("Competitors")), ("attachments", gettext_lazy("Attachments")),
    ("assignments", gettext_lazy("Account managers")), ("timeline", gettext_lazy("Timeline")), ("audit", gettext_lazy("Audit trail")),
]


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error.messages[0])
    else:
        form.add_error(None, " ".join(exc.messages))
    form._style()


def _managers_for_filter(user):
    if scope_of(user) == "own":
        return get_user_model().objects.none()
    return assignable_managers(user).select_related("profile").order_by("username")


@login_required
def customer_list(request):
    flt = queries.CustomerFilter.from_mapping(request.GET)
    sort = request.GET.get("sort", queries.DEFAULT_SORT)
    if sort not in queries.SORTS:
        sort = queries.DEFAULT_SORT
    # No join to users here: with it, SQLite drives the query from the manager and sorts the whole scope.
    qs = queries.filtered_customers(request.user, flt).select_related("territory")
    page = queries.keyset_page(qs, sort, after=request.GET.get("after", ""), before=request.GET.get("before", ""),
                               size=PAGE_SIZE)
    prefetch_related_objects(page.rows, "account_manager__profile")
    today = business_today()
    months = CompanyProfile.current().new_customer_months
    for row in page.rows:
        row.lifecycle = Lifecycle(row.lifecycle_on(today, months)).label
    return render(request, "customers/list.html", {
        "page": page,
        "total": qs.count(),
        "filter": flt,
        "sort": sort,
        "kind_choices": KIND_CHOICES,
        "importance_choices": IMPORTANCE_CHOICES,
        "lifecycle_choices": [("", _("All lifecycles")), *Lifecycle.choices],
        "territories": Territory.objects.order_by("code"),
        "managers": _managers_for_filter(request.user),
        "can_create": has_perm(request.user, "customer.create"),
        "can_import": has_perm(request.user, "customer.import"),
        "filtered": any([flt.q, flt.kind, flt.lifecycle, flt.importance, flt.territory, flt.manager, flt.tag]),
    })


TABS = [code for code, _label in TAB_LABELS]


def _card_tabs(user) -> list[tuple[str, object]]:
    """(code, label) of the tabs this user sees: the file's own, with registered ones after their anchor."""
    labels = dict(TAB_LABELS)
    tabs = [t for t in TABS if t != "audit" or has_perm(user, "audit.view")]
    for extra in card.extra_tabs():
        if extra.permission is None or has_perm(user, extra.permission):
            anchor = tabs.index(extra.after) + 1 if extra.after in tabs else len(tabs)
            tabs.insert(anchor, extra.code)
            labels[extra.code] = extra.label
    return [(code, labels[code]) for code in tabs]


@login_required
def customer_detail(request, pk):
    customer = queries.get_customer_for_user(request.user, pk)
    tabs = _card_tabs(request.user)
    tab = request.GET.get("tab", "overview")
    if tab not in dict(tabs):
        tab = "overview"
    can_change = has_perm(request.user, "customer.change") and customer.is_active
    context = {
        "customer": customer,
        "tab": tab,
        "tabs": tabs,
        "tab_template": f"customers/tabs/{tab}.html",
        "lifecycle": Lifecycle(queries.current_lifecycle(customer)).label,
        "contacts": customer.contacts.all(),
        "can_change": can_change,
        "can_reassign": has_perm(request.user, "customer.reassign") and customer.is_active,
        "can_merge": has_perm(request.user, "customer.merge") and customer.is_active,
        "current_bank": customer.bank_accounts.filter(valid_to__isnull=True).first(),
        "tags": customer.tags.all(),
        "former_names": customer.former_names.all(),
    }
    extra = next((t for t in card.extra_tabs() if t.code == tab), None)
    if extra is not None:
        context["tab_template"] = extra.template
        context.update(extra.context(request, customer))
    elif tab == "overview":
        context["events"] = timeline.events_for(customer.pk, limit=8)
        context["note_form"] = NoteForm()
    elif tab == "banking":
        context["bank_accounts"] = customer.bank_accounts.all()
        context["bank_form"] = BankAccountForm()
    elif tab == "competitors":
        context["competitors"] = customer.competitors.all()
        context["competitor_form"] = CompetitorForm()
    elif tab == "attachments":
        context["attachments"] = customer.attachments.all()
        context["attachment_form"] = AttachmentForm()
    elif tab == "assignments":
        context["assignments"] = customer.assignments.select_related("manager__profile")
        context["reassign_form"] = ReassignForm(managers=assignable_managers(request.user))
        context["merge_form"] = MergeForm()
    elif tab == "timeline":
        context["events"] = timeline.events_for(customer.pk, limit=300)
        context["note_form"] = NoteForm()
    elif tab == "audit":
        context["audit_entries"] = queries.audit_for_customer(customer.pk)
    return render(request, "customers/detail.html", context)


def _save_customer(request, form, customer=None):
    data = form.service_data()
    if customer is None:
        return services.create_customer(request.user, data, reason=request.POST.get("reason", ""),
                                        allow_duplicate=request.POST.get("allow_duplicate") == "1",
                                        tags=form.tag_names())
    return services.update_customer(request.user, customer, data, reason=request.POST.get("reason", ""),
                                    tags=form.tag_names())


def _customer_form_page(request, customer=None):
    form = CustomerForm(request.POST or None, instance=customer or Customer())
    duplicates = []
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_customer(request, form, customer)
        except services.DuplicateWarning as warning:
            duplicates = warning.duplicates
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": saved.name})
            return redirect("customers:detail", pk=saved.pk)
    return render(request, "customers/form.html", {
        "form": form, "customer": customer, "duplicates": duplicates,
    })


@login_required
def customer_create(request):
    if not has_perm(request.user, "customer.create"):
        raise PermissionDenied
    return _customer_form_page(request)


@login_required
def customer_edit(request, pk):
    customer = queries.get_customer_for_user(request.user, pk)
    if not has_perm(request.user, "customer.change") or not customer.is_active:
        raise PermissionDenied
    return _customer_form_page(request, customer)


def _sub_form_page(request, customer, form, template, save, tab):
    """Shared flow of the small forms on the card: validate, call the service, back to the tab."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("customers:detail", args=[customer.pk]) + f"?tab={tab}")
    return render(request, template, {"form": form, "customer": customer, "tab": tab})


@login_required
def contact_create(request, pk):
    customer = queries.get_customer_for_user(request.user, pk)
    form = ContactForm(request.POST or None)
    return _sub_form_page(request, customer, form, "customers/contact_form.html",
                          lambda f: services.add_contact(request.user, customer, f.cleaned_data), "contacts")


@login_required
def contact_edit(request, pk, contact_pk):
    customer = queries.get_customer_for_user(request.user, pk)
    contact = Contact.objects.filter(customer=customer, pk=contact_pk).first()
    if contact is None:
        raise Http404
    form = ContactForm(request.POST or None, instance=contact)

    def save(f):
        fresh = Contact.objects.get(pk=contact.pk)
        services.update_contact(request.user, fresh, f.cleaned_data)

    return _sub_form_page(request, customer, form, "customers/contact_form.html", save, "contacts")


@login_required
def bank_account_create(request, pk):
    customer = queries.get_customer_for_user(request.user, pk)
    form = BankAccountForm(request.POST or None)

    def save(f):
        data = f.cleaned_data
        services.change_bank_account(request.user, customer, bank_name=data["bank_name"],
                                     account_number=data["account_number"], account_name=data["account_name"],
                                     valid_from=data.get("valid_from"), reason=data.get("reason", ""))

    return _sub_form_page(request, customer, form, "customers/small_form.html", save, "banking")


@login_required
def competitor_create(request, pk):
    customer = queries.get_customer_for_user(request.user, pk)
    form = CompetitorForm(request.POST or None)
    return _sub_form_page(request, customer, form, "customers/small_form.html",
                          lambda f: services.add_competitor(request.user, customer, f.cleaned_data), "competitors")


@login_required
def attachment_create(request, pk):
    customer = queries.get_customer_for_user(request.user, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    return _sub_form_page(request, customer, form, "customers/small_form.html",
                          lambda f: services.add_attachment(request.user, customer, kind=f.cleaned_data["kind"],
                                                            title=f.cleaned_data["title"],
                                                            file=f.cleaned_data["file"]), "attachments")


@login_required
@require_POST
def note_create(request, pk):
    customer = queries.get_customer_for_user(request.user, pk)
    form = NoteForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get("text", [_("Write the note.")])[0])
        services.add_note(request.user, customer, form.cleaned_data["text"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("customers:detail", args=[customer.pk]) + "?tab=" + request.POST.get("tab", "timeline"))


@login_required
def customer_reassign(request, pk):
    customer = queries.get_customer_for_user(request.user, pk)
    form = ReassignForm(request.POST or None, managers=assignable_managers(request.user))
    return _sub_form_page(request, customer, form, "customers/small_form.html",
                          lambda f: services.reassign_customer(request.user, customer, f.cleaned_data["manager"],
                                                               reason=f.cleaned_data["reason"]), "assignments")


@login_required
def customer_merge(request, pk):
    customer = queries.get_customer_for_user(request.user, pk)
    form = MergeForm(request.POST or None)

    def save(f):
        source = queries.visible_customers(request.user).filter(code=f.cleaned_data["source_code"].strip()).first()
        if source is None:
            raise ValidationError({"source_code": [_("No customer with this code in your scope.")]})
        services.merge_customers(request.user, customer, source, reason=f.cleaned_data["reason"])

    return _sub_form_page(request, customer, form, "customers/small_form.html", save, "assignments")
