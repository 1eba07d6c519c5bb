"""Complaint services: intake on the SLA clocks, the six steps in order, owners and permissions, measures,
pauses, reopen, repeats, bad input naming the field, audit."""

import datetime

import pytest

from credo.complaints import services
from credo.complaints.models import Complaint, ComplaintStep, EmergencyMeasure
from credo.core.errors import PermissionDenied, ValidationError
from credo.core.models import AuditEntry, CustomerEvent, Notification
from credo.sla.models import SlaClock, SlaEscalation, SlaPause
from tests.complaints.conftest import at
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def take(world, user=None, customer=None, **extra):
    values = {"channel": "phone", "category": "quality", "severity": "major", "contact_name": "王经理",
              "contact_phone": "13800000000", "description": "阀门漏水", **extra}
    return services.intake(user or world.service, customer=customer or world.east_customer, **values)


def running(complaint):
    return set(SlaClock.objects.filter(kind="complaint", subject_id=complaint.pk, stopped_at__isnull=True)
               .values_list("metric", flat=True))


def test_intake_lands_in_step_1_with_its_clocks(world, monday):
    c = take(world)
    assert c.number == f"TS-2026-{c.pk:06d}" and c.current_step == 1 and c.status == "open"
    assert running(c) == {"first_response", "step_1", "resolution"}
    step = ComplaintStep.objects.get(complaint=c)
    assert step.owner == world.service                      # the service agent who took it in owns step 1
    assert step.due_at == at("2026-06-15 12:00") == c.due_at  # major: 2 business hours
    assert AuditEntry.objects.filter(object_type="complaints.complaint", object_id=str(c.pk), action="create").exists()
    assert CustomerEvent.objects.filter(customer_id=world.east_customer.pk, kind="complaints.received").exists()


def test_the_six_steps_in_order_then_the_complaint_closes(world, monday):
    c = take(world)
    with pytest.raises(ValidationError) as exc:
        services.close_step(world.service, c, 2, "skipping")
    assert "step" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.close_step(world.service, c, 1, "   ")
    assert "record" in exc.value.error_dict
    for number in range(1, 7):
        monday.advance(hours=1)
        services.close_step(world.service, c, number, f"record {number}", cause="production")
        c.refresh_from_db()
        if number == 1:
            assert "first_response" not in running(c)
    assert c.status == "closed" and c.closed_at is not None and c.due_at is None
    assert running(c) == set()
    assert list(c.steps.values_list("number", "record")) == [(n, f"record {n}") for n in range(1, 7)]
    with pytest.raises(ValidationError):
        services.close_step(world.service, c, 6, "again")
    assert CustomerEvent.objects.filter(kind="complaints.closed").count() == 1


def test_the_step_owner_closes_their_own_step_and_nobody_else_may(world, monday):
    c = take(world)
    services.close_step(world.service, c, 1, "heard the customer")
    services.assign(world.service, c, world.sales_east)
    assert Notification.objects.filter(user=world.sales_east).exists()
    assert SlaClock.objects.get(subject_id=c.pk, metric="step_2", stopped_at__isnull=True).owner == world.sales_east
    with pytest.raises(PermissionDenied):
        services.close_step(world.sales_east2, c, 2, "not mine")     # same team, not the owner
    with pytest.raises(PermissionDenied):
        services.close_step(world.finance, c, 2, "not mine")
    with pytest.raises(ValidationError) as exc:
        services.close_step(world.sales_east, c, 2, "cause: seal worn")            # where does it lie?
    assert list(exc.value.error_dict) == ["cause"] and c.steps.filter(number=2, closed_at=None).exists()
    services.close_step(world.sales_east, c, 2, "cause: seal worn", cause="supplier", department="采购部")
    c.refresh_from_db()
    assert (c.cause, c.department) == ("supplier", "采购部")
    c.refresh_from_db()
    assert c.current_step == 3
    assert ComplaintStep.objects.get(complaint=c, number=3).owner == world.sales_east   # carried over


def test_owners_must_see_the_customer(world, monday):
    c = take(world)
    with pytest.raises(ValidationError) as exc:
        services.assign(world.service, c, world.sales_north)
    assert "owner" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        services.assign(world.sales_east, c, world.sales_east)    # salespeople do not manage
    services.assign(world.manager_east, c, world.sales_east)      # the team's manager does


