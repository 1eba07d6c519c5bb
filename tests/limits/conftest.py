import pytest
from django.conf import settings
from django.utils import translation

from credo.limits import defaults, tables


class DefaultPolicy:
    """The default tables as a policy-like object, without the database."""

    standard_credit_days = defaults.STANDARD_CREDIT_DAYS
    valid_from = defaults.VALID_FROM
    pk = None

    def __init__(self, **changes):
        for name in defaults.TABLES:
            setattr(self, name, defaults.table(name))
        for name, value in changes.items():
            setattr(self, name, value)


@pytest.fixture
def policy():
    return DefaultPolicy()


WC_TABLES = tables.working_capital_tables(DefaultPolicy())
SV_TABLES = tables.sales_volume_tables(DefaultPolicy())

# SPEC §11, working-capital method.
SECTION_11 = {"current_assets": "5000000", "inventory": "1500000", "current_liabilities": "2500000",
              "total_liabilities": "4000000", "net_assets": "6000000"}


@pytest.fixture(autouse=True)
def english():
    """These tests read the English wording; the Chinese catalog is checked in tests/core/test_translations."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
