"""Browser tests: pytest-django's live_server driven by Playwright (sync API) and Debian's chromium.

- One headless chromium per test session (per xdist worker); a fresh browser context per test.
- ``page`` is a desktop page (1440×900), ``phone_page`` a phone page (390×844); both have the
  live server as base URL, so ``page.goto("/customers/")`` works.
- Every test here is marked ``e2e`` and ``fixed_clock(JOURNEY_NOW)`` (see helpers.py). Without
  /usr/bin/chromium they are skipped, except under CI
  (env var CI set), where a missing browser is an error.
- Screenshots go to test-artifacts/screenshots/ (git-ignored); a failing test leaves one in
  test-artifacts/screenshots/failures/.
"""

import os
from pathlib import Path

import pytest

from tests.e2e.helpers import JOURNEY_NOW, SCREENSHOTS, safe_name

# Playwright's sync API runs an asyncio loop in the test thread; Django's ORM would otherwise refuse
# to run there ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.fixed_clock(JOURNEY_NOW))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} not found: install Debian's chromium package to run the browser tests."
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def world(transactional_db):
    """The shared World, committed (not in a rolled-back transaction) so the live server thread sees it."""
    from tests.factories import World

    return World()


def _open_page(browser, live_server, request, viewport):
    context = browser.new_context(
        viewport=viewport,
        base_url=live_server.url,
        locale="zh-CN",
        device_scale_factor=1,
        is_mobile=viewport["width"] < 600,
        has_touch=viewport["width"] < 600,
    )
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        target = SCREENSHOTS / "failures"
        target.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(
                path=str(target / f"{safe_name(request.node.nodeid)}-{viewport['width']}.png"), full_page=True
            )
        except Exception:  # noqa: BLE001 - a failing screenshot must not hide the real failure
            pass
    context.close()


@pytest.fixture
def page(browser, live_server, request):
    yield from _open_page(browser, live_server, request, DESKTOP)


@pytest.fixture
def phone_page(browser, live_server, request):
    yield from _open_page(browser, live_server, request, PHONE)
