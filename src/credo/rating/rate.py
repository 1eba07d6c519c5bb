"""Rating customers: read their figures (figures.py), score them on the current scorecard, grade the score,
and store a dated Rating with everything used. One customer (`rate_customer`: the "rate now" button, or
another app on a risk event) or every customer due this quarter (`rerate_due`: `credo credit rerate`).

Batches read with a fixed number of queries and write with bulk inserts; each batch is one transaction."""

import datetime
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from credo.core import audit, timeline
from credo.core.clock import business_today
from credo.core.errors import ValidationError
from credo.core.models import AuditEntry
from credo.customers.models import Customer

from . import events, figures, policy, queries, rules
from .models import GradeBand, Rating, RatingReason, Scorecard

GRADE_RANK = {grade: rank for rank, grade in enumerate(rules.GRADES)}


@dataclass(frozen=True)
class Move:
    customer_id: int
    previous: str
    grade: str
    score: Decimal

    @property
    def direction(self) -> str:
        return "up" if GRADE_RANK[self.grade] < GRADE_RANK[self.previous] else "down"


@dataclass
class RerateResult:
    as_of: datetime.date
    due: int = 0
    rated: int = 0
    first: int = 0
    without_data: int = 0
    moves: list[Move] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def quarter_start(self) -> datetime.date:
        return rules.quarter_start(self.as_of)


def _json(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items() if k not in ("customer_id", "rank")}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


@dataclass(frozen=True)
class Policy:
    card: Scorecard
    items: list[rules.ItemDef]
    cutoffs: list[tuple[str, Decimal]]
    levels: dict[str, str]
    table: list[dict]

    @classmethod
    def current(cls) -> "Policy":
        card = policy.current_scorecard()
        bands: list[GradeBand] = policy.grade_bands()
        return cls(card, policy.item_defs(card), policy.cutoffs(bands), {b.grade: b.risk_level for b in bands},
                   policy.grade_table(bands))


def build_rating(customer_id: int, inputs: figures.Inputs, pol: Policy, *, as_of, reason, note, rated_by,
                 previous: Rating | None) -> Rating:
    """The (unsaved) rating of one customer from its figures."""
    values = rules.raw_values(inputs.statement, inputs.fivec, inputs.ledger, inputs.checklist)
    scored, score = rules.score_card(pol.items, values)
    grade = rules.grade_for(score, pol.cutoffs)
    ledger = inputs.ledger and {**inputs.ledger, "window_from": as_of - datetime.timedelta(
        days=figures.PAYMENT_WINDOW_DAYS), "window_to": as_of}
    return Rating(
        customer_id=customer_id, as_of=as_of, reason=reason if previous else RatingReason.FIRST, note=note[:300],
        scorecard=pol.card, score=score, grade=grade, risk_level=pol.levels[grade],
        items=[s.as_dict() for s in scored], fivec=_json(inputs.fivec) or {}, grade_table=pol.table,
        inputs=_json({"statement": inputs.statement, "ledger": ledger, "checklist": inputs.checklist}),
        previous_grade=previous.grade if previous else "", is_current=True, rated_by=rated_by)


def _rate_batch(customer_ids, pol: Policy, *, as_of, reason, note, user) -> list[Rating]:
    inputs = figures.read_inputs(customer_ids, as_of)
    current = {r.customer_id: r for r in Rating.objects.select_for_update().filter(
        customer_id__in=list(customer_ids), is_current=True).only("id", "customer_id", "grade", "as_of")}
    rated_by = getattr(user, "username", "") or "system"
    new = [build_rating(cid, data, pol, as_of=as_of, reason=reason, note=note, rated_by=rated_by,
                        previous=current.get(cid)) for cid, data in inputs.items() if data.has_data]
    if not new:
        return []
    for rating in new:  # a back-dated rating does not replace a newer one
        previous = current.get(rating.customer_id)
        rating.is_current = previous is None or previous.as_of <= as_of
    replaced = [current[r.customer_id].pk for r in new if r.is_current and r.customer_id in current]
    Rating.objects.filter(pk__in=replaced).update(is_current=False)
    # Ratings carry a few kB of JSON each: statements of 100 rows were fastest on PostgreSQL (larger ones cost
    # more per row to bind and parse), and suit SQLite as well.
    Rating.objects.bulk_create(new, batch_size=100)
    audit.record_many(user, AuditEntry.Action.CREATE, [
        (r, {"grade": r.grade, "score": str(r.score), "risk_level": r.risk_level, "previous_grade": r.previous_grade,
             "scorecard_version": pol.card.version, "as_of": r.as_of.isoformat(), "reason": r.reason})
        for r in new], reason=note)
    _timeline(new, user)
    return new