def test_who_may_take_complaints_in(world, monday):
    take(world, user=world.sales_east)
    with pytest.raises(PermissionDenied):
        take(world, user=world.sales_east, customer=world.north_customer)
    with pytest.raises(PermissionDenied):
        take(world, user=world.finance)
    c = take(world, user=world.sales_east)
    assert ComplaintStep.objects.get(complaint=c).owner is None     # a salesperson does not own the service step


def test_bad_input_names_the_field_and_changes_nothing(world, monday):
    with pytest.raises(ValidationError) as exc:
        take(world, channel="fax", category="mood", severity="huge", contact_name=" ", description="",
             contact_email="nope")
    assert set(exc.value.error_dict) == {"channel", "category", "severity", "contact_name", "description",
                                         "contact_email"}
    from credo.sales.models import SalesOrder

    order = SalesOrder.objects.create(customer=world.north_customer, number="SO-1", order_date=monday.today)
    with pytest.raises(ValidationError) as exc:
        take(world, order=order.pk, invoice=999999)
    assert set(exc.value.error_dict) == {"order", "invoice"}
    assert Complaint.objects.count() == 0 and SlaClock.objects.count() == 0


def test_messages_are_translated(world, monday):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        take(world, description="")
    assert exc.value.error_dict["description"][0].messages[0] != "Describe what happened."


def test_emergency_measures_at_any_step(world, monday):
    c = take(world)
    services.log_measure(world.service, c, "先发一台备用机")
    services.close_step(world.service, c, 1, "heard")
    services.log_measure(world.service, c, "现场关阀")
    assert list(EmergencyMeasure.objects.values_list("step", flat=True)) == [1, 2]
    with pytest.raises(ValidationError) as exc:
        services.log_measure(world.service, c, "  ")
    assert "text" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        services.log_measure(world.sales_north, c, "x")


def test_waiting_on_the_customer_moves_the_due_time(world, monday):
    c = take(world)                                            # step 1 due 12:00
    services.pause(world.service, c, "等客户发照片")
    c.refresh_from_db()
    assert c.waiting and c.due_at is None
    monday.set("2026-06-16T10:00+08:00", tick=False)           # a business day later
    services.resume(world.service, c)
    c.refresh_from_db()
    assert not c.waiting and c.due_at == at("2026-06-16 12:00")
    assert SlaPause.objects.get(subject_id=c.pk).reason == "等客户发照片"
    with pytest.raises(ValidationError) as exc:
        services.pause(world.service, c, "")
    assert "reason" in exc.value.error_dict


def test_closing_a_step_while_waiting_resumes_the_clock(world, monday):
    c = take(world)
    services.pause(world.service, c, "等客户回电")
    services.close_step(world.service, c, 1, "heard")
    c.refresh_from_db()
    assert not c.waiting and c.due_at is not None


def test_reopen_needs_a_reason_and_starts_again_at_the_named_step(world, monday):
    c = take(world)
    for n in range(1, 7):
        services.close_step(world.service, c, n, f"r{n}", cause="design")
    with pytest.raises(ValidationError) as exc:
        services.reopen(world.service, c, 3, " ")
    assert "reason" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        services.reopen(world.sales_east, c, 3, "again")
    services.reopen(world.service, c, 3, "客户说又坏了")
    c.refresh_from_db()
    assert (c.status, c.current_step, c.round) == ("open", 3, 2)
    assert running(c) == {"resolution", "step_3"}
    assert ComplaintStep.objects.filter(complaint=c, round=2).count() == 1
    services.close_step(world.service, c, 3, "new solution")
    services.reopen(world.service, c, 1, "cause was not it")       # from an open complaint, back
    c.refresh_from_db()
    assert (c.current_step, c.round) == (1, 3)
    assert ComplaintStep.objects.get(complaint=c, round=2, number=4).superseded
    with pytest.raises(ValidationError) as exc:
        services.reopen(world.service, c, 2, "forward")
    assert "to_step" in exc.value.error_dict
    assert c.reopens.count() == 2


def test_repeats_are_flagged_and_linked(world, monday):
    first = take(world, category="delivery", product_text="A-100")
    monday.advance(days=10)
    second = take(world, category="price", product_text="a-100 ")
    third = take(world, category="billing", customer=world.east2_customer)
    assert second.is_repeat and second.repeat_of == first and second.repeat_reason == "product"
    assert not third.is_repeat
    services.set_repeat_window(world.admin, 5)
    fourth = take(world, category="price")
    assert fourth.is_repeat and fourth.repeat_of == second       # same day, same category
    monday.advance(days=20)
    assert not take(world, category="price").is_repeat            # 20 days > the 5-day window
    with pytest.raises(ValidationError) as exc:
        services.set_repeat_window(world.admin, 0)
    assert "repeat_window_days" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        services.set_repeat_window(world.service, 30)


