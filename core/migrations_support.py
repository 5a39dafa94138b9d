"""Helpers for migrations: granting model permissions to role groups, and making tables append-only.

Permissions are normally created after migrations run (post_migrate); a data migration that grants
them must create them first, which ``grant`` does for the app it is given. ``append_only`` and
``forward_only_head`` install the PostgreSQL triggers that keep the audit record from being rewritten.
"""

from __future__ import annotations

from typing import Any

from django.db.migrations.operations.base import Operation


def grant(apps: Any, app_label: str, permissions_by_role: dict[str, list[str]]) -> None:
    """Give each role group the listed permission codenames of ``app_label``'s models."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in permissions_by_role.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        group.permissions.add(*permissions)


# --------------------------------------------------------------------------------------------------
# Append-only tables (PostgreSQL): the audit record refuses UPDATE and DELETE at the database itself.
# TRUNCATE (which test flushes use) is a statement of its own and is not refused. SQLite gets nothing:
# it is for laptops, and its tests flush with DELETE.

APPEND_ONLY_TRIGGER = "ctip_append_only"
FORWARD_ONLY_TRIGGER = "ctip_forward_only"

_APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION ctip_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;  -- writing a row back unchanged (as loading a fixture does) alters nothing
    END IF;
    RAISE EXCEPTION 'ctip: % on % refused: the table is append-only (part of the audit record)',
        TG_OP, TG_TABLE_NAME
        USING HINT = 'Records are corrected by new rows (a new history row, a reversing entry), never rewritten.';
END;
$$;
"""

_FORWARD_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION ctip_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.id <> OLD.id OR NEW.seq < OLD.seq
            OR (NEW.seq = OLD.seq AND NEW.digest IS DISTINCT FROM OLD.digest) THEN
        RAISE EXCEPTION 'ctip: % on % refused: the audit chain head only moves forward', TG_OP, TG_TABLE_NAME;
    END IF;
    RETURN NEW;
END;
$$;
"""


def _tables(apps: Any, labels: tuple[str, ...]) -> list[str]:
    return [apps.get_model(label)._meta.db_table for label in labels]


def _create_triggers(schema_editor: Any, function_sql: str, trigger: str, function: str, tables: list[str]) -> None:
    quote = schema_editor.quote_name
    schema_editor.execute(function_sql, params=None)
    for name in tables:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {quote(name)}", params=None)
        schema_editor.execute(
            f"CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {quote(name)} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
            params=None,
        )


def _drop_triggers(schema_editor: Any, trigger: str, tables: list[str]) -> None:
    for name in tables:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {schema_editor.quote_name(name)}", params=None)


def append_only(*labels: str) -> Any:
    """A migration operation: on PostgreSQL, the models' tables (``"app.Model"``) refuse UPDATE and DELETE.

    List every history table of the app (``"app.HistoricalThing"``) and its other append-only tables; a
    PostgreSQL test (``tests/core/test_audit_append_only.py``) fails for a history table left out.
    """
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            tables = _tables(apps, labels)
            _create_triggers(schema_editor, _APPEND_ONLY_FUNCTION, APPEND_ONLY_TRIGGER, "ctip_append_only", tables)

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            _drop_triggers(schema_editor, APPEND_ONLY_TRIGGER, _tables(apps, labels))

    return migrations.RunPython(forwards, backwards)


def lift_append_only(*labels: str) -> Any:
    """The reverse of ``append_only``: for a migration that must rewrite rows of such a table (put
    ``append_only`` back after it, in the same migration)."""
    from django.db import migrations

    operation = append_only(*labels)
    return migrations.RunPython(operation.reverse_code, operation.code)


def forward_only_head(label: str) -> Any:
    """A migration operation: on PostgreSQL, the chain head's row may only move forward (a higher link
    number; the same number only with the same digest) and may not be deleted."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            tables = _tables(apps, (label,))
            _create_triggers(schema_editor, _FORWARD_ONLY_FUNCTION, FORWARD_ONLY_TRIGGER, "ctip_forward_only", tables)

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            _drop_triggers(schema_editor, FORWARD_ONLY_TRIGGER, _tables(apps, (label,)))

    return migrations.RunPython(forwards, backwards)


# --------------------------------------------------------------------------------------------------
# Labels only: many fields and models relabelled in one operation


class Relabel(Operation):
    """New labels (``verbose_name``, ``verbose_name_plural``) for many models and fields of one app at once.

    Labels change no column, so this writes no SQL; it exists because one ``AlterField`` per field re-renders
    the project's model state each time (hundreds of them made ``migrate`` minutes slower). Here the state is
    changed in place and each model re-rendered once. A change other than a label is refused, so nothing
    else can hide in a label migration.
    """

    reduces_to_sql = False
    reversible = True
    LABEL_OPTIONS = frozenset({"verbose_name", "verbose_name_plural"})

    def __init__(
        self, models: dict[str, dict[str, Any]] | None = None, fields: dict[str, dict[str, Any]] | None = None
    ) -> None:
        self.models = models or {}
        self.fields = fields or {}

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return self.__class__.__qualname__, [], {"models": self.models, "fields": self.fields}

    def state_forwards(self, app_label: str, state: Any) -> None:
        for model_name, options in self.models.items():
            model_state = state.models[app_label, model_name]
            unlabelled = {key: value for key, value in options.items() if key not in self.LABEL_OPTIONS}
            kept = {key: value for key, value in model_state.options.items() if key not in self.LABEL_OPTIONS}
            if any(kept.get(key) != value for key, value in unlabelled.items()):
                raise ValueError(f"Relabel of {app_label}.{model_name} changes more than its labels: {options}")
            model_state.options.update({key: options[key] for key in self.LABEL_OPTIONS if key in options})
        for model_name, fields in self.fields.items():
            model_state = state.models[app_label, model_name]
            for name, field in fields.items():
                before = _without_label(model_state.fields[name])
                if before != _without_label(field):
                    raise ValueError(f"Relabel of {app_label}.{model_name}.{name} changes more than its label")
                model_state.fields[name] = field
        changed = {(app_label, name) for name in [*self.models, *self.fields]}
        state.reload_models(sorted(changed), delay=True)

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        """Labels are not stored in the database."""

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        """Labels are not stored in the database."""

    def describe(self) -> str:
        return f"Relabel {len(self.models)} model(s) and {sum(map(len, self.fields.values()))} field(s)"

    @property
    def migration_name_fragment(self) -> str:
        return "labels"


def _without_label(field: Any) -> Any:
    """The field as the autodetector compares it (storages and validators deconstructed), label left out."""
    from django.db.migrations.autodetector import MigrationAutodetector

    detector = MigrationAutodetector.__new__(MigrationAutodetector)  # deep_deconstruct needs no state
    path, args, kwargs = detector.deep_deconstruct(field)
    kwargs.pop("verbose_name", None)
    return path, args, kwargs
