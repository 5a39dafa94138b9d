"""Create the Access administrator and Victim services officer roles (groups) with core's permissions.

Existing memberships of role groups get no grant here: a role counts only with an approved grant, so an
operator carries them over with ``manage.py bootstrap_role_grants`` (see docs/access-administration.md).
"""

from django.db import migrations

from core.migrations_support import grant

NEW_ROLES = ["Access administrator", "Victim services officer"]


def forwards(apps, schema_editor):
    grant(
        apps,
        "core",
        {
            "Access administrator": ["view_county", "view_user", "view_rolegrant"],
            "Victim services officer": ["view_county"],
            "Auditor": ["view_rolegrant"],
        },
    )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=NEW_ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0006_role_grants_and_user_history")]

    operations = [migrations.RunPython(forwards, backwards)]
