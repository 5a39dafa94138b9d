"""Grant the asset models' permissions: prosecutors and the unit head record assets; the fund roles
and auditors read them; witness protection liaisons get none."""

from django.db import migrations

from core.migrations_support import grant

MODELS = ["asset", "valuation", "courtorder", "realisation", "assetstatuschange"]


def forwards(apps, schema_editor):
    read_all = [f"view_{m}" for m in MODELS]
    work = read_all + [f"{action}_{m}" for m in MODELS for action in ("add", "change")]
    grant(
        apps,
        "assets",
        {
            "Prosecutor": work,
            "Unit head": work,
            "Fund administrator": read_all,
            "Fund approver": read_all,
            "Auditor": read_all,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("assets", "0001_initial"), ("core", "0004_role_permissions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
