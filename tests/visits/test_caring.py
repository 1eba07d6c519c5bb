"""Caring reminders (温情追踪, SPEC §3.4): birthdays, anniversaries and holidays of the account manager's own
customers, recording the greeting with one click (page and API), the mail kind and level follow-ups."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils.translation import override

from credo.core.clock import business_today
from credo.core.models import AuditEntry, CustomerEvent
from credo.visits import queries, services
from credo.visits.models import Holiday, Purpose, Status, Visit
from tests.factories import ContactFactory, CustomerFactory

TODAY = business_today()
JSON = {"content_type": "application/json"}
XMAS = datetime.date(2026, 12, 25)


def summary(reminders):
    return [(r["occasion"], r["date"], r["customer_name"], r["contact_name"], r["years"]) for r in reminders]


@pytest.fixture
def dated(world):
    w = world
    w.jia = ContactFactory(customer=w.east_customer, name="甲", birthday=datetime.date(1980, 1, 3))
    w.yi = ContactFactory(customer=w.east_customer, name="乙", birthday=datetime.date(1975, 12, 25))
    ContactFactory(customer=w.east_customer, name="丙", birthday=datetime.date(1975, 1, 20))  # outside 14 days
    ContactFactory(customer=w.east_customer, name="戊", birthday=datetime.date(1970, 12, 28), is_active=False)
    ContactFactory(customer=w.north_customer, name="丁", birthday=datetime.date(1990, 12, 26))  # sales_north's
    w.east_customer.founded_on = datetime.date(2000, 12, 30)
    w.east_customer.first_order_date = datetime.date(2020, 1, 5)
    w.east_customer.save(update_fields=["founded_on", "first_order_date"])
    w.north_customer.founded_on = datetime.date(2010, 12, 27)
    w.north_customer.save(update_fields=["founded_on"])
    return w


def test_holidays_are_seeded_for_two_years_and_editable(db):
    assert Holiday.objects.get(name="春节", date__year=2026).date == datetime.date(2026, 2, 17)
    assert Holiday.objects.get(name="春节", date__year=2027).date == datetime.date(2027, 2, 6)
    assert Holiday.objects.get(name="中秋节", date__year=2027).date == datetime.date(2027, 9, 15)
    assert Holiday.objects.filter(date__year=2026).count() == 6


def test_reminders_over_the_year_end(dated):
    w = dated
    e001 = w.east_customer.name
    assert summary(queries.caring_reminders(w.sales_east, XMAS)) == [
        ("birthday", XMAS, e001, "乙", None),
        ("founded", datetime.date(2026, 12, 30), e001, "", 26),
        ("holiday", datetime.date(2027, 1, 1), e001, "", None),
        ("birthday", datetime.date(2027, 1, 3), e001, "甲", None),
        ("trading", datetime.date(2027, 1, 5), e001, "", 7),
    ]


@pytest.mark.parametrize("user, customers", [
    ("sales_east", {"E001"}),
    ("sales_east2", {"E002"}),      # only the New Year greeting to their one customer
    ("sales_north", {"N001"}),
    ("manager_east", set()),        # the team's customers are the salespeople's to greet
    ("credit", set()),              # sees every customer, manages none
])
def test_only_the_users_own_customers_appear(dated, user, customers):
    reminders = queries.caring_reminders(getattr(dated, user), XMAS)
    codes = {r["customer_id"] for r in reminders}
    assert codes == {c.pk for c in (dated.east_customer, dated.east2_customer, dated.north_customer)
                     if c.code in customers}


@pytest.mark.parametrize("today, expected", [
    (datetime.date(2027, 2, 20), datetime.date(2027, 2, 28)),  # no 29 February: on the 28th
    (datetime.date(2028, 2, 20), datetime.date(2028, 2, 29)),
    (datetime.date(2027, 3, 1), None),
])
def test_29_february_birthdays_and_anniversaries(world, today, expected):
    ContactFactory(customer=world.east_customer, name="闰", birthday=datetime.date(1980, 2, 29))
    world.east_customer.founded_on = datetime.date(2000, 2, 29)
    world.east_customer.save(update_fields=["founded_on"])
    found = [r for r in queries.caring_reminders(world.sales_east, today) if r["occasion"] != "holiday"]
    if expected is None:
        assert found == []
    else:
        assert [(r["occasion"], r["date"]) for r in found] == [("birthday", expected), ("founded", expected)]


def test_no_anniversary_in_the_founding_year_and_inactive_customers_left_out(world):
    world.east_customer.founded_on = datetime.date(2026, 12, 28)
    world.east_customer.save(update_fields=["founded_on"])
    world.east2_customer.is_active = False
    world.east2_customer.save(update_fields=["is_active"])
    assert [r for r in queries.caring_reminders(world.sales_east, XMAS) if r["occasion"] == "founded"] == []
    assert queries.caring_reminders(world.sales_east2, XMAS) == []


def test_holiday_table_edits_move_the_reminder(world):
    Holiday.objects.filter(name="元旦", date=datetime.date(2027, 1, 1)).delete()
    Holiday.objects.create(name="公司答谢日", date=datetime.date(2026, 12, 28))
    found = [(r["holiday"], r["date"]) for r in queries.caring_reminders(world.sales_east, XMAS)]
    assert found == [("公司答谢日", datetime.date(2026, 12, 28))]


def test_recording_a_caring_contact_marks_only_its_reminder_done(dated):
    w = dated
    reminders = {r["key"]: r for r in queries.caring_reminders(w.sales_east, XMAS)}
    birthday = next(r for r in reminders.values() if r["contact_name"] == "乙")
    visit = services.record_caring(w.sales_east, w.east_customer, occasion=birthday["text"], kind="call",
                                   contact_id=birthday["contact_id"], key=birthday["key"], today=XMAS)
    assert (visit.kind, visit.purpose, visit.status, visit.done_date, visit.rank) == (
        "call", Purpose.CARING, Status.DONE, XMAS, "salesperson")
    assert list(visit.contacts.all()) == [w.yi] and visit.outcome == birthday["text"]
    assert AuditEntry.objects.filter(object_type="visits.visit", object_id=str(visit.pk), action="create").exists()
    assert CustomerEvent.objects.filter(customer_id=w.east_customer.pk, kind="visits.call").exists()
    done = {r["key"]: r["done"] for r in queries.caring_reminders(w.sales_east, XMAS)}
    assert [k for k, v in done.items() if v] == [birthday["key"]]
    # a caring mail recorded by hand for the company (no reminder key, no contact) covers the company's occasions
    services.record_visit(w.sales_east, w.east_customer, kind="mail", purpose="caring", done_date=XMAS,
                          today=XMAS)
    done = {(r["occasion"], r["contact_name"]): r["done"] for r in queries.caring_reminders(w.sales_east, XMAS)}
    assert done == {("birthday", "乙"): True, ("founded", ""): True, ("holiday", ""): True,
                    ("birthday", "甲"): False, ("trading", ""): True}


def test_caring_contact_only_by_the_account_manager(dated):
    with pytest.raises(PermissionDenied):
        services.record_caring(dated.manager_east, dated.east_customer, occasion="x", today=XMAS)
    with pytest.raises(PermissionDenied):
        services.record_caring(dated.sales_north, dated.east_customer, occasion="x", today=XMAS)
    assert not Visit.objects.exists()


def test_caring_page_one_click_and_scope(client, world):
    w = world
    contact = ContactFactory(customer=w.east_customer, name="寿星", birthday=TODAY.replace(year=1980)
                             if not (TODAY.month == 2 and TODAY.day == 29) else datetime.date(1980, 2, 29))
    ContactFactory(customer=w.north_customer, name="别人的寿星", birthday=contact.birthday)
    client.force_login(w.sales_east)
    page = client.get("/visits/caring/").content.decode()
    assert "寿星" in page and "别人的寿星" not in page and 'data-testid="caring-record"' in page
    key = f"birthday:{w.east_customer.pk}:{contact.pk}"
    assert client.post("/visits/caring/record/", {"key": f"birthday:{w.north_customer.pk}:1"}).status_code == 404
    done = client.post("/visits/caring/record/", {"key": key, "kind": "mail"})
    assert done.status_code == 302
    visit = Visit.objects.get(customer=w.east_customer)
    assert (visit.kind, visit.purpose, visit.occasion, visit.done_date) == ("mail", "caring", key, TODAY)
    assert list(visit.contacts.all()) == [contact]
    assert 'data-testid="caring-done"' in client.get("/visits/caring/").content.decode()
    with override("en"):
        home = client.get("/").content.decode()
    assert 'data-testid="caring-panel"' in home and "Contacts' birthdays in the next" not in home
    assert client.get("/visits/caring/?days=abc").status_code == 200


def test_caring_panel_hidden_without_occasions(client, world):
    Holiday.objects.all().delete()
    client.force_login(world.sales_east2)
    with override("en"):
        home = client.get("/").content.decode()
    assert home and 'data-testid="caring-panel"' not in home


def test_api_caring_list_and_record(client, world):
    w = world
    contact = ContactFactory(customer=w.east_customer, name="寿星", birthday=datetime.date(1980, 1, 1))
    target = TODAY + datetime.timedelta(days=3)
    contact.birthday = datetime.date(1980, target.month, min(target.day, 28) if target.month == 2 else target.day)
    contact.save()
    CustomerFactory(account_manager=w.sales_north, founded_on=contact.birthday.replace(year=1999))
    client.force_login(w.sales_east)
    listed = client.get("/api/visits/caring?days=7")
    assert listed.status_code == 200
    rows = [r for r in listed.json() if r["occasion"] == "birthday"]
    assert [(r["contact_name"], r["done"]) for r in rows] == [("寿星", False)]
    assert all(r["customer_id"] == w.east_customer.pk for r in listed.json())
    assert client.post("/api/visits/caring?days=7", {"key": "birthday:0:0"}, **JSON).status_code == 404
    bad = client.post("/api/visits/caring?days=7", {"key": rows[0]["key"], "kind": "fax"}, **JSON)
    assert bad.status_code in (400, 422) and "kind" in bad.content.decode()
    ok = client.post("/api/visits/caring?days=7", {"key": rows[0]["key"]}, **JSON)
    assert ok.status_code == 201 and ok.json()["purpose"] == "caring" and ok.json()["kind"] == "call"
    assert ok.json()["contact_ids"] == [contact.pk] and ok.json()["level_follow_up"] is False
    again = client.get("/api/visits/caring?days=7").json()
    assert [r["done"] for r in again if r["occasion"] == "birthday"] == [True]


def test_record_page_mail_follow_up_and_level_follow_up_badge(client, world):
    w = world
    client.force_login(w.sales_east)
    assert client.get(f"/visits/customers/{w.east_customer.pk}/record/?kind=mail").status_code == 200
    assert client.get(f"/visits/customers/{w.north_customer.pk}/record/").status_code == 404
    bad = client.post(f"/visits/customers/{w.east_customer.pk}/record/", {"kind": "mail", "purpose": "sales",
                                                                           "done_date": ""})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    ok = client.post(f"/visits/customers/{w.east_customer.pk}/record/", {
        "kind": "mail", "purpose": "relationship", "done_date": TODAY.isoformat(), "outcome": "寄送新品目录"})
    assert ok.status_code == 302
    mail = Visit.objects.get(customer=w.east_customer)
    assert (mail.kind, mail.purpose, mail.rank, mail.status) == ("mail", "relationship", "salesperson", "done")
    assert CustomerEvent.objects.filter(customer_id=w.east_customer.pk, kind="visits.mail").exists()
    # the team's manager visiting is a level follow-up, shown on the card
    services.record_visit(w.manager_east, w.east_customer, done_date=TODAY, purpose="inspection")
    card = client.get(f"/customers/{w.east_customer.pk}/?tab=visits").content.decode()
    assert 'data-testid="record-contact"' in card and "bg-purple-lt" in card


@pytest.mark.parametrize("user, rank", [
    ("sales_east", "salesperson"), ("manager_east", "sales_manager"), ("executive", "executive"),
    ("credit", "salesperson"), ("admin", "salesperson"),
])
def test_rank_of_an_unplanned_contact(world, user, rank):
    visit = services.record_visit(getattr(world, user), world.east_customer, done_date=TODAY)
    assert visit.rank == rank and visit.is_level_follow_up == (rank != "salesperson")


def test_marketing_director_rank_row_makes_a_level_follow_up(world):
    from credo.visits.models import RankHolder

    RankHolder.objects.create(user=world.credit, rank=RankHolder.Rank.MARKETING_DIRECTOR)
    visit = services.record_visit(world.credit, world.east_customer, kind="call", done_date=TODAY)
    assert visit.rank == "marketing_director" and visit.is_level_follow_up


def test_admin_edits_holidays_and_rank_holders(client, world):
    client.force_login(world.admin)
    world.admin.is_superuser = True
    world.admin.save()
    assert client.get("/admin/visits/holiday/").status_code == 200
    assert client.get("/admin/visits/rankholder/add/").status_code == 200
    holiday = Holiday.objects.get(name="中秋节", date=datetime.date(2027, 9, 15))
    resp = client.post(f"/admin/visits/holiday/{holiday.pk}/change/", {"name": "中秋节", "date": "2027-09-16"})
    assert resp.status_code == 302
    holiday.refresh_from_db()
    assert holiday.date == datetime.date(2027, 9, 16)
    assert AuditEntry.objects.filter(object_type="visits.holiday", action="update").exists()
