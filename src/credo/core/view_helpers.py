"""Small helpers the page views share: a query parameter as an int, and a service's ValidationError put on a
form, field by field."""


def int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def add_form_errors(form, exc) -> None:
    """The errors of a ValidationError on the form: on the field they name when the form has it, else on top."""
    for field, errors in (exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}).items():
        form.add_error(field if field in form.fields else None, errors)
