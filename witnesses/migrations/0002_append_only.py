# Written by hand: on PostgreSQL the history tables, and the log of identity readings, refuse UPDATE
# and DELETE (core.migrations_support).

from django.db import migrations

from core.migrations_support import append_only


class Migration(migrations.Migration):

    dependencies = [
        ("witnesses", "0001_witnesses_and_identity_vault"),
    ]

    operations = [
        append_only(
            "witnesses.IdentityAccess",
            "witnesses.HistoricalWitness",
            "witnesses.HistoricalAppearance",
            "witnesses.HistoricalProtectionStatusChange",
            "witnesses.HistoricalProtectionMeasure",
            "witnesses.HistoricalIdentity",
            "witnesses.HistoricalIdentityAccess",
        ),
    ]
