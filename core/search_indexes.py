"""Migration operations for the search box on PostgreSQL: GIN trigram indexes on the searched columns.

Searches match with Django's ``icontains``, which PostgreSQL runs as ``UPPER(column::text) LIKE
UPPER('%text%')``; a GIN index over ``UPPER(column::text) gin_trgm_ops`` (pg_trgm, enabled by core's
migration 0009) serves exactly that expression, for any part of the value, without reading the table.
SQLite gets nothing: it is for laptops, and scans its small tables quickly.

Each app's search-index migration lists its own columns::

    operations = [trigram_indexes("prosecutions.Case", "reference", "title")]
"""

from __future__ import annotations

import hashlib
from typing import Any


def trigram_index_name(table: str, column: str) -> str:
    """``<table>_<column>_trgm``, shortened to PostgreSQL's 63-character limit if need be."""
    name = f"{table}_{column}_trgm"
    return name if len(name) <= 63 else f"{name[:54]}_{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def _columns(apps: Any, label: str, fields: tuple[str, ...]) -> tuple[str, list[str]]:
    model = apps.get_model(label)
    return model._meta.db_table, [model._meta.get_field(name).column for name in fields]


def trigram_indexes(label: str, *fields: str) -> Any:
    """A migration operation: on PostgreSQL, a GIN trigram index on ``UPPER(column)`` for each of the fields
    of the model ``label`` (``"app.Model"``); nothing elsewhere. Reversible."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table, columns = _columns(apps, label, fields)
        quote = schema_editor.quote_name
        for column in columns:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(trigram_index_name(table, column))} ON {quote(table)} "
                f"USING gin ((UPPER({quote(column)}::text)) gin_trgm_ops)",
                params=None,
            )

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table, columns = _columns(apps, label, fields)
        for column in columns:
            name = schema_editor.quote_name(trigram_index_name(table, column))
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)

    return migrations.RunPython(forwards, backwards, elidable=False)
