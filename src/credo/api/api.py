"""The one NinjaAPI object; each app mounts its router here. Docs at /api/docs."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from credo.core.auth import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(title="Credo API", version="1", auth=[TokenAuth(), django_auth],
               urls_namespace="api")


def _field_errors(exc: ValidationError):
    if hasattr(exc, "error_dict"):
        return [{"loc": ["body", field], "msg": " ".join(m for e in errs for m in e.messages), "type": "value_error"}
                for field, errs in exc.error_dict.items()]
    return [{"loc": ["body"], "msg": " ".join(exc.messages), "type": "value_error"}]


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    return api.create_response(request, {"detail": _field_errors(exc)}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "permission denied"}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "not found"}, status=404)


from credo.customers.api import router as customers_router  # noqa: E402

api.add_router("/customers", customers_router, tags=["customers"])
__all__ = ["api"]
