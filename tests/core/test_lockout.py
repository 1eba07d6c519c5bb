"""The sign-in throttle's pieces (credo.core.lockout): the growing pause, the client address, clean-up,
concurrency; the administrator's unlock in the admin and on the command line (both audited)."""

import io
import threading
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from credo.cli import __doc__ as cli_help
from credo.core import lockout
from credo.core.models import AuditEntry, LoginThrottle
from tests.factories import PASSWORD

from .test_auth import OWN, STRANGER, attempt, refusal, signed_in

MINUTE = timedelta(minutes=1)


@pytest.mark.parametrize("failures, pause", [
    (0, None), (4, None), (5, 1), (6, 2), (7, 4), (8, 8), (11, 60), (12, 60), (10_000, 60),
])
def test_pause_starts_at_the_limit_and_doubles_up_to_the_cap(failures, pause):
    got = lockout.pause_after(failures, 5, MINUTE, 60 * MINUTE)
    assert got == (pause * MINUTE if pause else None)


def test_no_pause_when_the_limit_is_zero():
    assert lockout.pause_after(100, 0, MINUTE, 60 * MINUTE) is None


@pytest.mark.parametrize("text, key", [
    ("203.0.113.5", "203.0.113.5"),
    (" 203.0.113.5 ", "203.0.113.5"),
    ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
    ("2001:db8:1:2::ffff", "2001:db8:1:2::/64"),  # one /64: one count
    ("2001:db8:1:2::/64", "2001:db8:1:2::/64"),
    ("::ffff:198.51.100.7", "198.51.100.7"),
    ("198.51.100.7/32", "198.51.100.7"),
    ("10.0.0.0/8", ""),
    ("unknown", ""),
    ("", ""),
])
def test_address_key(text, key):
    assert lockout.address_key(text) == key


