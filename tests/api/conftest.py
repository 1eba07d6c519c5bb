import pytest

from tests.api.helpers import ApiClient


@pytest.fixture
def as_user(world):
    """as_user("sales_east") -> an ApiClient signed in as that World user."""
    return lambda name: ApiClient(getattr(world, name))
