"""Login lockout and API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.utils import timezone

from .models import ApiToken, LoginFailure


def is_locked_out(username: str) -> bool:
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return LoginFailure.objects.filter(username__iexact=username, at__gte=since).count() >= settings.LOGIN_FAILURE_LIMIT


class LockoutModelBackend(ModelBackend):
    """ModelBackend that refuses a username after repeated failures within the lockout window."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and is_locked_out(username):
            if request is not None:
                request.credo_locked_out = True
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if username and user is None:
            ip = request.META.get("REMOTE_ADDR") if request is not None else None
            LoginFailure.objects.create(username=username, ip=ip)
        elif user is not None:
            LoginFailure.objects.filter(username__iexact=username).delete()
        return user


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
