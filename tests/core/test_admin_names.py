"""The administration is Credo's, and Chinese model names get no English plural "s"."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.utils import translation

from credo.credit.models import CreditProfile
from credo.customers.models import Tag


def test_plural_names_follow_the_language():
    with translation.override("zh-hans"):
        assert str(CreditProfile._meta.verbose_name_plural) == str(CreditProfile._meta.verbose_name)
        assert not str(Tag._meta.verbose_name_plural).endswith("s")
    with translation.override("en"):
        assert str(Tag._meta.verbose_name_plural) == "tags"


@pytest.mark.django_db
def test_the_admin_is_branded_credo(client, world):
    client.force_login(world.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/admin/").content.decode()
    assert "Credo administration" in page and "Django administration" not in page
    assert str(admin.site.site_header) == "Credo administration"
