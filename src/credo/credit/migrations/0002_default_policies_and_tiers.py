"""The default credit policy per risk grade, the approval authority tiers and the settings row; all editable."""

from django.db import migrations


def add_defaults(apps, schema_editor):
    from credo.credit.defaults import ensure_defaults

    ensure_defaults(apps.get_model("credit", "PolicyDefault"), apps.get_model("credit", "AuthorityTier"),
                    apps.get_model("credit", "CreditSettings"))


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
