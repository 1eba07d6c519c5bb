"""Tickets, contracts and articles through the services: permissions and scope, bad input (field named,
nothing changed), the SLA clocks, coverage, audit and the timeline; expiry reminders are idempotent."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from credo.core.errors import PermissionDenied, ValidationError
from credo.core.models import AuditEntry, CustomerEvent, Notification
from credo.servicedesk import queries, services
from credo.servicedesk.models import Article, ServiceContract, Ticket, TicketEntry
from credo.sla.models import SlaClock, SlaPause

from .conftest import open_ticket

pytestmark = pytest.mark.django_db


def clocks(ticket):
    return {c.metric: c for c in SlaClock.objects.filter(kind="ticket", subject_id=ticket.pk)}


def test_intake_numbers_covers_starts_clocks_audits_and_shows_on_the_timeline(desk):
    ticket = open_ticket(desk)
    assert ticket.number == f"FW-2026-{ticket.pk:06d}"
    assert ticket.contract == desk.contract and ticket.covered and ticket.owner == desk.service
    assert ticket.status == "new" and ticket.customer_class == "C"
    running = clocks(ticket)
    assert set(running) == {"first_response", "resolution"}
    assert running["first_response"].target_hours == 2 and running["resolution"].target_hours == 18
    assert running["first_response"].owner == desk.service
    assert AuditEntry.objects.filter(object_type="servicedesk.ticket", object_id=str(ticket.pk),
                                     action="create").exists()
    assert CustomerEvent.objects.filter(customer_id=desk.east_customer.pk, kind="servicedesk.ticket").exists()


def test_coverage_depends_on_the_product_and_the_contracts_dates(desk):
    assert open_ticket(desk, product=desk.scanner.pk).contract is None
    assert open_ticket(desk, product=None, type="question").contract is None
    desk.clock.set("2027-01-04T10:00")
    assert open_ticket(desk).contract is None                                # expired
    services.save_contract(desk.service, desk.east_customer, number="SC-ALL", terms="全保", all_products=True,
                           starts_on=datetime.date(2027, 1, 1), expires_on=datetime.date(2027, 12, 31))
    assert open_ticket(desk, product=None).contract.number == "SC-ALL"


def test_key_customers_get_the_class_a_targets(desk, monkeypatch):
    from credo.visits import classes

    monkeypatch.setattr(classes, "_classification_source", lambda: None)   # importance decides, as in tests/visits
    desk.east_customer.importance = "key"
    desk.east_customer.save(update_fields=["importance"])
    ticket = open_ticket(desk)
    assert ticket.customer_class == "A"
    assert clocks(ticket)["first_response"].target_hours == 2   # tickets have no stricter class A rows by default


def test_a_salesperson_logs_a_request_for_own_customers_only_and_cannot_work_it(desk):
    ticket = open_ticket(desk, user=desk.sales_east)
    assert ticket.owner is None and clocks(ticket)["first_response"].owner is None
    with pytest.raises(PermissionDenied):
        open_ticket(desk, user=desk.sales_east, customer=desk.north_customer)
    with pytest.raises(PermissionDenied):
        services.reply(desk.sales_east, ticket, "我来看看")
    with pytest.raises(PermissionDenied):
        open_ticket(desk, user=desk.finance)
    assert Ticket.objects.count() == 1


def test_scopes_of_the_queue(desk):
    east = open_ticket(desk)
    north = open_ticket(desk, customer=desk.north_customer, product=None)
    east2 = open_ticket(desk, customer=desk.east2_customer, product=None)
    assert set(queries.visible_tickets(desk.service)) == {east, north, east2}
    assert set(queries.visible_tickets(desk.sales_east)) == {east}
    assert set(queries.visible_tickets(desk.manager_east)) == {east, east2}
    assert set(queries.visible_tickets(desk.admin)) == {east, north, east2}
    assert set(queries.visible_tickets(desk.finance)) == set()
    assert list(queries.ticket_queue(desk.service, covered="yes")) == [east]
    assert list(queries.ticket_queue(desk.service, q="北辰")) == [north]


def test_bad_intake_names_each_field_and_changes_nothing(desk):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as err:
        services.intake(desk.service, desk.east_customer, subject=" ", description="", type="repair",
                        severity="urgent", product=999999, contact_id=12345, owner=desk.sales_east.pk)
    fields = err.value.message_dict
    assert set(fields) == {"subject", "description", "type", "severity", "product", "contact", "owner"}
    assert fields["product"] == ["没有这个产品。"] and fields["owner"] == ["负责人必须是在职的客服人员。"]
    with translation.override("en"), pytest.raises(ValidationError) as err:
        services.intake(desk.service, desk.east_customer, subject="s", description="d", product=999999)
    assert err.value.message_dict == {"product": ["There is no such product."]}
    assert Ticket.objects.count() == 0 and SlaClock.objects.count() == 0
    with pytest.raises(ValidationError) as err:
        open_ticket(desk, subject="x" * 201)
    assert "subject" in err.value.message_dict


def test_the_owners_first_reply_stops_first_response_only(desk):
    ticket = open_ticket(desk)
    desk.clock.set("2026-06-15T10:00")
    services.note(desk.service, ticket, "已电话联系客户")
    ticket.refresh_from_db()
    assert ticket.status == "in_progress" and ticket.first_response_at is not None
    running = clocks(ticket)
    assert running["first_response"].stopped_at is not None and running["first_response"].over.total_seconds() == 0
    assert running["resolution"].stopped_at is None
    assert ticket.entries.filter(kind="note").count() == 1


def test_a_reply_on_an_unowned_ticket_takes_it(desk):
    ticket = open_ticket(desk, user=desk.sales_east)
    services.reply(desk.service, ticket, "您好，我们明天上门")
    ticket.refresh_from_db()
    assert ticket.owner == desk.service and ticket.first_response_at is not None
    assert clocks(ticket)["resolution"].owner == desk.service


def test_another_agents_reply_is_not_the_owners_first_response(desk):
    from tests.factories import make_user

    other = make_user("service2", "service_agent")
    ticket = open_ticket(desk)
    services.reply(other, ticket, "同事代为回复")
    ticket.refresh_from_db()
    assert ticket.first_response_at is None and clocks(ticket)["first_response"].stopped_at is None


def test_waiting_for_the_customer_pauses_the_clocks_and_resume_moves_the_due(desk):
    ticket = open_ticket(desk)
    due = clocks(ticket)["resolution"].due_at
    with pytest.raises(ValidationError) as err:
        services.pause(desk.service, ticket, "  ")
    assert "reason" in err.value.message_dict
    desk.clock.set("2026-06-15T10:00")
    ticket = services.pause(desk.service, ticket, "等客户提供设备序列号")
    assert ticket.status == "waiting_customer" and clocks(ticket)["resolution"].paused
    with pytest.raises(ValidationError) as err:
        services.pause(desk.service, ticket, "again")
    assert "status" in err.value.message_dict
    desk.clock.set("2026-06-16T10:00")                              # a whole business day later
    ticket = services.resume(desk.service, ticket)
    assert ticket.status == "in_progress"
    assert clocks(ticket)["resolution"].due_at > due
    assert SlaPause.objects.get(kind="ticket", subject_id=ticket.pk).ended_at is not None
    assert list(ticket.entries.values_list("kind", flat=True)) == ["pause", "resume"]


def test_resolve_needs_a_resolution_stops_the_clocks_and_can_be_reopened_and_closed(desk):
    ticket = open_ticket(desk)
    services.pause(desk.service, ticket, "等配件")
    with pytest.raises(ValidationError) as err:
        services.resolve(desk.service, ticket, "")
    assert "resolution" in err.value.message_dict
    desk.clock.set("2026-06-15T11:00")
    ticket = services.resolve(desk.service, ticket, "更换电源板后正常开机")
    assert ticket.status == "resolved" and ticket.resolved_at and ticket.first_response_at
    assert all(c.stopped_at for c in clocks(ticket).values())
    assert not SlaPause.objects.filter(kind="ticket", subject_id=ticket.pk, ended_at__isnull=True).exists()
    assert CustomerEvent.objects.filter(kind="servicedesk.resolved").count() == 1
    ticket = services.reopen(desk.service, ticket, "客户反馈又无法开机")
    assert ticket.status == "in_progress"
    assert SlaClock.objects.filter(kind="ticket", subject_id=ticket.pk, metric="resolution",
                                   stopped_at__isnull=True).count() == 1
    ticket = services.resolve(desk.service, ticket, "更换主板")
    ticket = services.close(desk.service, ticket)
    assert ticket.status == "closed"
    with pytest.raises(ValidationError):
        services.reply(desk.service, ticket, "too late")
    assert AuditEntry.objects.filter(object_type="servicedesk.ticket", object_id=str(ticket.pk)).count() >= 6


def test_assign_moves_the_clocks_and_tells_the_new_owner(desk):
    from tests.factories import make_user

    other = make_user("service2", "service_agent")
    ticket = open_ticket(desk)
    services.assign(desk.service, ticket, other.pk)
    assert clocks(ticket)["resolution"].owner == other
    assert Notification.objects.filter(user=other).count() == 1
    with pytest.raises(ValidationError) as err:
        services.assign(desk.service, ticket, desk.sales_east.pk)
    assert "owner" in err.value.message_dict


def test_mark_converted_closes_the_ticket_and_is_idempotent(desk):
    ticket = open_ticket(desk)
    ticket = services.mark_converted(desk.service, ticket, 17)
    assert ticket.complaint_id == 17 and ticket.status == "closed" and ticket.converted_at
    assert all(c.stopped_at for c in clocks(ticket).values())
    assert services.mark_converted(desk.service, ticket, 17).complaint_id == 17
    with pytest.raises(ValidationError) as err:
        services.mark_converted(desk.service, ticket, 18)
    assert "complaint_id" in err.value.message_dict
    with pytest.raises(ValidationError):
        services.mark_converted(desk.service, open_ticket(desk), "abc")
    assert ticket.entries.filter(kind=TicketEntry.Kind.CONVERT).count() == 1


def test_contract_checks_and_audit(desk):
    with pytest.raises(ValidationError) as err:
        services.save_contract(desk.service, desk.east_customer, number="SC-2026-001", terms="",
                               starts_on="2026-13-01", expires_on=datetime.date(2026, 1, 1), product_ids=[])
    assert set(err.value.message_dict) == {"number", "terms", "starts_on", "products"}
    with pytest.raises(ValidationError) as err:
        services.save_contract(desk.service, desk.east_customer, number="SC-X", terms="t", all_products=True,
                               starts_on=datetime.date(2026, 2, 1), expires_on=datetime.date(2026, 1, 1))
    assert set(err.value.message_dict) == {"expires_on"}
    with pytest.raises(PermissionDenied):
        services.save_contract(desk.sales_east, desk.east_customer, number="SC-S", terms="t", all_products=True,
                               starts_on=datetime.date(2026, 1, 1), expires_on=datetime.date(2026, 12, 1))
    with pytest.raises(PermissionDenied):
        services.save_contract(desk.manager_east, desk.north_customer, number="SC-N", terms="t", all_products=True,
                               starts_on=datetime.date(2026, 1, 1), expires_on=datetime.date(2026, 12, 1))
    assert ServiceContract.objects.count() == 1
    contract = services.save_contract(desk.manager_east, desk.east_customer, number="SC-2026-001", terms="上门维修",
                                      starts_on=datetime.date(2026, 1, 1), expires_on=datetime.date(2027, 6, 30),
                                      product_ids=[desk.printer.pk, desk.scanner.pk], contract=desk.contract)
    change = AuditEntry.objects.filter(object_type="servicedesk.servicecontract", action="update").get()
    assert change.before["expires_on"] == "2026-12-31" and change.after["products"] == sorted(
        [desk.printer.pk, desk.scanner.pk])
    open_ticket(desk)
    with pytest.raises(ValidationError):
        services.delete_contract(desk.service, contract)


def test_remind_expiring_tells_the_account_manager_once(desk):
    services.save_contract(desk.service, desk.north_customer, number="SC-N", terms="年度维保", all_products=True,
                           starts_on=datetime.date(2025, 7, 1), expires_on=datetime.date(2026, 6, 30))
    result = services.remind_expiring(datetime.date(2026, 6, 15), days=30)
    assert (result.contracts, result.notifications) == (1, 1)
    note = Notification.objects.get(user=desk.sales_north)
    assert "SC-N" in note.title and "15" in note.title
    again = services.remind_expiring(datetime.date(2026, 6, 16), days=30)
    assert again.contracts == 0 and Notification.objects.count() == 1
    with pytest.raises(ValidationError) as err:
        services.remind_expiring(datetime.date(2026, 6, 15), days=0)
    assert "days" in err.value.message_dict
    # renewed to a new expiry: reminded again when that comes near
    contract = ServiceContract.objects.get(number="SC-N")
    services.save_contract(desk.service, desk.north_customer, number="SC-N", terms="年度维保", all_products=True,
                           starts_on=contract.starts_on, expires_on=datetime.date(2027, 6, 30), contract=contract)
    assert services.remind_expiring(datetime.date(2027, 6, 10)).contracts == 1


def test_the_remind_command(desk, capsys):
    services.save_contract(desk.service, desk.north_customer, number="SC-N", terms="年度维保", all_products=True,
                           starts_on=datetime.date(2025, 7, 1), expires_on=datetime.date(2026, 6, 30))
    call_command("servicedesk", "remind", "--as-of", "2026-06-15")
    assert "1" in capsys.readouterr().out
    with pytest.raises(CommandError) as err:
        call_command("servicedesk", "remind", "--as-of", "2026-02-30")
    assert err.value.returncode == 2 and "--as-of" in str(err.value)
    with pytest.raises(CommandError) as err:
        call_command("servicedesk", "remind", "--days", "0")
    assert err.value.returncode == 2 and "--days" in str(err.value)


def test_articles_need_kb_edit_and_are_audited(desk):
    with pytest.raises(PermissionDenied):
        services.save_article(desk.sales_east, title="t", body="b")
    with pytest.raises(ValidationError) as err:
        services.save_article(desk.service, title="", body="", category="nope", source_complaint_id="x")
    assert set(err.value.message_dict) == {"title", "body", "category", "source_complaint_id"}
    article = services.save_article(desk.service, title="打印机无法开机的排查", body="检查电源", tags="打印机，电源",
                                    category="maintenance", published=True, source_complaint_id=5)
    assert article.tags == "打印机, 电源" and article.source_complaint_id == 5
    services.save_article(desk.service, title=article.title, body="检查电源和保险丝", tags=article.tags,
                          category="maintenance", published=True, article=article)
    assert AuditEntry.objects.filter(object_type="servicedesk.article").count() == 2
    draft = services.save_article(desk.service, title="草稿", body="未完成")
    assert set(queries.visible_articles(desk.sales_east)) == {article}
    assert set(queries.visible_articles(desk.service)) == {article, draft}
    assert Article.objects.count() == 2
