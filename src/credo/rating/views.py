"""Credit-file pages: the card's "Credit file" tab, a rating's working, investigations (with the checklist and
documents), statements, 5C evaluations, "rate now", the customers due this quarter and the rating policy.
Thin: forms parse, services write, queries read; a service's ValidationError lands on the form's fields."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credo.core.clock import business_today
from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers.queries import get_customer_for_user
from credo.customers.views import _add_errors

from . import defaults, policy, queries, rate, rules, services
from .forms import (
    DocumentsForm,
    FiveCForm,
    FiveCWeightsForm,
    GradeScaleForm,
    InvestigationForm,
    RateForm,
    ScorecardFormSet,
    ScorecardNoteForm,
    StatementForm,
)
from .models import Answer, FinancialStatement, InvestigationDocument, InvestigationKind

PAGE_SIZE = 50
WARNING_Q = (Q(answers__answer=Answer.YES, answers__question__yes_is_warning=True)
             | Q(answers__answer=Answer.NO, answers__question__yes_is_warning=False))


def _require(user, action: str):
    if not has_perm(user, action):
        raise PermissionDenied(_("Your role may not do this."))


def _language() -> str:
    return get_language() or "zh-hans"


def _tab_url(customer_pk: int) -> str:
    return reverse("customers:detail", args=[customer_pk]) + "?tab=credit_file"


def _customer(request, pk, action: str):
    """The customer if in scope (404 otherwise), and the action allowed to the role (403 otherwise)."""
    customer = get_customer_for_user(request.user, pk)
    _require(request.user, action)
    return customer


def grade_facts(grade: str | None, bands=None) -> dict:
    """What a grade means and its approval guide, from the current scale."""
    bands = bands if bands is not None else policy.grade_bands()
    band = next((b for b in bands if b.grade == grade), None)
    return {"band": band, "meaning": band.meaning(_language()) if band else ""}


def fivec_rows(evaluation) -> list[tuple]:
    """(dimension label, dimension score, weight, [(sub-item label, score)]) of an evaluation."""
    if evaluation is None:
        return []
    english = _language().startswith("en")
    rows = []
    for dimension, zh, en, items in defaults.FIVEC:
        given = (evaluation.sub_scores or {}).get(dimension, {})
        rows.append((en if english else zh, getattr(evaluation, dimension),
                     (evaluation.weights or {}).get(dimension),
                     [(item_en if english else item_zh, given.get(code)) for code, item_zh, item_en in items]))
    return rows


def _guidance() -> list[str]:
    english = _language().startswith("en")
    return [en if english else zh for zh, en in defaults.FIVEC_GUIDANCE]


# ---------------------------------------------------------------------------------------------- card tab


def credit_file_tab_context(request, customer) -> dict:
    user, today = request.user, business_today()
    bands = policy.grade_bands()
    ratings = list(customer.ratings.select_related("scorecard")[:40])
    current = next((r for r in ratings if r.is_current), None)
    investigations = list(customer.investigations.select_related("investigator__profile").annotate(
        warnings=Count("answers", filter=WARNING_Q, distinct=True),
        documents_count=Count("documents", distinct=True))[:50])
    checked = next((i for i in investigations if i.is_completed), None)
    answers = list(checked.answers.select_related("question")) if checked else []
    evaluations = list(customer.fivec_evaluations.all()[:20])
    rated_this_quarter = any(r.as_of >= rules.quarter_start(today) for r in ratings)
    return {
        "rating_current": current,
        "rating_facts": grade_facts(current.grade if current else None, bands),
        "rating_history": ratings,
        "rating_bands": bands,
        "rating_due": not rated_this_quarter,
        "quarter": rules.quarter_label(today),
        "investigations": investigations,
        "checked_investigation": checked,
        "checked_answers": answers,
        "language": _language(),
        "statements": queries.with_ratios(customer.financial_statements.all()[:12]),
        "evaluations": evaluations,
        "latest_fivec_rows": fivec_rows(evaluations[0] if evaluations else None),
        "can_investigate": customer.is_active and has_perm(user, "credit.investigate"),
        "can_rate": customer.is_active and has_perm(user, "credit.rate"),
        "rate_form": RateForm(),
    }


# ---------------------------------------------------------------------------------------------- ratings


@login_required
def rating_detail(request, pk):
    rating = queries.visible_rating(request.user, pk)
    items = [{**item, "matched": _matched_row(item, item["mapping"])} for item in queries.rating_items(rating)]
    checklist = (rating.inputs or {}).get("checklist") or {}
    warning_questions = []
    if checklist.get("warning_codes"):
        from .models import ChecklistQuestion

        found = {q.code: q for q in ChecklistQuestion.objects.filter(code__in=checklist["warning_codes"])}
        warning_questions = [found[c].text(_language()) if c in found else c for c in checklist["warning_codes"]]
    fivec = rating.fivec or {}
    return render(request, "rating/rating_detail.html", {
        "rating": rating,
        "customer": rating.customer,
        "items": items,
        "statement": (rating.inputs or {}).get("statement"),
        "ledger": (rating.inputs or {}).get("ledger"),
        "checklist": checklist,
        "warning_questions": warning_questions,
        "fivec": fivec,
        "fivec_dimensions": [(d, fivec.get(d), (fivec.get("weights") or {}).get(d))
                             for d in ("character", "capacity", "capital", "collateral", "condition")] if fivec
        else [],
        "facts": grade_facts(rating.grade),
        "total_weight": sum((rules.decimal(i["weight"]) for i in rating.items), rules.ZERO),
    })


def _matched_row(item: dict, rows: list) -> int | None:
    """Index of the score-table row that gave the item its score (None: no table, or no data)."""
    if item.get("raw") in (None, "") or not rows:
        return None
    raw, matched = rules.decimal(item["raw"]), 0
    for n, (bound, _score) in enumerate(rows[1:], start=1):
        if raw >= rules.decimal(bound):
            matched = n
    return matched


@login_required
@require_POST
def rate_now(request, customer_pk):
    customer = _customer(request, customer_pk, "credit.rate")
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the reason for the rating."))
        return redirect(_tab_url(customer.pk))
    try:
        rating = rate.rate_customer(request.user, customer, form.cleaned_data["reason"],
                                    note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_tab_url(customer.pk))
    if rating.moved:
        messages.success(request, _("Rated %(grade)s (score %(score)s); the grade moved from %(previous)s.") % {
            "grade": rating.grade, "score": rating.score, "previous": rating.previous_grade})
    else:
        messages.success(request, _("Rated %(grade)s (score %(score)s).") % {"grade": rating.grade,
                                                                              "score": rating.score})
    return redirect("rating:rating_detail", pk=rating.pk)


@login_required
def due_list(request):
    _require(request.user, "credit.rate")
    today = business_today()
    search = request.GET.get("q", "").strip()[:100]
    customers = queries.due_customers(today, request.user).select_related("account_manager__profile")
    if search:
        customers = customers.filter(Q(name__icontains=search) | Q(code__icontains=search))
    page = Paginator(customers.order_by("code", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    grades = queries.current_grades([c.pk for c in rows])
    for customer in rows:
        customer.grade_info = grades.get(customer.pk, queries.NOT_RATED)
    return render(request, "rating/due.html", {
        "page": page, "rows": rows, "search": search, "quarter": rules.quarter_label(today),
        "quarter_start": rules.quarter_start(today), "today": today, "rate_form": RateForm(),
    })


# ---------------------------------------------------------------------------------------------- investigations


def _investigation_form(request, investigation=None):
    questions = services.active_questions()
    if investigation is not None:
        answered = [a.question for a in investigation.answers.select_related("question")]
        known = {q.pk for q in answered}
        questions = sorted(answered + [q for q in questions if q.pk not in known], key=lambda q: (q.position, q.pk))
    initial = {"investigated_on": business_today(), "kind": InvestigationKind.DIRECT, "status": "draft"}
    if investigation is not None:
        initial = {"investigated_on": investigation.investigated_on, "kind": investigation.kind,
                   "source": investigation.source, "findings": investigation.findings, "status": investigation.status,
                   **{f"q_{a.question_id}": a.answer for a in investigation.answers.all()}}
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    return InvestigationForm(data, files, questions=questions, language=_language(), initial=initial)


def _save_investigation(request, form, customer, investigation=None):
    data = {k: form.cleaned_data[k] for k in ("investigated_on", "kind", "source", "findings", "status")}
    if investigation is None:
        return services.record_investigation(request.user, customer, data, answers=form.answers(),
                                             documents=form.cleaned_data["documents"])
    return services.update_investigation(request.user, investigation, data, answers=form.answers(),
                                         documents=form.cleaned_data["documents"])


def _investigation_page(request, customer, investigation=None):
    form = _investigation_form(request, investigation)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_investigation(request, form, customer, investigation)
        except ValidationError as exc:
            _add_errors(form, _answer_errors(exc))
        else:
            messages.success(request, _("Investigation saved."))
            return redirect("rating:investigation_detail", pk=saved.pk)
    return render(request, "rating/investigation_form.html", {
        "form": form, "customer": customer, "investigation": investigation})


def _answer_errors(exc: ValidationError) -> ValidationError:
    """answers.<code> → the question's field, q_<id>."""
    if not hasattr(exc, "error_dict"):
        return exc
    from .models import ChecklistQuestion

    codes = {f"answers.{q.code}": f"q_{q.pk}" for q in ChecklistQuestion.objects.all()}
    return ValidationError({codes.get(k, k): v for k, v in exc.error_dict.items()})


