import threading
import uuid

_local = threading.local()


def current_request_id() -> str:
    return getattr(_local, "request_id", "")


class RequestIdMiddleware:
    """Gives every request an id that audit rows carry, so one change can be traced across tables."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _local.request_id = request.headers.get("X-Request-Id", "")[:36] or str(uuid.uuid4())
        try:
            response = self.get_response(request)
        finally:
            _local.request_id = ""
        return response


class LanguageMiddleware:
    """Chinese unless the user chose otherwise (language cookie); the browser's Accept-Language is ignored
    because Credo's users work in Chinese on machines whose browsers often say English."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        supported = {code for code, _name in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
