import datetime
from decimal import Decimal

import pytest

from credo.collection.models import CollectionCase, DunningLetter
from credo.customers.models import CompetitorPresence
from credo.sales import services as ledger
from credo.segments import services
from credo.visits.models import Visit

FROM, TO = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)


def invoice(world, customer, number, day, quantity, price, cost):
    return ledger.post_invoice(world.finance, customer, number=number, invoice_date=day,
                               lines=[{"quantity": quantity, "unit_price": price, "cost": cost}])


def done_visit(world, customer, day, kind="visit", purpose="sales"):
    return Visit.objects.create(customer=customer, person=customer.account_manager, kind=kind, purpose=purpose,
                                status="done", done_date=day)


@pytest.fixture
def ledger_world(world):
    return make_ledger_world(world)


def make_ledger_world(world):
    """E001 buys 10,000 (cost 6,000) on 1 Jan and pays on 31 Jan, is visited twice and called once, and has a
    potential of 40,000 a year. E002 buys 5,000 (cost 4,500) on 1 Mar and never pays, gets a lawyer's letter
    and has a 1,000 complaint cost recorded. N001 buys nothing; one of its 2025 invoices is written off in
    the period (800) and 300 is recovered."""
    e1, e2, n1 = world.east_customer, world.east2_customer, world.north_customer
    invoice(world, e1, "S-1", FROM, 10, "1000", "6000")
    ledger.post_receipt(world.finance, e1, number="R-1", receipt_date=datetime.date(2026, 1, 31),
                        amount=Decimal("10000"), method="transfer")
    done_visit(world, e1, datetime.date(2026, 2, 3))
    done_visit(world, e1, datetime.date(2026, 3, 3))
    done_visit(world, e1, datetime.date(2026, 3, 9), kind="call")
    done_visit(world, e1, datetime.date(2026, 7, 9))  # after the period
    services.set_potential(world.sales_east, e1.pk, annual_purchases="40000", basis="purchasing manager")

    invoice(world, e2, "S-2", datetime.date(2026, 3, 1), 1, "5000", "4500")
    case = CollectionCase.objects.create(customer=e2, number="C-1", opened_on=datetime.date(2026, 5, 1),
                                         opened_by="system")
    DunningLetter.objects.create(case=case, customer=e2, level="lawyer", number="L-1",
                                 letter_date=datetime.date(2026, 6, 1), title="律师函", sender="法务部",
                                 total=Decimal("5000"), max_days_overdue=62, created_by="system")
    services.record_cost(world.finance, e2.pk, kind="complaint", cost_date=datetime.date(2026, 4, 1),
                         amount="1000", description="补发货物运费")
    CompetitorPresence.objects.create(customer=e2, competitor="甲公司", year=2026, competitor_sales=Decimal("20000"),
                                      our_sales=Decimal("10000"))
    CompetitorPresence.objects.create(customer=e2, competitor="乙公司", year=2026, competitor_sales=Decimal("10000"),
                                      our_sales=Decimal("10000"))

    old = invoice(world, n1, "S-0", datetime.date(2025, 12, 1), 1, "800", "0")
    write_off = ledger.request_write_off(world.finance, old, amount=Decimal("800"), reason="破产")
    write_off = ledger.decide_write_off(world.credit, write_off, approve=True, posting_date=datetime.date(2026, 2, 1))
    ledger.post_recovery(world.finance, write_off, number="R-2", receipt_date=datetime.date(2026, 5, 1),
                         amount=Decimal("300"), method="transfer")
    return world
