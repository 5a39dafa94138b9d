"""Grant the document model's permissions: every role that reads some record's documents may view them; the
roles that attach them may add and change them (the pages decide, record by record, through the kinds'
rules; these permissions only mirror them for the admin and reports). Access administrators get none."""

from django.db import migrations

from core.migrations_support import grant


def forwards(apps, schema_editor):
    read = ["view_document"]
    work = ["view_document", "add_document", "change_document"]
    grant(
        apps,
        "documents",
        {
            "Prosecutor": work,
            "Unit head": work,
            "Witness protection liaison": work,
            "Fund administrator": work,
            "Fund approver": work,
            "Auditor": read,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial"), ("core", "0004_role_permissions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
