"""The sign-in page: the sign-in throttle (per username and address), and its language buttons."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import CJK, html_lang, shot, tr, visit
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

# The pause message, as Chinese users read it (settings LOGIN_LOCKOUT_MINUTES = 15 below).
PAUSED_ZH = "登录失败次数过多。请在 10:15 之后（15 分钟后）再试，或请系统管理员解除锁定。"
WRONG_PASSWORD_ZH = "请输入一个正确的用户名和密码。注意，两者都区分大小写。"  # Django's own message


def _submit(page, username, password):
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form:has(#id_password) button[type=submit]")


def test_lockout_pauses_the_stranger_not_the_user(page, world, settings, clock):
    """Behind one trusted proxy, the address is read from X-Forwarded-For: the browser plays a stranger
    at one address, then the user at another."""
    clock.set("2026-06-15T10:00+08:00")
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_LOCKOUT_MINUTES = 15
    settings.CREDO_TRUSTED_PROXIES = 1
    page.set_extra_http_headers({"X-Forwarded-For": "198.51.100.7"})
    visit(page, "/login/", "lockout-01-login")
    alert = page.locator("form:has(#id_password) .alert-danger")
    for attempt in range(1, 5):
        _submit(page, "sales_east", f"wrong-{attempt}")
        expect(page).to_have_url(re.compile(r"/login/"))
        expect(alert).to_have_text(WRONG_PASSWORD_ZH)
        expect(page.locator("#id_username")).to_have_value("sales_east")
        shot(page, f"lockout-02-failure-{attempt}")

    # The fifth failure pauses this username from this address, and says until when.
    _submit(page, "sales_east", "wrong-5")
    expect(alert).to_have_text(PAUSED_ZH)
    assert CJK.search(alert.inner_text()), alert.inner_text()
    shot(page, "lockout-03-paused")

    # Even the right password is refused from here now.
    _submit(page, "sales_east", PASSWORD)
    expect(alert).to_have_text(PAUSED_ZH)
    visit(page, "/customers/", "lockout-04-redirected-to-login")
    expect(page).to_have_url(re.compile(r"/login/"))

    # Another user from the same address is not paused (the address's looser limit is far off).
    _submit(page, "sales_east2", PASSWORD)
    expect(page).not_to_have_url(re.compile(r"/login/"))
    shot(page, "lockout-05-other-user-home")
    page.context.clear_cookies()

    # The user, at their own address, signs in as usual.
    page.set_extra_http_headers({"X-Forwarded-For": "203.0.113.5"})
    visit(page, "/login/", "lockout-06-user-at-home")
    _submit(page, "sales_east", PASSWORD)
    expect(page).not_to_have_url(re.compile(r"/login/"))
    shot(page, "lockout-07-user-home")


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
