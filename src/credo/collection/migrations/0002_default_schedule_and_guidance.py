"""The default letter schedule (+7 / +30 / +60 days overdue) and the guidance per debtor type; both editable."""

from django.db import migrations


def add_defaults(apps, schema_editor):
    from credo.collection.defaults import ensure_defaults

    ensure_defaults(apps.get_model("collection", "DunningStep"), apps.get_model("collection", "DebtorGuidance"))


class Migration(migrations.Migration):
    dependencies = [("collection", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
