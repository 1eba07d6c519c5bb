"""A salesperson's day with the customer file, in Chinese and in English; a manager's view; the phone size."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    CJK,
    apply_filters,
    assert_no_horizontal_overflow,
    html_lang,
    login,
    shot,
    switch_language,
    table_codes,
    total,
    tr,
    visit,
)

pytestmark = pytest.mark.e2e

BAD_CREDIT_CODE = "911100006000373410"  # right shape, wrong check digit (should end in L)

JOURNEYS = {
    # language: (html lang, new code, new name, valid credit code)
    "zh-hans": ("zh-CN", "E101", "杭州西湖电子有限公司", "91110000600037341L"),
    "en": ("en", "E102", "宁波港湾物流有限公司", "91350100M000100Y43"),
}


@pytest.mark.parametrize("language", list(JOURNEYS))
def test_salesperson_journey(page, world, language):
    lang_attr, code, name, good_credit_code = JOURNEYS[language]
    n = f"journey-{language}"
    north = world.north_customer

    # Sign in; Chinese is the default, English is chosen with the top-bar switch.
    login(page, "sales_east", name=f"{n}-01-login")
    assert html_lang(page) == "zh-CN"
    assert north.name not in page.content()  # not on the home page's panels either
    if language == "en":
        switch_language(page, "en")
        shot(page, f"{n}-02-home-switched")
    assert html_lang(page) == lang_attr

    # The list: own customer visible, the other team's not; labels in the chosen language.
    visit(page, "/customers/", f"{n}-03-list")
    heading = page.locator(".page-title").first
    expect(heading).to_contain_text(tr("Customers", language))
    expect(page.locator("label[for=f-q]")).to_have_text(tr("Search", language))
    expect(page.locator("label[for=f-kind]")).to_have_text(tr("Kind", language))
    if language == "en":
        assert not CJK.search(heading.inner_text()), heading.inner_text()
        expect(page.locator("label[for=f-q]")).to_have_text("Search")
    else:
        assert CJK.search(heading.inner_text()), f"list heading not in Chinese: {heading.inner_text()!r}"
    assert "E001" in table_codes(page)
    assert "N001" not in table_codes(page)
    expect(page.locator("#customer-table")).not_to_contain_text(north.name)

    # Search by name, then narrow by kind; the filters stay in the URL.
    apply_filters(page, f"{n}-04-list-search", q="东方")
    expect(page).to_have_url(re.compile(r"[?&]q=%E4%B8%9C%E6%96%B9"))
    assert table_codes(page) == ["E001"]
    assert total(page) == 1
    expect(page.locator("#filter-form input[name=q]")).to_have_value("东方")

    apply_filters(page, f"{n}-05-list-search-dealer", kind="dealer")
    expect(page).to_have_url(re.compile(r"kind=dealer"))
    assert table_codes(page) == []
    assert total(page) == 0
    expect(page.locator(".empty-title")).to_have_text(tr("No customer matches these filters", language))

    apply_filters(page, f"{n}-06-list-search-business", kind="business")
    assert table_codes(page) == ["E001"]

    # The other team's customer is not found by name or by code, neither from the filter bar nor the top bar.
    apply_filters(page, f"{n}-07-list-search-north-name", q="北辰", kind="")
    assert table_codes(page) == [] and total(page) == 0
    apply_filters(page, f"{n}-07-list-search-north-code", q="N001")
    assert table_codes(page) == [] and total(page) == 0
    top_search = page.locator("header form[role=search] input[name=q]")
    top_search.fill(north.name)
    with page.expect_navigation():
        top_search.press("Enter")
    shot(page, f"{n}-07-topbar-search-north")
    assert table_codes(page) == [] and total(page) == 0
    assert north.name not in page.locator(".page-body").inner_text()

    # New customer with a wrong check digit: error under the field, everything typed is kept.
    visit(page, "/customers/", f"{n}-08-list-before-new")
    with page.expect_navigation():
        page.locator("a.btn-primary[href$='/customers/new/']").click()
    expect(page).to_have_url(re.compile(r"/customers/new/$"))
    shot(page, f"{n}-09-new-form")
    form = page.locator("#customer-form")
    form.locator("[name=code]").fill(code)
    form.locator("[name=name]").fill(name)
    form.locator("[name=credit_code]").fill(BAD_CREDIT_CODE)
    form.locator("select[name=kind]").select_option("dealer")
    form.locator("select[name=importance]").select_option("key")
    form.locator("[name=phone]").fill("0571-88776655")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    shot(page, f"{n}-10-new-form-error")
    expect(page).to_have_url(re.compile(r"/customers/new/$"))
    error = page.locator(".invalid-feedback[data-field=credit_code]")
    expect(error).to_be_visible()
    error_text = error.inner_text()
    if language == "en":
        assert "check digit" in error_text, error_text
    else:
        # Needs the Chinese translation of the message in locale/zh_Hans (django.po/.mo).
        assert CJK.search(error_text), f"credit-code error not in Chinese: {error_text!r}"
    expect(form.locator("[name=credit_code]")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(form.locator("[name=code]")).to_have_value(code)
    expect(form.locator("[name=name]")).to_have_value(name)
    expect(form.locator("[name=credit_code]")).to_have_value(BAD_CREDIT_CODE)
    expect(form.locator("select[name=kind]")).to_have_value("dealer")
    expect(form.locator("select[name=importance]")).to_have_value("key")
    expect(form.locator("[name=phone]")).to_have_value("0571-88776655")
    assert page.locator(".invalid-feedback").count() == 1, page.locator(".invalid-feedback").all_inner_texts()

    # Fix it and save: the card shows the customer.
    form.locator("[name=credit_code]").fill(good_credit_code)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/customers/\d+/$"))
    shot(page, f"{n}-11-card")
    card_url = page.url
    expect(page.locator("[data-testid=customer-name]")).to_have_text(name)
    expect(page.locator(".page-body")).to_contain_text(good_credit_code)
    expect(page.locator(".page-header")).to_contain_text(code)
    expect(page.locator(".alert-success")).to_contain_text(name)
    assert html_lang(page) == lang_attr

    # ... and in the list, next to E001.
    visit(page, "/customers/", f"{n}-12-list-after-new")
    assert sorted(table_codes(page)) == sorted(["E001", code])
    assert total(page) == 2
    apply_filters(page, f"{n}-12-list-search-new", q=name[:4])
    assert table_codes(page) == [code]
    with page.expect_navigation():
        page.locator("#customer-table a", has_text=name).click()
    assert page.url == card_url

    # Contacts tab: empty for a new customer, with the first action offered.
    with page.expect_navigation():
        page.locator("a[data-tab=contacts]").click()
    shot(page, f"{n}-13-card-contacts")
    expect(page).to_have_url(re.compile(r"[?&]tab=contacts"))
    expect(page.locator("a[data-tab=contacts]")).to_have_class(re.compile(r"\bactive\b"))
    expect(page.locator(".card-body .empty-title")).to_have_text(tr("No contacts yet", language))
    expect(
        page.locator(f"a[href$='/customers/{card_url.rstrip('/').rsplit('/', 1)[-1]}/contacts/new/']")
    ).to_be_visible()

    # The other team's customer by URL: 404, and nothing of it leaks.
    for suffix, label in (("", "card"), ("?tab=contacts", "contacts"), ("edit/", "edit")):
        visit(page, f"/customers/{north.pk}/{suffix}", f"{n}-14-north-{label}-404", status=404)
        assert north.name not in page.content()
    assert page.js_errors == [], page.js_errors


def test_manager_sees_own_team_only(page, world):
    north = world.north_customer
    login(page, "manager_east", name="manager-01-login")
    visit(page, "/customers/", "manager-02-list")
    assert sorted(table_codes(page)) == ["E001", "E002"]
    assert total(page) == 2
    expect(page.locator("#customer-table")).not_to_contain_text(north.name)

    # The account-manager filter lists the team's people only.
    options = page.locator("#filter-form select[name=manager] option").all_inner_texts()
    assert "sales_east2" in options and "sales_north" not in options, options
    apply_filters(page, "manager-03-list-by-manager", manager=str(world.sales_east2.pk))
    assert table_codes(page) == ["E002"]

    apply_filters(page, "manager-04-list-search-north-name", q="北辰", manager="")
    assert table_codes(page) == [] and total(page) == 0
    apply_filters(page, "manager-04-list-search-north-code", q="N001")
    assert table_codes(page) == [] and total(page) == 0

    visit(page, f"/customers/{world.east2_customer.pk}/", "manager-05-card-e002")
    expect(page.locator("[data-testid=customer-name]")).to_have_text(world.east2_customer.name)
    visit(page, f"/customers/{north.pk}/", "manager-06-north-404", status=404)
    assert north.name not in page.content()


def test_phone_list_and_card_fit_the_screen(phone_page, world):
    page = phone_page
    login(page, "sales_east", name="phone-01-login")
    assert_no_horizontal_overflow(page, "home")
    visit(page, "/customers/", "phone-02-list")
    assert_no_horizontal_overflow(page, "customer list")
    assert "E001" in table_codes(page)
    visit(page, f"/customers/{world.east_customer.pk}/", "phone-03-card")
    expect(page.locator("[data-testid=customer-name]")).to_have_text(world.east_customer.name)
    assert_no_horizontal_overflow(page, "customer card")
    visit(page, f"/customers/{world.east_customer.pk}/?tab=contacts", "phone-04-card-contacts")
    assert_no_horizontal_overflow(page, "customer card, contacts tab")
    visit(page, "/customers/new/", "phone-05-new-form")
    assert_no_horizontal_overflow(page, "new customer form")
