# Written by hand: on PostgreSQL the history table refuses UPDATE and DELETE (core.migrations_support).

from django.db import migrations

from core.migrations_support import append_only


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0002_role_permissions"),
    ]

    operations = [
        append_only("documents.HistoricalDocument"),
    ]
