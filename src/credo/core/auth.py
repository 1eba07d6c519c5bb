"""Sign-in through the throttle, and API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.utils import timezone

from . import lockout
from .models import ApiToken


class LockoutModelBackend(ModelBackend):
    """ModelBackend behind the sign-in throttle (credo.core.lockout): a paused (username, address) or address
    is refused before the password is checked; each failure is counted, each success clears its pair.

    When it refuses, or when this failure starts a pause, it leaves the time on request.credo_paused_until
    for the sign-in form to say (ThrottledLoginFormMixin)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        address = lockout.client_address(request)
        until = lockout.paused_until(username, address)
        if until is None:
            user = super().authenticate(request, username=username, password=password, **kwargs)
            if user is not None:
                lockout.record_success(username, address)
                return user
            until = lockout.record_failure(username, address)
        if until is not None and request is not None:
            request.credo_paused_until = until
        return None


class ThrottledLoginFormMixin:
    """For AuthenticationForm subclasses: a paused attempt is told when to try again instead of
    "wrong username or password"."""

    def get_invalid_login_error(self):
        until = getattr(self.request, "credo_paused_until", None)
        if until is not None:
            return ValidationError(lockout.refusal_message(until), code="locked")
        return super().get_invalid_login_error()


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(user, name: str) -> str:
    """Create a token and return its key; only the hash is stored, so the key is shown once."""
    key = "credo_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, key_hash=_hash(key), prefix=key[6:14])
    return key


def user_for_token(key: str):
    token = (
        ApiToken.objects.select_related("user", "user__profile")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
