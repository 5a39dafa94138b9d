# Written by hand: links written from now on digest only the columns holding a value (content form 2), so a
# column added to a tracked table later leaves older links valid; the links already written keep the form
# they were made with (1: every column), and the columns their tables had are frozen here in AuditLayout.
# Also: PostgreSQL's trigram extension, for search.

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from core.migrations_support import append_only

# The last migration of every app with chained tables when this was written: the state these layouts freeze.
CHAINED_APPS = [
    ("prosecutions", "0005_append_only"),
    ("assets", "0004_append_only"),
    ("trustfund", "0003_append_only"),
    ("witnesses", "0002_append_only"),
]


def freeze_layouts(apps, schema_editor):
    AuditLink = apps.get_model("core", "AuditLink")
    AuditLayout = apps.get_model("core", "AuditLayout")
    for source in AuditLink.objects.values_list("source", flat=True).distinct().order_by("source"):
        model = apps.get_model(source)
        columns = sorted(field.attname for field in model._meta.concrete_fields)
        AuditLayout.objects.create(source=source, columns=columns)


class Migration(migrations.Migration):
    dependencies = [("core", "0008_audit_checkpoint_and_append_only"), *CHAINED_APPS]

    operations = [
        migrations.AddField(
            model_name="auditlink",
            name="content_form",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AlterField(
            model_name="auditlink",
            name="content_form",
            field=models.PositiveSmallIntegerField(
                default=2,
                help_text="What the digest covers: 1 = every column the table had when 2 was introduced (its "
                "AuditLayout); 2 = every column holding a value, so a column added later, empty on old rows, "
                "leaves old links valid.",
            ),
        ),
        migrations.CreateModel(
            name="AuditLayout",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("source", models.CharField(max_length=100, unique=True)),
                ("columns", models.JSONField(default=list)),
            ],
            options={"ordering": ["source"]},
        ),
        migrations.RunPython(freeze_layouts, migrations.RunPython.noop),
        append_only("core.AuditLayout"),
        TrigramExtension(),
    ]
