"""What the risk app reads from apps that may not be installed yet, called defensively and in batches.

rating          risk level (6-level scale, "NR" when not rated) and whether an investigation is complete:
                `credo.rating.queries.current_grades(ids)` / `has_investigations(ids)` when the rating app
                offers batch versions, else its per-customer `current_grade(id)` / `has_investigation(id)`
                (the scan would then make one query per customer: slow on 100,000 customers)
classification  the sales-pyramid class: an app that computes it appends a function(customer_ids) ->
                {customer_id: class code} to SALES_CLASS_PROVIDERS (in its AppConfig.ready()); the class
                rules' "sales classes" condition reads it. Until then every customer's sales class is None.
"""

import logging

from django.db import transaction

log = logging.getLogger(__name__)
NOT_RATED = "NR"

SALES_CLASS_PROVIDERS: list = []


def _rating():
    try:
        from credo.rating import queries
    except ImportError:
        return None
    return queries


def _guarded(default, what: str):
    """Run a read of another app in a savepoint: if it fails, log it and use the default, and our own
    transaction stays usable (PostgreSQL aborts a transaction after a failed statement)."""
    def wrap(read):
        try:
            with transaction.atomic():
                return read()
        except Exception:
            log.exception("reading %s from credo.rating failed; using %r", what, default)
            return default
    return wrap


def risk_levels(customer_ids) -> dict[int, str]:
    """{customer_id: "AA" … "D" or "NR"} for every id given."""
    ids = list(customer_ids)
    found = {cid: NOT_RATED for cid in ids}
    rating = _rating()
    if rating is None or not ids:
        return found
    batch, single = getattr(rating, "current_grades", None), getattr(rating, "current_grade", None)

    def read():
        if batch is not None:
            grades = batch(ids)
            return {cid: getattr(grades.get(cid), "risk_level", None) or NOT_RATED for cid in ids}
        if single is None:
            return found
        return {cid: getattr(single(cid), "risk_level", None) or NOT_RATED for cid in ids}

    return _guarded(found, "risk levels")(read)


def grade_info(customer_id: int):
    """The rating app's GradeInfo for one customer (grade, risk_level, score, rated_on), or None."""
    rating = _rating()
    single = getattr(rating, "current_grade", None) if rating else None
    if single is None:
        return None
    return _guarded(None, "the grade")(lambda: single(customer_id))


def investigated(customer_ids) -> set[int]:
    """Ids of the customers with a completed credit investigation: the rating app's batch function if it has
    one, else one query on its Investigation table (what has_investigation() asks per customer), else the
    per-customer function."""
    ids = list(customer_ids)
    rating = _rating()
    if rating is None or not ids:
        return set()
    batch, single = getattr(rating, "has_investigations", None), getattr(rating, "has_investigation", None)
    model = getattr(rating, "Investigation", None)
    completed = getattr(getattr(model, "Status", None), "COMPLETED", None)

    def read():
        if batch is not None:
            result = batch(ids)
            if isinstance(result, dict):
                return {cid for cid in ids if result.get(cid)}
            return set(result) & set(ids)
        if model is not None and completed is not None:
            return set(model.objects.filter(customer_id__in=ids, status=completed)
                       .values_list("customer_id", flat=True).distinct())
        if single is None:
            return set()
        return {cid for cid in ids if single(cid)}

    return _guarded(set(), "investigations")(read)


def investigation_warnings(customer_id: int, language: str) -> list[tuple[str, str]]:
    """(question, note) of the warning answers in the latest completed investigation's checklists (SPEC §5.2:
    "has a cheque been refused by the bank?" …), shown beside the risk signals."""
    rating = _rating()
    read = getattr(rating, "checklist_warnings", None) if rating else None
    if read is None:
        return []

    def text(answer) -> tuple[str, str]:
        question = getattr(answer, "question", None)
        english = getattr(question, "text_en", "") if language.startswith("en") else ""
        return (english or getattr(question, "text_zh", "") or str(question or answer),
                getattr(answer, "note", "") or "")

    return _guarded([], "checklist warnings")(lambda: [text(a) for a in read(customer_id)])


def sales_classes(customer_ids) -> dict[int, str]:
    found: dict[int, str] = {}
    for provider in SALES_CLASS_PROVIDERS:
        found.update(provider(list(customer_ids)))
    return found
