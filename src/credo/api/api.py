"""The one NinjaAPI object; each app mounts its router here. Docs at /api/docs.

Clients authenticate with "Authorization: Bearer <token>" (see `credo token`) or with the browser
session; session requests that change something must carry the CSRF token (X-CSRFToken header).
Errors: 401 not signed in, 403 not allowed, 404 not found or outside the user's scope,
422 {"detail": [{"loc": ["body", field], "msg": ..., "type": ...}]} for bad input.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import ValidationError as SchemaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from credo.core.api_errors import document_errors
from credo.core.api_inputs import InputParser
from credo.core.auth import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; CSRF is checked only once a session user is found, so an
    anonymous request gets 401 rather than a CSRF failure."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        return request.user


api = NinjaAPI(title="Credo API", version="1", auth=[TokenAuth(), SessionAuth()], urls_namespace="api",
               parser=InputParser())


def _field_errors(exc: ValidationError):
    if hasattr(exc, "error_dict"):
        return [{"loc": ["body", field], "msg": " ".join(m for e in errs for m in e.messages), "type": "value_error"}
                for field, errs in exc.error_dict.items()]
    return [{"loc": ["body"], "msg": " ".join(exc.messages), "type": "value_error"}]


def _flat_loc(loc):
    """["body", "payload", "name"] -> ["body", "name"]: the parameter's name is not part of the request."""
    loc = list(loc)
    return [loc[0], *loc[2:]] if len(loc) > 2 and loc[0] in ("body", "query") else loc


@api.exception_handler(SchemaValidationError)
def schema_error(request, exc):
    detail = [{"loc": _flat_loc(e.get("loc", [])), "msg": e.get("msg", ""), "type": e.get("type", "value_error")}
              for e in exc.errors]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    return api.create_response(request, {"detail": _field_errors(exc)}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "permission denied"}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "not found"}, status=404)


@csrf_exempt
def unknown_url(request):
    """/api/… that no operation matches (a negative id, a line break in the path): the API's JSON 404, not
    the HTML page."""
    return JsonResponse({"detail": "not found"}, status=404)


from credo.analysis.api import router as analysis_router  # noqa: E402
from credo.claims.api import router as claims_router  # noqa: E402
from credo.classification.api import router as classification_router  # noqa: E402
from credo.collection.api import router as collection_router  # noqa: E402
from credo.complaints.api import router as complaints_router  # noqa: E402
from credo.credit.api import router as credit_router  # noqa: E402
from credo.customers.api import router as customers_router  # noqa: E402
from credo.improvement.api import router as improvement_router  # noqa: E402
from credo.limits.api import router as limits_router  # noqa: E402
from credo.loyalty.api import router as loyalty_router  # noqa: E402
from credo.rating.api import router as rating_router  # noqa: E402
from credo.receivables.api import router as receivables_router  # noqa: E402
from credo.risk.api import router as risk_router  # noqa: E402
from credo.sales.api import router as ledger_router  # noqa: E402
from credo.segments.api import router as segments_router  # noqa: E402
from credo.servicedesk.api import router as servicedesk_router  # noqa: E402
from credo.servqual.api import router as servqual_router  # noqa: E402
from credo.servqual.campaign_api import router as servqual_campaign_router  # noqa: E402
from credo.sla.api import router as sla_router  # noqa: E402
from credo.visits.api import router as visits_router  # noqa: E402
from credo.worktime.api import router as calendar_router  # noqa: E402

api.add_router("/customers", customers_router, tags=["customers"])
api.add_router("/ledger", ledger_router, tags=["ledger"])
api.add_router("/receivables", receivables_router, tags=["receivables"])
api.add_router("/collection", collection_router, tags=["collection"])
api.add_router("/credit", credit_router, tags=["credit"])
api.add_router("/rating", rating_router, tags=["rating"])
api.add_router("/limits", limits_router, tags=["limits"])
api.add_router("/risk", risk_router, tags=["risk"])
api.add_router("/classification", classification_router, tags=["classification"])
api.add_router("/analysis", analysis_router, tags=["analysis"])
api.add_router("/visits", visits_router, tags=["visits"])
api.add_router("/segments", segments_router, tags=["value segments"])
api.add_router("/calendar", calendar_router, tags=["business calendar"])
api.add_router("/sla", sla_router, tags=["service levels"])
api.add_router("/complaints", complaints_router, tags=["complaints"])
api.add_router("/servicedesk", servicedesk_router, tags=["service desk"])
api.add_router("/improvement", improvement_router, tags=["service improvement"])
api.add_router("/claims", claims_router, tags=["claims"])
api.add_router("/servqual", servqual_router, tags=["SERVQUAL"])
api.add_router("/servqual/campaigns", servqual_campaign_router, tags=["SERVQUAL campaigns"])
api.add_router("/loyalty", loyalty_router, tags=["loyalty"])
document_errors(api)
__all__ = ["api", "unknown_url"]
