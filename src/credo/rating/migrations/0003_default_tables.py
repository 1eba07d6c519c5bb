"""The default checklist (seed 000), grade scale, 5C weights and scorecard; all editable afterwards."""

from django.db import migrations


def add_defaults(apps, schema_editor):
    from credo.rating.defaults import ensure_defaults

    ensure_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("rating", "0002_credit_file_and_rating")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
