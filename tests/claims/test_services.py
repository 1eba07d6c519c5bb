from decimal import Decimal as D

import pytest
from django.core.management import call_command

from credo.claims import services
from credo.claims.models import Claim, GoodsReturn
from credo.core.errors import PermissionDenied, ValidationError
from credo.core.models import AuditEntry, CustomerEvent, Notification
from credo.credit.models import AuthorityTier
from credo.sales import queries as ledger_queries
from credo.sales.models import Allocation, CreditNote, CustomerBalance, Invoice
from tests.claims.conftest import TODAY, complaint, invoice


def new_claim(world, case, lines=None, claimed="1500.00", agreed=None, user=None):
    lines = lines if lines is not None else [(case["inv1"], "1000.00"), (case["inv2"], "500.00")]
    return services.create(user or world.service, case["complaint"], amount_claimed=claimed, amount_agreed=agreed,
                           reason="漏水导致停线，客户索赔", lines=lines)


def approved(world, case, **kw):
    claim = services.submit(world.service, new_claim(world, case, **kw))
    return services.approve(world.credit, claim)


def test_create_is_a_draft_with_lines_audited_and_on_the_timeline(world, case):
    claim = new_claim(world, case)
    assert claim.status == "draft" and claim.number.startswith("SP-2026-")
    assert claim.amount_agreed == D("1500.00") and claim.customer == world.east_customer
    assert [(line.invoice.number, line.amount) for line in claim.lines.order_by("id")] == [
        ("INV1", D("1000.00")), ("INV2", D("500.00"))]
    assert AuditEntry.objects.filter(object_type="claims.claim", action="create").count() == 1
    assert CustomerEvent.objects.filter(kind="claims.created", customer_id=world.east_customer.pk).exists()


@pytest.mark.parametrize(("values", "field"), [
    ({"claimed": ""}, "amount_claimed"),
    ({"claimed": "abc"}, "amount_claimed"),
    ({"claimed": "100.00", "agreed": "200.00"}, "amount_agreed"),
    ({"lines": []}, "lines"),
    ({"claimed": "1500.00", "agreed": "1200.00"}, "lines"),
])
def test_bad_input_names_the_field_and_changes_nothing(world, case, values, field):
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        new_claim(world, case, **values)
    assert field in exc.value.error_dict
    assert Claim.objects.count() == 0 and AuditEntry.objects.count() == audits


def test_messages_in_the_users_language(world, case):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.create(world.service, case["complaint"], amount_claimed="100", reason="", lines=[
            (case["inv1"], "100")])
    assert exc.value.error_dict["reason"][0].messages[0] != "Say what the customer claims and why."


def test_invoice_of_another_customer_is_refused(world, case):
    other = invoice(world, "N-INV", "500.00", customer=world.north_customer)
    with pytest.raises(ValidationError) as exc:
        new_claim(world, case, lines=[(other, "500.00")], claimed="500.00")
    assert "lines" in exc.value.error_dict


def test_permissions_and_scope(world, case):
    with pytest.raises(PermissionDenied):
        new_claim(world, case, user=world.sales_east)       # salespeople read claims, do not record them
    with pytest.raises(PermissionDenied):
        new_claim(world, case, user=world.finance)
    north = complaint(world, customer=world.north_customer)
    north_invoice = invoice(world, "N1", "800.00", customer=world.north_customer)
    with pytest.raises(PermissionDenied):                    # a manager of another team does not see it
        services.create(world.manager_north, case["complaint"], amount_claimed="10", reason="x",
                        lines=[(case["inv1"], "10")])
    claim = services.create(world.manager_north, north, amount_claimed="800", reason="x", lines=[(north_invoice, "800")])
    assert services.visible_claims(world.sales_east).count() == 0
    assert services.visible_claims(world.sales_north).get() == claim
    assert services.visible_claims(world.manager_east).count() == 0


def test_submit_picks_the_tier_and_notifies_its_approvers(world, case):
    claim = services.submit(world.service, new_claim(world, case))
    assert claim.status == "submitted" and claim.tier_level == 1
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert {"credit", "manager_east"} <= told and "executive" not in told and "manager_north" not in told
    assert AuditEntry.objects.filter(action="submit").count() == 1


def test_nobody_approves_their_own_claim(world, case):
    claim = services.create(world.manager_east, case["complaint"], amount_claimed="100", reason="x",
                            lines=[(case["inv1"], "100")])
    claim = services.submit(world.manager_east, claim)
    assert not services.may_decide(world.manager_east, claim)
    with pytest.raises(PermissionDenied):
        services.approve(world.manager_east, claim)
    claim.refresh_from_db()
    assert claim.status == "submitted"
    assert services.approve(world.credit, claim).status == "approved"


def test_only_a_role_of_the_tier_decides(world, case):
    big = invoice(world, "INV-BIG", "300000.00")
    claim = services.create(world.service, case["complaint"], amount_claimed="200000", reason="整批报废",
                            lines=[(big, "200000")])
    claim = services.submit(world.service, claim)
    assert claim.tier_level == AuthorityTier.objects.get(level=2).level
    for user in (world.credit, world.manager_east, world.finance):
        with pytest.raises(PermissionDenied):
            services.approve(user, claim)
    assert services.approve(world.executive, claim).status == "approved"


