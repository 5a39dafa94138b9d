# Written by hand: the audit checkpoints table, and (PostgreSQL) the audit record made append-only.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.migrations_support import append_only, forward_only_head


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0007_access_and_victim_services_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.PositiveBigIntegerField(verbose_name="link")),
                ("digest", models.CharField(max_length=64)),
                ("written_at", models.DateTimeField()),
                ("line", models.CharField(max_length=255)),
                (
                    "written_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="The auditor who verified from the app; empty for the command (cron).",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "audit checkpoint",
                "ordering": ["-id"],
            },
        ),
        append_only(
            "core.HistoricalUser",
            "core.HistoricalRoleGrant",
            "core.AuditLink",
            "core.AuthEvent",
            "core.AuditCheckpoint",
        ),
        forward_only_head("core.AuditChainHead"),
    ]
