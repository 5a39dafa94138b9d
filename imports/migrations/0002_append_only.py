# Written by hand: on PostgreSQL the history table refuses UPDATE and DELETE (core.migrations_support).

from django.db import migrations

from core.migrations_support import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
    ]

    operations = [
        append_only("imports.HistoricalImportBatch"),
    ]