@login_required
def investigation_create(request, customer_pk):
    customer = _customer(request, customer_pk, "credit.investigate")
    return _investigation_page(request, customer)


@login_required
def investigation_edit(request, pk):
    investigation = queries.visible_investigation(request.user, pk)
    _require(request.user, "credit.investigate")
    if investigation.is_completed:
        messages.error(request, _("This investigation is completed and can no longer be changed."))
        return redirect("rating:investigation_detail", pk=investigation.pk)
    return _investigation_page(request, investigation.customer, investigation)


@login_required
def investigation_detail(request, pk):
    investigation = queries.visible_investigation(request.user, pk)
    answers = list(investigation.answers.select_related("question"))
    form = DocumentsForm(request.POST or None, request.FILES or None)
    can_edit = has_perm(request.user, "credit.investigate") and investigation.customer.is_active
    if request.method == "POST":
        _require(request.user, "credit.investigate")
        if form.is_valid():
            try:
                saved = services.add_documents(request.user, investigation, form.cleaned_data["documents"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("%(n)d documents added.") % {"n": len(saved)})
                return redirect("rating:investigation_detail", pk=investigation.pk)
    return render(request, "rating/investigation_detail.html", {
        "investigation": investigation, "customer": investigation.customer,
        "answers": answers, "warnings": sum(1 for a in answers if a.is_warning),
        "groups": _answer_groups(answers), "documents": investigation.documents.all(),
        "documents_form": form, "can_edit": can_edit, "language": _language(),
    })


def _answer_groups(answers) -> list[tuple]:
    from .models import ChecklistGroup

    return [(label, [a for a in answers if a.question.group == code]) for code, label in ChecklistGroup.choices
            if any(a.question.group == code for a in answers)]


@login_required
def document_download(request, pk):
    """An investigation's file, only to users who may see the customer's credit file."""
    _require(request.user, "credit.view")
    document = InvestigationDocument.objects.filter(customer_q(request.user, "customer__"), pk=pk).first()
    if document is None:
        raise Http404
    name = document.file_name or document.file.name.rsplit("/", 1)[-1]
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name)


