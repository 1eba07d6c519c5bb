"""Small helpers the page views share: a query parameter as an int, a service's ValidationError put on a form,
field by field, and the POST of a page with several action forms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404


def int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def add_form_errors(form, exc) -> None:
    """The errors of a ValidationError on the form: on the field they name when the form has it, else on top."""
    for field, errors in (exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}).items():
        form.add_error(field if field in form.fields else None, errors)
    if hasattr(form, "_style"):      # StyledMixin: mark the fields that now have errors
        form._style()


def run_posted_action(request, actions: dict, make_form, run) -> tuple[str | None, object, str]:
    """A page with several forms, each posting `action`: the named form (make_form(cls), or None for an action
    without fields) is checked, then run(name, form) writes and returns the success message. Returns
    (message, form, name): a message when it went through (the caller redirects), else None with the form
    carrying its errors. An action without a form that fails shows its error as a message."""
    name = request.POST.get("action", "")
    if name not in actions:
        raise Http404
    cls = actions[name]
    form = make_form(cls) if cls else None
    if form is not None and not form.is_valid():
        return None, form, name
    try:
        message = run(name, form)
    except ValidationError as exc:
        if form is None:
            messages.error(request, " ".join(exc.messages))
            return "", None, name
        add_form_errors(form, exc)
        return None, form, name
    messages.success(request, message)
    return message, form, name
