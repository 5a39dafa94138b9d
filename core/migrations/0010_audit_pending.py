# History rows are sealed in the writer's transaction and linked by a single linker right after commit
# (core.audit.chain.link_pending): the queue between the two. No data to move: every row written before
# this migration is linked already.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0009_audit_layout_and_trigram")]

    operations = [
        migrations.CreateModel(
            name="AuditPending",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("source", models.CharField(max_length=100)),
                ("row_id", models.BigIntegerField()),
                ("record_type", models.CharField(max_length=100)),
                ("object_id", models.CharField(max_length=64)),
                ("object_repr", models.CharField(blank=True, max_length=255)),
                ("case_id", models.BigIntegerField(blank=True, null=True)),
                ("action", models.CharField(max_length=20)),
                ("user_id", models.BigIntegerField(blank=True, null=True)),
                ("at", models.DateTimeField()),
                ("reason", models.TextField(blank=True)),
                (
                    "content",
                    models.TextField(help_text="The row as stored, canonical JSON (what the link's digest covers)."),
                ),
                ("seal", models.CharField(max_length=64)),
            ],
            options={"ordering": ["id"], "verbose_name": "audit link pending"},
        ),
    ]