def test_class_a_and_key_customers_come_first_with_the_stricter_target(world, monday):
    key = CustomerFactory(importance="key", account_manager=world.sales_east)
    c = take(world, customer=key)
    assert c.priority == 1 and c.customer_class == "A"
    first = SlaClock.objects.get(subject_id=c.pk, metric="first_response")
    assert first.target_hours == 1                                # major, class A
    from credo.complaints import queries

    plain = take(world)
    assert [r.pk for r in queries.queue(world.service)] == [c.pk, plain.pk]


def test_a_breach_is_recorded_when_a_step_closes_late(world, monday):
    c = take(world, severity="critical")                           # step 1: one business hour
    monday.set("2026-06-15T14:00+08:00", tick=False)
    services.close_step(world.service, c, 1, "late")
    assert SlaEscalation.objects.filter(clock__subject_id=c.pk, clock__metric="step_1", level="breached").exists()


def test_the_public_form_matches_the_customer_or_waits_to_be_linked(world, monday):
    world.east_customer.phone = "021-5555 1234"
    world.east_customer.refresh_keys()
    world.east_customer.save()
    by_phone = services.intake(None, channel="phone", category="quality", contact_name="李", description="坏了",
                               company_name="随便写", contact_phone="02155551234")
    assert by_phone.customer == world.east_customer and by_phone.channel == "web_form"
    assert running(by_phone) == {"first_response", "step_1", "resolution"}
    unknown = services.intake(None, channel="web_form", category="quality", contact_name="张", description="慢",
                              company_name="不认识的公司", contact_email="z@example.com")
    assert unknown.customer is None and running(unknown) == set()
    assert Notification.objects.filter(user=world.service).count() == 2
    with pytest.raises(ValidationError) as exc:
        services.intake(None, channel="web_form", category="quality", contact_name="张", description="慢",
                        company_name="")
    assert {"company_name", "contact_phone"} <= set(exc.value.error_dict)
    with pytest.raises(PermissionDenied):
        services.link_customer(world.sales_east, unknown, world.east_customer)
    services.link_customer(world.service, unknown, world.east2_customer)
    unknown.refresh_from_db()
    assert unknown.customer == world.east2_customer and running(unknown) == {"first_response", "step_1",
                                                                             "resolution"}
    assert SlaClock.objects.get(subject_id=unknown.pk, metric="resolution").started_at == unknown.received_at


def test_scope_salesperson_own_manager_team_service_all(world, monday):
    east, north = take(world), take(world, customer=world.north_customer)
    unlinked = services.intake(None, channel="web_form", category="other", contact_name="x", description="y",
                               company_name="zzz", contact_phone="1")
    seen = {u: set(services.visible_complaints(u).values_list("pk", flat=True))
            for u in (world.sales_east, world.manager_east, world.service, world.admin, world.sales_north)}
    assert seen[world.sales_east] == seen[world.manager_east] == {east.pk}
    assert seen[world.sales_north] == {north.pk}
    assert seen[world.service] == seen[world.admin] == {east.pk, north.pk, unlinked.pk}


def test_attachments(world, monday, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    c = take(world, attachments=[SimpleUploadedFile("photo.jpg", b"jpegdata")])
    assert c.attachments.get().name == "photo.jpg"
    big = SimpleUploadedFile("big.bin", b"x")
    big.size = services.MAX_FILE_BYTES + 1
    with pytest.raises(ValidationError) as exc:
        services.add_attachments(world.service, c, [big])
    assert "attachments" in exc.value.error_dict


def test_demo_history_dates_are_kept(world, monday):
    when = at("2026-03-02 09:30")
    c = take(world, at=when)
    assert c.received_at == when and c.number.startswith("TS-2026-")
    assert SlaClock.objects.get(subject_id=c.pk, metric="resolution").started_at == when
    services.close_step(world.service, c, 1, "heard", at=when + datetime.timedelta(hours=1))
    assert ComplaintStep.objects.get(complaint=c, number=2).opened_at == when + datetime.timedelta(hours=1)
