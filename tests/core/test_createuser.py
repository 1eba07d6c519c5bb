import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from credo.core.models import AuditEntry, Profile, Team
from credo.core.roles import Role

pytestmark = pytest.mark.django_db
PASSWORD = "long-enough-pass-7"


@pytest.fixture(autouse=True)
def fast_hasher(settings, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.delenv("CREDO_PASSWORD", raising=False)


@pytest.fixture
def team():
    return Team.objects.create(name="华东销售部")


def create(*args, **options):
    out = io.StringIO()
    call_command("createuser", *args, stdout=out, **options)
    return out.getvalue()


def refused(*args, **options) -> str:
    with pytest.raises(CommandError) as info:
        create(*args, **options)
    assert info.value.returncode == 2
    return str(info.value)


def test_creates_user_with_profile_and_team(team):
    out = create("zhangwei", role="salesperson", team="华东销售部", password=PASSWORD, display_name="张伟")
    user = get_user_model().objects.get(username="zhangwei")
    assert user.check_password(PASSWORD)
    assert not user.is_staff and not user.is_superuser
    assert (user.profile.role, user.profile.team, user.profile.display_name) == (Role.SALESPERSON, team, "张伟")
    assert "zhangwei" in out
    assert AuditEntry.objects.filter(object_type="auth.user", object_id=str(user.pk), action="create").exists()


def test_team_by_id(team):
    create("lina", role="salesperson", team=str(team.pk), password=PASSWORD)
    assert Profile.objects.get(user__username="lina").team == team


def test_administrator_is_staff_and_superuser():
    create("root2", role="administrator", password=PASSWORD)
    user = get_user_model().objects.get(username="root2")
    assert user.is_staff and user.is_superuser and user.profile.role == Role.ADMINISTRATOR


def test_sales_manager_takes_a_team_without_manager(team):
    create("mgr", role="sales_manager", team=team.name, password=PASSWORD)
    team.refresh_from_db()
    assert team.manager.username == "mgr"
    out = create("mgr2", role="sales_manager", team=team.name, password=PASSWORD)
    team.refresh_from_db()
    assert team.manager.username == "mgr" and "keeps its manager" in out


def test_password_from_environment(monkeypatch):
    monkeypatch.setenv("CREDO_PASSWORD", PASSWORD)
    create("env_user", role="executive")
    assert get_user_model().objects.get(username="env_user").check_password(PASSWORD)


def test_password_prompted_on_a_terminal(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stdin", Tty())
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    create("typed", role="finance_clerk")
    assert get_user_model().objects.get(username="typed").check_password(PASSWORD)

    answers = iter([PASSWORD, PASSWORD + "x"])
    assert "do not match" in refused("typed2", role="finance_clerk")


def test_no_password_without_terminal(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO())
    assert "CREDO_PASSWORD" in refused("nopass", role="service_agent")


@pytest.mark.parametrize("args, options, message", [
    (("u1",), {"role": "boss"}, "Unknown role 'boss'"),
    (("u1",), {"role": "salesperson", "team": "火星销售部"}, "Unknown team"),
    (("u1",), {"role": "salesperson", "password": "short"}, "Password refused"),
    (("u1",), {"role": "salesperson", "password": "password123"}, "Password refused"),
    (("  ",), {"role": "salesperson"}, "Give a username"),
])
def test_bad_input_is_refused_and_nothing_created(team, args, options, message):
    options.setdefault("password", PASSWORD)
    assert message in refused(*args, **options)
    assert get_user_model().objects.count() == 0
    assert Profile.objects.count() == 0


def test_existing_user_is_refused():
    create("dup", role="salesperson", password=PASSWORD)
    assert "already exists" in refused("dup", role="executive", password=PASSWORD)
    assert Profile.objects.get(user__username="dup").role == Role.SALESPERSON


def test_unknown_team_message_lists_teams(team):
    assert "华东销售部" in refused("u2", role="salesperson", team="nope", password=PASSWORD)
