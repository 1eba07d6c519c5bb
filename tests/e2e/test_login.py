"""The sign-in page: lockout after repeated failures, and its language buttons."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import CJK, html_lang, shot, tr, visit
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

LOCKED = "Too many failed sign-ins for this user. Try again in a few minutes or ask an administrator."


def _submit(page, username, password):
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form:has(#id_password) button[type=submit]")


def test_lockout_after_five_wrong_passwords(page, world, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    visit(page, "/login/", "lockout-01-login")
    alert = page.locator("form:has(#id_password) .alert-danger")
    for attempt in range(1, 6):
        _submit(page, "sales_east", f"wrong-{attempt}")
        expect(page).to_have_url(re.compile(r"/login/"))
        expect(alert).to_be_visible()
        assert LOCKED not in alert.inner_text() and tr(LOCKED, "zh-hans") not in alert.inner_text()
        expect(page.locator("#id_username")).to_have_value("sales_east")
        shot(page, f"lockout-02-failure-{attempt}")

    # Sixth try, even with the right password: refused with the lockout message.
    _submit(page, "sales_east", PASSWORD)
    shot(page, "lockout-03-locked")
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(alert).to_have_text(tr(LOCKED, "zh-hans"))
    assert CJK.search(alert.inner_text()), alert.inner_text()

    # Not signed in, and another user is not affected.
    visit(page, "/customers/", "lockout-04-redirected-to-login")
    expect(page).to_have_url(re.compile(r"/login/"))
    _submit(page, "sales_east2", PASSWORD)
    expect(page).not_to_have_url(re.compile(r"/login/"))
    shot(page, "lockout-05-other-user-home")


def test_login_page_language_buttons(page, world):
    visit(page, "/login/", "login-lang-01-zh")
    assert html_lang(page) == "zh-CN"
    expect(page.locator("h2")).to_have_text(tr("Sign in to your account", "zh-hans"))
    with page.expect_navigation():
        page.click("button[name=language][value=en]")
    shot(page, "login-lang-02-en")
    assert html_lang(page) == "en"
    expect(page.locator("h2")).to_have_text("Sign in to your account")
    expect(page.locator("label[for=id_username]")).to_have_text("Username")
    with page.expect_navigation():
        page.click("button[name=language][value=zh-hans]")
    shot(page, "login-lang-03-zh-again")
    assert html_lang(page) == "zh-CN"
    assert CJK.search(page.locator("h2").inner_text())
