import pytest

from tests.api.helpers import ApiClient


@pytest.fixture
def as_user(world):
    """as_user("sales_east") -> an ApiClient signed in as that World user."""
    return lambda name: ApiClient(getattr(world, name))


def pytest_ignore_collect(collection_path, config):
    """The schema fuzzing runs on PostgreSQL only (test_schema_fuzz.py); elsewhere its module is not even
    imported: building the schemathesis schema costs every test process seconds for tests that would skip."""
    if collection_path.name == "test_schema_fuzz.py":
        from django.conf import settings

        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            return True
    return None
