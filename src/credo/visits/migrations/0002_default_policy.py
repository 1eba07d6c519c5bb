"""The seed's visit policy table (客户访问管理表, SPEC §3.1) as the starting rows; editable afterwards."""

from django.db import migrations


def seed(apps, schema_editor):
    from credo.visits.rules import DEFAULT_POLICY

    VisitPolicy = apps.get_model("visits", "VisitPolicy")
    for (cls, role, kind), (minimum, target) in DEFAULT_POLICY.items():
        VisitPolicy.objects.get_or_create(customer_class=cls, role=role, kind=kind,
                                          defaults={"minimum_per_month": minimum, "target_per_month": target})


def unseed(apps, schema_editor):
    apps.get_model("visits", "VisitPolicy").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
