"""Demo collection data: the dunning run as of today over the demo ledger (cases and letters for every
customer the schedule reaches), then a few worked cases for the demo sales team's customers — a reason and
debtor type, promises (one broken), an instalment plan, an escalation — so every page has something real."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from credo.core.clock import business_today
from credo.core.roles import Role

from . import services
from .dunning import run_dunning
from .models import CollectionCase

WORKED_CASES = 6
REASONS = ["下游客户回款慢，资金周转困难", "对上批货物质量有异议，要求先处理退货", "财务负责人变动，付款审批延误",
           "年底资金紧张，承诺下月初付款", "称发票未收到，需重新开具", "项目尚未验收，甲方未付款"]
DEBTOR_TYPES = ["cooperative", "tough", "emotional", "scheming", "stubborn", "vain"]


@dataclass
class CollectionDemoResult:
    cases: int = 0
    letters: int = 0
    worked: int = 0


def generate(today: datetime.date | None = None, progress=None) -> CollectionDemoResult:
    today = today or business_today()
    outcome = run_dunning(today, actor="system", progress=progress)
    result = CollectionDemoResult(cases=outcome.cases_opened, letters=sum(outcome.letters.values()))
    controller = get_user_model().objects.filter(profile__role=Role.CREDIT_CONTROLLER, is_active=True).first()
    if controller is None:
        return result
    # Cases a person has already worked (a second demo load) keep their reason, promises and plans.
    cases = list(CollectionCase.objects.filter(status=CollectionCase.Status.OPEN, reason="",
                                               customer__account_manager__profile__role=Role.SALESPERSON)
                 .select_related("customer", "customer__balance").order_by("customer__account_manager", "pk")
                 [:WORKED_CASES])
    for n, case in enumerate(cases):
        services.update_case(controller, case, reason=REASONS[n % len(REASONS)],
                             debtor_type=DEBTOR_TYPES[n % len(DEBTOR_TYPES)], owner=controller)
        owed = case.customer.balance.receivable
        if n % 3 == 0:
            services.record_promise(controller, case, made_on=today - datetime.timedelta(days=20),
                                    promised_date=today - datetime.timedelta(days=6), amount=owed / 2,
                                    made_by="财务经理")
        if n % 3 == 1:
            services.create_instalment_plan(controller, case, total=owed, count=3,
                                            first_due=today + datetime.timedelta(days=10), agreed_on=today)
        if n % 3 == 2:
            services.record_promise(controller, case, made_on=today, promised_date=today + datetime.timedelta(days=5),
                                    amount=owed, made_by="总经理")
        result.worked += 1
    services.check_promises(today, actor="system")
    return result
