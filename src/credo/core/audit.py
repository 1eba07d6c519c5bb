"""Field-level audit trail, written by services in the same transaction as the change."""

import datetime
import decimal
import uuid

from django.db import models
from django.db.models.fields.files import FieldFile

from .middleware import current_request_id
from .models import AuditEntry


def _plain(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot(instance, fields=None) -> dict:
    """Concrete field values of a model instance, JSON-safe (foreign keys as ids)."""
    data = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in ("created_at", "updated_at"):
            continue
        data[field.name] = _plain(getattr(instance, field.attname))
    return data


def record(user, action, instance=None, *, before=None, after=None, reason="", customer_id=None,
           object_type=None, object_id=None, object_repr=None) -> AuditEntry:
    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        object_id = object_id or str(instance.pk)
        object_repr = object_repr or str(instance)[:200]
    return AuditEntry.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "system",
        request_id=current_request_id(),
        action=action,
        object_type=object_type or "",
        object_id=str(object_id or ""),
        object_repr=(object_repr or "")[:200],
        customer_id=customer_id,
        before=before,
        after=after,
        reason=reason or "",
    )


def record_many(user, action, items, *, reason="") -> None:
    """One entry per (instance, after) pair in a single insert; for bulk operations."""
    request_id, username = current_request_id(), getattr(user, "username", "") or "system"
    AuditEntry.objects.bulk_create([
        AuditEntry(user=user if getattr(user, "pk", None) else None, username=username, request_id=request_id,
                   action=action, object_type=instance._meta.label_lower, object_id=str(instance.pk),
                   object_repr=str(instance)[:200], customer_id=getattr(instance, "customer_id", None) or instance.pk,
                   after=after, reason=reason or "")
        for instance, after in items
    ], batch_size=1000)


def record_change(user, instance, before: dict, *, reason="", customer_id=None, extra_after=None) -> AuditEntry | None:
    """Record an update if anything changed; returns None when nothing did.

    extra_after carries values that are not concrete fields (e.g. tags), matched by key in before."""
    after = {**snapshot(instance), **(extra_after or {})}
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    if not changed:
        return None
    return record(
        user, AuditEntry.Action.UPDATE, instance, reason=reason, customer_id=customer_id,
        before={k: before.get(k) for k in sorted(changed)}, after={k: after.get(k) for k in sorted(changed)},
    )
