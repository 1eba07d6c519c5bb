"""Demo data for visits: a year of visits and calls already made by the account managers, at roughly the
visit policy's rates for each customer's class (60–100 % of them), so that the overdue-contacts panel, the
compliance figures of past months and the service cost of the value segments have a history to show."""

import datetime
import random

from django.db.models import F
from django.utils import timezone

from credo.classification.models import ClassResult
from credo.classification.queries import latest_run
from credo.core import demo
from credo.core.clock import business_today
from credo.customers.models import Customer

from .models import Kind, Purpose, Status, Visit

# visits and calls per month by pyramid class (the seed's salesperson rates; D now and then)
RATES = {"A": (3, 2), "B": (2, 1), "C": (1, 1), "D": (0.1, 0)}
PURPOSES = [(Purpose.SALES, 75), (Purpose.SERVICE, 10), (Purpose.COLLECTION, 7), (Purpose.RELATIONSHIP, 5),
            (Purpose.COMPLAINT, 3)]
OUTCOMES = {
    Purpose.SALES: ["了解下季度采购计划，客户有意增加订货", "介绍新产品，客户要求报价", "客户库存偏高，下月再谈"],
    Purpose.SERVICE: ["现场检查使用情况，一切正常", "培训客户操作人员"],
    Purpose.COLLECTION: ["对账无误，客户承诺月底前付款", "财务负责人不在，约定下周再来"],
    Purpose.RELATIONSHIP: ["拜访总经理，关系良好"],
    Purpose.COMPLAINT: ["跟进上次投诉的处理结果，客户满意"],
}


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    return months


def _count(rng: random.Random, rate: float) -> int:
    expected = rate * rng.uniform(0.6, 1.0)
    whole = int(expected)
    return whole + (rng.random() < expected - whole)


def generate(today: datetime.date | None = None, *, months: int = 12, seed: int = 11) -> int:
    """Done visits and calls of the last `months` whole months for every classified customer with an account
    manager; returns how many were written."""
    run = latest_run()
    if run is None:
        return 0
    today = today or business_today()
    rng = random.Random(seed)
    classes = dict(ClassResult.objects.filter(run=run).values_list("customer_id", "klass"))
    managers = dict(Customer.objects.filter(is_active=True, account_manager__isnull=False)
                    .values_list("id", "account_manager_id"))
    purposes, weights = zip(*PURPOSES, strict=True)
    now, rows = timezone.now(), []
    for month in _months_back(today, months):
        days = ((month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - month).days
        for cid in sorted(managers):
            visits, calls = RATES.get(classes.get(cid, "D"), (0, 0))
            for kind, rate in ((Kind.VISIT, visits), (Kind.CALL, calls)):
                for _ in range(_count(rng, rate)):
                    purpose = rng.choices(purposes, weights)[0]
                    day = month + datetime.timedelta(days=rng.randrange(days))
                    rows.append(demo.new(
                        Visit, customer_id=cid, person_id=managers[cid], kind=kind, purpose=purpose,
                        status=Status.DONE, planned_date=day, done_date=day, customer_class=classes.get(cid, ""),
                        outcome=rng.choice(OUTCOMES[purpose]), recorded_by="demo", created_at=now, updated_at=now))
    demo.insert(Visit, rows)
    return len(rows) + _complete_this_months_plan(today)


def _complete_this_months_plan(today: datetime.date) -> int:
    """Four in five of this month's planned contacts due before today are done on their day; the rest stay
    open, so the overdue-contacts panel has a few to show."""
    due = Visit.objects.filter(plan_month=today.replace(day=1), status=Status.PLANNED, planned_date__lt=today)
    ids = [pk for pk in due.values_list("id", flat=True) if pk % 5]
    done = 0
    for start in range(0, len(ids), 5000):
        done += Visit.objects.filter(id__in=ids[start:start + 5000]).update(
            status=Status.DONE, done_date=F("planned_date"), outcome="按计划完成", recorded_by="demo")
    return done
