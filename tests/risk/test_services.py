"""Recording and clearing signals by hand: permissions, scope, bad input (nothing changes), audit, timeline,
alerts; and what a customer merge does to signals and classes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from credo.core.models import AuditEntry, CustomerEvent, Notification
from credo.customers.services import merge_customers
from credo.risk import scan, services
from credo.risk.models import RiskClassAssignment, RiskSignal

from .conftest import ago


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def record(user, customer, **kw):
    data = {"kind": "lawsuits", "evidence": "法院传票：供应商起诉拖欠货款 80 万元", "detected_on": ago(2)} | kw
    return services.record_signal(user, customer, **data)


def test_salesperson_records_a_signal_on_own_customer(world):
    signal = record(world.sales_east, world.east_customer,
                    file=SimpleUploadedFile("传票.pdf", b"%PDF-1.4", content_type="application/pdf"))
    assert signal.source == "recorded" and signal.status == "active" and signal.recorded_by == "sales_east"
    assert signal.file_name == "传票.pdf" and signal.detected_on == ago(2)
    assert AuditEntry.objects.filter(object_type="risk.risksignal", action="create",
                                     customer_id=world.east_customer.pk).count() == 1
    assert CustomerEvent.objects.filter(customer_id=world.east_customer.pk, kind="risk.signal").exists()


@pytest.mark.parametrize("user, customer, error", [
    ("sales_north", "east_customer", PermissionDenied),   # out of scope
    ("sales_east2", "east_customer", PermissionDenied),   # a colleague's customer
    ("service", "east_customer", PermissionDenied),       # role may not record
    ("executive", "east_customer", PermissionDenied),
])
def test_who_may_record(world, user, customer, error):
    with pytest.raises(error):
        record(getattr(world, user), getattr(world, customer))
    assert not RiskSignal.objects.exists()


@pytest.mark.parametrize("user", ["manager_east", "credit", "finance", "admin"])
def test_others_who_may_record(world, user):
    assert record(getattr(world, user), world.east_customer).pk


@pytest.mark.parametrize("data, fields", [
    ({"kind": "bounced_cheques"}, {"kind"}),                  # computed kinds are not typed in
    ({"kind": "nonsense", "evidence": " "}, {"kind", "evidence"}),
    ({"detected_on": ago(-1)}, {"detected_on"}),
    ({"evidence": "x" * 4001}, {"evidence"}),
])
def test_bad_input_names_the_field_and_changes_nothing(world, data, fields):
    with pytest.raises(ValidationError) as exc:
        record(world.credit, world.east_customer, **data)
    assert set(exc.value.error_dict) == fields
    assert not RiskSignal.objects.exists() and not AuditEntry.objects.filter(object_type="risk.risksignal").exists()


def test_recording_on_a_key_customer_notifies_the_others(world):
    world.east_customer.importance = "key"
    world.east_customer.save()
    record(world.sales_east, world.east_customer, kind="creditors_at_door", evidence="门口有三拨讨债的人，老板电话关机")
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["credit"]  # not the recorder
    note = Notification.objects.get()
    assert "门口有三拨讨债的人" in note.body and note.url.endswith("?tab=risk")
    record(world.credit, world.east_customer, kind="not_answering", evidence="连续一周不接电话")
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == ["credit", "sales_east"]


def test_clear_a_recorded_signal(world):
    signal = record(world.sales_east, world.east_customer)
    with pytest.raises(ValidationError) as exc:
        services.clear_signal(world.sales_east, signal, note="  ")
    assert set(exc.value.error_dict) == {"note"}
    with pytest.raises(PermissionDenied):
        services.clear_signal(world.sales_north, signal, note="撤诉")
    cleared = services.clear_signal(world.credit, signal, note="对方已撤诉")
    assert (cleared.status, cleared.cleared_by, cleared.clear_note) == ("cleared", "credit", "对方已撤诉")
    assert AuditEntry.objects.filter(object_type="risk.risksignal", action="update").get().after["status"] == "cleared"
    with pytest.raises(ValidationError) as exc:
        services.clear_signal(world.credit, cleared, note="again")
    assert set(exc.value.error_dict) == {"status"}


def test_computed_signals_are_not_cleared_by_hand(world):
    signal = RiskSignal.objects.create(customer=world.east_customer, kind="bounced_cheques", source="computed",
                                       detected_on=ago(0))
    with pytest.raises(ValidationError) as exc:
        services.clear_signal(world.credit, signal, note="看错了")
    assert set(exc.value.error_dict) == {"status"}
    assert RiskSignal.objects.get().status == "active"


def test_check_customer_needs_the_record_permission(world):
    with pytest.raises(PermissionDenied):
        services.check_customer(world.executive, world.east_customer)
    result = services.check_customer(world.sales_east, world.east_customer)
    assert result.customers == 1
    assert RiskClassAssignment.objects.get(customer=world.east_customer).assigned_by == "sales_east"


def test_merge_moves_signals_and_class_history(world):
    scan.run_scan()  # both customers get a class
    for customer in (world.east_customer, world.east2_customer):
        RiskSignal.objects.create(customer=customer, kind="bounced_cheques", source="computed", detected_on=ago(1))
    record(world.credit, world.east2_customer)
    merge_customers(world.manager_east, world.east_customer, world.east2_customer, reason="重复客户")
    active = RiskSignal.objects.filter(customer=world.east_customer, status="active")
    assert sorted(active.values_list("kind", flat=True)) == ["bounced_cheques", "lawsuits"]
    assert RiskSignal.objects.filter(customer=world.east_customer).count() == 3  # one duplicate cleared
    assert RiskClassAssignment.objects.filter(customer=world.east_customer, is_current=True).count() == 1
    assert RiskClassAssignment.objects.filter(customer=world.east_customer).count() == 2