def test_reject_needs_a_reason(world, case):
    claim = services.submit(world.service, new_claim(world, case))
    with pytest.raises(ValidationError) as exc:
        services.reject(world.credit, claim, reason=" ")
    assert "reason" in exc.value.error_dict
    claim = services.reject(world.credit, claim, reason="责任在物流公司")
    assert claim.status == "rejected" and claim.decision_note == "责任在物流公司"
    with pytest.raises(ValidationError):
        services.settle(world.finance, claim)


def test_settle_spreads_one_note_over_the_invoices_and_reconciles(world, case, capsys):
    claim = approved(world, case)
    receivable = CustomerBalance.objects.get(customer=world.east_customer).receivable
    claim = services.settle(world.finance, claim)
    note = claim.credit_note
    assert claim.status == "settled" and claim.settled_on == TODAY
    assert (note.kind, note.amount, note.unapplied_amount, note.number) == (
        "claim", D("1500.00"), D("0.00"), f"CN-{claim.number}")
    assert claim.number in note.reason and case["complaint"].number in note.reason
    assert sorted(Allocation.objects.filter(credit_note=note).values_list("invoice__number", "amount")) == [
        ("INV1", D("1000.00")), ("INV2", D("500.00"))]
    assert Invoice.objects.get(number="INV1").open_amount == 0
    assert Invoice.objects.get(number="INV2").open_amount == D("2500.00")
    assert CustomerBalance.objects.get(customer=world.east_customer).receivable == receivable - D("1500.00")
    assert ledger_queries.document_drift() == [] and ledger_queries.balance_drift() == []
    call_command("ledger", "reconcile")
    assert "no differences" in capsys.readouterr().out
    assert CustomerEvent.objects.filter(kind="claims.settled").count() == 1
    assert AuditEntry.objects.filter(action="settle", object_type="claims.claim").count() == 1


def test_settle_is_idempotent(world, case):
    claim = approved(world, case)
    first = services.settle(world.finance, claim)
    again = services.settle(world.finance, claim)
    assert again.credit_note_id == first.credit_note_id
    assert CreditNote.objects.count() == 1 and AuditEntry.objects.filter(action="settle").count() == 1


def test_more_than_the_open_amount_is_refused_and_nothing_posted(world, case):
    claim = approved(world, case)
    from credo.sales import services as ledger

    ledger.post_receipt(world.finance, world.east_customer, number="R1", receipt_date=TODAY, amount="800.00",
                        method="transfer", invoice=case["inv1"])
    with pytest.raises(ValidationError) as exc:
        services.settle(world.finance, claim)
    assert "INV1" in exc.value.error_dict["lines"][0].messages[0]
    claim.refresh_from_db()
    assert claim.status == "approved" and CreditNote.objects.count() == 0


def test_settle_needs_the_ledger_role_and_an_approved_claim(world, case):
    claim = services.submit(world.service, new_claim(world, case))
    with pytest.raises(ValidationError):
        services.settle(world.finance, claim)
    claim = services.approve(world.credit, claim)
    for user in (world.service, world.credit, world.sales_east):
        with pytest.raises(PermissionDenied):
            services.settle(user, claim)
    assert services.settle(world.admin, claim).status == "settled"


def test_withdraw_and_returns(world, case):
    claim = new_claim(world, case)
    row = services.record_return(world.service, claim, returned_on=TODAY, quantity="12", description="阀门",
                                 note="已入库")
    assert row.quantity == D("12") and GoodsReturn.objects.count() == 1
    with pytest.raises(ValidationError) as exc:
        services.record_return(world.service, claim, returned_on=None, quantity="-1", description="")
    assert set(exc.value.error_dict) == {"returned_on", "quantity", "description"}
    claim = services.withdraw(world.service, claim, reason="客户撤回")
    assert claim.status == "withdrawn"
    with pytest.raises(ValidationError):
        services.submit(world.service, claim)
    with pytest.raises(ValidationError):
        services.record_return(world.service, claim, returned_on=TODAY, description="阀门")
    assert CustomerEvent.objects.filter(kind__in=["claims.returned", "claims.withdrawn"]).count() == 2


def test_settlement_without_goods_back_and_the_existing_fifo_note(world, case):
    claim = approved(world, case, lines=[(case["inv2"], "1500.00")])
    assert services.settle(world.finance, claim).credit_note.unapplied_amount == 0
    from credo.sales import services as ledger

    note = ledger.post_credit_note(world.finance, world.east_customer, number="CN-FIFO", note_date=TODAY,
                                   kind="allowance", amount="1200.00", reason="折让")
    assert note.unapplied_amount == 0            # FIFO as before: INV1 (1000) then INV2
    assert ledger_queries.document_drift() == [] and ledger_queries.balance_drift() == []