# ---------------------------------------------------------------------------------------------- statements


def _statement_page(request, customer, statement=None):
    data = request.POST if request.method == "POST" else None
    form = StatementForm.for_statement(statement, data) if statement else StatementForm(data)
    if request.method == "POST" and form.is_valid():
        try:
            if statement is None:
                services.add_statement(request.user, customer, form.cleaned_data)
            else:
                services.update_statement(request.user, statement, form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Financial statement saved."))
            return redirect(_tab_url(customer.pk) + "#statements")
    return render(request, "rating/statement_form.html", {"form": form, "customer": customer,
                                                          "statement": statement})


@login_required
def statement_create(request, customer_pk):
    customer = _customer(request, customer_pk, "credit.rate")
    return _statement_page(request, customer)


@login_required
def statement_edit(request, pk):
    _require(request.user, "credit.rate")
    statement = (FinancialStatement.objects.filter(customer_q(request.user, "customer__"), pk=pk)
                 .select_related("customer").first())
    if statement is None:
        raise Http404
    return _statement_page(request, statement.customer, statement)


# ---------------------------------------------------------------------------------------------- 5C


@login_required
def fivec_create(request, customer_pk):
    customer = _customer(request, customer_pk, "credit.rate")
    weights = policy.fivec_weights()
    initial = {"evaluated_on": business_today(), **{f"weight_{d}": w for d, w in weights.items()}}
    form = FiveCForm(request.POST or None, initial=initial, language=_language())
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.record_evaluation(request.user, customer,
                                                    evaluated_on=form.cleaned_data["evaluated_on"],
                                                    sub_scores=form.sub_scores(), weights=form.weights(),
                                                    notes=form.cleaned_data["notes"])
        except ValidationError as exc:
            _add_errors(form, _fivec_errors(exc))
        else:
            messages.success(request, _("5C evaluation saved: score %(score)s.") % {"score": evaluation.score})
            return redirect(_tab_url(customer.pk) + "#fivec")
    return render(request, "rating/fivec_form.html", {"form": form, "customer": customer,
                                                      "guidance": _guidance()})


def _fivec_errors(exc: ValidationError) -> ValidationError:
    """<dimension>.<item> → <dimension>__<item>; a dimension's or the weights' error on the whole form."""
    if not hasattr(exc, "error_dict"):
        return exc
    renamed: dict = {}
    for key, errors in exc.error_dict.items():
        name = key.replace(".", "__") if "." in key else key
        renamed.setdefault(name if "__" in name or name.startswith("weight_") else "__all__", []).extend(errors)
    return ValidationError(renamed)


# ---------------------------------------------------------------------------------------------- policy


@login_required
def policy_page(request):
    _require(request.user, "credit.view")
    card = policy.current_scorecard()
    return render(request, "rating/policy.html", {
        "card": card,
        "items": list(card.items.all()),
        "versions": list(type(card).objects.order_by("-version")[:20]),
        "bands": policy.grade_bands(),
        "weights": policy.fivec_weights(),
        "guidance": _guidance(),
        "language": _language(),
        "can_configure": policy.can_configure(request.user),
    })


def _require_admin(user):
    if not policy.can_configure(user):
        raise PermissionDenied(_("Only an administrator may change the rating policy."))


@login_required
def policy_scorecard_edit(request):
    _require_admin(request.user)
    card = policy.current_scorecard()
    if request.method == "POST":
        formset = ScorecardFormSet(request.POST, prefix="items")
        note_form = ScorecardNoteForm(request.POST)
        if formset.is_valid() and note_form.is_valid():
            rows = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("source")]
            try:
                saved = policy.save_scorecard(request.user, rows, note=note_form.cleaned_data["note"])
            except ValidationError as exc:
                _scorecard_errors(formset, note_form, rows, exc)
            else:
                messages.success(request, _("Scorecard saved as version %(v)d.") % {"v": saved.version})
                return redirect("rating:policy")
    else:
        formset = ScorecardFormSet(prefix="items", initial=policy.scorecard_rows(card))
        note_form = ScorecardNoteForm()
    return render(request, "rating/policy_scorecard_form.html", {"formset": formset, "note_form": note_form,
                                                                 "card": card})


