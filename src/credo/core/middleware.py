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
