"""Services: permissions, bad input naming the field and changing nothing, the transitions, verifier ≠ owner,
linking complaints (M2M, in scope), reminders (idempotent, the command), promises, recovery (audit, timeline)."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from credo.core.errors import PermissionDenied, ValidationError
from credo.core.models import AuditEntry, CustomerEvent, Notification
from credo.improvement import services
from credo.improvement.models import ActionComplaint, ImprovementAction, RecoveryAction, ServicePromise
from tests.improvement.conftest import take

pytestmark = pytest.mark.django_db


def new_action(world, user=None, **extra):
    values = {"kind": "corrective", "title": "加严来料检验", "cause": "密封圈不合格", "owner": world.service,
              "due_date": world_today() + datetime.timedelta(days=7), **extra}
    return services.create_action(user or world.manager_east, **values)


def world_today():
    from credo.core.clock import business_today

    return business_today()


def test_create_links_complaints_notifies_owner_and_audits(world, monday):
    c1, c2 = take(world), take(world, description="再次漏水")
    action = new_action(world, complaint_ids=[c1.pk, c2.pk])
    assert set(action.complaints.all()) == {c1, c2}
    assert set(ActionComplaint.objects.values_list("customer_id", flat=True)) == {world.east_customer.pk}
    assert Notification.objects.filter(user=world.service, url=f"/improvement/{action.pk}/").count() == 1
    assert AuditEntry.objects.filter(object_type="improvement.improvementaction", action="create").count() == 1
    assert AuditEntry.objects.filter(action="link").count() == 2
    # One action serves several complaints, and one complaint several actions.
    other = new_action(world, title="预防措施", kind="preventive", complaint_ids=[c1.pk])
    assert set(c1.improvements.all()) == {action, other}
    assert services.link_complaints(world.manager_east, other, [c1.pk, c2.pk]) == 1   # c1 already linked


def test_bad_input_names_the_field_and_changes_nothing(world, monday):
    before = (ImprovementAction.objects.count(), AuditEntry.objects.count(), Notification.objects.count())
    with pytest.raises(ValidationError) as exc:
        services.create_action(world.service, kind="fast", title=" ", cause="", owner=999999,
                               due_date="2026-13-01", complaint_ids=["x"])
    assert set(exc.value.error_dict) == {"kind", "title", "cause", "owner", "due_date", "complaint_ids"}
    with pytest.raises(ValidationError) as exc:
        new_action(world, due_date=datetime.date(2026, 6, 1))
    assert "due_date" in exc.value.error_dict
    assert (ImprovementAction.objects.count(), AuditEntry.objects.count(), Notification.objects.count()) == before


def test_permissions_and_scope(world, monday):
    with pytest.raises(PermissionDenied):
        new_action(world, user=world.sales_east)
    north = take(world, customer=world.north_customer)
    with pytest.raises(ValidationError) as exc:               # a manager of the east links no northern complaint
        new_action(world, complaint_ids=[north.pk])
    assert "complaint_ids" in exc.value.error_dict
    east = new_action(world, complaint_ids=[take(world).pk], owner=world.service)
    northern = new_action(world, user=world.service, complaint_ids=[north.pk])
    assert set(services.visible_actions(world.sales_east)) == {east}
    assert set(services.visible_actions(world.sales_north)) == {northern}
    assert set(services.visible_actions(world.executive)) == {east, northern}
    with pytest.raises(PermissionDenied):
        services.update_action(world.manager_east, northern, title="x")


def test_transitions_and_verifier_is_not_the_owner(world, monday):
    action = new_action(world, owner=world.sales_east, complaint_ids=[take(world).pk])
    with pytest.raises(ValidationError) as exc:
        services.complete(world.sales_east, action, "done")          # not started
    assert "status" in exc.value.error_dict
    services.start(world.sales_east, action)                         # the owner works it whatever their role
    with pytest.raises(ValidationError) as exc:
        services.complete(world.sales_east, action, "  ")
    assert "outcome" in exc.value.error_dict
    services.complete(world.sales_east, action, "换供应商")
    with pytest.raises(PermissionDenied):
        services.verify(world.sales_east, action, "有效")            # a salesperson may not verify
    owner_manager = new_action(world, owner=world.manager_east)
    services.start(world.manager_east, owner_manager)
    services.complete(world.manager_east, owner_manager, "完成")
    with pytest.raises(ValidationError) as exc:
        services.verify(world.manager_east, owner_manager, "有效")   # the owner may not verify their own
    assert "verified_by" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.verify(world.service, action, "")
    assert "effect" in exc.value.error_dict
    done = services.verify(world.service, action, "三个月无同类投诉")
    assert done.status == "verified" and done.verified_by == world.service and done.verified_at is not None
    assert AuditEntry.objects.filter(action="verify", object_id=str(action.pk)).exists()
    with pytest.raises(ValidationError):
        services.cancel(world.service, done, "no")


def test_overdue_and_remind_is_idempotent(world, monday):
    action = new_action(world, owner=world.sales_east, due_date=datetime.date(2026, 6, 17))
    Notification.objects.all().delete()
    assert services.remind(datetime.date(2026, 6, 16)) == 0
    monday.set("2026-06-18T10:00+08:00", tick=False)
    assert action.is_overdue(datetime.date(2026, 6, 18))
    call_command("improvement", "remind", "--as-of", "2026-06-17")
    call_command("improvement", "remind", "--as-of", "2026-06-18")
    assert Notification.objects.filter(user=world.sales_east).count() == 1
    services.update_action(world.manager_east, action, due_date=datetime.date(2026, 6, 25))
    monday.set("2026-06-25T10:00+08:00", tick=False)
    assert services.remind() == 1 and services.remind() == 0
    for args, word in ((["--as-of", "2026-02-30"], "--as-of"), (["--as-of", "2026-07-30"], "--as-of"),
                       (["--format", "xml"], "--format")):
        with pytest.raises(CommandError) as exc:
            call_command("improvement", "remind", *args)
        assert exc.value.returncode == 2 and word in str(exc.value)


def test_promises_admin_only_and_validated(world, monday):
    with pytest.raises(PermissionDenied):
        services.save_promise(world.service, name="x")
    with pytest.raises(ValidationError) as exc:
        services.save_promise(world.admin, name="", customer_text="", measure="speed", unit="weeks", budget="-1",
                              valid_from="2026-06-01", valid_to="2026-05-01")
    assert set(exc.value.error_dict) >= {"name", "customer_text", "measure", "unit", "budget", "valid_to"}
    assert ServicePromise.objects.count() == 0
    p = services.save_promise(world.admin, name="4 小时答复", customer_text="4 个工作小时内答复",
                              measure="complaint_first_response", budget="4")
    services.save_promise(world.admin, p, budget="3.5", active=False)
    p.refresh_from_db()
    assert p.budget == Decimal("3.50") and not p.active
    assert AuditEntry.objects.filter(object_type="improvement.servicepromise", action="update").exists()


def test_recovery_records_cost_audit_and_timeline(world, monday):
    complaint = take(world)
    with pytest.raises(PermissionDenied):
        services.record_recovery(world.sales_east, complaint_id=complaint.pk, kind="apology")
    with pytest.raises(ValidationError) as exc:
        services.record_recovery(world.service, complaint_id=complaint.pk, kind="bribe", cost="-5",
                                 failure="promise")
    assert set(exc.value.error_dict) == {"kind", "cost", "promise_id"}
    with pytest.raises(ValidationError) as exc:
        services.record_recovery(world.service, complaint_id=complaint.pk, kind="gift", failure="sla_breach")
    assert "failure" in exc.value.error_dict                       # no clock of it was breached
    with pytest.raises(ValidationError) as exc:
        services.record_recovery(world.manager_east, complaint_id=take(world, customer=world.north_customer).pk,
                                 kind="gift")
    assert "complaint_id" in exc.value.error_dict                  # outside the manager's team
    assert RecoveryAction.objects.count() == 0
    row = services.record_recovery(world.service, complaint_id=complaint.pk, kind="discount", cost="1,200.50",
                                   description="下批 2% 折扣")
    assert row.cost == Decimal("1200.50") and row.customer == world.east_customer and row.done_by == world.service
    assert CustomerEvent.objects.filter(customer_id=world.east_customer.pk, kind="improvement.recovery").count() == 1
    assert AuditEntry.objects.filter(object_type="improvement.recoveryaction", customer_id=world.east_customer.pk)
    assert list(services.visible_recoveries(world.sales_east)) == [row]
    assert list(services.visible_recoveries(world.sales_north)) == []
