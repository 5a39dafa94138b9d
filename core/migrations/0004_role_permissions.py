"""Grant core's model permissions: every role reads counties; nobody but superusers edits them."""

from django.db import migrations

from core.migrations_support import grant


def forwards(apps, schema_editor):
    grant(
        apps,
        "core",
        {
            "Prosecutor": ["view_county"],
            "Unit head": ["view_county"],
            "Witness protection liaison": ["view_county"],
            "Fund administrator": ["view_county"],
            "Fund approver": ["view_county"],
            "Auditor": ["view_county", "view_user"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_counties")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
