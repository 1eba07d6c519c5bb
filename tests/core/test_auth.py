import subprocess
import sys

import pytest
from django.test import override_settings

from credo.core.models import LoginFailure
from tests.factories import PASSWORD


def test_login_and_lockout(client, world):
    for _ in range(5):
        response = client.post("/login/", {"username": "sales_east", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/login/", {"username": "sales_east", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(username="sales_east").count() == 5


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_success_clears_failures(client, world):
    client.post("/login/", {"username": "sales_east", "password": "wrong"})
    response = client.post("/login/", {"username": "sales_east", "password": PASSWORD})
    assert response.status_code == 302
    assert not LoginFailure.objects.filter(username="sales_east").exists()


def test_forms_need_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.sales_east)
    response = client.post("/customers/new/", {"code": "Q1", "name": "无令牌"})
    assert response.status_code == 403


@pytest.mark.parametrize("env, message", [
    ({"CREDO_ENV": "production", "DEBUG": "1", "SECRET_KEY": "x" * 40}, "DEBUG"),
    ({"CREDO_ENV": "production", "DEBUG": "0"}, "SECRET_KEY"),
])
def test_production_refuses_unsafe_settings(env, message):
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='credo.settings'; django.setup()"
    result = subprocess.run([sys.executable, "-c", code], env={"PATH": "/usr/bin:/bin", **env},
                            capture_output=True, text=True)
    assert result.returncode != 0 and message in result.stderr


def test_production_starts_with_safe_settings():
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='credo.settings'; django.setup(); print('ok')"
    env = {"PATH": "/usr/bin:/bin", "CREDO_ENV": "production", "DEBUG": "0", "SECRET_KEY": "s" * 50}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr
