"""Read side of the credit file and rating. The first three functions are the contract other apps call
(credit, limits, risk): they take a customer id and do not check scope (the caller does)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from credo.core.roles import has_perm
from credo.core.scopes import customer_q
from credo.customers.models import Customer

from . import rules
from .models import (
    ChecklistAnswer,
    FinancialStatement,
    FiveCEvaluation,
    Investigation,
    Rating,
)


@dataclass(frozen=True)
class GradeInfo:
    grade: str | None  # "AAA".."D", None if never rated
    risk_level: str  # "AA","A","BB","B","C","D" or "NR" when not rated
    score: Decimal | None
    rated_on: datetime.date | None


NOT_RATED = GradeInfo(None, rules.NOT_RATED, None, None)


def current_grade(customer_id: int) -> GradeInfo:
    """The customer's current grade (its newest rating), or NR. One indexed row read."""
    row = (Rating.objects.filter(customer_id=customer_id, is_current=True)
           .values_list("grade", "risk_level", "score", "as_of").first())
    return GradeInfo(*row) if row else NOT_RATED


def current_grades(customer_ids) -> dict[int, GradeInfo]:
    """current_grade for many customers in one query; customers never rated are left out (NR)."""
    rows = Rating.objects.filter(customer_id__in=list(customer_ids), is_current=True).values_list(
        "customer_id", "grade", "risk_level", "score", "as_of")
    return {cid: GradeInfo(grade, level, score, as_of) for cid, grade, level, score, as_of in rows}


def has_investigation(customer_id: int) -> bool:
    """A completed credit investigation exists."""
    return Investigation.objects.filter(customer_id=customer_id, status=Investigation.Status.COMPLETED).exists()


def has_investigations(customer_ids) -> set[int]:
    """has_investigation for many customers in one query: the ids with a completed investigation."""
    return set(Investigation.objects.filter(customer_id__in=list(customer_ids), status=Investigation.Status.COMPLETED)
               .values_list("customer_id", flat=True).distinct())


def latest_statement(customer_id: int) -> FinancialStatement | None:
    return FinancialStatement.objects.filter(customer_id=customer_id).order_by("-period_end", "-id").first()


def checklist_warnings(customer_id: int) -> list[ChecklistAnswer]:
    """The warning signs of the latest completed investigation (for risk signals), each with its question."""
    latest = (Investigation.objects.filter(customer_id=customer_id, status=Investigation.Status.COMPLETED)
              .order_by("-investigated_on", "-id").first())
    if latest is None:
        return []
    answers = latest.answers.select_related("question", "investigation")
    return [a for a in answers if a.is_warning]


# ---------------------------------------------------------------------------------------------- due list


def has_data_q(as_of: datetime.date) -> Q:
    """Customers with something to rate on as_of: a statement, a 5C evaluation, a completed investigation,
    or a ledger."""
    return (Q(Exists(FinancialStatement.objects.filter(customer_id=OuterRef("pk"), period_end__lte=as_of)))
            | Q(Exists(FiveCEvaluation.objects.filter(customer_id=OuterRef("pk"), evaluated_on__lte=as_of)))
            | Q(Exists(Investigation.objects.filter(customer_id=OuterRef("pk"), investigated_on__lte=as_of,
                                                    status=Investigation.Status.COMPLETED)))
            | Q(balance__invoiced_total__gt=0) | Q(balance__receivable__gt=0) | Q(balance__receivable__lt=0))


def rated_since_q(since: datetime.date) -> Q:
    return Q(Exists(Rating.objects.filter(customer_id=OuterRef("pk"), as_of__gte=since)))


def due_customers(as_of: datetime.date, user=None):
    """Active customers (in the user's scope, if given) with data and no rating since the quarter began."""
    customers = Customer.objects.filter(is_active=True)
    if user is not None:
        customers = customers.filter(customer_q(user))
    return customers.filter(has_data_q(as_of)).exclude(rated_since_q(rules.quarter_start(as_of)))


def without_data_count(as_of: datetime.date) -> int:
    """Active customers not rated this quarter that have nothing to rate yet."""
    return (Customer.objects.filter(is_active=True).exclude(has_data_q(as_of))
            .exclude(rated_since_q(rules.quarter_start(as_of))).count())


# ---------------------------------------------------------------------------------------------- pages


def visible_rating(user, pk) -> Rating:
    if not has_perm(user, "credit.view"):
        raise Http404
    rating = (Rating.objects.filter(customer_q(user, "customer__"), pk=pk)
              .select_related("customer", "scorecard").first())
    if rating is None:
        raise Http404
    return rating


def rating_items(rating: Rating) -> list[dict]:
    """The rating's stored items, each with its name and score table from the scorecard version it used."""
    card_items = {i.source: i for i in rating.scorecard.items.all()}
    rows = []
    for item in rating.items:
        found = card_items.get(item["source"])
        rows.append({**item, "name": found.name if found else item["source"],
                     "mapping": found.mapping if found else []})
    return rows


def visible_investigation(user, pk) -> Investigation:
    if not has_perm(user, "credit.view"):
        raise Http404
    found = (Investigation.objects.filter(customer_q(user, "customer__"), pk=pk)
             .select_related("customer", "investigator__profile").first())
    if found is None:
        raise Http404
    return found


def statement_dict(statement: FinancialStatement) -> dict:
    return {f: getattr(statement, f) for f in ("current_assets", "inventory", "total_assets", "current_liabilities",
                                               "total_liabilities", "net_assets", "revenue", "net_profit", "cash")}


def with_ratios(statements) -> list[FinancialStatement]:
    """The statements, each with .ratios {name: value or None} computed as the scorecard does."""
    rows = list(statements)
    for statement in rows:
        values = rules.financial_values(statement_dict(statement))
        statement.ratios = {code.split(".", 1)[1]: raw for code, (raw, _why) in values.items()}
    return rows
