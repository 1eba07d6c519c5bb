"""Reads of customer value: the cost rates in force, snapshots and their results scoped to the user, one
customer's latest working, its recorded costs, and the review list (below zero, and the least profitable
share of the C class of the latest pyramid)."""

from django.db.models import Count, Q, Sum

from credo.classification import queries as classification
from credo.core.scopes import customer_q

from . import rules
from .models import CostRates, CustomerCost, CustomerPotential, ReviewDecision, SegmentResult, SegmentRun


def _scope(user, prefix: str = "customer__") -> Q:
    """The user's customers; None is the system (commands), which sees every customer."""
    return Q() if user is None else customer_q(user, prefix)


def current_rates() -> dict:
    row = CostRates.objects.order_by("pk").first()
    return row.as_dict() if row else dict(rules.DEFAULT_RATES)


def runs():
    return SegmentRun.objects.all()


def latest_run() -> SegmentRun | None:
    return runs().first()


def results(user, run: SegmentRun, *, segment: str = "", territory=None, manager=None):
    qs = (SegmentResult.objects.filter(_scope(user), run=run)
          .select_related("customer", "customer__account_manager"))
    if segment:
        qs = qs.filter(segment=segment)
    if territory:
        qs = qs.filter(customer__territory=territory)
    if manager:
        qs = qs.filter(customer__account_manager=manager)
    return qs.order_by("profit_rank", "customer__code")


def summary(user, run: SegmentRun, **flt) -> list[dict]:
    """Customers, sales and profit after costs per segment, over the user's customers (grouped in the DB)."""
    grouped = {r["segment"]: r for r in results(user, run, **flt).order_by().values("segment")
               .annotate(n=Count("id"), sales=Sum("sales"), profit=Sum("profit"))}
    return [{"segment": s, "count": grouped.get(s, {}).get("n", 0), "sales": grouped.get(s, {}).get("sales") or 0,
             "profit": grouped.get(s, {}).get("profit") or 0} for s in rules.SEGMENTS]


def whale_curve(user, run: SegmentRun, points: int = 200) -> list[tuple[int, str]]:
    """Cumulative profit after costs over customers ranked by profit (the "whale curve"), thinned to about
    `points` points: [(customers so far, cumulative profit)]."""
    profits = list(results(user, run).values_list("profit", flat=True))
    step = max(1, len(profits) // points)
    curve, running = [(0, "0")], 0
    for i, profit in enumerate(profits, 1):
        running += profit
        if i % step == 0 or i == len(profits):
            curve.append((i, str(running)))
    return curve


def customer_result(user, customer_id: int) -> SegmentResult | None:
    return (SegmentResult.objects.filter(customer_q(user, "customer__"), customer_id=customer_id)
            .select_related("run").order_by("-run__created_at", "-run_id").first())


def recorded_costs(user, customer_id: int):
    return CustomerCost.objects.filter(customer_q(user, "customer__"), customer_id=customer_id)


def potential(customer_id: int) -> CustomerPotential | None:
    return CustomerPotential.objects.filter(customer_id=customer_id).first()


def review_list(user, run: SegmentRun) -> list[dict]:
    """Customers to review, never to act on automatically: every below-zero customer, and the least
    profitable review_c_percent % of class C of the latest pyramid snapshot (放弃5%的C类客户)."""
    percent = rules.params_for(run.params)["review_c_percent"]
    pyramid = classification.latest_run()
    reasons: dict[int, list[str]] = {}
    for cid in results(user, run, segment=rules.BELOW_ZERO).values_list("customer_id", flat=True):
        reasons.setdefault(cid, []).append("below_zero")
    if pyramid is not None:
        c_ids = (pyramid.results.filter(Q(override_class="C") | Q(override_class="", klass="C"))
                 .values("customer_id"))
        # the rule runs over the whole C class (not just the user's part), then the user sees their own
        c_profits = dict(SegmentResult.objects.filter(run=run, customer_id__in=c_ids)
                         .values_list("customer_id", "profit"))
        for cid in rules.c_class_review(c_profits, percent):
            reasons.setdefault(cid, []).append("c_tail")
    rows = {r.customer_id: r for r in results(user, run).filter(customer_id__in=list(reasons))}
    decisions = {d.customer_id: d for d in ReviewDecision.objects.filter(run=run, customer_id__in=list(rows))
                 .select_related("decided_by")}
    out = [{"result": rows[cid], "reasons": reasons[cid], "decision": decisions.get(cid)} for cid in rows]
    out.sort(key=lambda item: (item["result"].profit, item["result"].customer_id))
    return out
