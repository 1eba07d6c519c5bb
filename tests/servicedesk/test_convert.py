"""A service request whose customer is dissatisfied becomes a complaint: one transaction takes the complaint in
and closes the request as converted; pages, API, scope and a second try."""

import json

import pytest

from credo.complaints import services as complaints
from credo.complaints.models import Complaint
from credo.core.errors import PermissionDenied, ValidationError
from credo.customers.models import Contact
from credo.servicedesk.models import Ticket
from credo.sla.models import Kind, SlaClock

from .conftest import open_ticket

pytestmark = pytest.mark.django_db
JSON = {"content_type": "application/json"}


def convert(w, ticket, user=None, **extra):
    fields = {"channel": "phone", "category": "quality", "contact_name": "王经理",
              "description": "第二次上门后仍无法开机，客户要求退货。", **extra}
    return complaints.intake_from_ticket(user or w.service, ticket, **fields)


def test_converting_takes_the_complaint_in_and_closes_the_request(desk):
    ticket = open_ticket(desk)
    complaint = convert(desk, ticket, severity="major", product=desk.printer.pk)
    ticket.refresh_from_db()
    assert complaint.customer == desk.east_customer and complaint.current_step == 1
    assert complaint.product == desk.printer and complaint.severity == "major"
    assert ticket.status == "closed" and ticket.complaint_id == complaint.pk and ticket.converted_at
    assert not SlaClock.objects.filter(kind=Kind.TICKET, subject_id=ticket.pk, stopped_at=None).exists()
    assert SlaClock.objects.filter(kind=Kind.COMPLAINT, subject_id=complaint.pk, stopped_at=None).exists()
    assert complaints.source_ticket(complaint).pk == ticket.pk
    assert ticket.entries.filter(kind="convert").count() == 1


def test_a_second_try_gives_the_same_complaint_back(desk):
    ticket = open_ticket(desk)
    first = convert(desk, ticket)
    again = convert(desk, Ticket.objects.get(pk=ticket.pk))
    assert again.pk == first.pk and Complaint.objects.count() == 1


def test_the_complaint_is_about_the_requests_customer_and_nothing_is_kept_on_bad_input(desk):
    ticket = open_ticket(desk)
    with pytest.raises(ValidationError) as wrong:
        convert(desk, ticket, customer=desk.north_customer)
    assert "customer" in wrong.value.message_dict
    with pytest.raises(ValidationError) as bad:
        convert(desk, ticket, category="weather")
    assert "category" in bad.value.message_dict
    ticket.refresh_from_db()
    assert Complaint.objects.count() == 0 and ticket.complaint_id is None and ticket.status != "closed"


def test_only_who_works_requests_may_convert_them(desk):
    ticket = open_ticket(desk)
    with pytest.raises(PermissionDenied):
        convert(desk, ticket, user=desk.sales_east)  # may take complaints in, may not work service requests
    assert Complaint.objects.count() == 0


def test_the_intake_form_starts_from_the_request(client, desk):
    contact = Contact.objects.create(customer=desk.east_customer, name="李工", mobile="13800000001",
                                     email="li@example.com")
    ticket = open_ticket(desk, contact_id=contact.pk)
    client.force_login(desk.service)
    page = client.get(f"/service/{ticket.pk}/").content.decode()
    assert f"/complaints/new/?from_ticket={ticket.pk}" in page
    form = client.get(f"/complaints/new/?from_ticket={ticket.pk}").content.decode()
    assert 'data-testid="from-ticket"' in form and "李工" in form and "13800000001" in form
    assert ticket.number in form and "E001" in form
    bad = client.post(f"/complaints/new/?from_ticket={ticket.pk}", {
        "customer": "E001", "channel": "phone", "category": "", "severity": "major", "contact_name": "李工",
        "description": "仍无法开机"})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode() and Complaint.objects.count() == 0
    done = client.post(f"/complaints/new/?from_ticket={ticket.pk}", {
        "customer": "E001", "channel": "phone", "category": "quality", "severity": "major", "contact_name": "李工",
        "contact_phone": "13800000001", "description": "仍无法开机"})
    complaint = Complaint.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/complaints/{complaint.pk}/"
    detail = client.get(done["Location"]).content.decode()
    assert 'data-testid="source-ticket"' in detail and ticket.number in detail
    ticket_page = client.get(f"/service/{ticket.pk}/").content.decode()
    assert 'data-testid="converted"' in ticket_page and f"/complaints/{complaint.pk}/" in ticket_page
    assert 'id="convert-ticket"' not in ticket_page
    again = client.get(f"/complaints/new/?from_ticket={ticket.pk}")
    assert again.status_code == 302 and again["Location"] == f"/complaints/{complaint.pk}/"


def test_out_of_scope_requests_are_not_found(client, desk):
    ticket = open_ticket(desk, customer=desk.north_customer)
    client.force_login(desk.sales_east)
    assert client.get(f"/complaints/new/?from_ticket={ticket.pk}").status_code == 404
    assert client.get("/complaints/new/?from_ticket=x").status_code == 404
    response = client.post(f"/api/complaints/from-ticket/{ticket.pk}",
                           data=json.dumps({"channel": "phone", "category": "quality"}), **JSON)
    assert response.status_code == 404 and Complaint.objects.count() == 0


def test_api_converts_with_the_requests_details_where_left_out(client, desk):
    ticket = open_ticket(desk)
    client.force_login(desk.service)
    url = f"/api/complaints/from-ticket/{ticket.pk}"
    bad = client.post(url, data=json.dumps({"channel": "fax", "category": "quality", "contact_name": "王"}), **JSON)
    assert bad.status_code == 422 and "channel" in bad.content.decode()
    made = client.post(url, data=json.dumps({"channel": "phone", "category": "quality", "contact_name": "王"}),
                       **JSON)
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["number"].startswith("TS-") and body["severity"] == "major"
    assert ticket.number in Complaint.objects.get().description
    again = client.post(url, data=json.dumps({"channel": "phone", "category": "quality", "contact_name": "王"}),
                        **JSON)
    assert again.status_code == 201 and again.json()["id"] == body["id"]
