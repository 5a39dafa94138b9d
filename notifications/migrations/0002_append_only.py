# Written by hand: on PostgreSQL the history of notification preferences refuses UPDATE and DELETE
# (core.migrations_support), like every other history table.

from django.db import migrations

from core.migrations_support import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        append_only("notifications.HistoricalNotificationPreference"),
    ]
