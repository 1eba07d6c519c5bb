"""The customer timeline: a registry of event kinds, and one table any app appends to.

An app registers its kinds once (in its AppConfig.ready or at import of its services) and calls
add_event() from its services. The card reads CustomerEvent for the customer, newest first.
"""

from dataclasses import dataclass

from django.utils import timezone

from .models import CustomerEvent


@dataclass(frozen=True)
class EventKind:
    code: str
    label: str  # lazy translation
    icon: str = "point"
    colour: str = "secondary"


_kinds: dict[str, EventKind] = {}


def register(code: str, label, icon: str = "point", colour: str = "secondary") -> EventKind:
    kind = EventKind(code, label, icon, colour)
    _kinds[code] = kind
    return kind


def kind(code: str) -> EventKind:
    return _kinds.get(code) or EventKind(code, code)


def registered() -> dict[str, EventKind]:
    return dict(_kinds)


def add_event(customer_id: int, code: str, *, actor=None, summary: str = "", data=None, obj=None, at=None):
    if code not in _kinds:
        raise KeyError(f"timeline event kind {code!r} is not registered")
    return CustomerEvent.objects.create(
        customer_id=customer_id,
        kind=code,
        at=at or timezone.now(),
        actor=getattr(actor, "username", "") or (actor if isinstance(actor, str) else "") or "system",
        summary=summary[:300],
        data=data or {},
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
    )


def add_events(items, code: str, *, actor=None, at=None):
    """Bulk add_event: items are (customer_id, summary, obj) triples."""
    if code not in _kinds:
        raise KeyError(f"timeline event kind {code!r} is not registered")
    at = at or timezone.now()
    name = getattr(actor, "username", "") or (actor if isinstance(actor, str) else "") or "system"
    CustomerEvent.objects.bulk_create([
        CustomerEvent(customer_id=customer_id, kind=code, at=at, actor=name, summary=(summary or "")[:300],
                      object_type=obj._meta.label_lower if obj is not None else "",
                      object_id=str(obj.pk) if obj is not None else "")
        for customer_id, summary, obj in items
    ], batch_size=1000)


def events_for(customer_id: int, limit: int = 100):
    rows = list(CustomerEvent.objects.filter(customer_id=customer_id).order_by("-at", "-id")[:limit])
    for row in rows:
        row.kind_info = kind(row.kind)
    return rows
