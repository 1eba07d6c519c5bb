"""The API's error answers, as the exception handlers in credo.api.api return them, and their documentation.

400 {"detail": "..."}   the body is not JSON                     (ninja's HttpError)
401 {"detail": "..."}   not signed in                            (ninja's AuthenticationError)
403 {"detail": "..."}   not allowed, or a session without CSRF   (PermissionDenied, HttpError)
404 {"detail": "..."}   not found or outside the user's scope    (Http404)
422 {"detail": [{"loc": [...], "msg": "...", "type": "..."}]}   bad input, naming the field

`document_errors(api)` adds these to every operation's documented responses, so no decorator has to list
them and none can forget them; an operation that documents a code itself (a richer 422) keeps its own.
"""

from ninja import Schema


class ErrorOut(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldError]


STANDARD_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
BODY_ERRORS = {400: ErrorOut}


def field_errors(items) -> dict:
    """The 422 body: items are (loc, msg, type)."""
    return {"detail": [{"loc": list(loc), "msg": msg, "type": kind} for loc, msg, kind in items]}


def operations(api):
    """(path, operation) for every operation mounted on the api."""
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                yield prefix.rstrip("/") + "/" + path.lstrip("/"), operation


def _has_body(operation) -> bool:
    return any(getattr(model, "__ninja_param_source__", None) in ("body", "form", "file")
               for model in operation.models)


def document_errors(api) -> None:
    for _path, operation in operations(api):
        errors = {**STANDARD_ERRORS, **(BODY_ERRORS if _has_body(operation) else {})}
        for status, schema in errors.items():
            if status not in operation.response_models:
                operation.response_models[status] = operation._create_response_model(schema)
