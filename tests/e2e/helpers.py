"""Small helpers shared by the browser tests."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

CJK = re.compile(r"[\u4e00-\u9fff]")
PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
SCREENSHOTS = PROJECT_DIR / "test-artifacts" / "screenshots"
# The browser journeys start at this instant (a Monday, mid-morning in Shanghai) in every run: they are about
# pages and the way through them, the dates they show are the business code's, which the unit tests check
# under every clock (tests/conftest.py); so the clock runs of .ci/run leave them out.
JOURNEY_NOW = "2026-06-15T10:00+08:00"


def safe_name(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("_")[:150]


def shot(page: Page, name: str) -> None:
    """Full-page screenshot to test-artifacts/screenshots/<name>-<width>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(SCREENSHOTS / f"{safe_name(name)}-{width}.png"), full_page=True)


def visit(page: Page, path: str, name: str, status: int = 200):
    """Open path, check the HTTP status, take a screenshot."""
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path}: expected HTTP {status}, got {response.status}"
    shot(page, name)
    return response


def login(page: Page, username: str, password: str = PASSWORD, name: str | None = None) -> None:
    visit(page, "/login/", name or f"{username}-login")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form:has(#id_password) button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login/"))
    shot(page, name.replace("login", "home") if name else f"{username}-home")


def switch_language(page: Page, code: str) -> None:
    """Use the language select in the top bar (it submits itself on change)."""
    with page.expect_navigation():
        page.select_option("#language-form select[name=language]", code)


def html_lang(page: Page) -> str:
    return page.locator("html").get_attribute("lang") or ""


def assert_no_horizontal_overflow(page: Page, what: str) -> None:
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert sizes[0] <= sizes[1] + 1, f"{what}: page is {sizes[0]}px wide in a {sizes[1]}px window"


def table_codes(page: Page) -> list[str]:
    """Customer codes in the first column of #customer-table (empty list when the table is absent)."""
    if page.locator("#customer-table").count() == 0:
        return []
    return [c.strip() for c in page.locator("#customer-table tbody tr td:first-child").all_inner_texts()]


def total(page: Page) -> int:
    return int(page.locator("[data-testid=total]").inner_text().strip())


def apply_filters(page: Page, name: str, q: str | None = None, **selects: str) -> None:
    """Fill the customer list's filter bar, submit it, take a screenshot."""
    form = page.locator("#filter-form")
    if q is not None:
        form.locator("input[name=q]").fill(q)
    for name, value in selects.items():
        form.locator(f"select[name={name}]").select_option(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    shot(page, name)


def tr(text: str, language: str) -> str:
    """The app's own translation of a message, so tests follow the .po file instead of copying it."""
    from django.utils import translation

    with translation.override(language):
        return str(translation.gettext(text))


def in_own_thread(fn, *args):
    """Run fn in a thread of its own (Playwright's sync API wants no running event loop, and Django's ORM none
    either), with its own database connections closed at the end; re-raise what it raised."""
    import threading

    from django.db import connections

    failures = []

    def run():
        try:
            fn(*args)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            failures.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]
