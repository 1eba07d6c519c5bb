"""Demo credit files: statements for most customers that bought, investigations with checklist answers and 5C
evaluations for some, then the quarterly re-rating, so the credit-file tab, the rating pages and the due list
have real content. Called by `credo demo` after the ledger (bulk inserts; a few seconds for 100,000)."""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from credo.core.clock import business_today
from credo.customers.models import Customer

from . import defaults, rate, rules, services
from .models import (
    FIVEC_DIMENSIONS,
    Answer,
    ChecklistAnswer,
    FinancialStatement,
    FiveCEvaluation,
    Investigation,
)

FINDINGS = ["实地走访:仓库存货充足,员工稳定,老板对行业了解深入。", "银行反馈:账户往来正常,无不良记录。",
            "老板称近期资金紧张,下游回款慢。", "评级机构报告:经营稳定,负债率偏高。", "税务登记正常,纳税信用B级。"]


@dataclass
class RatingDemoResult:
    statements: int = 0
    investigations: int = 0
    evaluations: int = 0
    rated: int = 0


def _statement(customer_id: int, period_end: datetime.date, rnd: random.Random) -> FinancialStatement:
    size = Decimal(rnd.choice([2, 5, 10, 30, 80])) * 100_000
    current_assets = size * Decimal(rnd.randint(40, 80)) / 100
    current_liabilities = current_assets / Decimal(rnd.choice(["0.7", "1.0", "1.3", "1.6", "2.2"]))
    total_liabilities = current_liabilities + size * Decimal(rnd.randint(0, 30)) / 100
    revenue = size * Decimal(rnd.randint(8, 30)) / 10
    return FinancialStatement(
        customer_id=customer_id, period_end=period_end, current_assets=current_assets.quantize(Decimal("1")),
        inventory=(current_assets * Decimal(rnd.randint(10, 50)) / 100).quantize(Decimal("1")),
        total_assets=size, current_liabilities=current_liabilities.quantize(Decimal("1")),
        total_liabilities=total_liabilities.quantize(Decimal("1")), net_assets=(size - total_liabilities).quantize(
            Decimal("1")), revenue=revenue, net_profit=(revenue * Decimal(rnd.randint(-4, 12)) / 100).quantize(
            Decimal("1")), source="demo", entered_by="demo")


def generate(today: datetime.date | None = None, seed: int = 7) -> RatingDemoResult:
    rnd = random.Random(seed)
    today = today or business_today()
    period_end = rules.quarter_start(today) - datetime.timedelta(days=1)
    buyers = list(Customer.objects.filter(is_active=True, first_order_date__isnull=False).values_list("pk", flat=True))
    result = RatingDemoResult()
    statements = [_statement(cid, period_end, rnd) for cid in buyers if rnd.random() < 0.7]
    FinancialStatement.objects.bulk_create(statements, batch_size=2000, ignore_conflicts=True)
    result.statements = len(statements)
    sample = [cid for cid in buyers if rnd.random() < 0.3]
    investigations = Investigation.objects.bulk_create([
        Investigation(customer_id=cid, investigated_on=today - datetime.timedelta(days=rnd.randint(5, 60)),
                      kind="direct", source=rnd.choice(["visit", "interview", "observation"]),
                      findings=rnd.choice(FINDINGS), status=Investigation.Status.COMPLETED, created_by="demo",
                      completed_at=timezone.now()) for cid in sample], batch_size=2000)
    questions = services.active_questions()
    ChecklistAnswer.objects.bulk_create([
        ChecklistAnswer(investigation_id=inv.pk, customer_id=inv.customer_id, question=q,
                        answer=(q.warning_answer if rnd.random() < 0.08 else
                                rnd.choice([Answer.UNKNOWN, Answer.NO if q.yes_is_warning else Answer.YES])))
        for inv in investigations for q in questions], batch_size=5000)
    result.investigations = len(investigations)
    items = {dimension: [code for code, _zh, _en in subitems] for dimension, _zh, _en, subitems in defaults.FIVEC}
    weights = {d: Decimal(w) for d, w in defaults.FIVEC_WEIGHTS.items()}
    evaluations = []
    for cid in sample:
        sub = {d: {code: str(rnd.randint(40, 95)) for code in codes} for d, codes in items.items()}
        dims = {d: rules.dimension_score(sub[d]) for d in FIVEC_DIMENSIONS}
        evaluations.append(FiveCEvaluation(
            customer_id=cid, evaluated_on=today - datetime.timedelta(days=rnd.randint(1, 30)), sub_scores=sub,
            weights={d: str(w) for d, w in weights.items()}, score=rules.fivec_score(dims, weights),
            evaluator_name="demo", **dims))
    FiveCEvaluation.objects.bulk_create(evaluations, batch_size=2000)
    result.evaluations = len(evaluations)
    result.rated = rate.rerate_due(today).rated
    return result
