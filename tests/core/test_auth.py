"""Sign-in through the throttle (credo.core.lockout) on the sign-in page and the admin's; CSRF; production.

The throttle counts per (username, client address): a stranger elsewhere cannot lock a user out."""

import datetime
import re
import subprocess
import sys

import pytest
from django.contrib.auth import authenticate
from django.test import override_settings

from credo.core.models import LoginThrottle
from tests.factories import PASSWORD

OWN, STRANGER, ELSEWHERE = "203.0.113.5", "198.51.100.7", "192.0.2.44"
WRONG_PASSWORD = "Please enter a correct username and password"


def attempt(client, username, password, address, path="/login/", **headers):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address,
                       headers=headers)


def refusal(response) -> str:
    """The form's message (\"\" when the attempt went through)."""
    if response.status_code == 302:
        return ""
    return " ".join(response.context["form"].non_field_errors())


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def pause_of(username, address) -> datetime.timedelta | None:
    row = LoginThrottle.objects.get(username=username, address=address)
    return row.locked_until - row.last_failure_at if row.locked_until else None


def test_five_failures_pause_that_username_from_that_address(client, world, clock):
    clock.set("2026-06-15T10:00+08:00")
    client.cookies["django_language"] = "en"
    for _ in range(4):
        response = attempt(client, "sales_east", "wrong", OWN)
        assert response.status_code == 200 and WRONG_PASSWORD in refusal(response)
    # The fifth failure starts the pause and says so.
    assert "Try again after 10:01 (in 1 minute)" in refusal(attempt(client, "sales_east", "wrong", OWN))
    # Now even the right password is refused, without being checked.
    response = attempt(client, "sales_east", PASSWORD, OWN)
    assert "Try again after 10:01" in refusal(response) and not signed_in(client)
    assert LoginThrottle.objects.get(username="sales_east", address=OWN).failures == 5


def test_a_stranger_elsewhere_does_not_lock_the_user_out(client, world, clock, django_user_model):
    from django.test import Client

    clock.set("2026-06-15T10:00+08:00")
    stranger = Client()
    for _ in range(30):
        attempt(stranger, "sales_east", "guess", STRANGER)
    assert "10:" in refusal(attempt(stranger, "sales_east", PASSWORD, STRANGER))
    assert not signed_in(stranger)

    response = attempt(client, "sales_east", PASSWORD, OWN)
    assert response.status_code == 302 and signed_in(client)
    # The stranger's count stays: their pause is not lifted by the user signing in.
    assert pause_of("sales_east", STRANGER) is not None


