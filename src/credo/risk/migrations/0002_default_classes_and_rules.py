"""The five risk classes with their policies (SPEC §5.9) and the default class rules; both editable."""

from django.db import migrations


def add_defaults(apps, schema_editor):
    from credo.risk.defaults import ensure_defaults

    ensure_defaults(apps.get_model("risk", "RiskClass"), apps.get_model("risk", "RiskClassRule"))


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
