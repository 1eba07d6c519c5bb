"""Errors services raise. Pages and the API turn them into messages; nothing was changed."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["PermissionDenied", "ValidationError", "require"]


def require(condition: bool, message="You may not do this."):
    if not condition:
        raise PermissionDenied(message)