def _request(remote="203.0.113.5", forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return RequestFactory().post("/login/", REMOTE_ADDR=remote, headers=headers)


@pytest.mark.parametrize("trusted, remote, forwarded, address", [
    (0, "203.0.113.5", None, "203.0.113.5"),
    (0, "203.0.113.5", "198.51.100.7", "203.0.113.5"),  # never believed unless configured
    (1, "10.0.0.2", "198.51.100.7", "198.51.100.7"),
    (1, "10.0.0.2", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client's own entry is ignored
    (2, "10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
    (2, "10.0.0.2", "198.51.100.7", "10.0.0.2"),  # fewer hops than proxies: not the configured way
    (1, "10.0.0.2", "", "10.0.0.2"),
    (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
    (1, "10.0.0.2", "2001:db8:1:2::7", "2001:db8:1:2::/64"),
])
def test_client_address(settings, trusted, remote, forwarded, address):
    settings.CREDO_TRUSTED_PROXIES = trusted
    assert lockout.client_address(_request(remote, forwarded)) == address


def test_clean_up_deletes_finished_rows_and_keeps_pauses(world, clock):
    clock.set("2026-06-15T10:00+08:00")
    for _ in range(3):
        lockout.record_failure("forgetful", OWN)
    with override_settings(LOGIN_LOCKOUT_MINUTES=48 * 60, LOGIN_LOCKOUT_MAX_MINUTES=48 * 60):
        for _ in range(5):
            lockout.record_failure("attacked", STRANGER)
    clock.advance(hours=25)
    lockout.record_failure("someone", OWN)  # every counted failure cleans up
    left = set(LoginThrottle.objects.values_list("username", "address"))
    # forgetful's and both address counts are over; attacked is still paused; someone has just begun.
    assert left == {("attacked", STRANGER), ("someone", OWN), ("", OWN)}


def test_a_pause_outlasting_its_window_is_not_lifted_by_a_new_count(world, clock):
    clock.set("2026-06-15T10:00+08:00")
    with override_settings(LOGIN_LOCKOUT_MINUTES=30 * 60, LOGIN_LOCKOUT_MAX_MINUTES=30 * 60):
        for _ in range(5):
            until = lockout.record_failure("sales_east", OWN)
    clock.advance(hours=25)
    lockout.record_failure("sales_east", OWN)  # only a race or a direct call counts while paused
    row = LoginThrottle.objects.get(username="sales_east", address=OWN)
    assert row.failures == 1 and row.locked_until == until


def test_a_blank_username_is_not_mistaken_for_the_address_count(world, clock):
    clock.set("2026-06-15T10:00+08:00")
    lockout.record_failure("   ", OWN)
    assert list(LoginThrottle.objects.values_list("username", "address", "failures")) == [("", OWN, 1)]


def test_a_paused_stranger_and_the_user_at_home_via_the_page(client, world, clock):
    """The whole story from issue 11, end to end through the sign-in page."""
    clock.set("2026-06-15T10:00+08:00")
    stranger = Client()
    for _ in range(12):
        attempt(stranger, "sales_east", "guess", STRANGER)
    assert refusal(attempt(stranger, "sales_east", PASSWORD, STRANGER))
    assert attempt(client, "sales_east", PASSWORD, OWN).status_code == 302 and signed_in(client)
    row = LoginThrottle.objects.get(username="sales_east", address=STRANGER)
    assert row.failures == 5 and row.locked_until > timezone.now()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@override_settings(LOGIN_FAILURE_LIMIT=1000, LOGIN_ADDRESS_FAILURE_LIMIT=1000)
def test_concurrent_failures_are_all_counted(transactional_db):
    threads_n, each = 8, 5
    errors, barrier = [], threading.Barrier(threads_n)

    def work():
        try:
            barrier.wait()
            for _ in range(each):
                lockout.record_failure("target", STRANGER)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    counts = dict(LoginThrottle.objects.values_list("username", "failures"))
    assert counts == {"target": threads_n * each, "": threads_n * each}


# --- the administrator's unlock ----------------------------------------------------------------------------

def _paused_pair(client_address="198.51.100.7"):
    for _ in range(5):
        lockout.record_failure("sales_east", client_address)


def test_admin_lists_failed_sign_ins_and_unlocks_with_an_audit_entry(client, world, clock):
    clock.set("2026-06-15T10:00+08:00")
    world.admin.is_superuser = True
    world.admin.save()
    _paused_pair(STRANGER)
    lockout.record_failure("sales_north", OWN)
    client.force_login(world.admin)
    for url in ("/admin/core/loginthrottle/", "/admin/core/loginthrottle/?paused=yes",
                "/admin/core/loginthrottle/?paused=no&q=sales"):
        assert client.get(url).status_code == 200, url
    page = client.get("/admin/core/loginthrottle/?paused=yes").content.decode()
    assert "sales_east" in page and "sales_north" not in page

    paused = LoginThrottle.objects.get(username="sales_east", address=STRANGER)
    response = client.post("/admin/core/loginthrottle/",
                           {"action": "unlock", "_selected_action": [paused.pk]})
    assert response.status_code == 302
    assert not LoginThrottle.objects.filter(pk=paused.pk).exists()
    assert LoginThrottle.objects.filter(username="sales_north").exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UNLOCK)
    assert (entry.username, entry.reason, entry.object_type, entry.object_repr) == (
        "admin", "admin", "core.loginthrottle", f"sales_east @ {STRANGER}")
    assert entry.before["failures"] == 5 and entry.before["address"] == STRANGER

    # Unlocked: the right password works from that address again.
    assert attempt(Client(), "sales_east", PASSWORD, STRANGER).status_code == 302


def test_admin_failed_sign_ins_are_read_only_but_for_unlock(client, world, clock):
    clock.set("2026-06-15T10:00+08:00")
    world.admin.is_superuser = True
    world.admin.save()
    _paused_pair()
    client.force_login(world.admin)
    page = client.get("/admin/core/loginthrottle/").content.decode()
    assert 'value="unlock"' in page and 'value="delete_selected"' not in page
    assert client.get("/admin/core/loginthrottle/add/").status_code == 403


def test_staff_without_the_permission_cannot_unlock(client, world, clock):
    from django.contrib.auth.models import Permission

    clock.set("2026-06-15T10:00+08:00")
    _paused_pair()
    world.admin.user_permissions.add(Permission.objects.get(codename="view_loginthrottle"))
    client.force_login(world.admin)
    row = LoginThrottle.objects.get(username="sales_east")
    assert 'value="unlock"' not in client.get("/admin/core/loginthrottle/").content.decode()
    client.post("/admin/core/loginthrottle/", {"action": "unlock", "_selected_action": [row.pk]})
    assert LoginThrottle.objects.filter(pk=row.pk).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UNLOCK).exists()


def _unlock(*args) -> str:
    out = io.StringIO()
    call_command("unlock", *args, stdout=out)
    return out.getvalue()


def test_credo_unlock_a_username_everywhere_or_from_one_address(world, clock):
    clock.set("2026-06-15T10:00+08:00")
    _paused_pair(STRANGER)
    _paused_pair(OWN)
    lockout.record_failure("sales_north", STRANGER)
    listing = _unlock("--list")
    assert (f"sales_east @ {STRANGER}: 5 failure(s), last 2026-06-15 10:00, "
            "paused until 2026-06-15 10:01") in listing
    assert f"(every username) @ {STRANGER}: 6 failure(s)" in listing

    assert "1 entry removed" in _unlock("Sales_East", "--address", OWN)
    assert set(lockout.throttles(username="sales_east").values_list("address", flat=True)) == {STRANGER}
    assert "1 entry removed" in _unlock("sales_east")
    assert not LoginThrottle.objects.filter(username="sales_east").exists()
    assert "nothing to unlock" in _unlock("sales_east")

    entries = AuditEntry.objects.filter(action=AuditEntry.Action.UNLOCK).order_by("id")
    assert [e.object_repr for e in entries] == [f"sales_east @ {OWN}", f"sales_east @ {STRANGER}"]
    assert all(e.username == "system" and e.reason.startswith("credo unlock") for e in entries)


def test_credo_unlock_an_address(world, clock):
    clock.set("2026-06-15T10:00+08:00")
    _paused_pair(STRANGER)
    lockout.record_failure("sales_north", STRANGER)
    lockout.record_failure("sales_north", OWN)
    assert "3 entries removed" in _unlock("--address", STRANGER, "--reason", "office NAT, ticket 42")
    assert list(LoginThrottle.objects.values_list("username", "address").order_by("username")) == [
        ("", OWN), ("sales_north", OWN)]
    unlocks = AuditEntry.objects.filter(action=AuditEntry.Action.UNLOCK)
    assert unlocks.count() == 3 and all(e.reason.endswith("office NAT, ticket 42") for e in unlocks)


@pytest.mark.parametrize("args, message", [
    ((), "Say whom to unlock"),
    (("sales_east", "--address", "somewhere"), "not an IP address"),
    (("  ",), "Give a username"),
])
def test_credo_unlock_refuses_bad_input(world, args, message):
    with pytest.raises(CommandError, match=message) as raised:
        _unlock(*args)
    assert raised.value.returncode == 2


def test_credo_help_lists_unlock():
    assert "credo unlock NAME [--address IP]" in cli_help
