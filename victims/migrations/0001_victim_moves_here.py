# Written by hand: the Victim model moves from ``prosecutions`` to ``victims`` with its rows and its history.
#
# State: the two models are created here (and removed from prosecutions in prosecutions.0010, after the
# other apps' foreign keys were pointed here). Database: the two tables are renamed, nothing else — rows,
# ids, indexes, constraints, foreign keys pointing at them and the PostgreSQL append-only trigger on the
# history table all follow a renamed table. The audit chain's links keep their source label
# (``prosecutions.historicalvictim``, declared by the history model's ``audit_source``); their index
# columns (``record_type``) and the content types are pointed at the new label, which no digest covers.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from core.migrations_support import append_only, lift_append_only

OLD, NEW = "prosecutions", "victims"
TABLES = (("prosecutions_victim", "victims_victim"), ("prosecutions_historicalvictim", "victims_historicalvictim"))


def _rename(schema_editor, pairs):
    quote = schema_editor.quote_name
    for old, new in pairs:
        schema_editor.execute(f"ALTER TABLE {quote(old)} RENAME TO {quote(new)}", params=None)


# PostgreSQL's trigram search index (prosecutions.0007) follows the table; its name follows too.
INDEXES = (("prosecutions_victim_code_trgm", "victims_victim_code_trgm"),)


def _rename_indexes(schema_editor, pairs):
    if schema_editor.connection.vendor == "postgresql":
        quote = schema_editor.quote_name
        for old, new in pairs:
            schema_editor.execute(f"ALTER INDEX IF EXISTS {quote(old)} RENAME TO {quote(new)}", params=None)


def rename_tables(apps, schema_editor):
    _rename(schema_editor, TABLES)
    _rename_indexes(schema_editor, INDEXES)


def restore_tables(apps, schema_editor):
    _rename_indexes(schema_editor, [(new, old) for old, new in INDEXES])
    _rename(schema_editor, [(new, old) for old, new in TABLES])


def _repoint(apps, source_app, target_app):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditLink = apps.get_model("core", "AuditLink")
    for model in ("victim", "historicalvictim"):
        old = ContentType.objects.filter(app_label=source_app, model=model).first()
        if old is not None and not ContentType.objects.filter(app_label=target_app, model=model).exists():
            old.app_label = target_app
            old.save(update_fields=["app_label"])
    # The audit log's index (which record a link is about) — not part of any digest.
    AuditLink.objects.filter(record_type=f"{source_app}.victim").update(record_type=f"{target_app}.victim")


def repoint_forwards(apps, schema_editor):
    _repoint(apps, OLD, NEW)


def repoint_backwards(apps, schema_editor):
    _repoint(apps, NEW, OLD)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0009_audit_layout_and_trigram"),
        ("prosecutions", "0009_persons_for_accused"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Victim",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("code", models.CharField(editable=False, max_length=20, unique=True)),
                        ("sex", models.CharField(choices=[("female", "Female"), ("male", "Male"), ("unknown", "Not recorded")], default="unknown", max_length=10)),
                        ("age_at_exploitation", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("is_child", models.BooleanField(default=False, verbose_name="child (under 18)")),
                        ("nationality", models.CharField(blank=True, max_length=60)),
                        ("exploitation_type", models.CharField(choices=[("slavery", "Slavery"), ("similar_to_slavery", "Practices similar to slavery"), ("servitude", "Involuntary servitude"), ("organ_removal", "Removal of organs or body parts"), ("armed_conflict", "Use in armed conflict"), ("forced_labour", "Forced labour"), ("child_labour", "Child labour"), ("sexual_exploitation", "Sexual exploitation"), ("child_marriage", "Child marriage"), ("forced_marriage", "Forced marriage")], max_length=30)),
                        ("identified_on", models.DateField()),
                        ("referred_to_services", models.BooleanField(default=False)),
                        ("case", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="victims", to="prosecutions.case")),
                    ],
                    options={
                        "ordering": ["code"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("age_at_exploitation__isnull", True), models.Q(("age_at_exploitation__lt", 18), ("is_child", True)), models.Q(("age_at_exploitation__gte", 18), ("is_child", False)), _connector="OR"),
                                name="prosecutions_victim_child_matches_age",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalVictim",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("created_at", models.DateTimeField(blank=True, editable=False)),
                        ("updated_at", models.DateTimeField(blank=True, editable=False)),
                        ("code", models.CharField(db_index=True, editable=False, max_length=20)),
                        ("sex", models.CharField(choices=[("female", "Female"), ("male", "Male"), ("unknown", "Not recorded")], default="unknown", max_length=10)),
                        ("age_at_exploitation", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("is_child", models.BooleanField(default=False, verbose_name="child (under 18)")),
                        ("nationality", models.CharField(blank=True, max_length=60)),
                        ("exploitation_type", models.CharField(choices=[("slavery", "Slavery"), ("similar_to_slavery", "Practices similar to slavery"), ("servitude", "Involuntary servitude"), ("organ_removal", "Removal of organs or body parts"), ("armed_conflict", "Use in armed conflict"), ("forced_labour", "Forced labour"), ("child_labour", "Child labour"), ("sexual_exploitation", "Sexual exploitation"), ("child_marriage", "Child marriage"), ("forced_marriage", "Forced marriage")], max_length=30)),
                        ("identified_on", models.DateField()),
                        ("referred_to_services", models.BooleanField(default=False)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        ("history_type", models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1)),
                        ("case", models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="prosecutions.case")),
                        ("history_user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "historical victim",
                        "verbose_name_plural": "historical victims",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
            database_operations=[migrations.RunPython(rename_tables, restore_tables)],
        ),
        lift_append_only("core.AuditLink"),
        migrations.RunPython(repoint_forwards, repoint_backwards),
        append_only("core.AuditLink"),
    ]
