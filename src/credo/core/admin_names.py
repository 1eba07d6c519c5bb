"""Names in the administration: the site is Credo's, and a model without its own plural name is not given an
English "s" after its translated name (Django's default made 信用档案s, 标签s): in Chinese the plural is the
name, in English the name with "s" as before. Set on the models' _meta at start; declared Meta options, and so
migrations, are untouched."""

from django.apps import apps
from django.contrib import admin
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _plural(name) -> str:
    text = str(name)
    language = (get_language() or "").lower()
    return text if language.startswith("zh") or not text.isascii() else f"{text}s"


plural_of = lazy(_plural, str)


def apply() -> None:
    admin.site.site_header = _("Credo administration")
    admin.site.site_title = _("Credo administration")
    admin.site.index_title = _("Policy tables, users and the audit trail")
    for model in apps.get_models():
        meta = model._meta
        if "verbose_name_plural" not in meta.original_attrs:
            meta.verbose_name_plural = plural_of(meta.verbose_name)
