"""Pages (rendered through the test client; the phone layout is checked by its markup: viewport meta, one big
tap target per contact, the short result form) and the API."""

import datetime
import json

from django.utils.translation import override

from credo.core.clock import business_today
from credo.visits import queries, services
from credo.visits.models import Status, Visit
from credo.visits.planning import generate_plan
from tests.factories import ContactFactory

from .conftest import MONTH

TODAY = business_today()
NOVEMBER = TODAY.replace(day=1)
JSON = {"content_type": "application/json"}


def test_my_plan_is_phone_friendly_and_quick_entry_works(client, world):
    visit = services.plan_visit(world.sales_east, world.east_customer, planned_date=TODAY)
    client.force_login(world.sales_east)
    page = client.get("/visits/")
    html = page.content.decode()
    assert page.status_code == 200 and 'name="viewport" content="width=device-width' in html
    assert html.count('data-testid="visit-tap"') == 1 and world.east_customer.name in html
    form = client.get(f"/visits/{visit.pk}/result/")
    assert form.status_code == 200 and 'id="result-form"' in form.content.decode()
    assert 'name="contacts"' not in form.content.decode()  # no contacts on file: no empty checkbox list
    contact = ContactFactory(customer=world.east_customer, name="王经理")
    assert "王经理" in client.get(f"/visits/{visit.pk}/result/").content.decode()
    bad = client.post(f"/visits/{visit.pk}/result/", {"status": "done", "purpose": "sales", "done_date": ""})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    done = client.post(f"/visits/{visit.pk}/result/", {"status": "done", "purpose": "sales",
                                                        "done_date": TODAY.isoformat(), "outcome": "签单", "contacts": [str(contact.pk)],
                                                        "next_step": "回访", "next_step_date": ""})
    assert done.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Status.DONE and visit.outcome == "签单" and list(visit.contacts.all()) == [contact]


def test_out_of_scope_visit_is_404(client, world):
    visit = services.plan_visit(world.sales_east, world.east_customer, planned_date=TODAY)
    client.force_login(world.sales_north)
    assert client.get(f"/visits/{visit.pk}/result/").status_code == 404


def test_team_plan_compliance_policy_and_card_tab(client, planned_world):
    w = planned_world
    generate_plan(MONTH)
    client.force_login(w.manager_east)
    team = client.get("/visits/team/?month=2026-12").content.decode()
    assert "sales_east" in team and "sales_north" not in team
    assert client.get(f"/visits/team/?month=2026-12&person={w.sales_east.pk}").status_code == 200
    assert client.get("/visits/compliance/?from=2026-11&to=2026-12").status_code == 200
    assert client.get("/visits/policy/").status_code == 200
    card = client.get(f"/customers/{w.east_customer.pk}/?tab=visits")
    assert card.status_code == 200 and 'id="customer-upcoming-visits"' in card.content.decode()
    client.force_login(w.sales_east)
    assert client.get("/visits/team/").status_code == 403


def test_policy_page_edits_with_field_errors(client, world):
    from credo.visits.models import VisitPolicy

    row = VisitPolicy.objects.get(customer_class="C", role="salesperson", kind="visit")
    client.force_login(world.manager_east)
    bad = client.post("/visits/policy/", {"policy": row.pk, "minimum_per_month": "2", "target_per_month": "1"})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    ok = client.post("/visits/policy/", {"policy": row.pk, "minimum_per_month": "1", "target_per_month": "2"})
    assert ok.status_code == 302
    client.force_login(world.sales_east)
    assert client.post("/visits/policy/", {"policy": row.pk, "minimum_per_month": "1",
                                            "target_per_month": "2"}).status_code == 403


def test_compliance_figures(world):
    generate_plan(NOVEMBER)
    rows = Visit.objects.filter(person=world.sales_east2, plan_month=NOVEMBER).order_by("kind")  # C: call + visit
    services.record_result(world.sales_east2, rows[0], status="done", done_date=TODAY)
    services.record_result(world.sales_east2, rows[1], status="missed")
    services.record_visit(world.sales_east2, world.east2_customer, done_date=TODAY, purpose="service")
    services.record_visit(world.sales_east2, world.east2_customer, kind="mail", done_date=TODAY)  # no policy row
    figures = queries.compliance(world.manager_east, NOVEMBER, NOVEMBER)
    east2 = [r for r in figures if r["person"] == "sales_east2"]
    assert east2 == [{"month": NOVEMBER.strftime("%Y-%m"), "person_id": world.sales_east2.pk, "person": "sales_east2",
                      "customer_class": "C", "planned": 2, "done": 1, "missed": 1, "actual": 2,
                      "mail": 1, "rate_pct": queries.rules.compliance_pct(1, 2)}]
    assert {r["person"] for r in figures} <= {"sales_east", "sales_east2", "manager_east"}
    totals = queries.compliance_by_person(figures)
    assert [t["rate_pct"] for t in totals if t["person"] == "sales_east2"] == [queries.rules.compliance_pct(1, 2)]


def test_home_panel_shows_overdue_contacts(client, world):
    world.east_customer.importance = "key"
    world.east_customer.save(update_fields=["importance"])
    services.plan_visit(world.sales_east, world.east_customer, planned_date=TODAY - datetime.timedelta(days=3))
    services.record_visit(world.sales_east, world.east_customer, done_date=TODAY - datetime.timedelta(days=25))
    data = queries.overdue_contacts(world.sales_east, TODAY)
    assert data["late_count"] == 1
    assert [(s["customer_id"], s["days"], s["allowed"]) for s in data["stale"]] == [(world.east_customer.pk, 25, 20)]
    client.force_login(world.sales_east)
    with override("en"):
        html = client.get("/").content.decode()
    assert 'data-testid="overdue-contacts-panel"' in html


def test_api_plan_record_and_compliance(client, world):
    visit = services.plan_visit(world.sales_east, world.east_customer, planned_date=TODAY)
    client.force_login(world.sales_east)
    plan = client.get(f"/api/visits/plan?start={TODAY.isoformat()}&end={TODAY.isoformat()}")
    assert plan.status_code == 200 and [v["id"] for v in plan.json()] == [visit.pk]
    bad = client.post(f"/api/visits/visits/{visit.pk}/result", {"status": "done"}, **JSON)
    assert bad.status_code in (400, 422) and "done_date" in json.dumps(bad.json())
    ok = client.post(f"/api/visits/visits/{visit.pk}/result", {"status": "done", "done_date": TODAY.isoformat(),
                                                               "outcome": "ok"}, **JSON)
    assert ok.status_code == 200 and ok.json()["status"] == "done"
    new = client.post(f"/api/visits/customers/{world.east_customer.pk}/visits",
                      {"kind": "call", "done_date": TODAY.isoformat()}, **JSON)
    assert new.status_code == 201 and new.json()["kind"] == "call"
    assert client.post(f"/api/visits/customers/{world.north_customer.pk}/visits",
                       {"done_date": TODAY.isoformat()}, **JSON).status_code == 404
    comp = client.get(f"/api/visits/compliance?start={TODAY:%Y-%m}&end={TODAY:%Y-%m}")
    assert comp.status_code == 200
