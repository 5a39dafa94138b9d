"""Grant the prosecution models' permissions: prosecutors and the unit head work cases; liaisons and
auditors read them; offences and courts are edited by superusers in the admin."""

from django.db import migrations

from core.migrations_support import grant

CASE_MODELS = ["case", "stagechange", "accused", "charge", "victim", "sentence", "hearing"]
REFERENCE_MODELS = ["offence", "court"]


def forwards(apps, schema_editor):
    read_all = [f"view_{m}" for m in CASE_MODELS + REFERENCE_MODELS]
    work = read_all + [f"{action}_{m}" for m in CASE_MODELS for action in ("add", "change")]
    grant(
        apps,
        "prosecutions",
        {
            "Prosecutor": work,
            "Unit head": work,
            "Witness protection liaison": read_all,
            "Auditor": read_all,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("prosecutions", "0003_reference_data"), ("core", "0004_role_permissions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
