# Written by hand: on PostgreSQL the history tables refuse UPDATE and DELETE (core.migrations_support).

from django.db import migrations

from core.migrations_support import append_only


class Migration(migrations.Migration):

    dependencies = [
        ("prosecutions", "0004_role_permissions"),
    ]

    operations = [
        append_only(
            "prosecutions.HistoricalOffence",
            "prosecutions.HistoricalCourt",
            "prosecutions.HistoricalCase",
            "prosecutions.HistoricalStageChange",
            "prosecutions.HistoricalAccused",
            "prosecutions.HistoricalCharge",
            "prosecutions.HistoricalVictim",
            "prosecutions.HistoricalSentence",
            "prosecutions.HistoricalHearing",
        ),
    ]