def _scorecard_errors(formset, note_form, rows, exc: ValidationError):
    """items.<n>.<field> onto the n-th filled form; the weights' total onto the page."""
    filled = [f for f in formset.forms if f.cleaned_data.get("source")]
    error_dict = exc.error_dict if hasattr(exc, "error_dict") else {"__all__": exc.error_list}
    for key, errors in error_dict.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "items" and int(parts[1]) < len(filled):
            form = filled[int(parts[1])]
            for error in errors:
                form.add_error(parts[2] if parts[2] in form.fields else None, error.messages[0])
            form._style()
        else:
            for error in errors:
                note_form.add_error(None, error.messages[0])


@login_required
def policy_grades_edit(request):
    _require_admin(request.user)
    bands = policy.grade_bands()
    form = GradeScaleForm(request.POST or None, bands=bands)
    if request.method == "POST" and form.is_valid():
        try:
            policy.save_grade_scale(request.user, form.grade_rows(), reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _add_errors(form, ValidationError({k.replace(".", "__"): v for k, v in exc.error_dict.items()}))
        else:
            messages.success(request, _("Grade scale saved."))
            return redirect("rating:policy")
    return render(request, "rating/policy_grades_form.html", {"form": form})


@login_required
def policy_fivec_edit(request):
    _require_admin(request.user)
    form = FiveCWeightsForm(request.POST or None, weights=policy.fivec_weights())
    if request.method == "POST" and form.is_valid():
        try:
            policy.save_fivec_weights(request.user, form.cleaned_data, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _add_errors(form, ValidationError({("__all__" if k == "weights" else k): v
                                               for k, v in exc.error_dict.items()}))
        else:
            messages.success(request, _("5C weights saved."))
            return redirect("rating:policy")
    return render(request, "rating/policy_fivec_form.html", {"form": form, "guidance": _guidance()})