def _timeline(ratings: list[Rating], user):
    groups: dict[str, list] = {}
    for r in ratings:
        if r.previous_grade and r.previous_grade != r.grade:
            up = GRADE_RANK[r.grade] < GRADE_RANK[r.previous_grade]
            code = (events.GRADE_UP if up else events.GRADE_DOWN).code
            summary = f"{r.previous_grade} → {r.grade} ({r.score})"
        else:
            code, summary = events.RATED.code, f"{r.grade} ({r.score})"
        groups.setdefault(code, []).append((r.customer_id, summary, r))
    for code, items in groups.items():
        timeline.add_events(items, code, actor=user)


def rate_customer(user, customer: Customer, reason: str = RatingReason.MANUAL, *, note: str = "",
                  as_of: datetime.date | None = None) -> Rating:
    """Rate one customer now (as of today unless given). user None: a system job (e.g. another app reacting
    to a risk event), no permission check; otherwise credit.rate on a customer in scope."""
    from .services import check_customer

    if user is not None:
        check_customer(user, "credit.rate", customer, _("Your role may not rate customers."))
    elif not customer.is_active:
        raise ValidationError({"customer": [_("This customer was merged into another; rate that one.")]})
    if reason not in RatingReason.values:
        raise ValidationError({"reason": [_("Choose the reason for the rating from the list.")]})
    as_of = as_of or business_today()
    pol = Policy.current()
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                made = _rate_batch([customer.pk], pol, as_of=as_of, reason=reason, note=note, user=user)
        except IntegrityError:  # rated at the same moment by someone else: read again and rate once more
            if attempt == 2:
                raise
            continue
        if not made:
            raise ValidationError({"customer": [_(
                "There is nothing to rate yet: enter a financial statement, a 5C evaluation or a completed "
                "investigation, or post the customer's invoices.")]})
        return made[0]
    raise AssertionError("unreachable")


def rerate_due(as_of: datetime.date, *, user=None, batch_size: int = 1000, progress=None) -> RerateResult:
    """Rate every customer due on as_of (no rating since its quarter began, and something to rate). Running
    it again in the same quarter rates nobody."""
    started = time.perf_counter()
    result = RerateResult(as_of=as_of)
    ids = list(queries.due_customers(as_of).order_by("pk").values_list("pk", flat=True))
    result.due = len(ids)
    result.without_data = queries.without_data_count(as_of)
    pol = Policy.current()
    if progress:
        progress(0, len(ids))
    for start in range(0, len(ids), batch_size):
        chunk = ids[start:start + batch_size]
        made = _rate_chunk(chunk, pol, as_of, user)
        result.rated += len(made)
        for r in made:
            if not r.previous_grade:
                result.first += 1
            elif r.previous_grade != r.grade:
                result.moves.append(Move(r.customer_id, r.previous_grade, r.grade, r.score))
        if progress:
            progress(start + len(chunk), len(ids))
    result.seconds = time.perf_counter() - started
    return result


def _rate_chunk(chunk: list[int], pol: Policy, as_of, user) -> list[Rating]:
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return _rate_batch(chunk, pol, as_of=as_of, reason=RatingReason.QUARTERLY, note="", user=user)
        except IntegrityError:
            if attempt == 2:
                raise
            # Someone rated one of them meanwhile: keep only those still due.
            chunk = list(queries.due_customers(as_of).filter(pk__in=chunk).values_list("pk", flat=True))
    return []
