"""Demo claims: some settled as credit notes, some waiting for approval, one rejected; the ledger reconciles; a
second run adds nothing."""

from credo.claims import demo
from credo.claims.models import Claim
from credo.sales import queries as ledger_queries
from credo.sales.models import CreditNote
from tests.claims.conftest import complaint, invoice
from tests.factories import CustomerFactory


def test_demo_claims(world, today):
    customers = [world.east_customer, world.north_customer, world.east2_customer]
    customers += [CustomerFactory(account_manager=world.sales_east) for _ in range(len(demo.PLAN) - 3)]
    for n, customer in enumerate(customers):
        invoice(world, f"D{n}a", "5000.00", customer=customer)
        invoice(world, f"D{n}b", "2000.00", customer=customer)
        complaint(world, customer=customer, category="delivery" if n % 2 else "quality")
    assert demo.generate() == len(demo.PLAN)
    statuses = list(Claim.objects.values_list("status", flat=True))
    assert statuses.count("settled") == 5 and statuses.count("submitted") == 4 and statuses.count("rejected") == 1
    assert CreditNote.objects.filter(kind="claim").count() == 5
    assert ledger_queries.document_drift() == [] and ledger_queries.balance_drift() == []
    assert demo.generate() == 0