@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_LOCKOUT_MINUTES=1, LOGIN_LOCKOUT_MAX_MINUTES=8)
def test_the_pause_doubles_with_each_further_failure_up_to_the_cap(client, world, clock):
    clock.set("2026-06-15T10:00+08:00")
    client.cookies["django_language"] = "en"
    attempt(client, "sales_east", "wrong", OWN)
    attempt(client, "sales_east", "wrong", OWN)
    assert "after 10:01 (in 1 minute)" in refusal(attempt(client, "sales_east", "wrong", OWN))
    seen = [pause_of("sales_east", OWN)]
    for _ in range(4):
        clock.advance(seconds=seen[-1].total_seconds() + 1)
        message = refusal(attempt(client, "sales_east", "wrong", OWN))
        seen.append(pause_of("sales_east", OWN))
        assert f"(in {seen[-1].seconds // 60} minutes)" in message
    assert [p.seconds // 60 for p in seen] == [1, 2, 4, 8, 8]

    # Attempts during a pause are refused, not counted: waiting does not make it longer.
    for _ in range(3):
        attempt(client, "sales_east", "wrong", OWN)
    assert LoginThrottle.objects.get(username="sales_east", address=OWN).failures == 7

    clock.advance(minutes=8, seconds=1)
    assert attempt(client, "sales_east", PASSWORD, OWN).status_code == 302


def test_success_clears_that_pair_only(client, world, clock):
    from django.test import Client

    clock.set("2026-06-15T10:00+08:00")
    for _ in range(2):
        attempt(client, "sales_east", "wrong", OWN)
        attempt(Client(), "sales_east", "wrong", ELSEWHERE)
    assert attempt(client, "sales_east", PASSWORD, OWN).status_code == 302
    assert not LoginThrottle.objects.filter(username="sales_east", address=OWN).exists()
    assert LoginThrottle.objects.get(username="sales_east", address=ELSEWHERE).failures == 2
    # The address's count over all usernames stays, or one valid account would reset a spray.
    assert LoginThrottle.objects.get(username="", address=OWN).failures == 2


def test_usernames_count_case_folded(client, world, clock):
    clock.set("2026-06-15T10:00+08:00")
    for name in ("Sales_East", "SALES_EAST", "sales_east", "sALES_eAST", "Sales_east"):
        attempt(client, name, "wrong", OWN)
    assert LoginThrottle.objects.get(username="sales_east", address=OWN).failures == 5
    assert not signed_in(client) and refusal(attempt(client, "sales_east", PASSWORD, OWN))


def test_failures_are_forgotten_after_the_window(client, world, clock):
    clock.set("2026-06-15T10:00+08:00")
    for _ in range(4):
        attempt(client, "sales_east", "wrong", OWN)
    clock.advance(hours=25)
    attempt(client, "sales_east", "wrong", OWN)
    row = LoginThrottle.objects.get(username="sales_east", address=OWN)
    assert row.failures == 1 and row.locked_until is None


@override_settings(LOGIN_ADDRESS_FAILURE_LIMIT=6)
def test_spraying_many_usernames_from_one_address_pauses_that_address(client, world, clock):
    from django.test import Client

    clock.set("2026-06-15T10:00+08:00")
    sprayer = Client()
    for n in range(6):
        attempt(sprayer, f"user{n}", "123456", STRANGER)
    assert LoginThrottle.objects.get(username="", address=STRANGER).failures == 6
    # Every username is paused from that address now, even with its right password …
    response = attempt(sprayer, "sales_east", PASSWORD, STRANGER)
    assert refusal(response) and not signed_in(sprayer)
    # … but not from anywhere else.
    assert attempt(client, "sales_east", PASSWORD, OWN).status_code == 302
    # The window ends: the address may try again.
    clock.advance(hours=1, minutes=1)
    assert attempt(sprayer, "sales_east", PASSWORD, STRANGER).status_code == 302


@override_settings(LOGIN_ADDRESS_FAILURE_LIMIT=0)
def test_address_limit_can_be_turned_off(client, world, clock):
    clock.set("2026-06-15T10:00+08:00")
    for n in range(60):
        attempt(client, f"user{n}", "123456", STRANGER)
    assert not LoginThrottle.objects.filter(username="").exists()
    assert attempt(client, "sales_east", PASSWORD, STRANGER).status_code == 302


def test_the_refusal_reads_the_same_for_an_unknown_username(world, clock):
    from django.test import Client

    clock.set("2026-06-15T10:00+08:00", tick=False)
    known, unknown = Client(), Client()
    for _ in range(6):
        known_message = refusal(attempt(known, "sales_east", "wrong", OWN))
        unknown_message = refusal(attempt(unknown, "nobody_here", "wrong", STRANGER))
    assert known_message == unknown_message and "10:01" in known_message


@pytest.mark.parametrize("language, expected", [
    ("en", "Too many failed sign-ins. Try again after 10:04 (in 4 minutes), "
           "or ask an administrator to unlock sign-in."),
    ("zh-hans", "登录失败次数过多。请在 10:04 之后（4 分钟后）再试，或请系统管理员解除锁定。"),
])
@override_settings(LOGIN_LOCKOUT_MINUTES=4)
def test_the_refusal_in_both_languages_says_when_to_try_again(client, world, clock, language, expected):
    clock.set("2026-06-15T10:00+08:00", tick=False)
    client.cookies["django_language"] = language
    for _ in range(5):
        attempt(client, "sales_east", "wrong", OWN)
    assert refusal(attempt(client, "sales_east", PASSWORD, OWN)) == expected
    clock.set("2026-06-15T10:02:30+08:00", tick=False)
    assert re.search(r"10:04.*(2 minutes|2 分钟)", refusal(attempt(client, "sales_east", PASSWORD, OWN)))


@override_settings(LOGIN_LOCKOUT_MINUTES=120, LOGIN_LOCKOUT_MAX_MINUTES=120)
def test_a_pause_past_midnight_names_the_day(client, world, clock):
    clock.set("2026-06-15T23:30+08:00", tick=False)
    client.cookies["django_language"] = "en"
    for _ in range(5):
        message = refusal(attempt(client, "sales_east", "wrong", OWN))
    assert "after 2026-06-16 01:30 (in 120 minutes)" in message


def test_x_forwarded_for_is_ignored_unless_proxies_are_configured(client, world, clock):
    clock.set("2026-06-15T10:00+08:00")
    # A client that writes its own X-Forwarded-For does not escape its count.
    for n in range(5):
        attempt(client, "sales_east", "wrong", STRANGER, **{"X-Forwarded-For": f"10.9.9.{n}"})
    counts = LoginThrottle.objects.values_list("username", "address", "failures").order_by("username")
    assert list(counts) == [("", STRANGER, 5), ("sales_east", STRANGER, 5)]
    assert refusal(attempt(client, "sales_east", PASSWORD, STRANGER, **{"X-Forwarded-For": OWN}))


@override_settings(CREDO_TRUSTED_PROXIES=1)
def test_behind_one_trusted_proxy_the_forwarded_address_counts(client, world, clock):
    from django.test import Client

    clock.set("2026-06-15T10:00+08:00")
    proxy = "10.0.0.2"
    for _ in range(5):  # the client puts OWN first to frame the user; the proxy appends what it saw
        attempt(client, "sales_east", "wrong", proxy, **{"X-Forwarded-For": f"{OWN}, {STRANGER}"})
    assert LoginThrottle.objects.get(username="sales_east", address=STRANGER).failures == 5
    assert not LoginThrottle.objects.filter(address__in=[OWN, proxy]).exists()
    user = Client()
    response = attempt(user, "sales_east", PASSWORD, proxy, **{"X-Forwarded-For": OWN})
    assert response.status_code == 302


def test_the_admin_sign_in_page_shares_the_throttle(client, world, clock):
    clock.set("2026-06-15T10:00+08:00")
    client.cookies["django_language"] = "en"
    for _ in range(3):
        attempt(client, "admin", "wrong", OWN, path="/admin/login/")
    for _ in range(2):
        attempt(client, "admin", "wrong", OWN)
    response = attempt(client, "admin", PASSWORD, OWN, path="/admin/login/")
    assert "Try again after 10:01" in refusal(response) and not signed_in(client)


def test_authenticate_without_a_request_is_throttled_too(world, clock):
    clock.set("2026-06-15T10:00+08:00")
    for _ in range(5):
        assert authenticate(username="sales_east", password="wrong") is None
    assert authenticate(username="sales_east", password=PASSWORD) is None
    counts = LoginThrottle.objects.values_list("username", "address", "failures")
    assert list(counts) == [("sales_east", "", 5)]


def test_forms_need_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.sales_east)
    response = client.post("/customers/new/", {"code": "Q1", "name": "无令牌"})
    assert response.status_code == 403


@pytest.mark.clock_independent("a child process reading its settings")
@pytest.mark.parametrize("env, message", [
    ({"CREDO_ENV": "production", "DEBUG": "1", "SECRET_KEY": "x" * 40}, "DEBUG"),
    ({"CREDO_ENV": "production", "DEBUG": "0"}, "SECRET_KEY"),
])
def test_production_refuses_unsafe_settings(env, message):
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='credo.settings'; django.setup()"
    result = subprocess.run([sys.executable, "-c", code], env={"PATH": "/usr/bin:/bin", **env},
                            capture_output=True, text=True)
    assert result.returncode != 0 and message in result.stderr


@pytest.mark.clock_independent("a child process reading its settings")
def test_production_starts_with_safe_settings():
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='credo.settings'; django.setup(); print('ok')"
    env = {"PATH": "/usr/bin:/bin", "CREDO_ENV": "production", "DEBUG": "0", "SECRET_KEY": "s" * 50}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr
