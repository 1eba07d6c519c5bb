import pytest
from django.urls import reverse

from credo.core.models import AuditEntry
from credo.customers.models import Customer
from tests.factories import CustomerFactory


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client
    return as_user


def test_pages_need_login(client, world):
    for url in ("/", "/customers/", f"/customers/{world.east_customer.pk}/", "/customers/new/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/")


def test_salesperson_sees_only_own_customers(login, world):
    client = login(world.sales_east)
    html = client.get("/customers/").content.decode()
    assert "E001" in html and "N001" not in html and "E002" not in html
    assert client.get("/customers/?q=北辰").content.decode().count("N001") == 0


@pytest.mark.parametrize("suffix", ["", "?tab=audit", "edit/", "contacts/new/", "bank-accounts/new/", "reassign/"])
def test_other_teams_customer_is_404_on_every_page(login, world, suffix):
    client = login(world.sales_east)
    assert client.get(f"/customers/{world.north_customer.pk}/{suffix}").status_code == 404


def test_card_tabs_render_for_each_role(login, world):
    for user in (world.sales_east, world.manager_east, world.credit, world.executive, world.admin):
        client = login(user)
        for tab in ("overview", "contacts", "banking", "competitors", "attachments", "assignments", "timeline", "audit"):
            response = client.get(f"/customers/{world.east_customer.pk}/?tab={tab}")
            assert response.status_code == 200, (user, tab)


def test_audit_tab_hidden_from_salesperson(login, world):
    html = login(world.sales_east).get(f"/customers/{world.east_customer.pk}/?tab=audit").content.decode()
    assert 'data-tab="audit"' not in html


def test_create_shows_field_error_and_keeps_input(login, world):
    client = login(world.sales_east)
    response = client.post("/customers/new/", {"code": "Z1", "name": "宁波海天塑料有限公司",
                                               "credit_code": "911100006000373410", "kind": "business",
                                               "importance": "general"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-field="credit_code"' in html and "宁波海天塑料有限公司" in html
    assert not Customer.objects.filter(code="Z1").exists()
    response = client.post("/customers/new/", {"code": "Z1", "name": "宁波海天塑料有限公司",
                                               "credit_code": "91110000600037341L", "kind": "business",
                                               "importance": "general", "tags": "塑料, 重点跟进"})
    customer = Customer.objects.get(code="Z1")
    assert response.status_code == 302 and response.url == reverse("customers:detail", args=[customer.pk])
    assert sorted(customer.tags.values_list("name", flat=True)) == ["塑料", "重点跟进"]


def test_duplicate_warning_then_confirm(login, world):
    client = login(world.sales_east)
    form = {"code": "Z2", "name": "上海东方贸易有限责任公司", "kind": "business", "importance": "general"}
    html = client.post("/customers/new/", form).content.decode()
    assert 'data-testid="duplicates"' in html and "E001" in html
    assert client.post("/customers/new/", {**form, "allow_duplicate": "1"}).status_code == 302


def test_roles_without_create_get_403(login, world):
    assert login(world.finance).get("/customers/new/").status_code == 403
    assert login(world.executive).get(f"/customers/{world.east_customer.pk}/edit/").status_code == 403


def test_edit_records_reason(login, world):
    client = login(world.sales_east)
    url = f"/customers/{world.east_customer.pk}/edit/"
    form = {"code": "E001", "name": "上海东方贸易有限公司", "kind": "dealer", "importance": "key",
            "reason": "改为经销商"}
    assert client.post(url, form).status_code == 302
    entry = AuditEntry.objects.get(action="update")
    assert entry.reason == "改为经销商" and entry.after["kind"] == "dealer"


def test_list_filters_and_keyset_pages(login, world):
    for i in range(120):
        CustomerFactory(code=f"K{i:04d}", name=f"批量客户{i}", account_manager=world.sales_east,
                        kind="dealer" if i % 2 else "business")
    client = login(world.sales_east)
    seen, url = [], "/customers/?kind=dealer"
    while url:
        response = client.get(url)
        page = response.context["page"]
        seen += [c.code for c in page.rows]
        url = f"/customers/?kind=dealer&after={page.next_cursor}" if page.next_cursor else None
    assert seen == sorted(f"K{i:04d}" for i in range(120) if i % 2)
    assert response.context["total"] == 60
    back = client.get(f"/customers/?kind=dealer&before={page.prev_cursor}").context["page"]
    assert [c.code for c in back.rows] == seen[-60:-10]


def test_list_sort_by_name_descending_pages_without_repeats(login, world):
    for i in range(70):
        CustomerFactory(code=f"S{i:03d}", name="同名客户", account_manager=world.sales_east)
    client = login(world.sales_east)
    first = client.get("/customers/?sort=-name").context["page"]
    second = client.get(f"/customers/?sort=-name&after={first.next_cursor}").context["page"]
    codes = [c.code for c in first.rows + second.rows]
    assert len(codes) == len(set(codes)) == 71


def test_reassign_and_merge_pages(login, world):
    client = login(world.manager_east)
    response = client.post(f"/customers/{world.east_customer.pk}/reassign/",
                           {"manager": world.sales_east2.pk, "reason": "调整片区"})
    assert response.status_code == 302
    response = client.post(f"/customers/{world.east_customer.pk}/merge/", {"source_code": "N001", "reason": "x"})
    assert "N001" not in response.content.decode() or response.status_code == 200
    assert Customer.objects.get(code="N001").is_active
    response = client.post(f"/customers/{world.east_customer.pk}/merge/", {"source_code": "E002", "reason": "重复"})
    assert response.status_code == 302 and not Customer.objects.get(code="E002").is_active


def test_note_on_timeline(login, world):
    client = login(world.service)
    client.post(f"/customers/{world.east_customer.pk}/notes/new/", {"text": "客户来电投诉送货慢", "tab": "timeline"})
    html = client.get(f"/customers/{world.east_customer.pk}/?tab=timeline").content.decode()
    assert "客户来电投诉送货慢" in html


def test_home_page_per_role(login, world):
    for user in (world.sales_east, world.manager_east, world.credit, world.finance, world.service,
                 world.executive, world.admin):
        assert login(user).get("/").status_code == 200
    html = login(world.manager_east).get("/").content.decode()
    assert "sales_east2" in html


def test_language_switch(client, world):
    client.force_login(world.sales_east)
    assert 'lang="zh-CN"' in client.get("/customers/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/customers/"})
    assert 'lang="en"' in client.get("/customers/").content.decode()


def test_not_found_page_is_styled_and_translated(client, world, settings):
    settings.DEBUG = False
    client.force_login(world.sales_east)
    response = client.get(f"/customers/{world.north_customer.pk}/")
    html = response.content.decode()
    assert response.status_code == 404 and "不在您的权限范围" in html and "北辰" not in html


def test_edit_form_shows_dates_in_iso_for_the_date_picker(client, world):
    import datetime

    world.east_customer.founded_on = datetime.date(2001, 2, 3)
    world.east_customer.save()
    client.force_login(world.sales_east)
    html = client.get(f"/customers/{world.east_customer.pk}/edit/").content.decode()
    assert 'type="date" name="founded_on" value="2001-02-03"' in html
