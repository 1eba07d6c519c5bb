"""The default limit tables of SPEC §5.6 (the revenue tiers start empty); edited as new versions later."""

from django.db import migrations


def add_defaults(apps, schema_editor):
    from credo.limits.defaults import ensure_defaults

    ensure_defaults(apps.get_model("limits", "LimitPolicy"))


class Migration(migrations.Migration):
    dependencies = [("limits", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
