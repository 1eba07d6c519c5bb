"""The SERVQUAL instrument page: the version in force (or one chosen from the list of versions) with its
dimensions, weights and items in the user's language, and for the administrator (servqual.edit) the editor
that saves a new version. Bad input shows inline errors naming the field; nothing is saved then."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credo.core.clock import business_today
from credo.core.errors import require
from credo.core.roles import has_perm
from credo.core.view_helpers import add_form_errors, int_or_none

from . import queries, rules, services
from .forms import InstrumentForm, formset_rows, item_formsets, weight_field_name
from .models import InstrumentVersion


def _editor_initial(layout) -> tuple[dict, dict]:
    initial = {"entry": "weights", **{weight_field_name(d.code): queries.weight_text(d.weight) for d in layout}}
    return initial, {d.code: d.items for d in layout}


def _page(request, form=None, formsets=None, errors=None, status=200):
    today = business_today()
    current = queries.in_force(today)
    shown = current
    version_id = int_or_none(request.GET.get("version"))
    if version_id:
        shown = InstrumentVersion.objects.filter(pk=version_id).first() or current
    layout = queries.layout(shown)
    can_edit = has_perm(request.user, "servqual.edit")
    if can_edit and form is None:
        initial, items = _editor_initial(queries.layout(current))
        form, formsets = InstrumentForm(initial=initial), item_formsets(initial_items=items)
    editor = [(code, services.dimension_label(code), formsets[code]) for code in rules.DIMENSIONS] \
        if can_edit else []
    context = {"today": today, "current": current, "shown": shown, "layout": layout,
               "versions": queries.versions(), "can_edit": can_edit, "form": form, "editor": editor,
               "errors": errors or {}}
    return render(request, "servqual/instrument.html", context, status=status)


@login_required
def instrument(request):
    require(has_perm(request.user, "servqual.view"), _("You may not do this."))
    return _page(request)


@login_required
@require_POST
def save(request):
    require(has_perm(request.user, "servqual.edit"), _("Your role may not change the SERVQUAL instrument."))
    form = InstrumentForm(data=request.POST)
    formsets = item_formsets(data=request.POST)
    errors: dict[str, list[str]] = {}
    valid = form.is_valid()
    valid = all([fs.is_valid() for fs in formsets.values()]) and valid
    if valid:
        data = form.cleaned_data
        values = form.values()
        entry = {"points": values} if data["entry"] == "points" else {"weights": values}
        try:
            version = services.save_instrument(
                request.user, **entry, items={code: formset_rows(fs) for code, fs in formsets.items()},
                valid_from=data.get("valid_from"), note=data.get("note", ""))
        except ValidationError as exc:
            for name, messages_ in exc.message_dict.items():
                if name in ("weights", "points", "items"):
                    errors.setdefault(name, []).extend(messages_)
                else:
                    add_form_errors(form, ValidationError({name: messages_}))
        else:
            messages.success(request, _("A new version of the SERVQUAL instrument is saved, valid from %(date)s.")
                             % {"date": version.valid_from.isoformat()})
            return redirect(reverse("servqual:instrument"))
    return _page(request, form=form, formsets=formsets, errors=errors, status=400)
