"""Create the six role groups. Each app's own migration grants its model permissions to them."""

from django.db import migrations

ROLE_NAMES = [
    "Prosecutor",
    "Unit head",
    "Witness protection liaison",
    "Fund administrator",
    "Fund approver",
    "Auditor",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_roles, remove_roles)]
