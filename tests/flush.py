"""Emptying the PostgreSQL test database between transactional tests: DELETE, not TRUNCATE.

Every test that needs real commits (browser journeys against the live server, concurrency, the audit linker)
ends with Django's ``flush``, which on PostgreSQL is one ``TRUNCATE`` of every table. TRUNCATE gives each of
the 135 tables and their 826 indexes new files and drops the old ones at commit: 4–6 s a test measured here,
nearly all of it for tables the test never wrote to. ``DELETE FROM`` each table costs next to nothing for an
empty table and little for the few rows a test writes (0.3–0.5 s for the whole database).

The rows must go whatever points at them and whatever refuses deletes (the append-only audit tables), so
the DELETEs run with ``session_replication_role = replica`` for their transaction only (``SET LOCAL``):
ordinary triggers — the foreign keys' checks and the append-only guard — do not fire. That setting is a
superuser's, as the test database's owner is here and in CI; for any other role, and whenever a flush must
restart sequences or cascade (``reset_sequences``, ``available_apps``), Django's TRUNCATE is used unchanged.
Only the test run is changed (``tests/conftest.py`` installs it for the session): ``manage.py flush`` is
Django's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db.backends.postgresql.operations import DatabaseOperations

SKIP_TRIGGERS = "SET LOCAL session_replication_role = replica"

_may_skip_triggers: dict[str, bool] = {}


def may_skip_triggers(ops: DatabaseOperations) -> bool:
    """Whether this connection's role may set ``session_replication_role`` (a superuser), asked once per database."""
    connection = ops.connection
    name = str(connection.settings_dict["NAME"])
    if name not in _may_skip_triggers:
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            row = cursor.fetchone()
        _may_skip_triggers[name] = bool(row and row[0])
    return _may_skip_triggers[name]


def deleting_flush(truncating_flush: Callable[..., list[str]]) -> Callable[..., list[str]]:
    """``DatabaseOperations.sql_flush`` that empties the tables with DELETE where that is the same result."""

    def sql_flush(
        ops: DatabaseOperations,
        style: Any,
        tables: Sequence[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        if not tables or reset_sequences or allow_cascade or not may_skip_triggers(ops):
            return truncating_flush(ops, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [SKIP_TRIGGERS, *(f"DELETE FROM {ops.quote_name(table)}" for table in tables)]

    return sql_flush


@contextmanager
def flushing_by_delete() -> Iterator[None]:
    """For as long as it is entered, PostgreSQL flushes (``call_command("flush")``) delete instead of truncate."""
    truncating = DatabaseOperations.sql_flush
    DatabaseOperations.sql_flush = deleting_flush(truncating)  # type: ignore[method-assign]
    try:
        yield
    finally:
        DatabaseOperations.sql_flush = truncating  # type: ignore[method-assign]
