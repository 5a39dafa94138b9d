"""Row counts of large tables kept by the database, so a list of every case does not count 100,000 rows.

A table counted this way (``count_rows_by_tally``, called from a migration) has PostgreSQL triggers that add
a ``core.RowTally`` entry per statement that inserts or deletes its rows — the number inserted, or minus the
number deleted — and reset it on TRUNCATE. Writers only add entries (no row is updated, so none waits for
another); every 64th entry folds the table's entries into one, under an advisory lock nobody waits for. The
sum of the entries is the table's row count in any transaction's view, its own changes included.

``counted_rows(queryset)`` answers a whole table's count from the tally, in one query that counts the table
instead when it has no entries (a database emptied without its triggers: the test flush). SQLite, and any
queryset with a filter, are counted as Django counts them.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

from core.models import RowTally

FOLD_EVERY = 64

_TALLY_FUNCTION = f"""
CREATE OR REPLACE FUNCTION ctip_tally_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    change bigint;
    entry bigint;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM {RowTally._meta.db_table} WHERE table_name = TG_TABLE_NAME;
        INSERT INTO {RowTally._meta.db_table} (table_name, delta) VALUES (TG_TABLE_NAME, 0);
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT count(*) INTO change FROM new_rows;
    ELSE
        SELECT -count(*) INTO change FROM old_rows;
    END IF;
    IF change = 0 THEN
        RETURN NULL;
    END IF;
    INSERT INTO {RowTally._meta.db_table} (table_name, delta) VALUES (TG_TABLE_NAME, change)
        RETURNING id INTO entry;
    IF entry % {FOLD_EVERY} = 0 AND pg_try_advisory_xact_lock(hashtext('ctip_tally'), hashtext(TG_TABLE_NAME)) THEN
        WITH folded AS (DELETE FROM {RowTally._meta.db_table} WHERE table_name = TG_TABLE_NAME RETURNING delta)
        INSERT INTO {RowTally._meta.db_table} (table_name, delta)
            SELECT TG_TABLE_NAME, coalesce(sum(delta), 0) FROM folded;
    END IF;
    RETURN NULL;
END;
$$;
"""

_TRIGGERS = {
    "ctip_tally_insert": "AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT",
    "ctip_tally_delete": "AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT",
    "ctip_tally_truncate": "AFTER TRUNCATE ON {table} FOR EACH STATEMENT",
}


def count_rows_by_tally(schema_editor: Any, table: str) -> None:
    """Install the tally's triggers on ``table`` and enter its present count (PostgreSQL; a migration's
    step). Creating a trigger locks the table against writers until the migration commits, so the count
    entered is exact."""
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    schema_editor.execute(_TALLY_FUNCTION, params=None)
    for trigger, when in _TRIGGERS.items():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {quote(table)}", params=None)
        schema_editor.execute(
            f"CREATE TRIGGER {trigger} {when.format(table=quote(table))} EXECUTE FUNCTION ctip_tally_rows()",
            params=None,
        )
    schema_editor.execute(f"DELETE FROM {quote(RowTally._meta.db_table)} WHERE table_name = %s", params=[table])
    schema_editor.execute(
        f"INSERT INTO {quote(RowTally._meta.db_table)} (table_name, delta) SELECT %s, count(*) FROM {quote(table)}",
        params=[table],
    )


def stop_counting_rows_by_tally(schema_editor: Any, table: str) -> None:
    """The reverse of ``count_rows_by_tally``."""
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for trigger in _TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {quote(table)}", params=None)
    schema_editor.execute(f"DELETE FROM {quote(RowTally._meta.db_table)} WHERE table_name = %s", params=[table])


def _whole_table(queryset: QuerySet[Any]) -> bool:
    query = queryset.query
    return not (query.where or query.is_sliced or query.distinct or query.combinator or query.is_empty())


def counted_rows(queryset: QuerySet[Any]) -> int:
    """``queryset.count()``, from the tally when the queryset is a whole table whose model says it is counted
    by one (``rows_tallied = True``) on PostgreSQL: one query either way."""
    model = queryset.model
    connection = connections[queryset.db]
    if not (getattr(model, "rows_tallied", False) and connection.vendor == "postgresql" and _whole_table(queryset)):
        return queryset.count()
    quote = connection.ops.quote_name
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT coalesce((SELECT sum(delta) FROM {quote(RowTally._meta.db_table)} WHERE table_name = %s), "
            f"(SELECT count(*) FROM {quote(table)}))",
            [table],
        )
        return int(cursor.fetchone()[0])


class TalliedPaginator(Paginator):
    """Django's paginator, counting through ``counted_rows``."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return counted_rows(self.object_list)
        return len(self.object_list)
