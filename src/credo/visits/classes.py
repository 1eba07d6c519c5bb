"""The customer class (A–D) the visit plan uses.

The classification app (credo.classification, written alongside) is asked first through
`credo.classification.queries.current_classes(customer_ids) -> {id: "A".."D"}`. When that import fails (the app
is not there yet) or it raises, or leaves a customer out, the class comes from the customer's importance:
key → A, general → C, scattered → D (rules.IMPORTANCE_CLASS).
"""

import logging

from credo.customers.models import Customer

from . import rules

log = logging.getLogger(__name__)


def _classification_source():
    try:
        from credo.classification.queries import current_classes
    except Exception:  # noqa: BLE001  (missing module or a partly written one)
        return None
    return current_classes


def classes_for(customer_ids, importance: dict | None = None) -> dict[int, str]:
    """{customer id: class}. importance, when given, is {id: importance} already read (saves a query)."""
    ids = list(customer_ids)
    found: dict[int, str] = {}
    source = _classification_source()
    if source is not None and ids:
        try:
            found = {int(k): str(v) for k, v in (source(ids) or {}).items() if str(v) in rules.CLASSES}
        except Exception:  # noqa: BLE001
            log.exception("classification.current_classes failed; falling back to importance")
            found = {}
    missing = [i for i in ids if i not in found]
    if missing:
        if importance is None:
            importance = {}
            for start in range(0, len(missing), 5000):
                chunk = missing[start:start + 5000]
                importance.update(Customer.objects.filter(pk__in=chunk).values_list("pk", "importance"))
        for pk in missing:
            found[pk] = rules.IMPORTANCE_CLASS.get(importance.get(pk, "general"), "C")
    return found
