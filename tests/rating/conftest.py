import datetime
from decimal import Decimal

import pytest

from credo.core.clock import business_today
from credo.rating import services
from credo.sales import services as ledger

STATEMENT = {"current_assets": "5000000", "inventory": "1500000", "current_liabilities": "2500000",
             "total_liabilities": "4000000", "net_assets": "6000000", "revenue": "10000000", "net_profit": "800000"}


def days_ago(n: int) -> datetime.date:
    return business_today() - datetime.timedelta(days=n)


def statement(**changes) -> dict:
    return {"period_end": days_ago(40), **STATEMENT, **changes}


FIVEC_SCORES = {
    "character": {"basics": "90", "history": "80", "managers": "85"},
    "capacity": {"manager_ability": "70", "staff": "80"},
    "capital": {"structure": "60"},
    "collateral": {"credit_status": "50", "collateral_state": "70"},
    "condition": {"policy": "75"},
}


@pytest.fixture
def credit_file(world):
    """E001 with the worked-example statement, a 5C evaluation, a completed investigation with one warning sign
    (high-interest borrowing), and one invoice of 1,000 due 30 days ago of which 600 was paid 10 days late."""
    customer = world.east_customer
    services.add_statement(world.credit, customer, statement())
    services.record_evaluation(world.credit, customer, evaluated_on=days_ago(20), sub_scores=FIVEC_SCORES)
    services.record_investigation(world.sales_east, customer, {
        "investigated_on": days_ago(15), "kind": "direct", "source": "visit", "findings": "仓库满,员工稳定",
        "status": "completed"}, answers={"fin_high_interest": "yes", "fin_cash": "yes", "ops_overall": "yes"})
    ledger.post_invoice(world.finance, customer, number="INV-1", invoice_date=days_ago(60), due_date=days_ago(30),
                        amount=Decimal("1000.00"))
    ledger.post_receipt(world.finance, customer, number="RC-1", receipt_date=days_ago(20), amount=Decimal("600.00"),
                        method="transfer")
    return customer
