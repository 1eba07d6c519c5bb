import datetime
from decimal import Decimal

from django.db import migrations

VALID_FROM = datetime.date(2000, 1, 1)


def create_defaults(apps, schema_editor):
    AgingBucketSet = apps.get_model("receivables", "AgingBucketSet")
    CostOfCapital = apps.get_model("receivables", "CostOfCapital")
    if not AgingBucketSet.objects.exists():
        AgingBucketSet.objects.create(valid_from=VALID_FROM, bounds=[0, 30, 60, 90, 180], created_by="migration",
                                      note="current, 1-30, 31-60, 61-90, 91-180, 180+")
    if not CostOfCapital.objects.exists():
        CostOfCapital.objects.create(valid_from=VALID_FROM, annual_rate=Decimal("0.06"), created_by="migration")


class Migration(migrations.Migration):
    dependencies = [("receivables", "0001_initial")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
